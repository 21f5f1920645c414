"""The typed values that pass between the answer stages: each stage takes some and returns a new one.

    plan(question) → Plan → search(plan) → Pool → candidates(pool) → Candidates → score(...) → Scores
    → judge(...) → Judgement → compose(...) → Answer

All are frozen: no stage edits another's output, and one field means one thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from bot.answering.models import Passage, Searched, Turn
from bot.answering.time.timewords import Window
from index.query import Filters
from index.text import BYLINE, CREDIT


@dataclass(frozen=True)
class Question:
    """One question as asked: its words, its conversation, its filters and the day it is asked on."""

    text: str
    asked_on: date
    history: tuple[Turn, ...] = ()
    filters: Filters | None = None


@dataclass(frozen=True)
class Plan:
    """What to search and where in time: the standalone query, the window's filters, and where to widen to.

    `wide` is the widening policy's one fallback: everything the filters allow up to the day asked. A plan
    is widened (a new Plan) when the window holds nothing, nothing on the question, or nothing that answers.
    """

    question: Question
    query: str  # the question made standalone when it is a follow-up; what is searched
    window: Window  # the dates the time words name (dates cleared once widened)
    filters: Filters | None  # what is searched: the window within the given filters
    wide: Filters | None  # what a widened search covers
    note: str = ""  # how the window was read or why it was widened, for the user
    widened: bool = False
    search_text: str = ""  # the words searched: the query without its time words, or as asked once widened
    ageless: bool = False  # widened because nothing in the window answered: age no longer ranks sentences
    prefer: tuple[str, ...] = ()  # a follow-up's: the articles the conversation cited, searched first
    subject: str = ""  # a follow-up's: the conversation's words it leaves out ("it", "he"), added to the query
    articles: int | None = None  # how many articles `filters` covers, when planning counted them (not again)
    stale: bool = False  # nothing was published from the window's start to the day asked: older news cannot answer
    shown: tuple[str, ...] = ()  # "tell me more": the conversation's earlier answers, whose sentences are not repeated

    @property
    def can_widen(self) -> bool:
        """Does a search beyond the window remain?"""
        return self.window.dated and not self.widened


@dataclass(frozen=True)
class Pool:
    """The passages retrieved for a plan, best first, with the query's vector and what was searched."""

    plan: Plan
    vector: np.ndarray
    passages: tuple[Passage, ...]
    searched: Searched

    @property
    def query(self) -> str:
        """What was searched."""
        return self.plan.query


HEADING_END = re.compile(r"[.!?…:;,][\"'”’)\]]*$")  # a line ending so is a sentence, or leads into a list


@dataclass(frozen=True)
class Candidate:
    """A candidate sentence: where it sits in its article. It carries no score (see Scores)."""

    passage: Passage
    rank: int  # rank of its passage in retrieval
    index: int  # position among its passage's sentences
    start: int  # offsets into the article text
    end: int
    text: str

    @property
    def is_credit(self) -> bool:
        """A byline ('By Jane Roe') or credit line ('(Reporting by …; Editing by …)')."""
        return bool(BYLINE.match(self.text) or CREDIT.match(self.text))

    @property
    def is_subheading(self) -> bool:
        """A line of its own, no closing punctuation ('Met Gala 2024 theme, explained'): a heading over what follows."""
        text, at, end = self.passage.text, self.start - self.passage.start, self.end - self.passage.start
        # a passage starts at a sentence: a line there that ends without punctuation stands alone too
        alone = (at == 0 or text[at - 1] == "\n") and end < len(text) and text[end] == "\n"
        # a colon makes it a list's entry ('Sunday, Feb. 16: BAFTA Film Awards'), which says something itself
        return alone and ":" not in self.text and not HEADING_END.search(self.text) and len(self.text.split()) <= 14


@dataclass(frozen=True)
class Scores:
    """Every candidate's scores as named arrays, aligned with the candidates.

    hand: the hand-set score (word overlap, passage rank, recency, options, credits; plus cosine where
    embedded); cosine: similarity to the question (0 where not embedded); top: the embedded candidates'
    positions; prob: the learned ranker's probability of each candidate, −1 where not embedded (None without
    the ranker);
    features: the ranker's named feature rows of the top candidates.
    """

    overlap: np.ndarray
    hand: np.ndarray
    cosine: np.ndarray
    top: tuple[int, ...]
    prob: np.ndarray | None = None
    features: tuple[dict[str, float], ...] = field(default=(), repr=False)

    def ranked_by(self) -> np.ndarray:
        """The score each candidate is ranked by: the ranker's probability (−1 where not embedded), else hand."""
        return self.hand if self.prob is None else self.prob

