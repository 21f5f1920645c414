"""Answers as Slack Block Kit: article text is always data, never mentions, links or formatting."""

from __future__ import annotations

from bot.answering.models import Answer, Citation

SECTION_LIMIT = 3000  # characters in one section's text
BLOCK_LIMIT = 50  # blocks in one message
QUOTE_LIMIT = 600  # a readable quote; the full one is in `newsbot ask`
# mrkdwn has no escape for formatting characters: look-alikes keep titles from turning bold etc.
LOOKALIKES = str.maketrans({"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ", "|": "¦"})


def escape_controls(text: str) -> str:
    """Slack's control characters as entities, in every text object: no <!channel>, <@user>, <url|x>."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape(text: str) -> str:
    """Escape for mrkdwn: controls as entities, and no *formatting* from article text."""
    return escape_controls(text).translate(LOOKALIKES)


def trim(text: str, limit: int) -> str:
    """Cut text to a limit with an ellipsis (Slack rejects over-long fields)."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain(text: str, limit: int = SECTION_LIMIT) -> dict:
    """A plain_text object (never formatted), with control characters escaped as Slack asks."""
    return {"type": "plain_text", "text": trim(escape_controls(text or " "), limit), "emoji": False}


def _link(url: str, label: str) -> str:
    """A mrkdwn link for http(s) urls only; anything else is shown as escaped text."""
    if url.startswith(("http://", "https://")) and not any(c in url for c in "<>| "):
        return f"<{url}|{escape(label)}>"
    return escape(label)


def source_line(c: Citation) -> str:
    """'[n] Title (linked) · source · author · date' in mrkdwn."""
    parts = [f"*[{c.n}]* " + _link(c.url, c.title or c.article_id)]
    parts += [escape(x) for x in (c.source, c.author, c.published) if x]
    if c.url and not c.url.startswith(("http://", "https://")):
        parts.append(escape(c.url))
    return trim(" · ".join(parts), SECTION_LIMIT)


def answer_blocks(answer: Answer, answer_id: str | None = None, shareable: bool = False) -> list[dict]:
    """The answer, its numbered sources with quotes, and feedback (and share) buttons."""
    blocks: list[dict] = [{"type": "section", "text": plain(answer.answer)}]
    if answer.note:
        blocks.append({"type": "context", "elements": [plain(answer.note, 2000)]})
    if answer.citations:
        blocks.append({"type": "divider"})
    room = BLOCK_LIMIT - len(blocks) - 2  # keep space for the actions block and a "more" note
    shown = answer.citations[: room // 2]
    for c in shown:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": source_line(c)}]})
        blocks.append({"type": "section", "text": plain(f"“{trim(c.quote, QUOTE_LIMIT)}”")})
    if len(shown) < len(answer.citations):
        more = len(answer.citations) - len(shown)
        blocks.append({"type": "context", "elements": [plain(f"{more} more source(s) not shown")]})
    if not answer.answered and answer.related:
        links = " · ".join(_link(r.url, r.title) for r in answer.related)
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": trim(links, SECTION_LIMIT)}]})
    if answer_id:
        blocks.append(actions(answer_id, shareable))
    return blocks[:BLOCK_LIMIT]


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


def fallback_text(answer: Answer) -> str:
    """The notification/fallback text of a message (escaped: it is mrkdwn too)."""
    return trim(escape(answer.answer), SECTION_LIMIT)


def progress_blocks(text: str) -> list[dict]:
    """A placeholder while answering, or the partial answer while an LLM streams."""
    return [{"type": "section", "text": plain(text)}]
