"""Answers as Slack Block Kit: article text is always data, never mentions, links or formatting."""

from __future__ import annotations

import re

from bot.answering.models import Answer, Citation, quotes_of

SECTION_LIMIT = 3000  # characters in one section's text
BLOCK_LIMIT = 50  # blocks in one message
QUOTE_LIMIT = 600  # a readable quote; the full one is in `newsbot ask`
MARKDOWN_LIMIT = 12000  # characters of markdown in one message (streamed text included)
# mrkdwn has no escape for formatting characters: look-alikes keep titles from turning bold etc.
LOOKALIKES = str.maketrans({"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ", "|": "¦"})
# standard markdown (streamed text) has more syntax: angle brackets, links, headings, entities
MARKDOWN_LOOKALIKES = str.maketrans({"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ", "|": "¦", "<": "‹", ">": "›"})
JOINER = "\u2060"  # an invisible word joiner: with one inside, "](" "][" "]:" "&lt;" "@here" are not syntax
HEADING = re.compile(r"(^|\n)([ \t]*)#")
LINK_SYNTAX = re.compile(r"(\])([(\[:])")
ENTITY_END = re.compile(r"(&#?\w+);")
FEEDBACK_ACTION = "feedback"  # Slack's own feedback buttons (a feedback_buttons element)


def escape_controls(text: str) -> str:
    """Slack's control characters as entities, in every text object: no <!channel>, <@user>, <url|x>."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape(text: str) -> str:
    """Escape for mrkdwn: controls as entities, and no *formatting* from article text."""
    return escape_controls(text).translate(LOOKALIKES)


def escape_markdown(text: str) -> str:
    """Escape for standard markdown (streamed text): no tags, links, entities, mentions, headings or emphasis.

    Each character's escape depends only on what precedes it, so the escape of a prefix is a prefix
    of the escape of the whole: streamed text can be escaped piece by piece.
    """
    out = text.translate(MARKDOWN_LOOKALIKES).replace("@", "@" + JOINER)
    out = LINK_SYNTAX.sub(lambda m: m.group(1) + JOINER + m.group(2), out)  # "](x)", "][x]", "]: x"
    out = ENTITY_END.sub(lambda m: m.group(1) + JOINER + ";", out)  # "&lt;" shows as written
    return HEADING.sub(lambda m: m.group(1) + m.group(2) + "＃", out)


def trim(text: str, limit: int) -> str:
    """Cut text to a limit with an ellipsis (Slack rejects over-long fields)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain(text: str, limit: int = SECTION_LIMIT) -> dict:
    """A plain_text object (never formatted), with control characters escaped as Slack asks."""
    return {"type": "plain_text", "text": trim(escape_controls(text or " "), limit), "emoji": False}


def mrkdwn(text: str) -> dict:
    """A mrkdwn text object of already-escaped text, within the section limit."""
    return {"type": "mrkdwn", "text": trim(text, SECTION_LIMIT)}


def escaped(text: str, limit: int) -> str:
    """Article text escaped for mrkdwn and cut so the escaped form fits the limit (entities are longer)."""
    out, cut = escape(text), limit
    while len(out) > limit and cut > 1:
        out = escape(trim(text, cut))
        cut -= max(1, len(out) - limit)
    return out if len(out) <= limit else ""


def link(url: str, label: str) -> str:
    """A mrkdwn link for http(s) urls only; anything else is shown as escaped text."""
    if url.startswith(("http://", "https://")) and not any(c in url for c in "<>| "):
        return f"<{url}|{escape(label)}>"
    return escape(label)


_link = link


def source_line(c: Citation) -> str:
    """'[n] Title (linked) · source · date · author' in mrkdwn."""
    parts = [f"*[{c.n}]* " + link(c.url, c.title or c.article_id)]
    parts += [escape(x) for x in (c.source, c.published, c.author) if x]
    if c.url and not c.url.startswith(("http://", "https://")):
        parts.append(escape(c.url))
    return trim(" · ".join(parts), SECTION_LIMIT)


def quote_text(quote: str, short: str | None) -> str:
    """The quote as a mrkdwn block quote, escaped, with the short answer in it (when it is there) in bold."""
    at = quote.find(short) if short else -1  # cut after the short answer, never before it
    limit = max(QUOTE_LIMIT, at + len(short) + 80) if at >= 0 else QUOTE_LIMIT
    quote = " ".join(trim(quote, min(limit, SECTION_LIMIT - 20)).split())  # one line: ">" covers one line
    at = quote.find(short) if short else -1
    if at < 0:
        return f">“{escape(quote)}”"
    return f">“{escape(quote[:at])}*{escape(short)}*{escape(quote[at + len(short):])}”"


def answer_text(answer: Answer) -> str:
    """The short answer in bold (when there is one), then the answer, escaped for mrkdwn."""
    short = (answer.short_answer or "").strip()
    head = f"*{escaped(short, 300)}*\n" if short else ""
    return head + escaped(answer.answer, SECTION_LIMIT - len(head))


