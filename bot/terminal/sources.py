"""The terminal commands behind `newsbot sources add|list|remove`, `newsbot follow`, and the sources part of `status`."""

from __future__ import annotations

import json
import logging
import sys
import time

from bot.settings import Settings
from index.errors import BadFlag, BadInput
from index.settings import format_duration, parse_duration


def _registry(settings: Settings):
    from index.db import make_engine
    from index.sources.registry import Registry

    return Registry(make_engine(settings.sqlalchemy_url))


def cmd_sources(args, settings: Settings) -> int:
    """Add, list or remove followed sources."""
    registry = _registry(settings)
    if args.action == "add":
        every = _every(args.every, settings)
        row = registry.add(args.url, args.name or "", every)
        print(f"following {row['url']} every {format_duration(every)} (source {row['id']}); "
              "`newsbot follow` polls it (or `newsbot slack` with NEWSBOT_FOLLOW=true)")
    elif args.action == "remove":
        row = registry.remove(args.source)
        print(f"no longer following {row['url']}; its {row['articles']} articles stay indexed")
    else:
        rows = registry.sources()
        if args.json:
            print(json.dumps(rows, ensure_ascii=False))
        elif not rows:
            print("No followed sources; add one with `newsbot sources add URL`.")
        for s in rows if not args.json else ():
            kind = s["kind"] or "not polled yet"
            print(f"{s['id']:>3}  {_label(s)}  {s['url']}  every {format_duration(s['every'])}  ({kind}, "
                  f"{s['articles']} articles)")
    return 0


def _every(value: str | None, settings: Settings) -> float:
    """--every as seconds (the setting's interval when not given)."""
    if value is None:
        return settings.sources.every
    try:
        seconds = parse_duration(value)
    except ValueError as exc:
        raise BadFlag(f"--every: {exc}") from None
    if seconds < 1:
        raise BadFlag(f"--every must be at least 1s, got {value!r}")
    return seconds


def cmd_follow(args, settings: Settings) -> int:
    """Poll the followed sources until stopped (or once, with --once)."""
    from index.lock import follower_lock
    from index.sources.follow import make_follower
    from index.store import open_index

    logging.getLogger("newsbot").setLevel(logging.INFO)
    if not _registry(settings).sources():
        raise BadInput("no sources to follow; add one with `newsbot sources add URL`")
    follower = make_follower(settings, open_index(settings))
    with follower_lock(settings.index.data_dir, 0, engine=follower.registry.engine):
        if args.once:
            failed = [s for s, error in follower.poll_due(force=True) if error]
            return 1 if failed else 0
        print(f"newsbot: following {len(follower.registry.sources())} sources; Ctrl-C stops", file=sys.stderr)
        try:
            follower.run()
        except KeyboardInterrupt:
            pass
    return 0


def sources_status(settings: Settings) -> tuple[list[dict], list[str]]:
    """Every source's freshness and the current warnings."""
    from index.sources.registry import source_warnings

    rows = _registry(settings).sources()
    return rows, source_warnings(rows, settings, time.time())


def print_sources(rows: list[dict], warnings: list[str]) -> None:
    """The sources part of `newsbot status`: one block per source, then the warnings on stderr."""
    print(f"{'sources':16} {len(rows) or '(none followed)'}")
    for s in rows:
        print(f"  [{s['id']}] {_label(s)} — {s['url']} ({s['kind'] or 'not polled yet'}, "
              f"every {format_duration(s['every'])})")
        print(f"      last poll {_when(s['last_poll_at'])} · last success {_when(s['last_success_at'])} · "
              f"failures in a row {s['failures']} · articles {s['articles']}")
        new = f"{_when(s['last_new_at'])}: {s['last_new_title'] or '(untitled)'}" if s["last_new_at"] else "(none)"
        dated = f" ({s['last_new_published']})" if s["last_new_at"] and s["last_new_published"] else ""
        print(f"      last new article {new}{dated}")
        if s["last_error"]:
            print(f"      last error {s['last_error']}")
    for line in warnings:
        print(f"warning: {line}", file=sys.stderr)


def _label(source: dict) -> str:
    return source["name"] or source["title"] or "(unnamed)"


def _when(stamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp)) if stamp else "(never)"
