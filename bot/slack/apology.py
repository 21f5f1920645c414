"""Every Slack reply that tells a user their question went wrong, worded here, with one reference format.

A failure newsbot did not expect reaches the user as a short apology carrying a reference (bot.logs'
eight hex digits); the same reference stands in the log line that holds the traceback, so the
operator finds it with `grep 'reference 1a2b3c4d'`. A question newsbot refuses on purpose
(QuestionError) is explained instead: the user can fix it, and there is nothing to look up; a server
that went away (ServerUnavailable) is said plainly, once, and the next question tries it again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.logs import new_reference
from bot.slack import blocks as kit
from index.errors import QuestionError, ServerUnavailable

log = logging.getLogger("newsbot.slack")
NOT_HERE = ("I can't post in this conversation. Invite me with `/invite @newsbot`, "
            "or ask me in a direct message.")


@dataclass(frozen=True)
class Apology:
    """A user-facing error reply: its text and, for an unexpected failure, the reference logged with it."""

    text: str
    reference: str = ""

    @property
    def blocks(self) -> list[dict]:
        """The reply as Block Kit: the text, plain (an error's words are never read as markup)."""
        return kit.progress_blocks(self.text)


def apology(exc: BaseException, doing: str) -> Apology:
    """The reply to a failure while `doing` something ("answering"); unexpected ones are logged with a reference."""
    if isinstance(exc, QuestionError):
        return Apology(f"Sorry, I can't answer that: {exc}.")
    if isinstance(exc, ServerUnavailable):  # one reply in the thread; the next question tries the server again
        log.warning("%s: %s", doing, exc)
        return Apology("Sorry, search is unavailable right now. Please ask again in a moment.")
    ref = new_reference()
    log.error("%s failed (reference %s)", doing, ref, exc_info=exc)
    return Apology(f"Sorry, something went wrong while {doing}. Reference: {ref}", ref)


def too_many(limit: int, window: float) -> Apology:
    """The polite reply to a user over the rate limit."""
    return Apology(f"You've asked {limit} questions in the last {window:.0f} seconds. "
                   "Please wait a moment and ask again.")


def not_here() -> Apology:
    """The reply when the bot cannot post in the conversation it was asked in (a shortcut elsewhere)."""
    return Apology(NOT_HERE)
