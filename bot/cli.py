"""The `newsbot` command: index, ask, chat, status (and the other front ends' entry points)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from index.dates import day_number, parse_day
from index.lexical import Filters
from index.settings import Settings

EXIT_BAD_INPUT = 2


def _settings() -> Settings:
    """Settings from env and .env; a bad value is a clear error, not a traceback."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = first["loc"][0] if first["loc"] else "settings"
        sys.exit(f"newsbot: invalid setting {name}: {first['msg']}")


def cmd_index(args, settings: Settings) -> int:
    """Sync article files into the index (or watch a folder)."""
    from bot.progress import progress_bar
    from index.lock import WriterBusy
    from index.store import open_index
    from index.sync import Indexer

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"newsbot index: no such file or directory: {', '.join(map(str, missing))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    index = open_index(settings)
    with progress_bar("indexing", enabled=sys.stderr.isatty() and not args.quiet) as advance:
        indexer = Indexer(index, settings, progress=advance)
        try:
            report = indexer.sync([Path(p) for p in args.paths], prune=args.prune,
                                  wait=-1 if args.wait else 0, on_wait=lambda m: print(m, file=sys.stderr))
        except WriterBusy as exc:
            print(f"newsbot index: {exc}", file=sys.stderr)
            return 3
    _print_report(report)
    if args.watch:
        from index.watch import watch_forever

        watch_forever(indexer, [Path(p) for p in args.paths])
    return 0 if report.ok else 1


def _print_report(report) -> None:
    """Summary on stdout; every skipped file and its reason on stderr."""
    for where, reason in report.skipped:
        print(f"skipped {where}: {reason}", file=sys.stderr)
    print(report.summary())


def _filters(args) -> Filters | None:
    """Source and date filters from the command line."""
    f = Filters(source=args.source, since=_day(args.since, "--since"), until=_day(args.until, "--until"))
    return f or None


def _day(value: str | None, flag: str) -> int | None:
    """A YYYY-MM-DD flag as a day number."""
    if not value:
        return None
    day = day_number(value)
    if day is None:
        raise SystemExit(f"newsbot: {flag} expects a date like 2024-01-31, got {value!r}")
    return day


def _service(settings: Settings):
    """The answer service; a bad LLM setting (say, its package not installed) is one line, not a traceback."""
    from bot.app import build_service
    from bot.llm import LLMConfigError

    try:
        return build_service(settings)
    except LLMConfigError as exc:
        sys.exit(f"newsbot: {exc}")


