"""The terminal commands behind `newsbot index`, `ask`, `chat`, `status` and `feedback`."""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

from bot.terminal.progress import progress_bar
from bot.terminal.render import render_answer, render_digest, render_timeline
from index.dates import day_number, parse_day
from index.errors import BadFlag, BadInput, QuestionError
from index.query import Filters
from index.settings import Settings


def cmd_index(args, settings: Settings) -> int:
    """Sync article files into the index (or watch a folder)."""
    from index.store import open_index
    from index.sync import Indexer

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        raise BadInput(f"no such file or directory: {', '.join(map(str, missing))}")
    index = open_index(settings)
    with progress_bar("indexing", enabled=sys.stderr.isatty() and not args.quiet) as advance:
        indexer = Indexer(index, settings, progress=advance)
        report = indexer.sync([Path(p) for p in args.paths], prune=args.prune,
                              wait=-1 if args.wait else 0, on_wait=lambda m: print(m, file=sys.stderr))
    print_report(report)
    if args.watch:
        from index.watch import watch_forever

        watch_forever(indexer, [Path(p) for p in args.paths])
    return 0 if report.ok else 1


def print_report(report) -> None:
    """Summary on stdout; every skipped file and its reason on stderr."""
    for where, reason in report.skipped:
        print(f"skipped {where}: {reason}", file=sys.stderr)
    print(report.summary())


def filters_from(args) -> Filters | None:
    """Source and date filters from the command line."""
    f = Filters(source=args.source, since=_day(args.since, "--since"), until=_day(args.until, "--until"))
    return f or None


def _day(value: str | None, flag: str) -> int | None:
    """A YYYY-MM-DD flag as a day number."""
    if not value:
        return None
    day = day_number(value)
    if day is None:
        raise BadFlag(f"{flag} expects a date like 2024-01-31, got {value!r}")
    return day


def cmd_ask(args, settings: Settings) -> int:
    """Answer one question, or (with '-') one per line of stdin."""
    from bot.app import build_service

    filters = filters_from(args)
    asked_on = _as_of(args) if args.as_of else None
    service = build_service(settings)
    if args.question == ["-"]:
        return _ask_stream(service, args, filters, asked_on)
    answer = service.answer(" ".join(args.question), filters=filters, asked_on=asked_on)
    print(json.dumps(answer.to_json_dict(), ensure_ascii=False) if args.json else render_answer(answer))
    return 0


def _ask_stream(service, args, filters, asked_on) -> int:
    """Batch mode: one answer per stdin line, in order, with the model loaded once."""
    status = 0
    for line in sys.stdin:
        question = line.rstrip("\n")
        if not question.strip():
            continue
        try:
            answer = service.answer(question, filters=filters, asked_on=asked_on)
        except QuestionError as exc:
            status = exc.exit_code
            out = {"question": question, "answered": False, "answer": "", "citations": [], "error": str(exc)}
            print(json.dumps(out, ensure_ascii=False) if args.json else f"error: {exc}", flush=True)
            continue
        print(json.dumps(answer.to_json_dict(), ensure_ascii=False) if args.json else render_answer(answer) + "\n",
              flush=True)
    return status


def _as_of(args):
    """The --as-of day (today when not given); a bad date is refused with the flag's name."""
    _day(args.as_of, "--as-of")
    return parse_day(args.as_of) if args.as_of else date.today()


def cmd_timeline(args, settings: Settings) -> int:
    """A topic's dated, cited events, oldest first."""
    from bot.app import build_service

    asked_on = _as_of(args)
    timeline = build_service(settings).timelines.build(" ".join(args.topic), filters_from(args), asked_on)
    print(json.dumps(timeline.to_json(), ensure_ascii=False) if args.json else render_timeline(timeline))
    return 0


def cmd_digest(args, settings: Settings) -> int:
    """The period's stories, biggest first, each led by a cited sentence."""
    from bot.answering.digest import DigestBuilder, since_day
    from bot.app import build_deps

    today = _as_of(args)
    since = since_day(args.since, today)
    until = parse_day(args.until) if _day(args.until, "--until") else today
    if since > until:
        raise BadFlag(f"--since ({since}) is after --until ({until})")
    deps = build_deps(settings)
    digest = DigestBuilder(deps.index, settings).build(" ".join(args.topic), since, until,
                                                       Filters(source=args.source))
    print(json.dumps(digest.to_json(), ensure_ascii=False) if args.json else render_digest(digest))
    return 0


def cmd_chat(args, settings: Settings) -> int:
    """The interactive REPL."""
    from bot.app import build_service
    from bot.terminal.repl import run_repl

    return run_repl(build_service(settings), filters=filters_from(args))


def cmd_status(args, settings: Settings) -> int:
    """Counts, data dir, model, last indexed time."""
    from index.store import open_index

    stats = open_index(settings).stats()
    stats["data_dir"] = str(settings.data_dir.resolve())
    stats["embedding_model"] = stats["embedding_model"] or settings.embedding_label
    if args.json:
        print(json.dumps(stats))
    else:
        for name in ("articles", "chunks", "data_dir", "embedding_model", "last_indexed"):
            print(f"{name:16} {stats[name] or '(never)'}")
        if stats["pending_writes"]:
            print(f"{'pending_writes':16} {stats['pending_writes']} (finished by the next `newsbot index`)")
    return 0


def cmd_feedback(args, settings: Settings) -> int:
    """List 👍/👎 votes with their question, answer and citations."""
    from bot.slack.store import ConversationStore
    from index.db import make_engine

    votes = ConversationStore(make_engine(settings.sqlalchemy_url)).votes()
    if args.json:
        print(json.dumps(votes, ensure_ascii=False))
        return 0
    if not votes:
        print("No feedback yet.")
    for v in votes:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(v["at"]))
        print(f"{'👍' if v['vote'] > 0 else '👎'} {when} {v['user']} in {v['channel']}: {v['question']}")
        print(f"   {v['answer'][:200]}")
        for c in v["citations"]:
            print(f"   [{c['n']}] {c['title']} — {c['url']}")
    return 0
