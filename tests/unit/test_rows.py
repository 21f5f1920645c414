"""The index door's rows: frozen, with the publication day read once, in one place."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from index.dates import day_number, day_words
from index.rows import ArticleRow, article_row, chunk_row, published_day


def test_published_day_reads_the_stored_day():
    assert published_day(20250605) == date(2025, 6, 5)
    assert published_day(date(2025, 6, 5)) == date(2025, 6, 5)  # a DATE column, when the schema stores one
    assert published_day(None) is None and published_day(0) is None


def test_rows_from_the_database_carry_the_day_and_no_nulls():
    art = article_row({"article_id": "a", "title": "T", "author": None, "source": "Wire", "published": "5 June 2025",
                       "url": "https://x/a", "published_day": 20250605})
    assert art == ArticleRow("a", "T", "", "Wire", "5 June 2025", "https://x/a", date(2025, 6, 5))
    chunk = chunk_row({"chunk_id": "a-1", "article_id": "a", "text": "Hi.", "start": 0, "end": 3, "title": "T",
                       "author": "", "source": "", "published": "", "url": "", "path": None, "published_day": None})
    assert chunk.path == "" and chunk.start == 0 and chunk.published_day is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        chunk.text = "changed"  # type: ignore[misc]


def test_day_number_takes_a_date_or_its_text_and_day_words_says_it():
    assert day_number(date(2025, 6, 5)) == day_number("2025-06-05") == day_number("5 June 2025") == 20250605
    assert day_number(None) is None and day_number("not a date") is None
    assert day_words(date(2025, 6, 5)) == "5 June 2025"