def cmd_ask(args, settings: Settings) -> int:
    """Answer one question, or (with '-') one per line of stdin."""
    from bot.answer import QuestionError
    from bot.render import render_answer

    filters = _filters(args)
    _day(args.as_of, "--as-of")  # a bad date is refused with the flag's name
    args.asked_on = parse_day(args.as_of) if args.as_of else None
    service = _service(settings)
    if args.question == ["-"]:
        return _ask_stream(service, args, filters)
    try:
        answer = service.answer(" ".join(args.question), filters=filters, asked_on=args.asked_on)
    except QuestionError as exc:
        print(f"newsbot ask: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(json.dumps(answer.to_json_dict(), ensure_ascii=False) if args.json else render_answer(answer))
    return 0


def _ask_stream(service, args, filters) -> int:
    """Batch mode: one answer per stdin line, in order, with the model loaded once."""
    from bot.answer import QuestionError
    from bot.render import render_answer

    status = 0
    for line in sys.stdin:
        question = line.rstrip("\n")
        if not question.strip():
            continue
        try:
            answer = service.answer(question, filters=filters, asked_on=args.asked_on)
        except QuestionError as exc:
            status = EXIT_BAD_INPUT
            out = {"question": question, "answered": False, "answer": "", "citations": [], "error": str(exc)}
            print(json.dumps(out, ensure_ascii=False) if args.json else f"error: {exc}", flush=True)
            continue
        print(json.dumps(answer.to_json_dict(), ensure_ascii=False) if args.json else render_answer(answer) + "\n",
              flush=True)
    return status


def cmd_chat(args, settings: Settings) -> int:
    """The interactive REPL."""
    from bot.repl import run_repl

    return run_repl(_service(settings), filters=_filters(args))


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


def cmd_eval(args, settings: Settings) -> int:
    """Answer a question set and print its figures (see bot/cli_eval.py)."""
    from bot.cli_eval import run_eval

    return run_eval(args, settings, _service)


def cmd_slack(args, settings: Settings) -> int:
    """Run the Slack app: Socket Mode with SLACK_APP_TOKEN, else HTTP on /slack/events."""
    import time

    from bot.app import build_service
    from bot.slack import SlackConfigError, check_tokens, create_app
    from bot.slack_serve import serve_http, serve_socket_mode, start_watcher

    socket_mode = bool(settings.slack_app_token.get_secret_value())
    try:
        check_tokens(settings, socket_mode)
    except SlackConfigError as exc:
        print(f"newsbot slack: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    service = build_service(settings)
    service.warm_up()
    app = create_app(settings, service)
    if settings.watch_dir:
        start_watcher(settings, service.index)
    if socket_mode:
        serve_socket_mode(app, settings.slack_app_token.get_secret_value())
        return 0
    server = serve_http(app, args.host, args.port)
    print(f"newsbot: listening on http://{args.host}:{server.server_port}/slack/events", file=sys.stderr)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.shutdown()
    return 0


def cmd_feedback(args, settings: Settings) -> int:
    """List 👍/👎 votes with their question, answer and citations."""
    import time

    from bot.feedback import ConversationStore
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


def _add_filter_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", help="only articles from this source (e.g. Reuters)")
    p.add_argument("--since", help="only articles published on or after this date (YYYY-MM-DD)")
    p.add_argument("--until", help="only articles published on or before this date (YYYY-MM-DD)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="newsbot", description="Answer questions from indexed news articles, with cited quotes.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="index article files and folders (txt, md, html, json, jsonl)",
                       description="Add new and changed articles to the index; unchanged ones are skipped.")
    p.add_argument("paths", nargs="+", type=Path, help="files or folders of articles")
    p.add_argument("--prune", action="store_true", help="remove articles whose files are gone from the given folders")
    p.add_argument("--watch", action="store_true", help="after syncing, keep watching the folders for changes")
    p.add_argument("--wait", action="store_true", help="wait for another running indexer instead of exiting")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("ask", help="answer one question (or '-' for one per stdin line)",
                       description="Answer a question from the indexed articles, citing quoted passages.")
    p.add_argument("question", nargs="+", help="the question, or '-' to read one question per line from stdin")
    p.add_argument("--json", action="store_true", help="print one JSON object per answer")
    p.add_argument("--as-of", dest="as_of",
                   help="ask as on this day (YYYY-MM-DD): articles nearest it count as the news; default today")
    _add_filter_flags(p)
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="interactive question-and-answer session",
                       description="A REPL: ask questions; :sources shows full quotes of the last answer; :quit leaves.")
    _add_filter_flags(p)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("eval", help="measure answers on a question set",
                       description="Ask every question of a JSONL set ({question, gold} or {q, answerable, expect_any}) "
                                   "and report answered share, gold in answer, gold in top-k, refusals and latency.")
    p.add_argument("questions", type=Path, help="questions JSONL file")
    p.add_argument("--articles", type=Path, help="index this folder into a temporary data dir first")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--per-question", action="store_true", help="list each question's outcome")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("slack", help="run the Slack app",
                       description="Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP mode serving "
                                   "/slack/events (requests verified with SLACK_SIGNING_SECRET).")
    p.add_argument("--host", default="0.0.0.0", help="HTTP mode: address to listen on (default 0.0.0.0)")
    p.add_argument("--port", type=int, default=3000, help="HTTP mode: port to listen on (default 3000)")
    p.set_defaults(func=cmd_slack)

    p = sub.add_parser("feedback", help="list 👍/👎 votes from Slack",
                       description="Every vote with its question, answer and citations, newest first.")
    p.add_argument("--json", action="store_true", help="print a JSON list")
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser("status", help="what is indexed", description="Articles, chunks, data dir, model, last indexed time.")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.set_defaults(func=cmd_status)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `newsbot` console script."""
    args = build_parser().parse_args(argv)
    settings = _settings()
    from bot.app import setup_logging

    setup_logging(settings, "WARNING")
    return args.func(args, settings)


if __name__ == "__main__":
    sys.exit(main())
