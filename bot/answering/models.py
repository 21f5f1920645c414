"""What the answer service returns; every front end renders these and nothing else."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from index.dates import day_words
from index.models import ArticleMeta
from index.rows import CHUNK_FIELDS, ChunkRow


class Passage(ArticleMeta):
    """A retrieved chunk with the metadata needed to cite it."""

    chunk_id: str
    article_id: str
    text: str
    start: int
    end: int
    path: str = ""
    score: float = 0.0
    dense_score: float | None = None
    published_day: date | None = None  # parsed at indexing; None when undated

    @classmethod
    def of(cls, row: ChunkRow, score: float = 0.0, dense_score: float | None = None) -> Passage:
        """The passage of an index chunk row, with its retrieval scores."""
        return cls(**{k: getattr(row, k) for k in CHUNK_FIELDS}, published_day=row.published_day, score=score,
                   dense_score=dense_score)

    @property
    def link(self) -> str:
        """The article's url, or its file path when it has none."""
        return self.url or self.path


class Citation(ArticleMeta):
    """One numbered source of an answer, with the exact passage quoted from the article."""

    n: int
    article_id: str
    quote: str  # the first passage quoted, exactly as in the article
    more_quotes: list[str] = []  # the article's other passages quoted in the same answer, in reading order
    start: int | None = Field(default=None, exclude=True)
    end: int | None = Field(default=None, exclude=True)


def quotes_of(c: Citation) -> list[str]:
    """Every passage a citation quotes, first first."""
    return [c.quote, *c.more_quotes]


class Related(ArticleMeta):
    """An article near the question that did not answer it."""

    article_id: str


HEDGE = "The articles may not answer this directly; the closest passages: "  # a tentative answer's opening
TURNS_KEPT = 8  # earlier turns a follow-up is given: past "tell me more" and "why?" back to the topic


class Turn(BaseModel):
    """An earlier question and answer in the same conversation (a Slack thread, a REPL session)."""

    question: str
    answer: str = ""
    cited: list[str] = []  # the article ids its answer cited: a follow-up about "it" looks there first
    quotes: list[str] = []  # the passages its citations quoted, shown under the answer ("tell me more" repeats none)

    @classmethod
    def of(cls, question: str, answer: Answer) -> Turn:
        """The turn an answer makes: what it cited and quoted, when it answered (a refusal shows neither)."""
        shown = answer.citations if answer.answered else []
        return cls(question=question, answer=answer.answer, cited=list(dict.fromkeys(c.article_id for c in shown)),
                   quotes=[q for c in shown for q in quotes_of(c)])


class Searched(BaseModel):
    """What a question was searched in: the date window, the sources, and how many articles that is."""

    model_config = ConfigDict(populate_by_name=True)

    since: str | None = Field(default=None, serialization_alias="from")  # YYYY-MM-DD, inclusive
    until: str | None = Field(default=None, serialization_alias="to")
    sources: list[str] = []  # empty: every source
    articles: int = 0
    note: str = Field(default="", exclude=True)  # how the window was chosen or widened, for the user

    def describe(self) -> str:
        """One line for people: 'Searched 43 Reuters articles from 1–7 June 2025'."""
        sources = " or ".join(self.sources)
        noun = "article" if self.articles == 1 else "articles"
        line = f"Searched {self.articles} {sources + ' ' if sources else ''}{noun}"
        if self.since and self.until:
            line += f" from {_span(self.since, self.until)}"
        elif self.since:
            line += f" since {_day(self.since)}"
        elif self.until:
            line += f" until {_day(self.until)}"
        return line + (f" ({self.note})" if self.note else "")


def _day(iso: str) -> str:
    """'2025-06-01' as '1 June 2025'."""
    return day_words(date.fromisoformat(iso))


def _span(since: str, until: str) -> str:
    """A date range, shortened where its ends share a month or year: '1–7 June 2025'."""
    a, b = date.fromisoformat(since), date.fromisoformat(until)
    if a == b:
        return _day(since)
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}–{b.day} {b:%B %Y}"
    if a.year == b.year:
        return f"{a.day} {a:%B} – {b.day} {b:%B %Y}"
    return f"{_day(since)} – {_day(until)}"


class LLMInfo(BaseModel):
    """Whether the language model's text is the answer, and if not why (`ask --json`'s "llm")."""

    model: str
    used: bool
    # null when used; else timeout, error, refused, uncited, unsupported, echo, or not_asked (the extractive
    # answer was a refusal or tentative, so the model was not called)
    fallback: str | None = None
    seconds: float = Field(default=0.0, exclude=True)  # time spent waiting for the model (for `newsbot eval`)


class Answer(BaseModel):
    """The answer to one question: text with [n] markers and the citations they point to."""

    question: str
    answered: bool
    answer: str
    citations: list[Citation] = []
    related: list[Related] = Field(default=[], exclude=True)
    note: str = Field(default="", exclude=True)
    confidence: float = 0.0  # how likely the answer holds what was asked (0–1; the hand-set gate: its relevance)
    standalone_question: str = Field(default="", exclude=True)
    short_answer: str | None = None  # the answer in a few words, a substring of the first citation's quote
    tentative: bool = Field(default=False, exclude=True)  # middling confidence: "may not answer this directly"
    # the likeliest short answer and its probability of being right, shown in bold or not: what calibration reads
    short_considered: tuple[str, float] | None = Field(default=None, exclude=True)
    searched: Searched = Field(default_factory=Searched)
    llm: LLMInfo | None = None  # set when NEWSBOT_LLM is

    def to_json_dict(self) -> dict:
        """The `ask --json` contract: question, answered, answer, short_answer, confidence, citations, searched, llm
        (when set) and tentative (only when true)."""
        out = self.model_dump(include={"question", "answered", "answer", "short_answer", "confidence", "citations",
                                       "searched"} | ({"llm"} if self.llm else set()), by_alias=True)
        out["confidence"] = round(self.confidence, 3)
        if self.tentative:  # hedged: answered, but the articles may not answer it directly
            out["tentative"] = True
        return out
