"""PostgreSQL: the number of chunks in the lexical index, kept in meta ('lexical_chunks') by every write.

A question's idf needs the number of chunks; count(*) on PostgreSQL reads every row (about 0.3 s a
question at 660k chunks). SQLite counts its `chunks` table in milliseconds and keeps no row.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Count what the lexical index holds, once."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("INSERT INTO meta (name, value) SELECT 'lexical_chunks', count(*)::text FROM chunks_fts "
                   "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value")
