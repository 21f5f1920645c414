"""The answer service: a question through the typed stages, plan → search → candidates → score → judge → compose.

Each stage takes frozen values and returns a new one (bot/answering/stages.py). The LangChain chain
(`AnswerService.chain`, built on first use by bot/answering/faces.py) is the public face for callers that
want a Runnable: it takes a Question and returns its Answer, so LangChain's callbacks, tracing and
`stream`/`batch` wrap the whole answer.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from bot.answering import compose
from bot.answering.briefs.digest import DigestBuilder, digest_request, question_digest
from bot.answering.briefs.timeline import TimelineBuilder, timeline_topic
from bot.answering.models import Answer, Passage, Turn
from bot.answering.plan import (
    asks_more,
    cited_words,
    judged_text,
    more_of,
    plan,
    repeats,
    standalone,
    subject_words,
    unanswered,
    weighed_subject,
)
from bot.answering.ranking import answerability, extractive, gazetteer, ranker, relevance
from bot.answering.ranking.learned import Judgement, Learned, fused_order
from bot.answering.retriever import HybridRetriever
from bot.answering.search import Searcher
from bot.answering.stages import Candidate, Plan, Pool, Question, Scores
from bot.answering.threads import kept_passages, more_judged, thread_hedged
from bot.answering.time.timescope import dated_answer
from bot.settings import Settings
from index.errors import QuestionError
from index.query import Filters
from index.reader import IndexReader

log = logging.getLogger("newsbot.answer")
Partial = Callable[[str], None]  # receives the answer text so far, while an LLM writes it


@dataclass(frozen=True)
class Inspection:
    """One question's pool, candidates and hand-set scores, as the answer step gets them (for training)."""

    pool: Pool
    candidates: tuple[Candidate, ...]
    scores: Scores


