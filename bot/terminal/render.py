"""Plain-text rendering of answers for the terminal (CLI and REPL): article text can never drive the terminal."""

from __future__ import annotations

import json
import re
import textwrap

from bot.answering.models import Answer, Citation, quotes_of
from bot.logs import printable

# json.dumps leaves these raw with ensure_ascii=False, and a terminal may still act on them
JSON_CONTROLS = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def json_line(obj) -> str:
    """One line of JSON, readable UTF-8, with every control character escaped."""
    return JSON_CONTROLS.sub(lambda m: f"\\u{ord(m[0]):04x}", json.dumps(obj, ensure_ascii=False))


def source_line(c: Citation) -> str:
    """'Title — Source, Author, date' with whatever is known."""
    details = ", ".join(x for x in (c.source, c.author, c.published) if x)
    return f"{c.title or c.article_id}" + (f" — {details}" if details else "")


def fill(text: str, width: int = 100) -> str:
    """Wrap each line of a text (a timeline or 'the latest' keeps one line per dated entry)."""
    return "\n".join(textwrap.fill(line, width) for line in text.splitlines())


def bold(text: str, styled: bool) -> str:
    """Bold on a terminal (ANSI), unchanged elsewhere (files, pipes)."""
    return f"\033[1m{text}\033[0m" if styled else text


def render_answer(answer: Answer, full_quotes: bool = False, width: int = 100, styled: bool = False,
                  index: str = "") -> str:
    """The short answer (when there is one), the answer, what was searched (and in which index), then its sources."""
    lead = (bold(printable(answer.short_answer), styled) + "\n") if answer.short_answer else ""
    return lead + printable(fill(answer.answer, width)) + render_details(answer, full_quotes, width, styled, index)


def _marked(text: str, short: str | None, styled: bool) -> str:
    """The first source's quote with the short answer in bold (on a terminal; the words never change)."""
    start = text.find("“", text.find("[1] "))
    at = text.find(printable(short), start) if styled and short and start >= 0 else -1
    return text if at < 0 else text[:at] + bold(printable(short), True) + text[at + len(printable(short)):]


def searched_lines(searched, index: str, width: int = 100) -> list[str]:
    """'Searched 9 articles.' and, when known, the index searched on the next line."""
    return [textwrap.fill(searched.describe() + ".", width)] + ([f"Index: {index}"] if index else [])


def render_details(answer: Answer, full_quotes: bool = False, width: int = 100, styled: bool = False,
                   index: str = "") -> str:
    """What follows the answer text: its note, what was searched, then its sources (or related articles)."""
    lines = [""]
    if answer.note:
        lines += ["", f"({answer.note})"]
    if answer.tentative:
        lines += ["", f"(confidence {answer.confidence:.2f}: the articles may not answer this directly)"]
    lines += ["", *searched_lines(answer.searched, index, width)]
    if answer.citations:
        lines += ["", "Sources:"]
        for c in answer.citations:
            lines.append(f"[{c.n}] {source_line(c)}")
            if c.url:
                lines.append(f"    {c.url}")
            quote = " … ".join(quotes_of(c)) if full_quotes else _shortened(quotes_of(c), answer.short_answer)
            lines.append(textwrap.indent(textwrap.fill(f"“{quote}”", width - 4), "    "))
    elif answer.related:
        lines += ["", "Possibly related:"]  # titles are in the answer text; links are listed here
        for r in answer.related:
            details = ", ".join(x for x in (r.source, r.published) if x)
            lines.append(f"- {r.title}" + (f" ({details})" if details else "") + (f" {r.url}" if r.url else ""))
    return _marked(printable("\n".join(lines)), answer.short_answer, styled)


def render_timeline(timeline, width: int = 100, index: str = "") -> str:
    """A timeline: its title, then its entries with their sources, then what was searched."""
    answer = timeline.as_answer(f"timeline of {timeline.topic}")
    head = f"Timeline of {timeline.topic}" + (" (oldest first):" if timeline.entries else ":")
    return head + "\n\n" + render_answer(answer, width=width, index=index)


def render_digest(digest, width: int = 100, index: str = "") -> str:
    """A digest: its title, its stories (lead, source, how many more), then what was searched."""
    lines = [digest.title() + ":", ""]
    # a url longer than the width stays whole on its line: one broken in two cannot be followed
    lines += [textwrap.fill(line, width, subsequent_indent="   ", break_long_words=False, break_on_hyphens=False)
              for line in digest.lines()]
    if not digest.stories:
        lines.append("No dated articles in this period" + (f" on {digest.topic}." if digest.topic else "."))
    return "\n".join(lines + ["", *searched_lines(digest.searched, index, width)])


def _shortened(quotes: list[str], short: str | None = None, width: int = 240) -> str:
    """Each quoted passage of the article shortened alone, never before the short answer, one "…" between them."""
    def keep(piece: str) -> int:
        at = piece.find(short) if short else -1
        return max(width, at + len(short) + 40) if at >= 0 else width  # the answer and a few words after it

    pieces = [textwrap.shorten(piece, keep(piece), placeholder=" …") for piece in quotes]
    return " ".join(p if p.endswith("…") else p + " …" for p in pieces[:-1]) + (" " if len(pieces) > 1 else "") \
        + pieces[-1]


def render_sources(answer: Answer | None, width: int = 100) -> str:
    """Every source of the last answer with its full quote (the REPL's :sources)."""
    if answer is None or not answer.citations:
        return "No sources yet: ask a question first." if answer is None else "The last answer cited nothing."
    out = []
    for c in answer.citations:
        out.append(f"[{c.n}] {source_line(c)}" + (f"\n    {c.url}" if c.url else ""))
        for quote in quotes_of(c):
            out.append(textwrap.indent(textwrap.fill(f"“{quote}”", width - 4), "    "))
    return printable("\n".join(out))
