"""The learned answer step: rank candidate sentences, find the short answer, judge answerability."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from bot.answering.ranking import answerability, features, shortanswer
from bot.answering.ranking.answer_types import Kind, classify
from bot.answering.ranking.extractive import AUTHORSHIP, question_body, question_options
from bot.answering.ranking.ranker import GATE_LOGIT, Models
from bot.answering.stages import Candidate, Scores
from index.errors import ConfigError
from index.reader import IndexReader
from index.text import query_terms


@dataclass(frozen=True)
class Judgement:
    """What the learned step made of one question: its candidates best first, the short answer, the verdict."""

    kind: Kind
    ranked: tuple[Candidate, ...]  # embedded candidates of the kept passages, best first
    probs: np.ndarray  # the ranker's probability per ranked candidate
    cosines: np.ndarray  # each ranked candidate's similarity to the question
    short: shortanswer.Option | None
    short_p: float
    verdict: answerability.Verdict
    row: features.Row  # QUESTION_FEATURES by name, for training and inspection
    best: shortanswer.Option | None = None  # the likeliest short answer, shown or not (calibration reads it)


def context(question: str, kind: Kind, recency: dict[str, float], recency_weight: float,
            subject: str = "") -> features.Context:
    """The question-side inputs of the sentence features; a follow-up's subject words join its own."""
    terms = list(dict.fromkeys(query_terms(question_body(question)) + query_terms(subject)))
    return features.Context(terms, kind, question_options(question),
                            bool(AUTHORSHIP.search(question)), recency, recency_weight)


def following(cands: Sequence[Candidate], top: Sequence[Candidate]) -> dict[int, str]:
    """The next sentence's text (same passage) of each top candidate, by its position in top."""
    by_place = {(c.passage.chunk_id, c.index): c.text for c in cands}
    return {i: by_place.get((c.passage.chunk_id, c.index + 1), "") for i, c in enumerate(top)}


HAND_WEIGHT = 1.0  # the hand-set score's weight beside the ranker's log-odds (see fused_order)


def fused_order(prob: Sequence[float], hand: Sequence[float], with_options: bool = False) -> list[int]:
    """Positions of the candidates by the ranker's log-odds plus the hand-set score.

    Out of fold on the weekly quizzes this ranks the gold sentence first as often as the ranker alone
    (0.521 vs 0.523; top-3 0.768 vs 0.778), but where the ranker barely tells sentences apart, as on a
    small archive asked about one article's details, the hand-set score, which weighs the words asked,
    decides ('says Di Li, the chief scientist of FAST').
    """
    if with_options:  # quiz options appended: the ranker learned from bare questions; the hand-set score knows options
        return sorted(range(len(hand)), key=lambda i: -hand[i])

    def key(i: int) -> float:
        p = min(max(prob[i], 1e-9), 1 - 1e-9)
        return math.log(p / (1 - p)) + HAND_WEIGHT * hand[i]

    return sorted(range(len(hand)), key=lambda i: -key(i))


def check_names(models: Models, source: str) -> None:
    """Weights naming a feature this code does not compute would be read wrongly: a ConfigError instead."""
    known = {"sentence": features.SENTENCE_FEATURES, "short": shortanswer.SHORT_FEATURES,
             "answerable": features.QUESTION_FEATURES}
    if models.recalibrated is not None:
        known["recalibrated"] = (*features.QUESTION_FEATURES, GATE_LOGIT)
    if models.archive is not None:
        known["archive"] = features.QUESTION_FEATURES
    for part, names in known.items():
        if unknown := [n for n in getattr(models, part).features if n not in names]:
            raise ConfigError(f"the ranker weights {source} (NEWSBOT_RANKER) name {part} features this code does "
                              f"not compute: {', '.join(unknown)}; rebuild them with `make train`")


