"""Chunk context (issue 24 item 7): dense gold-in-top-k with chunks embedded as title + text (as indexed) or as
title + the article's lead + text, on some quiz weeks' covered questions.

    python -m bench.chunk_context ../shared/eval/realtimeqa-train 20250131,20250321,20250509,20250530

One thread of ONNX Runtime; vectors are kept in /tmp/newsbot-adapter by text hash (bench.adapter's cache), so
a second run embeds nothing it has seen. Tried and not kept: docs/evaluation.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.adapter import articles_of, dense_ranks, embed_cached, one_thread, shares
from bot.evaluation.scoring import contains
from bot.evaluation.weeks import load_weeks

CACHE = Path("/tmp/newsbot-adapter")
LEAD_CHARS = 250  # at most this much lead, whole sentences until 120 characters


def lead_of(article) -> str:
    """The article's first sentences after the dateline (very short ones skipped)."""
    from index.loaders import DATELINE
    from index.text import split_sentences

    out = ""
    for s, e in split_sentences(article.text):
        sentence = DATELINE.sub("", article.text[s:e]).strip()
        if len(sentence) >= 25:
            out = f"{out} {sentence}".strip()
        if len(out) >= 120:
            break
    return out[:LEAD_CHARS]


def with_lead(chunk, lead: str, with_title: bool) -> str:
    """What would be embedded: the first chunk as today, any other with the lead between title and text."""
    from index.store import embed_text

    if chunk.n == 0 or not lead:
        return embed_text(chunk, with_title)
    title = chunk.article.title.strip() if with_title else ""
    return "\n".join(part for part in (title, lead, chunk.text) if part)


def main(argv: list[str]) -> None:
    """Dense top-5/top-10 per week and over all, as indexed and with the lead."""
    from bot.settings import Settings
    from index.chunking import chunk_article
    from index.store import embed_text

    root, names = Path(argv[0]), set(argv[1].split(","))
    one_thread()
    idx = Settings().index
    base_all, lead_all = [], []
    for week in (w for w in load_weeks(root) if w.name in names):
        articles = articles_of(week)
        leads = {id(a): lead_of(a) for a in articles}
        chunks = [c for a in articles for c in chunk_article(a, idx.chunk_chars, idx.chunk_overlap_sentences)]
        texts = [c.text for c in chunks]
        base = embed_cached([embed_text(c, idx.embed_title) for c in chunks], CACHE / f"chunks-{week.name}.npz")
        lead = embed_cached([with_lead(c, leads[id(c.article)], idx.embed_title) for c in chunks],
                            CACHE / f"lead{LEAD_CHARS}-{week.name}.npz")
        questions = [q for q in week.questions if q.gold and any(contains(t, q.gold) for t in texts)]
        qv = embed_cached([q.question for q in questions], CACHE / f"questions-{root.name}.npz")
        b, ld = dense_ranks(questions, qv, texts, base), dense_ranks(questions, qv, texts, lead)
        base_all += b
        lead_all += ld
        print(week.name, f"{len(chunks)} chunks, {len(questions)} covered:", shares(b), "→", shares(ld), flush=True)
    print(f"all {len(base_all)} covered:", shares(base_all), "→", shares(lead_all))


if __name__ == "__main__":
    main(sys.argv[1:])
