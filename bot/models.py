"""What the answer service returns; every front end renders these and nothing else."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Passage(BaseModel):
    """A retrieved chunk with the metadata needed to cite it."""

    chunk_id: str
    article_id: str
    text: str
    start: int
    end: int
    title: str = ""
    author: str = ""
    source: str = ""
    published: str = ""
    url: str = ""
    path: str = ""
    score: float = 0.0
    dense_score: float | None = None

    @property
    def link(self) -> str:
        """The article's url, or its file path when it has none."""
        return self.url or self.path


class Citation(BaseModel):
    """One numbered source of an answer, with the exact passage quoted from the article."""

    n: int
    article_id: str
    title: str = ""
    source: str = ""
    author: str = ""
    published: str = ""
    url: str = ""
    quote: str
    start: int | None = Field(default=None, exclude=True)
    end: int | None = Field(default=None, exclude=True)


class Related(BaseModel):
    """An article near the question that did not answer it."""

    article_id: str
    title: str = ""
    source: str = ""
    published: str = ""
    url: str = ""


class Turn(BaseModel):
    """An earlier question and answer in the same conversation (a Slack thread, a REPL session)."""

    question: str
    answer: str = ""


class Answer(BaseModel):
    """The answer to one question: text with [n] markers and the citations they point to."""

    question: str
    answered: bool
    answer: str
    citations: list[Citation] = []
    related: list[Related] = Field(default=[], exclude=True)
    note: str = Field(default="", exclude=True)
    confidence: float = Field(default=0.0, exclude=True)  # relevance of the best supporting sentence
    standalone_question: str = Field(default="", exclude=True)

    def to_json_dict(self) -> dict:
        """The `ask --json` contract: question, answered, answer, citations."""
        return self.model_dump(include={"question", "answered", "answer", "citations"})
