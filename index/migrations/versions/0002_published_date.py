"""articles.published_date: the published day as a DATE, filled from what is stored."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

BATCH = 500
ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")
articles = sa.table("articles", sa.column("article_id", sa.String), sa.column("published", sa.Text),
                    sa.column("published_day", sa.Integer), sa.column("published_date", sa.Date))


def day_of(published: str | None, day_number: int | None) -> date | None:
    """The indexer's YYYYMMDD when it read one, else the text's YYYY-MM-DD prefix; None when neither is a date."""
    if day_number:
        parts = (day_number // 10000, day_number // 100 % 100, day_number % 100)
    elif match := ISO_DAY.match(published or ""):
        parts = tuple(int(p) for p in match.groups())
    else:
        return None
    try:
        day = date(*parts)
    except ValueError:
        return None
    return day if day.year > 1900 else None  # as index.dates.day_number: earlier years are placeholders


def upgrade() -> None:
    """Add the column, then fill it a batch of articles at a time (in article id order)."""
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("published_date", sa.Date, nullable=True))
    bind, after = op.get_bind(), ""
    while True:
        rows = bind.execute(sa.select(articles.c.article_id, articles.c.published, articles.c.published_day)
                            .where(articles.c.article_id > after).order_by(articles.c.article_id).limit(BATCH)).all()
        if not rows:
            return
        updates = [{"id": r.article_id, "day": d} for r in rows if (d := day_of(r.published, r.published_day))]
        if updates:
            bind.execute(sa.update(articles).where(articles.c.article_id == sa.bindparam("id"))
                         .values(published_date=sa.bindparam("day")), updates)
        after = rows[-1].article_id