class Learned:
    """The three models of bot/answering/ranking/ranker.py applied to one question's candidates."""

    def __init__(self, models: Models, source: str = "shipped", full_rows: bool = False):
        """full_rows: every question feature computed, weighed or not (gate rows for training read them all)."""
        check_names(models, source)
        self.models = models
        gates = [models.answerable, models.recalibrated, models.archive]
        weighed = {name for gate in gates if gate is not None for name in gate.features}
        self.looked_up = full_rows or bool(weighed & answerability.LOOKED_UP)

    def rank(self, question: str, cands: Sequence[Candidate], scores: Scores, recency: dict[str, float],
             recency_weight: float, subject: str = "") -> Scores:
        """The scores with the ranker's probability of each embedded candidate (−1 elsewhere) and its feature rows;
        subject: a follow-up's words left out, searched and weighed beside its own."""
        top = [cands[i] for i in scores.top]
        ctx = context(question, classify(question_body(question)), recency, recency_weight, subject)
        rows = features.sentence_rows(top, [scores.cosine[i] for i in scores.top], ctx, following(cands, top))
        prob = np.full(len(cands), -1.0)
        prob[list(scores.top)] = self.models.sentence.prob(features.matrix(rows, self.models.sentence.features))
        return replace(scores, prob=prob, features=rows)

    def judge(self, question: str, ranked: list[Candidate], probs: np.ndarray, cosines: np.ndarray,
              index: IndexReader, dense1: float, subject: str = "", cited: tuple[str, ...] = ()) -> Judgement:
        """Short answer and answerability for the ranked candidates of the kept passages.

        subject: a follow-up's words left out ("he" for "Starmer"): no short answer names them either; cited: the
        articles its conversation cited."""
        body = question_body(question)
        kind = classify(body)
        credits = [i for i, c in enumerate(ranked) if c.is_credit] if AUTHORSHIP.search(question) else []
        lead = credits[:1] or speaker_first(question, ranked, probs, cited=cited)
        if lead:  # who wrote it: the byline or credit line leads; what X said: the sentence X says it in
            ranked, probs, cosines = led_by(lead[0], ranked, probs, cosines)
        terms = answerability.distinctive_terms(body)
        opts = shortanswer.options(terms, body, kind, ranked, probs, subject=subject)
        best, short_p = shortanswer.choose(opts, self.models.short, 0.0)
        short = best if best is not None and short_p >= self.models.thresholds.get("short", 1.0) else None
        coverage = answerability.coverage_features(index, question, self.looked_up)
        row = answerability.question_row(probs, cosines, ranked, coverage, answerability.together(body, ranked),
                                         short_p, kind.factoid, any(o.sentence < 3 for o in opts), dense1)
        confidence = self.models.confidence(row, follow_up=bool(subject))
        held, explained = held_and_explained(coverage, ranked, kind)
        verdict = answerability.decide(confidence, held, bool(credits), self.models.thresholds, explained)
        return Judgement(kind, tuple(ranked), probs, cosines, short, short_p, verdict, row, best)


def led_by(at: int, ranked: Sequence[Candidate], probs: np.ndarray,
           cosines: np.ndarray) -> tuple[list[Candidate], np.ndarray, np.ndarray]:
    """The ranked candidates (with their probabilities and similarities) with the one at `at` moved first."""
    order = [at] + [i for i in range(len(ranked)) if i != at]
    return [ranked[i] for i in order], probs[order], cosines[order]


LEAD_SENTENCES = 2  # an explaining question whose words all stand in one of these is answered unhedged


def held_and_explained(coverage: dict, ranked: Sequence[Candidate], kind: Kind) -> tuple[bool, bool]:
    """(the question's words stand together in a best sentence or, for why/how, passage: never refused;
    an explaining question's words, or the one name it asks about, stand in one of the LEAD_SENTENCES: answered
    unhedged)."""
    held = answerability.held_together(coverage, ranked, explain=not kind.factoid)
    return held, not kind.factoid and (answerability.held_together(coverage, ranked, top=LEAD_SENTENCES)
                                       or answerability.one_name_held(coverage, ranked, LEAD_SENTENCES))
SAID_BY = re.compile(r"^\s*(?:and\s+|so\s+|but\s+)?what\s+(?:did|does|do|has|have|had)\s+(?:the\s+)?"
                     r"(?P<who>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,3})\s+(?:say|said|tell|told|think|claim)\b")
SPEAKER_SHARE = 0.3  # a sentence in which X speaks leads "what did X say?" when this near the best one
SPEECH = r"(?:said|says|say|told|tells|stated|warned|added|argued|insisted|claimed)"


def speaker_first(question: str, ranked: Sequence[Candidate], probs: np.ndarray, within: int = 10,
                  share: float = SPEAKER_SHARE, cited: tuple[str, ...] = ()) -> list[int]:
    """'What did Russia say about it?': the best sentence in which Russia is the one speaking, among the first
    `within` whose probability is at least `share` of the best's (the ranker cannot tell who speaks, and a
    sentence merely naming Russia does not answer what Russia said); in a conversation, one in the articles it
    cited first (what Russia said about *it*), wherever and however low it ranks among the embedded ones: a long
    thread's subject words, which it need not hold, weigh it down."""
    asked = SAID_BY.match(question)
    if not asked or not len(probs):
        return []
    who = re.escape(asked.group("who").split()[-1])  # "President Putin": Putin
    says = re.compile(rf"\b{who}\b[^.;:“”\"]{{0,60}}?\b{SPEECH}\b|\b{SPEECH}\s+(?:the\s+)?{who}\b")
    bar = share * float(np.max(probs[:within]))
    in_thread = [i for i, c in enumerate(ranked) if c.passage.article_id in cited and says.search(c.text)]
    speaking = [i for i, c in enumerate(ranked[:within]) if probs[i] >= bar and says.search(c.text)]
    return in_thread[:1] or speaking[:1]
