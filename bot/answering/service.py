"""The answer service: a LangChain chain of hybrid retrieval and a cited answer step."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
from langchain_core.runnables import RunnableLambda

from bot.answering import answerability, extractive, ranker, relevance
from bot.answering.learned import Judgement, Learned, fused_order
from bot.answering.models import Answer, Passage, Related, Searched, Turn
from bot.answering.retriever import HybridRetriever, Retrieval
from bot.answering.timeline import TimelineBuilder, timeline_topic
from bot.answering.timescope import TimeScope, dated_answer
from bot.answering.timewords import Window
from index.errors import QuestionError
from index.query import Filters, query_terms
from index.reader import IndexReader
from bot.settings import Settings

log = logging.getLogger("newsbot.answer")


@dataclass
class Request:
    """One question with its conversation and filters, as it flows through the chain."""

    question: str
    history: list[Turn] = field(default_factory=list)
    filters: Filters | None = None
    on_partial: Callable[[str], None] | None = None  # receives the answer text so far, while it is written
    asked_on: date | None = None  # the day the question is about (recency); today when not given
    query: str = ""  # what is searched: the question, made standalone when it is a follow-up
    retrieval: Retrieval | None = None
    sentences: list[extractive.Sentence] = field(default_factory=list)  # scored candidates
    top: list[extractive.Sentence] = field(default_factory=list)  # the embedded candidates (the ranker's)
    features: np.ndarray | None = None  # the ranker's feature rows of `top`
    judgement: Judgement | None = None
    searched: Searched = field(default_factory=Searched)  # the scope searched, told to the user
    window: Window | None = None  # the dates the question's time words name (bot/answering/timescope.py)
    widen: bool = False  # search beyond the window (nothing in it answered the question)


class AnswerService:
    """Answers questions from the index; front ends call this and render the Answer."""

    def __init__(self, settings: Settings, index: IndexReader, chat_model=None):
        self.settings = settings
        self.index = index
        self.retriever = HybridRetriever.from_settings(index, settings)
        self.time = TimeScope.from_settings(index, settings)
        self.timelines = TimelineBuilder(index, settings)
        self.chat_model = chat_model
        self.llm = None
        if chat_model is not None:
            from bot.answering.llm import LLMAnswerer  # the prompts are read here, once; nothing is sent yet

            self.llm = LLMAnswerer(chat_model, settings, index.embed)
        self.learned = None if settings.answer.ranker == "off" else Learned(
            ranker.load(Path(settings.answer.ranker) if settings.answer.ranker else None))
        self.weights = extractive.Weights(recency=settings.retrieval.recency_weight,
                                          half_life_days=settings.retrieval.recency_half_life_days,
                                          embed_top=settings.answer.embed_sentences if self.learned else 10)
        self.chain = (
            RunnableLambda(self._contextualize, name="contextualize")
            | RunnableLambda(self._retrieve, name="retrieve")
            | RunnableLambda(self._rerank, name="rerank")
            | RunnableLambda(self._answer, name="answer")
        )

    def validate(self, question: str) -> str:
        """The question, stripped; raises QuestionError when it is empty or too long."""
        q = (question or "").strip()
        if not q:
            raise QuestionError("the question is empty")
        if len(q) > self.settings.answer.max_question_chars:
            raise QuestionError(
                f"the question is {len(q)} characters long; the limit is {self.settings.answer.max_question_chars} "
                "(NEWSBOT_MAX_QUESTION_CHARS)"
            )
        return q

    def answer(self, question: str, history: list[Turn] | None = None, filters: Filters | None = None,
               on_partial: Callable[[str], None] | None = None, asked_on: date | None = None) -> Answer:
        """Answer one question (with earlier turns of its conversation, if any).

        on_partial, when given, is called with the text written so far while an LLM streams.
        """
        return self.respond(question, history, filters, on_partial, asked_on)[0]

    def respond(self, question: str, history: list[Turn] | None = None, filters: Filters | None = None,
                on_partial: Callable[[str], None] | None = None,
                asked_on: date | None = None) -> tuple[Answer, Retrieval]:
        """The answer and the retrieval behind it (for evaluation)."""
        request = Request(self.validate(question), list(history or []), filters, on_partial, asked_on)
        if topic := timeline_topic(request.question):  # "timeline of the Gaza ceasefire"
            timeline = self.timelines.build(topic, filters, asked_on)
            return timeline.as_answer(request.question), timeline.retrieval()
        answer = self.chain.invoke(request)
        if not answer.answered and request.window and request.window.dated:  # nothing in the window answers it
            request = Request(request.question, request.history, filters, on_partial, asked_on, widen=True)
            answer = self.chain.invoke(request)
        answer = dated_answer(answer, request.window)  # "the latest": newest first, dated
        answer.searched = request.searched
        return answer, request.retrieval

    def inspect(self, question: str, asked_on: date | None = None) -> Request:
        """The request as the answer step gets it: retrieval, candidates, the ranker's inputs (for training)."""
        request = Request(self.validate(question), asked_on=asked_on)
        for step in (self._contextualize, self._retrieve, self._rerank):
            request = step(request)
        return request

    def warm_up(self) -> None:
        """Load the embedding model and the learned gate's word frequencies now, not on the first question."""
        self.index.warm_up()
        if self.learned is not None:
            answerability.warm_up()

    def _contextualize(self, req: Request) -> Request:
        """Make a follow-up searchable on its own: rewritten by the LLM, else carrying the thread's last question."""
        req.query = req.question
        if not req.history:
            return req
        if self.llm and (standalone := self.llm.rewrite(req.question, req.history)):
            req.query = standalone
        elif len(query_terms(req.question)) <= 4 or _refers_back(req.question):
            req.query = f"{req.question} {req.history[-1].question}"
        return req

    def _retrieve(self, req: Request) -> Request:
        """Hybrid retrieval for the (standalone) question within the dates it names: a pool of passages to rerank."""
        req.searched, req.retrieval, req.window = self.time.retrieve(self.retriever, req.query, req.filters,
                                                                     req.asked_on, self.settings.retrieval.rerank_pool,
                                                                     req.widen)
        return req

    def _rerank(self, req: Request) -> Request:
        """Score every sentence of the pool and order passages by their best sentence."""
        sents = extractive.candidates(req.retrieval.passages)
        vector = req.retrieval.vector
        if req.query != req.question:
            vector = self.index.embed([req.question])[0] * 0.7 + vector * 0.3
        req.top = extractive.score_sentences(req.question, vector, sents, self.index.embed, self.weights, req.asked_on)
        if self.learned is not None:  # only the embedded candidates are ranked: the rest cannot win
            fresh = extractive.recency({s.passage.published for s in req.top}, req.asked_on or date.today(),
                                       self.weights.recency, self.weights.half_life_days)
            if req.widen:  # the question's dates held nothing: beyond them, age no longer says which sentence answers
                fresh = dict.fromkeys(fresh, self.weights.recency)
            for s in sents:  # the hand-set score is kept for the fusion (learned.fused_order)
                s.hand, s.score = s.score, -1.0
            req.features = self.learned.score(req.question, sents, req.top, fresh, self.weights.recency)
        best: dict[str, float] = {}
        for sent in sents:
            best[sent.passage.chunk_id] = max(best.get(sent.passage.chunk_id, -9.0), sent.score)
        # stable sort: passages without a scored sentence keep their fusion order at the end
        req.retrieval.passages.sort(key=lambda p: -best.get(p.chunk_id, -9.0))
        req.sentences = sents
        return req

    def _answer(self, req: Request) -> Answer:
        """A plain refusal when nothing relevant was found; else the LLM's checked answer, or the extractive one."""
        passages = req.retrieval.passages[: self.settings.retrieval.passages_k]
        kept = {p.chunk_id for p in passages}
        sents = [s for s in (req.top if self.learned else req.sentences) if s.passage.chunk_id in kept]
        extracted = self._learned_answer(req, passages, sents) if self.learned else self._hand_set_answer(req, sents)
        if not extracted.answered:
            return extracted
        if self.llm is None:
            return extracted
        result = self.llm.answer(req.question, req.query, passages, req.on_partial)
        if result.outcome == "cited":
            return result.answer
        if result.outcome == "refused":
            return self.refusal(req)
        return extracted.model_copy(update={"note": result.note})  # failed, or cited nothing: the extractive answer

    def _hand_set_answer(self, req: Request, sents: list[extractive.Sentence]) -> Answer:
        """The best sentences by the hand-set scores, refused below NEWSBOT_MIN_RELEVANCE."""
        chosen = extractive.select(sents, self.settings.answer.sentences, self.weights)
        confidence = self._relevance(req, chosen[0]) if chosen else 0.0
        if confidence < self.settings.answer.min_relevance:
            return self.refusal(req).model_copy(update={"confidence": confidence})
        text, citations = extractive.compose(chosen, self.weights.context_after)
        return Answer(question=req.question, answered=True, answer=text, citations=citations,
                      standalone_question=req.query, confidence=confidence)

    def _learned_answer(self, req: Request, passages: list[Passage], sents: list[extractive.Sentence]) -> Answer:
        """The ranker's best sentences, led by the short answer's; refused or tentative as answerability says."""
        ranked = fused_order(sents, with_options=bool(extractive.question_options(req.question)))
        dense1 = max((p.dense_score or 0.0 for p in passages[:3]), default=0.0)
        req.judgement = judged = self.learned.judge(req.question, ranked, self.index, dense1)
        ranked, confidence = judged.ranked, judged.verdict.confidence
        if judged.verdict.outcome == "refused" or not ranked:
            return self.refusal(req).model_copy(update={"confidence": confidence})
        tentative = judged.verdict.outcome == "tentative"
        lead = ranked[judged.short.sentence] if judged.short and not tentative else ranked[0]
        chosen = extractive.select([lead] + [s for s in ranked if s is not lead], self.settings.answer.sentences,
                                   self.weights, keep_order=True)
        text, citations = extractive.compose(chosen, self.weights.context_after)
        short = judged.short.text if judged.short and not tentative else None
        if tentative:
            text = f"The articles may not answer this directly; the closest passages: {text}"
        return Answer(question=req.question, answered=True, answer=text, citations=citations,
                      standalone_question=req.query, confidence=confidence, short_answer=short, tentative=tentative)

    def _relevance(self, req: Request, best: extractive.Sentence) -> float:
        """How well the indexed articles cover the question (see bot/relevance.py)."""
        unknown = relevance.unknown_share(self.index, req.question)
        words, pairs = relevance.word_coverage(self.index, req.question)
        return relevance.relevance(req.question, best, req.retrieval.passages, unknown, pairs, words)

    def refusal(self, req: Request) -> Answer:
        """Say plainly that the articles do not cover it, with up to three nearest articles."""
        related = _related(req.retrieval.passages if req.retrieval else [])
        n = req.searched.articles
        text = f"The indexed articles do not cover this. I searched {n} article{'s' if n != 1 else ''}"
        text += f" for “{req.query}”" + (" and found nothing that answers it." if n else ".")
        if related:
            text += " Possibly related: " + "; ".join(
                f"“{r.title}”" + (f" ({r.source})" if r.source else "") for r in related) + "."
        return Answer(question=req.question, answered=False, answer=text, related=related,
                      standalone_question=req.query)


def _refers_back(question: str) -> bool:
    """Follow-ups lean on the thread: 'and what did Russia say?', 'what about him?'."""
    q = question.lower().strip()
    return q.startswith(("and ", "what about", "how about", "but ", "so ", "also")) or any(
        f" {w} " in f" {q} " for w in ("he", "she", "they", "it", "him", "her", "them", "that", "this", "there")
    )


def _related(passages: list[Passage], limit: int = 3) -> list[Related]:
    """Distinct articles among the nearest passages, nearest first."""
    out: dict[str, Related] = {}
    for p in passages:
        if p.article_id not in out and len(out) < limit:
            out[p.article_id] = Related(article_id=p.article_id, title=p.title, source=p.source,
                                        published=p.published, url=p.link)
    return list(out.values())
