"""The terminal commands behind `newsbot index`, `ask`, `chat`, `status` and `feedback` (sources: sources.py)."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

from bot.logs import printable, unexpected
from bot.settings import Settings
from bot.terminal.progress import progress_bar
from bot.terminal.render import json_line, render_answer, render_digest, render_timeline
from index.dates import day_number, parse_day
from index.errors import BadFlag, BadInput, QuestionError, ServerUnavailable
from index.query import Filters


def cmd_index(args, settings: Settings) -> int:
    """Sync article files and urls (pages, feeds, sitemaps) into the index (or watch a folder)."""
    from index.datadir import check_writable
    from index.sources.urls import SCHEMES, is_web_url
    from index.store import open_index
    from index.sync import Indexer, SyncReport

    urls = [p for p in args.paths if is_web_url(p)]
    paths = [Path(p) for p in args.paths if not is_web_url(p)]
    if bad := [u for u in urls if u.split("://", 1)[0].lower() not in SCHEMES]:
        raise BadInput(f"only http and https urls can be indexed: {', '.join(bad)}")
    if missing := [p for p in paths if not p.exists()]:
        raise BadInput(f"no such file or directory: {', '.join(map(str, missing))}")
    if args.watch and not paths:
        raise BadFlag("--watch watches folders; to follow a feed, `newsbot sources add URL` then `newsbot follow`")
    check_writable(settings)  # before opening: readers of an unwritable data dir copy its vectors first
    index = open_index(settings)
    report = SyncReport()
    with progress_bar("indexing", enabled=sys.stderr.isatty() and not args.quiet and bool(paths)) as advance:
        indexer = Indexer(index, settings, progress=advance)
        if paths:
            report = indexer.sync(paths, prune=args.prune, wait=-1 if args.wait else 0,
                                  on_wait=lambda m: print(m, file=sys.stderr))
    if urls:
        from index.sources.follow import index_urls

        report.absorb(index_urls(urls, indexer))
    print_report(report)
    if args.watch:
        from index.watch import watch_forever

        watch_forever(indexer, paths)
    return 0 if report.ok else 1


def print_report(report) -> None:
    """Summary on stdout; every skipped file and its reason on stderr."""
    for where, reason in report.skipped:
        print(printable(f"skipped {where}: {reason}"), file=sys.stderr)
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
    from bot.answering.service import validate_question
    from bot.app import build_service

    filters = filters_from(args)
    asked_on = _as_of(args) if args.as_of else None
    question = None if args.question == ["-"] else _utf8(" ".join(args.question).encode("utf-8", "surrogateescape"))
    if question is not None:  # a question that cannot be asked is refused before anything is opened
        validate_question(question, settings.answer.max_question_chars)
    service = build_service(settings, indexed=True)
    if question is None:
        return _ask_stream(service, args, filters, asked_on)
    answer = service.answer(question, filters=filters, asked_on=asked_on)
    print(json_line(answer.to_json_dict()) if args.json
          else render_answer(answer, styled=sys.stdout.isatty(), index=settings.index_label))
    return 0


def _utf8(raw: bytes, where: str = "the question") -> str:
    """Question bytes as text; QuestionError naming the first bad byte when they are not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise QuestionError(f"{where} is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None


def _ask_stream(service, args, filters, asked_on) -> int:
    """Batch mode: exactly one answer (or error) per stdin line, in order, with the model loaded once."""
    status = 0
    stdin = getattr(sys.stdin, "buffer", None)  # bytes: a line that is not UTF-8 must not end the batch
    lines = stdin if stdin is not None else (line.encode("utf-8", "surrogateescape") for line in sys.stdin)
    for n, raw in enumerate(lines, 1):
        raw = raw.rstrip(b"\n").rstrip(b"\r")
        question = raw.decode("utf-8", "backslashreplace")
        try:
            answer = service.answer(_utf8(raw, f"line {n}"), filters=filters, asked_on=asked_on)
        except QuestionError as exc:  # empty, too long, not UTF-8: an error in its place, then the next line
            status = exc.exit_code
            _print_error(args, question, str(exc))
            continue
        except ServerUnavailable as exc:  # this line waits for no server; the next may find it back
            status = exc.exit_code
            _print_error(args, question, exc.for_questions())
            continue
        except Exception as exc:  # noqa: BLE001 - one broken question must not lose the rest of the batch
            status = 70
            _print_error(args, question, unexpected(f"line {n}", exc))
            continue
        print(json_line(answer.to_json_dict()) if args.json
              else render_answer(answer, index=service.settings.index_label) + "\n", flush=True)
    return status


def _print_error(args, question: str, error: str) -> None:
    """The error object (or line) standing in for one batch question's answer."""
    out = {"question": question, "answered": False, "answer": "", "citations": [], "error": error}
    print(json_line(out) if args.json else printable(f"error: {error}"), flush=True)
def _as_of(args):
    """The --as-of day (today when not given); a bad date is refused with the flag's name."""
    _day(args.as_of, "--as-of")
    return parse_day(args.as_of) if args.as_of else date.today()


def cmd_timeline(args, settings: Settings) -> int:
    """A topic's dated, cited events, oldest first."""
    from bot.app import build_service

    asked_on = _as_of(args)
    timeline = build_service(settings, indexed=True).timelines.build(" ".join(args.topic), filters_from(args), asked_on)
    print(json_line(timeline.to_json()) if args.json
          else printable(render_timeline(timeline, index=settings.index_label)))
    return 0


def cmd_digest(args, settings: Settings) -> int:
    """The period's stories, biggest first, each led by a cited sentence."""
    from bot.answering.briefs.digest import DigestBuilder, since_day
    from bot.app import build_deps

    today = _as_of(args)
    since = since_day(args.since, today)
    until = parse_day(args.until) if _day(args.until, "--until") else today
    if since > until:
        raise BadFlag(f"--since ({since}) is after --until ({until})")
    deps = build_deps(settings, indexed=True)
    digest = DigestBuilder(deps.index, settings).build(" ".join(args.topic), since, until,
                                                       Filters(source=args.source))
    print(json_line(digest.to_json()) if args.json
          else printable(render_digest(digest, index=settings.index_label)))
    return 0


def cmd_chat(args, settings: Settings) -> int:
    """The interactive REPL."""
    from bot.terminal.interrupts import hold_ctrl_c

    if sys.stdin.isatty():
        hold_ctrl_c()  # before numpy, the index and the model start threads: only the prompt's thread takes Ctrl-C
    from bot.app import build_service
    from bot.terminal.repl import run_repl

    asked_on = _as_of(args) if args.as_of else None  # a bad date is refused before the model loads
    return run_repl(build_service(settings, indexed=True), filters=filters_from(args), asked_on=asked_on)


def cmd_status(args, settings: Settings) -> int:
    """Counts, data dir, model, last indexed time, and each followed source's freshness (--check: fail on warnings)."""
    from bot.terminal.sources import print_sources, sources_status
    from index.datadir import never_indexed
    from index.store import open_index

    servers = _server_lines(args, settings) if args.check else []
    if any(not c.ok for c in servers):  # the index cannot be read: say which server, and stop
        return ServerUnavailable.exit_code
    missing = never_indexed(settings)  # nothing indexed yet: say so, create nothing
    # counting the vectors opens embedded Chroma (a second of imports): only for --json, whose readers compare counts
    stats = NO_INDEX | {"data_dir_state": "not created"} if missing else open_index(settings).stats(dense=args.json)
    stats["data_dir"] = str(settings.index.data_dir.resolve())
    stats["index"] = settings.index_label
    stats["embedding_model"] = stats["embedding_model"] or settings.index.embedding_label
    sources, warnings = ([], []) if missing else sources_status(settings)
    if args.json:
        servers = [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in servers]
        print(json_line({**stats, "sources": sources, "warnings": warnings, **({"servers": servers} if servers else {})}))
    else:
        _print_stats(stats)
        if missing:
            print("Nothing is indexed yet: run `newsbot index PATH` (a folder of articles, a file or a feed url).")
        print_sources(sources, warnings)
    return 1 if args.check and warnings else 0


def _server_lines(args, settings: Settings) -> list:
    """`status --check`: each configured server reached afresh, one line each (JSON: only when one is down)."""
    from index.health import server_checks

    checks = server_checks(settings)
    down = [c for c in checks if not c.ok]
    if args.json and down:
        print(json_line({"servers": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in checks]}))
    elif not args.json:
        for check in checks:
            print(printable(check.line()))
    return checks


