"""Which "covered" questions the articles answer, offline, from `newsbot eval --weeks --json --per-question` runs.

    python -m bench.covered RUN.json WEEKS-ROOT

`newsbot eval` counts a question covered when its gold occurs, as whole words, anywhere in the corpus; a short or
common gold ("Rice", "56%", "Fluffy", "Kylian Mbappé" in a 2022 review of the year) is then found in an article
that does not answer the question, and refusing it is right. Here a covered question is also *answered in* the
corpus when one article holds its gold (matched as `newsbot eval` matches it) and at least half of the question's
distinctive words (those rarer than everyday English, as the answerability gate picks them). The figures of the
covered questions are printed both ways.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Iterable
from pathlib import Path

from bot.answering.ranking.answerability import distinctive, distinctive_terms
from bot.answering.ranking.words import vocabulary
from bot.evaluation.scoring import contains

KINDS = ("own", "multi-own")


def answers_in(question: str, golds: list[str], texts: Iterable[str]) -> bool:
    """Does one text hold a gold (whole words) and at least half of the question's distinctive words?"""
    rare = distinctive(distinctive_terms(question))
    needed = max(1, (len(rare) + 1) // 2)
    return any(contains(text, golds) and sum(vocabulary(text).has(t) for t in rare) >= needed for text in texts)


def corpus_texts(root: Path, corpus: str) -> list[str]:
    """Title and text of every article of a corpus: one week ("20240216") or a span of weeks ("W1-W2")."""
    first, _, last = corpus.partition("-")
    weeks = [w for w in sorted(root.iterdir()) if w.is_dir() and first <= w.name <= (last or first)]
    texts = []
    for week in weeks:
        for path in sorted((week / "articles").glob("*.json")):
            article = json.loads(path.read_text(encoding="utf-8"))
            texts.append(f"{article.get('title') or ''}\n{article.get('text') or ''}")
    return texts


def golds(outcome: dict) -> list[str]:
    """An outcome's gold strings (one or several)."""
    gold = outcome["gold"]
    return list(gold) if isinstance(gold, list) else [gold]


def figures(outcomes: list[dict]) -> str:
    """n, refused, first sentence holds the gold, gold anywhere: over these outcomes."""
    if not outcomes:
        return "n 0"
    n = len(outcomes)
    share = lambda hit: f"{sum(1 for o in outcomes if hit(o)) / n:.3f}"  # noqa: E731
    return (f"n {n}, refused {share(lambda o: not o['answered'])}, first sentence {share(lambda o: o['first_gold'])}, "
            f"anywhere {share(lambda o: o['gold_in_answer'])}")


def main(run: Path, root: Path) -> None:
    """The covered questions of each kind, as `newsbot eval` counts them and answered in the corpus."""
    outcomes = json.loads(run.read_text(encoding="utf-8"))["outcomes"]
    texts = functools.cache(lambda corpus: corpus_texts(root, corpus))
    for kind in KINDS:
        covered = [o for o in outcomes if o["kind"] == kind and o["answerable"]]
        answered_in = [o for o in covered if answers_in(o["question"], golds(o), texts(o["corpus"]))]
        print(f"{kind}: covered ({figures(covered)}); answered in the corpus ({figures(answered_in)})")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python -m bench.covered RUN.json WEEKS-ROOT")
    main(Path(sys.argv[1]), Path(sys.argv[2]))
