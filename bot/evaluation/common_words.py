"""Rebuild the everyday-English table answerability reads: the words at or above COMMON_ZIPF, with their Zipf.

    python -m bot.evaluation.common_words [--check]

The table comes from wordfreq (a dev dependency since this table ships: importing wordfreq and loading its
data took about half a second of every `newsbot ask`). `--check` compares the table with wordfreq on every
content word of the shared quizzes' questions and exits non-zero on a disagreement.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.answering.ranking import commonwords
from index.text import query_terms

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "eval"


def build() -> dict[str, float]:
    """Every word of wordfreq's English list at or above the bar, with its Zipf (numbers included)."""
    from wordfreq import iter_wordlist, zipf_frequency

    table: dict[str, float] = {}
    for word in iter_wordlist("en"):
        zipf = zipf_frequency(word, "en")
        if zipf < commonwords.FLOOR:
            break
        table[word] = zipf
    for number in map(str, range(100_000)):  # wordfreq smashes digits: its list says "00", asked "42" is common
        if (zipf := zipf_frequency(number, "en")) >= commonwords.FLOOR:
            table[number] = zipf
    return table


def write(table: dict[str, float], path: Path = commonwords.TABLE) -> None:
    """The table as text: a header naming it, then `word<TAB>zipf` a line, commonest first."""
    lines = [(f"# everyday English: wordfreq's Zipf >= {commonwords.FLOOR}; rebuilt by "
              "`python -m bot.evaluation.common_words`"), "# word\tzipf"]
    lines += [f"{w}\t{z:.2f}" for w, z in sorted(table.items(), key=lambda kv: (-kv[1], kv[0]))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def question_words() -> set[str]:
    """The content words of every quiz question in ../shared (dev and both years)."""
    words: set[str] = set()
    for path in sorted(SHARED.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                words.update(query_terms(str(record.get("question") or record.get("q") or "")))
    return words


def check() -> list[str]:
    """The question words on which the table and wordfreq disagree about being everyday English."""
    from wordfreq import zipf_frequency

    return sorted(w for w in question_words()
                  if (zipf_frequency(w, "en") < commonwords.FLOOR) != (commonwords.zipf(w) < commonwords.FLOOR))


def main(argv: list[str] | None = None) -> int:
    """Rebuild the table, or check it against wordfreq."""
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_known_args(argv)[1]
    if "--check" in args:
        wrong = check()
        print(f"{len(question_words())} question words, {len(wrong)} disagree: {wrong[:20]}")
        return 1 if wrong else 0
    write(build())
    print(f"wrote {commonwords.TABLE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
