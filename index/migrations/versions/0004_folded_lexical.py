"""PostgreSQL: the lexical index holds chunk text folded to plain letters ('Beyoncé' as 'Beyonce').

People type names without their accents. SQLite's FTS5 folds them (remove_diacritics); PostgreSQL's
'english' configuration does not, and the unaccent extension is not always installable, so newsbot
folds text and words itself (index.text.fold) and this migration re-folds the rows indexed before.
Only chunks whose title or text folds differently are rewritten; lexeme_df is then counted again.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

from index.text import fold

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

BATCH = 2000
_ROWS = ("SELECT c.rowid, coalesce(a.title, ''), c.text FROM chunks c JOIN articles a ON a.article_id = c.article_id "
         r"WHERE c.text ~ '[^\x01-\x7f]' OR a.title ~ '[^\x01-\x7f]'")  # not ASCII: may fold
_REFOLD = ("UPDATE chunks_fts SET tsv = setweight(to_tsvector('english', :title), 'A') || "
           "setweight(to_tsvector('english', :body), 'B') WHERE rowid = :rowid")
_RECOUNT = ("INSERT INTO lexeme_df (lexeme, df) SELECT u.lexeme, count(*) "
            "FROM chunks_fts f, unnest(f.tsv) AS u(lexeme, positions, weights) GROUP BY u.lexeme")


def upgrade() -> None:
    """Fold the indexed chunks that hold accented letters, then count each lexeme's chunks again."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    changed = []
    rows = bind.execute(text(_ROWS), execution_options={"yield_per": BATCH})  # curly quotes are not ASCII either
    for rowid, title, body in rows:
        if fold(title) != title or fold(body) != body:
            changed.append({"rowid": rowid, "title": fold(title), "body": fold(body)})
    for at in range(0, len(changed), BATCH):
        bind.execute(text(_REFOLD), changed[at:at + BATCH])
    if changed:
        bind.execute(text("DELETE FROM lexeme_df"))
        bind.execute(text(_RECOUNT))
