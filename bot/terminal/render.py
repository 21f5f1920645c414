"""Plain-text rendering of answers for the terminal (CLI and REPL)."""

from __future__ import annotations

import textwrap

from bot.answering.models import Answer, Citation


def source_line(c: Citation) -> str:
    """'Title — Source, Author, date' with whatever is known."""
    details = ", ".join(x for x in (c.source, c.author, c.published) if x)
    return f"{c.title or c.article_id}" + (f" — {details}" if details else "")


def bold(text: str, styled: bool) -> str:
    """Bold on a terminal (ANSI), unchanged elsewhere (files, pipes)."""
    return f"\033[1m{text}\033[0m" if styled else text


def render_answer(answer: Answer, full_quotes: bool = False, width: int = 100, styled: bool = False) -> str:
    """The short answer (when there is one), the answer, then its numbered sources with their quotes."""
    lead = (bold(answer.short_answer, styled) + "\n") if answer.short_answer else ""
    return lead + textwrap.fill(answer.answer, width) + render_details(answer, full_quotes, width, styled)


def _marked(quote: str, short: str | None, styled: bool) -> str:
    """The quote with the short answer in bold (on a terminal; the words themselves never change)."""
    if not (styled and short and short in quote):
        return quote
    at = quote.index(short)
    return quote[:at] + bold(short, True) + quote[at + len(short):]


def render_details(answer: Answer, full_quotes: bool = False, width: int = 100, styled: bool = False) -> str:
    """What follows the answer text: its note, then its sources (or related articles)."""
    lines = [""]
    if answer.note:
        lines += ["", f"({answer.note})"]
    if answer.tentative:
        lines += ["", f"(confidence {answer.confidence:.2f}: the articles may not answer this directly)"]
    if answer.citations:
        lines += ["", "Sources:"]
        for c in answer.citations:
            lines.append(f"[{c.n}] {source_line(c)}")
            if c.url:
                lines.append(f"    {c.url}")
            quote = c.quote if full_quotes else textwrap.shorten(c.quote, 240, placeholder=" …")
            short = answer.short_answer if c.n == 1 else None
            lines.append(textwrap.indent(_marked(textwrap.fill(f"“{quote}”", width - 4), short, styled), "    "))
    elif answer.related:
        lines += ["", "Possibly related:"]  # titles are in the answer text; links are listed here
        for r in answer.related:
            details = ", ".join(x for x in (r.source, r.published) if x)
            lines.append(f"- {r.title}" + (f" ({details})" if details else "") + (f" {r.url}" if r.url else ""))
    return "\n".join(lines)


def render_sources(answer: Answer | None, width: int = 100) -> str:
    """Every source of the last answer with its full quote (the REPL's :sources)."""
    if answer is None or not answer.citations:
        return "No sources yet: ask a question first." if answer is None else "The last answer cited nothing."
    out = []
    for c in answer.citations:
        out.append(f"[{c.n}] {source_line(c)}" + (f"\n    {c.url}" if c.url else ""))
        out.append(textwrap.indent(textwrap.fill(f"“{c.quote}”", width - 4), "    "))
    return "\n".join(out)
