"""The Slack app manifest with this installation's settings written in: `python -m bot.slack.manifest [--url URL]`."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from bot.settings import Settings
from index.errors import NewsbotError

TEMPLATE = Path(__file__).with_name("manifest.yml")
PLACEHOLDER_URL = "https://example.com/slack/events"
DOMAINS = re.compile(r"(?m)^(  unfurl_domains:\n)((?:    - .*\n)+)")
LINK_SCOPES = re.compile(r"(?m)^      - links:(read|write)\n")


def render(settings: Settings, url: str | None = None) -> str:
    """The manifest with NEWSBOT_SLACK_UNFURL_DOMAINS as its unfurl domains (none: no unfurls asked for)."""
    text = TEMPLATE.read_text(encoding="utf-8")
    domains = list(settings.slack.unfurl_domains)
    if domains:
        text = DOMAINS.sub(lambda m: m.group(1) + "".join(f"    - {d}\n" for d in domains), text)
    else:  # Slack wants real domains here: without any, leave unfurls (and their scopes and event) out
        text = DOMAINS.sub("", text).replace("      - link_shared\n", "")
        text = LINK_SCOPES.sub("", text)
        text = re.sub(r"(?m)^  # The domains of your articles' urls.*\n", "", text)
    if url:
        if not url.startswith("https://"):
            raise NewsbotError(f"--url must be the https:// address Slack posts to, got {url!r}")
        text = text.replace(PLACEHOLDER_URL, url).replace("socket_mode_enabled: true", "socket_mode_enabled: false")
    return text


def main(argv: list[str] | None = None) -> int:
    """Print the manifest; --url fills in the HTTP-mode request URLs (and turns Socket Mode off)."""
    parser = argparse.ArgumentParser(prog="python -m bot.slack.manifest", description=main.__doc__)
    parser.add_argument("--url", help="your public https://…/slack/events (HTTP mode); omit for Socket Mode")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(render(Settings(), args.url))
    except NewsbotError as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
