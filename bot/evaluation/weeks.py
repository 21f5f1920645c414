"""`newsbot eval --weeks DIR`: every week's corpus indexed alone, asked its own questions and a distant week's.

A folder per quiz week (`articles/`, `questions.jsonl`), as in ../shared/eval/realtimeqa-train. Own
questions measure answers on news the archive holds; a distant week's questions (half the weeks
away, at least `distance` weeks), kept where that corpus lacks their gold string, are *uncovered*:
real news questions about news the archive cannot hold, which should be refused. `multi` weeks
indexed together check that refusals hold as the archive grows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from bot.evaluation.questions import Question, load_questions
from bot.evaluation.runner import Outcome, gold_in_corpus, run_one
from bot.settings import Settings
from index.errors import BadInput
from index.reader import EvalReader


@dataclass
class Week:
    """One quiz week: its name (the folder), its articles and its questions."""

    name: str
    articles: Path
    questions: list[Question]


@dataclass
class Tagged:
    """An outcome with where it was asked: the corpus, and whether the question was its own."""

    corpus: str
    kind: str  # "own", "distant" (uncovered by construction) or "multi-own" / "multi-distant"
    outcome: Outcome


def load_weeks(root: Path) -> list[Week]:
    """The week folders under root, in order."""
    weeks = [Week(d.name, d / "articles", load_questions(d / "questions.jsonl"))
             for d in sorted(p for p in root.iterdir() if (p / "questions.jsonl").is_file())]
    if not weeks:
        raise BadInput(f"{root} holds no week folders (each with articles/ and questions.jsonl)")
    return weeks


def distant_week(i: int, n: int, distance: int = 8) -> int | None:
    """The corpus half a year away from week i (None when the weeks are too few for `distance`)."""
    j = (i + n // 2) % n
    return j if min(abs(i - j), n - abs(i - j)) >= distance else None


def uncovered(questions: list[Question], index: EvalReader) -> list[Question]:
    """The questions whose gold string this corpus lacks, marked unanswerable."""
    return [replace(q, answerable=False) for q in questions if q.gold and not gold_in_corpus(index, q.gold)]


@dataclass
class Corpus:
    """An indexed corpus and the answer service to ask a question with (cross-validation: per question)."""

    index: EvalReader
    service_for: Callable[[Question], object]


def run_weeks(weeks: list[Week], open_corpus: Callable[[str, list[Path]], Corpus], with_options: bool = False,
              only: set[str] | None = None, multi: int = 0, distance: int = 8, progress=None) -> list[Tagged]:
    """Ask every (selected) week's own questions and a distant week's uncovered ones of its corpus.

    open_corpus(name, article_dirs) indexes those articles (or reuses their index) and says which
    service answers each question.
    """
    out: list[Tagged] = []
    chosen = [i for i, w in enumerate(weeks) if only is None or w.name in only]
    for n, i in enumerate(chosen, 1):
        corpus = open_corpus(weeks[i].name, [weeks[i].articles])
        out += [Tagged(weeks[i].name, "own", _ask(corpus, q, with_options)) for q in weeks[i].questions]
        j = distant_week(i, len(weeks), distance)
        if j is not None:
            out += [Tagged(weeks[i].name, "distant", _ask(corpus, q, with_options))
                    for q in uncovered(weeks[j].questions, corpus.index)]
        if progress:
            progress(n, len(chosen) + (1 if multi else 0))
    if multi:
        out += _run_multi(weeks, open_corpus, multi, distance, with_options)
    return out


def _ask(corpus: Corpus, q: Question, with_options: bool) -> Outcome:
    """One question, asked of the corpus with the service meant for it."""
    return run_one(corpus.service_for(q), q, with_options)


def _run_multi(weeks: list[Week], open_corpus, multi: int, distance: int, with_options: bool) -> list[Tagged]:
    """The first `multi` weeks indexed together: their own questions, and uncovered ones from far later."""
    chosen = weeks[:multi]
    name = f"{chosen[0].name}-{chosen[-1].name}"
    corpus = open_corpus(name, [w.articles for w in chosen])
    out = [Tagged(name, "multi-own", _ask(corpus, q, with_options)) for w in chosen for q in w.questions]
    far = [q for w in weeks[multi - 1 + distance:] for q in w.questions]
    out += [Tagged(name, "multi-distant", _ask(corpus, q, with_options)) for q in uncovered(far, corpus.index)]
    return out


def indexed(settings: Settings, cache: Path, name: str, article_dirs: list[Path]):
    """The index of a corpus under cache/name: built once, then reused as it is."""
    from bot.app import index_folders

    corpus_settings = settings.override(NEWSBOT_DATA_DIR=cache / name)
    index, _ = index_folders(corpus_settings, article_dirs, only_if_empty=True)
    return corpus_settings, index


def corpus_factory(settings: Settings, cache: Path, make_service: Callable[[Settings, object], object]):
    """open_corpus for run_weeks: one service per corpus, whichever question is asked."""

    def open_corpus(name: str, article_dirs: list[Path]) -> Corpus:
        corpus_settings, index = indexed(settings, cache, name, article_dirs)
        service = make_service(corpus_settings, index)
        service.warm_up()  # as a bot and `newsbot eval` do: the figures are warm answers, not a corpus's opening
        return Corpus(index, lambda q: service)

    return open_corpus


def summarize_weeks(tagged: list[Tagged]) -> dict:
    """Figures per kind of question: own (covered or not), uncovered on one week, and on many weeks."""
    from bot.evaluation.runner import summarize

    out = {}
    for kind in ("own", "distant", "multi-own", "multi-distant"):
        outcomes = [t.outcome for t in tagged if t.kind == kind]
        if outcomes:
            out[kind] = summarize(outcomes)
    return out


def format_weeks(figures: dict) -> str:
    """The weeks figures as a few readable lines."""
    lines = []
    own = figures.get("own")
    if own:
        lines += [f"own questions: {own.questions} (covered: {own.covered})",
                  f"  first sentence holds the gold {own.first_sentence_covered or 0:.3f} of covered",
                  f"  bold answer right when shown {own.bold_precision or 0:.3f}, "
                  f"shown on {own.bold_shown_covered or 0:.3f} of covered",
                  f"  gold in answer {own.gold_in_answer:.3f} of all, {own.gold_in_answer_covered or 0:.3f} of covered",
                  f"  short answer holds the gold {own.short_answer_covered or 0:.3f} of covered",
                  f"  gold in top-5 {own.gold_in_top_k['5']:.3f} of all; covered refused {own.wrongly_refused or 0:.3f}",
                  f"  answered tentatively {own.tentative:.3f}; p50/p95 {own.latency_p50_ms:.0f}/{own.latency_p95_ms:.0f} ms"]
    for kind, label in (("distant", "uncovered (a distant week's questions), one week's corpus"),
                        ("multi-distant", "uncovered, a corpus of several weeks")):
        if kind in figures:
            r = figures[kind]
            lines.append(f"{label}: {r.unanswerable} asked, refused {r.refused_unanswerable or 0:.3f}")
    if "multi-own" in figures:
        r = figures["multi-own"]
        lines.append(f"own questions of the several-week corpus: covered refused {r.wrongly_refused or 0:.3f}, "
                     f"gold in answer {r.gold_in_answer_covered or 0:.3f} of covered")
    return "\n".join(lines)
