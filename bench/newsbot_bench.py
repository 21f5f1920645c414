"""newsbot's side of the benchmark, one phase per process so each has its own peak memory."""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

from bench.common import CORPUS, emit, questions

ARTICLES = CORPUS / "articles"


def _settings(data_dir: str):
    from bot.settings import Settings

    return Settings(NEWSBOT_DATA_DIR=Path(data_dir))


def phase_index(data_dir: str) -> None:
    """Full index of the dev corpus, then the same run again (nothing changed)."""
    from index.store import open_index
    from index.sync import Indexer

    settings = _settings(data_dir)
    indexer = Indexer(open_index(settings), settings)
    t0 = time.perf_counter()
    full = indexer.sync([ARTICLES])
    full_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = indexer.sync([ARTICLES])
    again_s = time.perf_counter() - t0
    emit({"phase": "index", "articles": full.added, "chunks": full.chunks_embedded, "chars": full.chars_embedded,
          "index_s": round(full_s, 1), "chunks_per_s": round(full.chunks_embedded / full_s, 1),
          "chars_per_s": round(full.chars_embedded / full_s), "unchanged_s": round(again_s, 2),
          "unchanged_embedded": again.chunks_embedded})


def phase_raw(data_dir: str) -> None:
    """The model alone on the very texts the index embedded: the throughput limit."""
    from sqlalchemy import text

    from index.embedding import make_embedder
    from index.store import open_index

    settings = _settings(data_dir)
    index = open_index(settings)
    with index.engine.connect() as conn:
        rows = conn.execute(text("SELECT a.title, c.text FROM chunks c JOIN articles a USING (article_id)")).all()
    texts = [f"{t}\n{body}" if t else body for t, body in rows]
    embedder = make_embedder(settings)
    embedder.encode(texts[:64])  # load and warm
    t0 = time.perf_counter()
    embedder.encode(texts)
    secs = time.perf_counter() - t0
    emit({"phase": "raw", "chunks": len(texts), "chars": sum(map(len, texts)), "seconds": round(secs, 1),
          "chunks_per_s": round(len(texts) / secs, 1), "chars_per_s": round(sum(map(len, texts)) / secs)})


def phase_pickup(data_dir: str) -> None:
    """Seconds from a new article landing in a watched folder to it being answerable."""
    from index.store import open_index
    from index.sync import Indexer
    from index.watch import FolderWatcher

    settings = _settings(data_dir)
    index = open_index(settings)
    index.warm_up()
    with tempfile.TemporaryDirectory() as inbox:
        watcher = FolderWatcher(Indexer(index, settings), [Path(inbox)], debounce=0.5).start()
        article = {"title": "Lighthouse keeper retires", "url": "https://bench.example/lighthouse",
                   "text": "The last lighthouse keeper of Skerrowan Point retired on Friday after 41 years. "
                           "Her lamp will now be run automatically from the mainland."}
        t0 = time.perf_counter()
        Path(inbox, "new.json").write_text(json.dumps(article))
        while article["url"] not in index.records():
            time.sleep(0.05)
        pickup = time.perf_counter() - t0
        watcher.stop()
    emit({"phase": "pickup", "pickup_s": round(pickup, 2), "debounce_s": 0.5})


def phase_eval(data_dir: str) -> None:
    """Retrieval and answers on the dev questions (bare, then as the quiz shows them) and the unanswerable set."""
    from bench.common import ROOT
    from bot.app import build_service
    from bot.evaluation.questions import load_questions
    from bot.evaluation.runner import evaluate, summarize

    service = build_service(_settings(data_dir))
    qs = questions() + load_questions(ROOT / "bench" / "questions" / "unanswerable.jsonl")
    report = evaluate(service, qs)
    quiz = summarize([o for o in evaluate(service, questions(), with_options=True).outcomes])
    dev = summarize([o for o in report.outcomes if o.id.startswith("2024")])
    emit({"phase": "eval", **_figures(dev), "options": _figures(quiz),
          "p50_ms": round(report.latency_p50_ms, 1), "p95_ms": round(report.latency_p95_ms, 1),
          "refused_unanswerable": report.refused_unanswerable, "wrongly_refused": report.wrongly_refused,
          "unanswerable": report.unanswerable, "answered_dev": dev.answered,
          "gold_not_in_articles": report.gold_not_in_articles,
          "refused_gold_not_in_articles": report.refused_gold_not_in_articles})


def _figures(report) -> dict:
    """The answer and retrieval shares of one run."""
    return {"gold_in_top_k": report.gold_in_top_k, "gold_in_answer": report.gold_in_answer,
            "gold_in_answer_covered": report.gold_in_answer_covered, "covered": report.covered,
            "short_answer_covered": report.short_answer_covered, "tentative": report.tentative,
            "first_sentence_covered": report.first_sentence_covered, "bold_precision": report.bold_precision,
            "bold_shown_covered": report.bold_shown_covered}


def phase_seed(data_dir: str) -> None:
    """The seed article alone, asked the natural detail questions of bench/questions/seed-details.jsonl."""
    from bench.common import ROOT
    from bot.answering.models import quotes_of
    from bot.app import build_service
    from bot.evaluation.questions import load_questions
    from bot.evaluation.scoring import contains
    from index.store import open_index
    from index.sync import Indexer

    settings = _settings(data_dir)
    Indexer(open_index(settings), settings).sync([ROOT.parent / "shared" / "articles"])
    service = build_service(settings)
    rows = []
    for q in load_questions(ROOT / "bench" / "questions" / "seed-details.jsonl"):
        a = service.answer(q.question)
        blob = a.answer + "\n" + "\n".join(quote for c in a.citations for quote in quotes_of(c))  # as newsbot eval
        rows.append({"q": q.question, "answerable": bool(q.answerable), "answered": a.answered,
                     "tentative": a.tentative, "gold": bool(q.gold) and contains(blob, q.gold),
                     "short": a.short_answer, "short_hit": bool(a.short_answer) and contains(a.short_answer, q.gold)})
    emit({"phase": "seed", "questions": rows})


if __name__ == "__main__":
    globals()[f"phase_{sys.argv[1]}"](sys.argv[2])