def answer_blocks(answer: Answer, answer_id: str | None = None, shareable: bool = False, native: bool = False,
                  with_text: bool = True) -> list[dict]:
    """The answer, what was searched, its numbered sources with quotes, and feedback (and share) buttons.

    native: Slack's own feedback buttons instead of ours; with_text=False leaves the answer out (it was streamed).
    """
    blocks: list[dict] = [{"type": "section", "text": mrkdwn(answer_text(answer))}] if with_text else []
    if not with_text and answer.short_answer:
        blocks.append({"type": "section", "text": mrkdwn(f"*{escaped(answer.short_answer.strip(), 300)}*")})
    if answer.note:
        blocks.append({"type": "context", "elements": [plain(answer.note, 2000)]})
    blocks.append({"type": "context", "elements": [plain(answer.searched.describe(), 2000)]})
    if answer.citations:
        blocks.append({"type": "divider"})
    room = BLOCK_LIMIT - len(blocks) - 3  # keep space for the feedback block, related links and a "more" note
    shown = answer.citations[: room // 2]
    short = " ".join((answer.short_answer or "").split()) or None
    for c in shown:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": source_line(c)}]})
        quote = " … ".join(quotes_of(c))  # one source per article: its passages in one block quote
        blocks.append({"type": "section", "text": mrkdwn(quote_text(quote, short))})
        if short and short in " ".join(quote.split()):
            short = None  # marked once, in the first quote that holds it
    if len(shown) < len(answer.citations):
        more = len(answer.citations) - len(shown)
        blocks.append({"type": "context", "elements": [plain(f"{more} more source(s) not shown")]})
    if not answer.answered and answer.related:
        links = " · ".join(link(r.url, r.title) for r in answer.related)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": trim(links, SECTION_LIMIT)}]})
    if answer_id:
        blocks.append(feedback_buttons(answer_id) if native and not shareable else actions(answer_id, shareable))
    return blocks[:BLOCK_LIMIT]


def sources_chunk(answer: Answer) -> dict | None:
    """A streaming task_update chunk listing the cited articles (http urls only), or None without citations."""
    if not answer.citations:
        return None
    seen: dict[str, str] = {}
    for c in answer.citations:
        if c.url.startswith(("http://", "https://")) and not any(ch in c.url for ch in "<>| "):
            seen.setdefault(c.url, c.title or c.url)
    n = len(answer.citations)
    chunk = {"type": "task_update", "id": "newsbot_sources", "status": "complete",
             "title": f"Checked {n} quote{'s' if n != 1 else ''} against {'its' if n == 1 else 'their'} article"
                      f"{'s' if n != 1 else ''}"}
    if seen:
        chunk["sources"] = [{"type": "url", "url": u, "text": trim(escape_markdown(t), 150)} for u, t in seen.items()]
    return chunk


def feedback_buttons(answer_id: str) -> dict:
    """Slack's own 👍 / 👎 (a context_actions block); the value says which answer and which way."""
    def button(text: str, label: str, way: str) -> dict:
        return {"text": {"type": "plain_text", "text": text}, "accessibility_label": label,
                "value": f"{way}:{answer_id}"}

    return {"type": "context_actions", "block_id": "newsbot_feedback", "elements": [{
        "type": "feedback_buttons", "action_id": FEEDBACK_ACTION,
        "positive_button": button("Helpful", "This answer was helpful", "up"),
        "negative_button": button("Not helpful", "This answer was not helpful", "down")}]}


def actions(answer_id: str, shareable: bool) -> dict:
    """👍 / 👎 (and Share to channel, for answers only the asker sees)."""
    elements = [
        {"type": "button", "action_id": "feedback_up", "value": answer_id, "text": plain("👍 Helpful")},
        {"type": "button", "action_id": "feedback_down", "value": answer_id, "text": plain("👎 Not helpful")},
    ]
    if shareable:
        elements.insert(0, {"type": "button", "action_id": "share_answer", "value": answer_id,
                            "style": "primary", "text": plain("Share to channel")})
    return {"type": "actions", "block_id": "newsbot_actions", "elements": elements}


def classic(blocks: list[dict]) -> list[dict]:
    """The same message with our own buttons in place of Slack's feedback buttons (where those are refused)."""
    out = []
    for b in blocks:
        if b.get("type") == "context_actions":
            value = b["elements"][0]["positive_button"]["value"].split(":", 1)[1]
            b = actions(value, shareable=False)
        out.append(b)
    return out


def fallback_text(answer: Answer) -> str:
    """The notification/fallback text of a message (escaped: it is mrkdwn too)."""
    short = (answer.short_answer or "").strip()
    return trim(escape(f"{short} — {answer.answer}" if short else answer.answer), SECTION_LIMIT)


def progress_blocks(text: str) -> list[dict]:
    """A placeholder while answering, or the partial answer while an LLM streams."""
    return [{"type": "section", "text": plain(text)}]