NO_INDEX = {"articles": 0, "chunks": 0, "lexical_chunks": 0, "dense_chunks": 0, "pending_writes": 0,
            "last_indexed": "", "embedding_model": ""}


def _print_stats(stats: dict) -> None:
    """The status lines: counts, the index searched, model, last indexed time."""
    if stats["data_dir_state"] not in ("writable", "not created"):  # readable, not writable: say so beside it
        stats["index"] += f" ({stats['data_dir_state']}: reading only, nothing can be indexed)"
    for name in ("articles", "chunks", "index", "embedding_model", "last_indexed"):
        value = stats[name]
        print(printable(f"{name:16} {'(never)' if value in ('', None) else value}"))  # 0 articles is a count
    if stats["pending_writes"]:
        print(f"{'pending_writes':16} {stats['pending_writes']} (finished by the next `newsbot index`)")


def cmd_feedback(args, settings: Settings) -> int:
    """List 👍/👎 votes with their question, answer, citations and reason; then reasons and worst-rated articles."""
    from bot.slack.store import REASONS, ConversationStore, summarize
    from index.db import make_engine

    votes = ConversationStore(make_engine(settings.sqlalchemy_url)).votes()
    summary = summarize(votes)
    if args.json:
        print(json_line(summary if args.summary else votes))
        return 0
    if not votes:
        print("No feedback yet.")
        return 0
    for v in [] if args.summary else votes:  # questions, answers and titles come from users and articles: inert
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(v["at"]))
        print(printable(f"{'👍' if v['vote'] > 0 else '👎'} {when} {v['user']} in {v['channel']}: {v['question']}"))
        if v.get("reason"):
            why = REASONS.get(v["reason"], v["reason"]) + (f" — {v['comment']}" if v["comment"] else "")
            print(printable(f"   why: {why}"))
        print(printable(f"   {v['answer'][:200]}"))
        for c in v["citations"]:
            print(printable(f"   [{c['n']}] {c['title']} — {c['url']}"))
    _print_summary(summary)
    return 0


def _print_summary(summary: dict) -> None:
    """Reasons for 👎 and the worst-rated articles, for `newsbot feedback`."""
    if summary["reasons"]:
        print("\nWhy answers were not helpful: " + ", ".join(f"{k} ×{n}" for k, n in summary["reasons"].items()))
    if summary["worst_articles"]:
        print("\nWorst-rated articles (cited by answers voted 👎):")
        for a in summary["worst_articles"]:
            print(printable(f"   👎 {a['down']} 👍 {a['up']}  {a['title'] or a['article_id']} — {a['url']}"))


def cmd_db(args, settings: Settings) -> int:
    """`db upgrade`: migrate the database to the newest schema; `db current`: say where it is."""
    from index import db, migrate

    engine = db.reachable(lambda: db.make_engine(settings.sqlalchemy_url), settings)
    if args.action == "current":
        print(db.reachable(lambda: migrate.describe(engine), settings))
        return 0
    if db.read_only(engine):
        raise BadInput(f"the database in {settings.index.data_dir} is read-only here: upgrade it where it can be written")
    before, after = db.reachable(lambda: migrate.upgrade(engine), settings)
    print(f"database at {after}" + (" (already)" if before == after else f" (was {before or 'unversioned'})"))
    return 0
