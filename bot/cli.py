"""The `newsbot` command: argument parsing, dispatch, and the one place errors become exit codes."""

from __future__ import annotations

import argparse
import atexit
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from bot.logs import redact, unexpected
from index.errors import ConfigError, NewsbotError, ServerUnavailable

if TYPE_CHECKING:  # the settings (pydantic) load after argument parsing: `newsbot --help` stays quick
    from bot.settings import Settings

VERBOSE = "log more to stderr, secrets redacted: -v INFO (an LLM's raw reply, why it was rejected), -vv DEBUG"
UNEXPECTED = 70  # sysexits' EX_SOFTWARE: a bug or an environment newsbot does not know, never a skipped file
BROKEN_PIPE = 141  # what a shell reports for a writer whose reader went away (128 + SIGPIPE)
ASKING = ("ask", "chat", "timeline", "digest")  # a server away: these say search is unavailable
EXIT_CODES = """exit codes:
  0    done
  1    a setting is invalid, a file was skipped, or (status --check) a source is stale
  2    bad input: a path, flag or question newsbot cannot use; a missing Slack setting
  3    another indexer holds the data dir
  69   the PostgreSQL or Chroma server cannot be reached or went away (the line names it and its setting)
  70   an error newsbot did not expect (the line gives a reference)
  74   the data dir is full or read-only
  130  interrupted
  141  the reader of stdout went away"""


def load_settings() -> Settings:
    """Settings from env and .env; a bad value is a ConfigError naming the setting."""
    from pydantic import ValidationError

    from bot.settings import Settings

    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        name = first["loc"][-1] if first["loc"] else "settings"  # (section, ENV_NAME): the env name
        raise ConfigError(f"invalid setting {name}: {first['msg'].removeprefix('Value error, ')}") from None


def _run(name: str):
    """A subcommand's implementation, imported only when it runs (no model or Slack at start-up)."""

    def run(args, settings: Settings) -> int:
        if name == "eval":
            from bot.evaluation.command import run_eval

            return run_eval(args, settings)
        if name == "slack":
            from bot.memory import cap_malloc_arenas

            cap_malloc_arenas()  # before any thread starts: a server answering on many threads for days
            from bot.slack.serve import run_slack

            return run_slack(args, settings)
        if name in ("sources", "follow"):
            from bot.terminal import sources

            return getattr(sources, f"cmd_{name}")(args, settings)
        from bot.terminal import commands

        return getattr(commands, f"cmd_{name}")(args, settings)

    return run