class AnswerService:
    """Answers questions from the index; front ends call this and render the Answer."""

    def __init__(self, settings: Settings, index: IndexReader, chat_model=None):
        self.settings = settings
        self.index = index
        self.hybrid = HybridRetriever.from_settings(index, settings)
        self.search = Searcher(index, self.hybrid, settings.retrieval.rerank_pool, settings.time.widen_margin)
        self.timelines = TimelineBuilder(index, settings)
        self.digests = DigestBuilder(index, settings)
        self.chat_model = chat_model
        self.llm = None
        if chat_model is not None:
            from bot.answering.llm.answerer import LLMAnswerer  # the prompts are read here, once; nothing is sent yet

            self.llm = LLMAnswerer(chat_model, settings, index.embed)
        source = settings.answer.ranker or str(ranker.SHIPPED)
        self.learned = None if settings.answer.ranker == "off" else Learned(
            ranker.load(Path(settings.answer.ranker) if settings.answer.ranker else None), source)
        self.weights = extractive.Weights(recency=settings.retrieval.recency_weight,
                                          half_life_days=settings.retrieval.recency_half_life_days,
                                          embed_top=settings.answer.embed_sentences if self.learned else 10)

    @functools.cached_property
    def retriever(self):
        """The hybrid search as a LangChain retriever (langchain_core imported on first use, not at start-up)."""
        from bot.answering.faces import NewsRetriever

        return NewsRetriever(hybrid=self.hybrid)

    @functools.cached_property
    def chain(self):
        """The answer as a LangChain Runnable over Question values (imported on first use)."""
        from bot.answering.faces import answer_chain

        return answer_chain(self.answer_question)

    def validate(self, question: str) -> str:
        """The question, stripped; raises QuestionError when it is empty or too long."""
        return validate_question(question, self.settings.answer.max_question_chars)

    def answer(self, question: str, history: list[Turn] | None = None, filters: Filters | None = None,
               on_partial: Partial | None = None, asked_on: date | None = None) -> Answer:
        """Answer one question (with earlier turns of its conversation, if any).

        on_partial, when given, is called with the text written so far while an LLM streams.
        """
        return self.respond(question, history, filters, on_partial, asked_on)[0]

    def respond(self, question: str, history: list[Turn] | None = None, filters: Filters | None = None,
                on_partial: Partial | None = None, asked_on: date | None = None) -> tuple[Answer, Pool]:
        """The answer and the pool of passages behind it (for evaluation)."""
        text = self.validate(question)
        if topic := timeline_topic(text):  # "timeline of the Gaza ceasefire"
            timeline = self.timelines.build(topic, filters, asked_on)
            return timeline.as_answer(text), timeline.retrieval()
        day = asked_on or date.today()
        if not history and (about := digest_request(text, day)) is not None:
            digest = question_digest(self.digests, about, day, filters)  # "what happened this week?"
            if digest is not None:  # None: nothing recent on the topic, and the archive answers
                return digest.as_answer(text), digest.retrieval()
        return self.answer_question(Question(text, asked_on or date.today(), tuple(history or ()), filters),
                                    on_partial)

    def answer_question(self, question: Question, on_partial: Partial | None = None) -> tuple[Answer, Pool]:
        """The stages of one question; a window in which nothing answers is widened and asked again; "tell me
        more" is the thread's last question again, without the sentences already shown."""
        asked, shown, more = more_of(question) if asks_more(question) else (question, (), ())
        subject = subject_words(asked, cited_words(self.index))  # read from the index once, for both
        first = plan(asked, standalone(asked, self.llm.rewrite if self.llm else None, subject=subject), self.index,
                     self.settings.time.words, subject)
        first = replace(first, shown=shown, prefer=more) if shown else first
        answer, pool = self._answer_plan(first, on_partial)
        if not answer.answered and pool.plan.can_widen:
            answer, pool = self._answer_plan(unanswered(pool.plan), on_partial)
        answer = dated_answer(answer, pool.plan.window)  # "the latest": newest first, dated
        return answer.model_copy(update={"searched": pool.searched, "question": question.text}), pool

    def _answer_plan(self, p: Plan, on_partial: Partial | None) -> tuple[Answer, Pool]:
        """search → candidates → score → passages by their best candidate → judge and compose."""
        pool = self.search(p)
        if p.stale:  # "this week" and nothing indexed from this week: older news is no answer, only related
            return compose.nothing_recent(p.question.text, pool), pool
        cands = extractive.candidates(pool.passages)
        if p.shown:
            cands = tuple(c for c in cands if not repeats(p, c))
        scores = self.score(pool, cands)
        pool = by_best_candidate(pool, cands, scores)
        kept = kept_passages(pool, self.settings.retrieval.passages_k)
        if self.learned is None:
            answer = self._hand_set_answer(pool, kept, cands, scores)
        else:
            answer = compose.learned(p.question.text, pool, self.judge(pool, kept, cands, scores),
                                     self.settings.answer.sentences, self.weights)
        return self._written(answer, pool, kept, on_partial), pool

    def inspect(self, question: str, asked_on: date | None = None) -> Inspection:
        """Pool, candidates and hand-set scores of a question (training consumes these)."""
        q = Question(self.validate(question), asked_on or date.today())
        pool = self.search(plan(q, q.text, self.index, self.settings.time.words))
        cands = extractive.candidates(pool.passages)
        scores = self.hand_scores(pool, cands)
        return Inspection(by_best_candidate(pool, cands, scores), cands, scores)

    def hand_scores(self, pool: Pool, cands: Sequence[Candidate]) -> Scores:
        """Hand-set scores; a follow-up's question leads the vector its standalone query was searched with."""
        question = pool.plan.question
        vector = pool.vector
        if pool.query != question.text:
            vector = self.index.embed([question.text])[0] * 0.7 + vector * 0.3
        return extractive.score(question.text, vector, cands, self.index.embed, self.weights, question.asked_on)

    def score(self, pool: Pool, cands: Sequence[Candidate]) -> Scores:
        """Hand-set scores, and the learned ranker's probabilities of the embedded candidates."""
        scores = self.hand_scores(pool, cands)
        if self.learned is None:
            return scores
        w = self.weights
        fresh = extractive.recency({cands[i].passage.published for i in scores.top}, pool.plan.question.asked_on,
                                   w.recency, w.half_life_days)
        if pool.plan.ageless:  # the question's dates held no answer: beyond them, age no longer says which answers
            fresh = dict.fromkeys(fresh, w.recency)
        return self.learned.rank(pool.plan.question.text, cands, scores, fresh, w.recency, weighed_subject(pool.plan))

    def judge(self, pool: Pool, kept: Sequence[Passage], cands: Sequence[Candidate], scores: Scores) -> Judgement:
        """The learned verdict on the embedded candidates of the kept passages, best first."""
        ids = {p.chunk_id for p in kept}
        top = [i for i in scores.top if cands[i].passage.chunk_id in ids]
        question = judged_text(pool.plan)
        order = [top[j] for j in fused_order(scores.prob[top], scores.hand[top],
                                            with_options=bool(extractive.question_options(question)))]
        dense1 = max((p.dense_score or 0.0 for p in kept[:3]), default=0.0)
        judged = self.learned.judge(question, [cands[i] for i in order], scores.prob[order], scores.cosine[order],
                                    self.index, dense1, pool.plan.subject, pool.plan.prefer)
        judged = thread_hedged(judged, pool.plan)
        return more_judged(judged, pool.plan) if pool.plan.shown else judged

    def _hand_set_answer(self, pool: Pool, kept: Sequence[Passage], cands: Sequence[Candidate],
                         scores: Scores) -> Answer:
        """The best sentences by the hand-set scores, refused below NEWSBOT_MIN_RELEVANCE."""
        ids = {p.chunk_id for p in kept}
        inside = [i for i, c in enumerate(cands) if c.passage.chunk_id in ids]
        chosen = extractive.select([cands[i] for i in inside], self.settings.answer.sentences, self.weights,
                                   by=scores.hand[inside])
        confidence = 0.0
        if chosen:
            best = next(i for i in inside if cands[i] is chosen[0])
            confidence = self._relevance(pool, chosen[0], float(scores.cosine[best]))
        return compose.hand_set(pool.plan.question.text, pool, chosen, confidence, self.settings.answer.min_relevance,
                                self.weights.context_after)

    def _written(self, extracted: Answer, pool: Pool, kept: Sequence[Passage], on_partial: Partial | None) -> Answer:
        """The LLM's checked answer where one is configured and the extractive step answered surely; else the extractive."""
        if self.llm is None:
            return extracted
        if not extracted.answered or extracted.tentative:  # nothing the model could cite: do not wait for it
            return extracted.model_copy(update={"llm": self.llm.skipped()})
        result = self.llm.answer(pool.plan.question.text, pool.query, list(kept), on_partial, pool.plan.shown)
        if result.outcome == "cited":
            return result.answer
        if result.outcome == "refused":
            return compose.refusal(pool.plan.question.text, pool).model_copy(update={"llm": result.info})
        # failed, or no sentence passed the check: the extractive answer, saying why
        return extracted.model_copy(update={"note": result.note, "llm": result.info})

    def _relevance(self, pool: Pool, best: Candidate, cosine: float) -> float:
        """How well the indexed articles cover the question (see bot/answering/ranking/relevance.py)."""
        question = pool.plan.question.text
        unknown = relevance.unknown_share(self.index, question)
        words, pairs = relevance.word_coverage(self.index, question)
        return relevance.relevance(question, best, cosine, list(pool.passages), unknown, pairs, words)

    def warm_up(self) -> None:
        """Load the embedding model, the vector index, the learned gate's word frequencies and the place names
        now, not on the first question (the cities alone are 0.3 s of the first question naming a place)."""
        self.index.warm_up()
        if self.learned is not None:
            answerability.warm_up()
        gazetteer.places()


def validate_question(question: str, max_chars: int) -> str:
    """The question, stripped; raises QuestionError when it is empty or longer than max_chars."""
    q = (question or "").strip()
    if not q:
        raise QuestionError("the question is empty")
    if len(q) > max_chars:
        raise QuestionError(f"the question is {len(q)} characters long; the limit is {max_chars} "
                            "(NEWSBOT_MAX_QUESTION_CHARS)")
    return q


def by_best_candidate(pool: Pool, cands: Sequence[Candidate], scores: Scores) -> Pool:
    """The pool's passages ordered by their best candidate (stable: passages without one keep their place, last)."""
    best: dict[str, float] = {}
    for c, value in zip(cands, scores.ranked_by()):
        best[c.passage.chunk_id] = max(best.get(c.passage.chunk_id, -9.0), float(value))
    return replace(pool, passages=tuple(sorted(pool.passages, key=lambda p: -best.get(p.chunk_id, -9.0))))
