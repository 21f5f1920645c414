"""Time in questions (issue 19): every 2025 RealTimeQA question asked bare on its own date, of the whole year
indexed together (with and without time handling) and of its own week's index alone.

    .venv/bin/python -m bench.timeq [--year /work/idx/year] [--weeks /work/idx/weeks] [--only a,b,c] [--limit N]

The indexes are read only (built with `newsbot index`, one data dir per week and one of all 52 weeks).
Figures: gold in answer (whole words, bot.evaluation.scoring); for the time-worded questions (the forms of
the issue, found by this script's own pattern, not by newsbot's parser) the share whose answer states the
dates it searched (`searched.from`/`to` set); warm ask latency p50/p95.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT, emit

TRAIN = ROOT.parent / "shared" / "eval" / "realtimeqa-train"
# The forms, written independently of bot/answering/time/timewords.py so the share is not circular.
TIME_WORDED = re.compile(
    r"\b(?:today|tonight|yesterday|this\s+(?:week|weekend|month|year|morning)|last\s+(?:week|weekend|month|year|night)|"
    r"(?:on|since|last|this)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)['’]s|"
    r"(?:in|since|before|after|during|until)\s+(?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december|(?:19|20)\d\d)|between\s+.+\s+and\s+|recent(?:ly)?|lately|the\s+latest|"
    r"(?:\w+\s+)(?:days|weeks|months|years)\s+ago|(?:past|last)\s+\w+\s+(?:days|weeks|months))\b", re.I)

QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")  # a quotation's time words are not the question's


@dataclass
class Question:
    id: str
    week: str
    text: str
    gold: list[str]
    asked_on: object
    time_worded: bool


def load(limit: int | None) -> list[Question]:
    """Every training question, bare (no choices, markup stripped), with its own date."""
    from index.dates import parse_day

    out = []
    for path in sorted(TRAIN.glob("*/questions.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            q = json.loads(line)
            text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html.unescape(q["question"]))).strip()
            out.append(Question(q["id"], path.parent.name, text, [q["gold"]],
                                parse_day(q["date"].replace("/", "-")), bool(TIME_WORDED.search(QUOTED.sub("", text)))))
    return out[:limit] if limit else out


def settings_for(data_dir: Path, time_words: bool):
    """Settings reading one shared index (never written), with the shared model cache."""
    from bot.settings import Settings

    return Settings(_env_file=None, NEWSBOT_DATA_DIR=data_dir, NEWSBOT_DATABASE_URL="", CHROMA_HOST="", NEWSBOT_TIME_WORDS=time_words,
                    NEWSBOT_MODEL_CACHE=Path("/work/idx/models") if Path("/work/idx/models").is_dir() else None)


def ask(service, q: Question) -> dict:
    """One question's outcome: gold in answer, the dates its answer states, latency."""
    from bot.evaluation.scoring import contains

    t0 = time.perf_counter()
    answer = service.answer(q.text, asked_on=q.asked_on)
    ms = (time.perf_counter() - t0) * 1000
    blob = answer.answer + "\n" + "\n".join(c.quote for c in answer.citations)
    s = answer.searched
    return {"id": q.id, "gold": answer.answered and contains(blob, q.gold), "ms": ms, "time_worded": q.time_worded,
            "dated": bool(s.since or s.until), "told": bool(s.since or s.until or s.note)}


def run_year(questions: list[Question], year: Path, time_words: bool, embedder) -> list[dict]:
    """Every question of the whole-year index, after a warm-up."""
    from bot.answering.service import AnswerService
    from index.store import NewsIndex

    s = settings_for(year, time_words)
    service = AnswerService(s, NewsIndex(s, embedder))
    service.warm_up()
    for q in questions[:5]:
        service.answer(q.text, asked_on=q.asked_on)
    return [_progress(i, len(questions), ask(service, q)) for i, q in enumerate(questions, 1)]


def run_weeks(questions: list[Question], weeks: Path, embedder, time_words: bool = False) -> list[dict]:
    """Each question of its own week's index (today's behaviour: the week is the time filter; d: with time words)."""
    from bot.answering.service import AnswerService
    from index.store import NewsIndex

    out, by_week = [], {}
    for q in questions:
        by_week.setdefault(q.week, []).append(q)
    for week, qs in by_week.items():
        if not (weeks / f"{week}.done").exists() and (weeks / week).with_suffix(".log").exists():
            print(f"  week {week}: its index is not complete yet; skipped", file=sys.stderr, flush=True)
            continue
        s = settings_for(weeks / week, time_words)
        service = AnswerService(s, NewsIndex(s, embedder))
        out += [ask(service, q) for q in qs]
        print(f"  week {week}: {len(out)}/{len(questions)}", file=sys.stderr, flush=True)
    return out


def _progress(i: int, n: int, row: dict) -> dict:
    if i % 100 == 0 or i == n:
        print(f"  {i}/{n}", file=sys.stderr, flush=True)
    return row


def summary(rows: list[dict]) -> dict:
    """Gold in answer, the time-worded share stating its dates, latency percentiles."""
    from bot.evaluation.scoring import percentiles

    timed = [r for r in rows if r["time_worded"]]
    p50, p95 = percentiles([r["ms"] for r in rows])
    return {"questions": len(rows), "gold_in_answer": round(sum(r["gold"] for r in rows) / max(1, len(rows)), 3),
            "time_worded": len(timed),
            "time_worded_gold_in_answer": round(sum(r["gold"] for r in timed) / max(1, len(timed)), 3),
            "time_worded_dates_stated": round(sum(r["dated"] for r in timed) / max(1, len(timed)), 3),
            "time_worded_window_told": round(sum(r["told"] for r in timed) / max(1, len(timed)), 3),
            "p50_ms": round(p50, 1), "p95_ms": round(p95, 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=Path, default=Path("/work/idx/year"))
    parser.add_argument("--weeks", type=Path, default=Path("/work/idx/weeks"))
    parser.add_argument("--only", default="a,b",
                        help="a: year with time words, b: year without (default a,b), c: own weeks, d: own weeks with time words")
    parser.add_argument("--limit", type=int, help="only the first N questions (a quick look)")
    parser.add_argument("--time-worded", action="store_true", help="only the time-worded questions (tuning)")
    parser.add_argument("--out", type=Path, help="also write per-question rows as JSON here")
    args = parser.parse_args(argv)
    from index.embedding import make_embedder

    questions = [q for q in load(args.limit) if q.time_worded or not args.time_worded]
    embedder = make_embedder(settings_for(args.year, True))
    runs = {}
    for key in args.only.split(","):
        print(f"{key}: asking {len(questions)} questions", file=sys.stderr, flush=True)
        runs[key] = (run_year(questions, args.year, key == "a", embedder) if key in "ab"
                     else run_weeks(questions, args.weeks, embedder, key == "d"))
    result = {key: summary(rows) for key, rows in runs.items()}
    if args.out:
        args.out.write_text(json.dumps(runs))
    for key, figures in result.items():
        print(f"{key}: {figures}", file=sys.stderr)
    emit(result)


if __name__ == "__main__":
    main()