def _add_filter_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--source", help="only articles from this source (e.g. Reuters)")
    p.add_argument("--since", help="only articles published on or after this date (YYYY-MM-DD)")
    p.add_argument("--until", help="only articles published on or before this date (YYYY-MM-DD)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="newsbot", description="Answer questions from indexed news articles, with cited quotes.",
                                     epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-v", "--verbose", action="count", default=0, help=VERBOSE)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="index article files, folders and urls (pages, RSS/Atom feeds, sitemaps)",
                       description="Add new and changed articles to the index; unchanged ones are skipped. A url "
                                   "may be an article page, an RSS/Atom feed or a (news) sitemap or sitemap index.")
    p.add_argument("paths", nargs="+", help="files or folders of articles (txt, md, html, json, jsonl), or http(s) urls")
    p.add_argument("--prune", action="store_true", help="remove articles whose files are gone from the given folders")
    p.add_argument("--watch", action="store_true", help="after syncing, keep watching the folders for changes")
    p.add_argument("--wait", action="store_true", help="wait for another running indexer instead of exiting")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    p = sub.add_parser("ask", help="answer one question (or '-' for one per stdin line)",
                       description="Answer a question from the indexed articles, citing quoted passages.")
    p.add_argument("question", nargs="+", help="the question, or '-' to read one question per line from stdin")
    p.add_argument("--json", action="store_true", help="print one JSON object per answer")
    p.add_argument("--as-of", dest="as_of",
                   help="ask as on this day (YYYY-MM-DD): articles nearest it count as the news; default today")
    _add_filter_flags(p)

    p = sub.add_parser("timeline", help="a topic's events, oldest first, each a dated and cited quote",
                       description="One dated sentence per event on a topic (near-duplicates merged), oldest first, "
                                   "every entry quoted verbatim from its article.")
    p.add_argument("topic", nargs="+", help="what the timeline is of, e.g. 'the Gaza ceasefire'")
    p.add_argument("--json", action="store_true", help='print {"topic", "entries": [{"date", "title", "source", "url", "quote"}]}')
    p.add_argument("--as-of", dest="as_of", help="read the topic's time words as on this day (YYYY-MM-DD); default today")
    _add_filter_flags(p)

    p = sub.add_parser("digest", help="a period's stories grouped by topic, biggest first",
                       description="The stories published in a period (default: since yesterday), grouped by "
                                   "clustering their passages; each with one cited lead sentence and how many more "
                                   "articles tell it.")
    p.add_argument("topic", nargs="*", help="only stories on this topic (default: everything)")
    p.add_argument("--since", default="1d", help="start of the period: YYYY-MM-DD, a span back like 1d or 2w, "
                                                 "or words like 'monday' (default 1d)")
    p.add_argument("--until", help="end of the period, YYYY-MM-DD (default: the --as-of day)")
    p.add_argument("--as-of", dest="as_of", help="the day the digest is made on (YYYY-MM-DD); default today")
    p.add_argument("--source", help="only articles from this source")
    p.add_argument("--json", action="store_true", help="print one JSON object")

    p = sub.add_parser("chat", help="interactive question-and-answer session",
                       description="A REPL: ask questions; :sources shows full quotes of the last answer, :help the "
                                   "commands; Ctrl-C cancels the line or the answer, :quit or Ctrl-D leaves.")
    p.add_argument("--as-of", dest="as_of",
                   help="converse as on this day (YYYY-MM-DD): 'this week' and the freshest news are of that day's "
                        "archive; default today")
    _add_filter_flags(p)

    p = sub.add_parser("eval", help="measure answers on a question set",
                       description="Ask every question of a JSONL set ({question, gold[, choices]} or {q, answerable, "
                                   "expect_any}) bare, as people type them, and report answered share, gold in answer, "
                                   "short answers, gold in top-k, refusals and latency.")
    p.add_argument("questions", type=Path, nargs="?", help="questions JSONL file")
    p.add_argument("--articles", type=Path, help="index this folder into a temporary data dir first")
    p.add_argument("--with-options", action="store_true",
                   help="ask quiz questions as the quiz shows them, options appended (default: bare questions)")
    p.add_argument("--weeks", type=Path, help="a folder of week folders (articles/, questions.jsonl): index each "
                                              "week alone, ask its questions and a distant week's uncovered ones")
    p.add_argument("--index-cache", type=Path, help="with --weeks: keep (and reuse) each week's index here")
    p.add_argument("--only", help="with --weeks: only these week folders (comma-separated)")
    p.add_argument("--multi", type=int, default=0,
                   help="with --weeks: also index the first N weeks together and ask far-off uncovered questions")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--per-question", action="store_true", help="list each question's outcome")

    p = sub.add_parser("slack", help="run the Slack app",
                       description="Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP mode serving "
                                   "/slack/events (requests verified with SLACK_SIGNING_SECRET).")
    p.add_argument("--host", default="0.0.0.0", help="HTTP mode: address to listen on (default 0.0.0.0)")
    p.add_argument("--port", type=int, default=3000, help="HTTP mode: port to listen on (default 3000)")

    p = sub.add_parser("feedback", help="list 👍/👎 votes from Slack",
                       description="Every vote with its question, answer, citations and reason, newest first; "
                                   "then the reasons given for 👎 and the worst-rated articles.")
    p.add_argument("--json", action="store_true", help="print a JSON list of the votes")
    p.add_argument("--summary", action="store_true", help="only the reasons and worst-rated articles")

    p = sub.add_parser("sources", help="followed feeds and sitemaps: add, list, remove",
                       description="Sources `newsbot follow` (or `newsbot slack` with NEWSBOT_FOLLOW=true) polls.")
    actions = p.add_subparsers(dest="action", required=True)
    a = actions.add_parser("add", help="follow an RSS/Atom feed or a (news) sitemap")
    a.add_argument("url", help="the feed's or sitemap's http(s) url")
    a.add_argument("--every", help="how often to poll it, e.g. 90s, 10m, 2h (default NEWSBOT_SOURCE_EVERY)")
    a.add_argument("--name", help="a name for it in `status` (default: the feed's title)")
    a = actions.add_parser("list", help="list the followed sources")
    a.add_argument("--json", action="store_true", help="print a JSON list")
    a = actions.add_parser("remove", help="stop following a source (its articles stay indexed)")
    a.add_argument("source", help="the source's id, url or name")

    p = sub.add_parser("follow", help="poll the followed sources and index what they bring, until stopped",
                       description="Poll each followed source when it is due, index new and changed articles, "
                                   "and log every change and warning.")
    p.add_argument("--once", action="store_true", help="poll every source once now, then exit (1 if any failed)")

    p = sub.add_parser("status", help="what is indexed, and how fresh each followed source is",
                       description="Articles, chunks, data dir, model, last indexed time; each followed source's "
                                   "last poll, last success, last new article, articles and failures in a row.")
    p.add_argument("--json", action="store_true", help="print a JSON object")
    p.add_argument("--check", action="store_true",
                   help="check the database and Chroma servers (one line each; exit 69 when one is down), and "
                        "exit 1 when a source failed NEWSBOT_SOURCE_MAX_FAILURES polls in a row or brought nothing "
                        "new for NEWSBOT_SOURCE_QUIET_HOURS (for a monitor)")
    p = sub.add_parser("db", help="the database's schema: which revision it is at, and upgrading it",
                       description="Commands open the database upgraded to the newest schema by themselves; "
                                   "`db upgrade` does it on its own (before deploying, or for a read-only copy).")
    actions = p.add_subparsers(dest="action", required=True)
    actions.add_parser("upgrade", help="apply every migration the database lacks")
    actions.add_parser("current", help="print the database's revision and whether it is the newest")
    for name, p in sub.choices.items():
        p.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS, help=VERBOSE)
        p.set_defaults(func=_run(name))
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `newsbot` console script."""
    args = build_parser().parse_args(argv)
    if os.environ.get("NEWSBOT_TIMING"):  # bench.startup's split of a command's time (not a setting)
        atexit.register(_print_timing, args.command, time.perf_counter())
    opened = len(getattr(sys.modules.get("index.store"), "OPENED", ()))
    try:
        settings = load_settings()
        if settings.index.found_legacy:  # an index from before newsbot kept one per user: used, not lost
            print("newsbot: using the index in ./data found in this folder (set NEWSBOT_DATA_DIR to choose; "
                  "the default is now one per user, found from any folder)", file=sys.stderr)
        from bot.logs import setup_logging

        setup_logging(settings, log_level(args.verbose, settings))
        code = args.func(args, settings)
        sys.stdout.flush()  # here, not at exit: a closed pipe is then one of the errors handled below
        return code
    except NewsbotError as exc:
        prefix = f"newsbot {args.command}" if exc.scoped else "newsbot"
        asked = isinstance(exc, ServerUnavailable) and args.command in ASKING
        print(redact(f"{prefix}: {exc.for_questions() if asked else exc}"), file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:  # `newsbot status | head -1`: the reader has all it wanted
        _silence_stdout()
        return BROKEN_PIPE
    except KeyboardInterrupt:
        print(f"newsbot {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the one place an unexpected error becomes a line and a code
        print(unexpected(f"newsbot {args.command}", exc), file=sys.stderr)
        return UNEXPECTED
    finally:
        _close_opened(opened)


def _close_opened(since: int) -> None:
    """Close the indexes this command opened (main runs many times in one process in tests and bench)."""
    store = sys.modules.get("index.store")  # not imported: nothing was opened
    if store is not None:
        try:
            store.close_opened(since)
        except Exception as exc:  # noqa: BLE001 - the command's result stands; a failed close is only logged
            logging.getLogger("newsbot").warning("closing the index failed: %s", exc)


def _print_timing(command: str, started: float) -> None:
    """One stderr line at exit: the command's time after parsing, and the embedding model's load if it loaded."""
    base = sys.modules.get("index.embedding.base")  # not imported: no model was loaded
    load = sum(base.LOADS) if base else 0.0
    print(f"newsbot timing: {command} main {time.perf_counter() - started:.3f} s, model load {load:.3f} s",
          file=sys.stderr)


def log_level(verbose: int, settings: Settings) -> str:
    """-v: INFO (the LLM's raw reply and why a sentence of it was rejected), -vv: DEBUG; else NEWSBOT_LOG_LEVEL."""
    if verbose:
        return "DEBUG" if verbose > 1 else "INFO"
    return settings.llm.log_level.upper() or "WARNING"


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
