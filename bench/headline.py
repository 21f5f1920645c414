"""The mission's questions as the archive grows: the seed alone, among 60 dev articles, among all 828.

`python -m bench.headline [--sizes 0,60,all]` indexes the seed article with the first N dev articles (`all`:
every one) in a fresh data dir each, through the real sync, and asks the seed's headline question, and
questions lifted from a dev article when that article is indexed. It prints, per size, whether each is
answered unhedged, its confidence and its first sentence; it exits 1 when the headline question is not. Chunk vectors come from bench-scale's cache (embedded once, by text).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from bench.common import CORPUS, ROOT

SEED = CORPUS.parents[1] / "articles" / "starmer-backstop.txt"
BOEING = "d8e6c87ee89d3157.json"  # the dev article on the 737 Max inspections
# (question, the article file it is lifted from, phrases of which the first sentence should hold one)
ASKED = (
    ("what does Starmer mean by backstop?", SEED.name, ("provide a security “backstop”", "what he calls a “backstop”")),
    ("why are airlines inspecting the 737 Max?", BOEING, ("bolt", "door plug")),
    ("how long does the 737 Max inspection take?", BOEING, ("two hours", "four to eight hours")),
)


def build(files: list[Path], work: Path, cache: Path):
    """A fresh data dir holding these article files, through the real sync; its index, settings and articles added."""
    from bench.scale_phases import CachedEncoder
    from bot.settings import Settings
    from index.store import open_index
    from index.sync import Indexer

    folder = work / f"articles-{len(files)}"
    folder.mkdir()
    for path in files:
        shutil.copy(path, folder)
    os.environ["NEWSBOT_DATA_DIR"] = str(work / f"data-{len(files)}")
    settings = Settings()
    index = open_index(settings)
    index.embedder = CachedEncoder(index.embedder, cache / "chunk-vectors.npz")
    added = Indexer(index, settings).sync([folder]).added
    index.embedder.save()
    return index, settings, added


def first_sentence(text: str) -> str:
    """The answer up to its first citation mark."""
    return text.split("[1]")[0].strip()


def main() -> None:
    """Index each size, ask, print a markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,60,all", help="dev articles beside the seed, comma-separated (all: 828)")
    parser.add_argument("--cache", type=Path, default=ROOT / "data" / "bench-scale-cache")
    args = parser.parse_args()
    from bench.scale_phases import real_files
    from bot.answering.service import AnswerService

    args.cache.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="newsbot-headline-"))
    print("| articles | question | answered unhedged | confidence | first sentence holds the phrase | first sentence |")
    print("| ---: | --- | --- | ---: | --- | --- |")
    failed = 0
    try:
        for raw in args.sizes.split(","):
            others = [] if raw == "0" else real_files(0 if raw == "all" else int(raw))
            index, settings, added = build([SEED, *others], work, args.cache)
            service = AnswerService(settings, index)
            names = {p.name for p in [SEED, *others]}
            for question, _, phrases in (a for a in ASKED if a[1] in names):
                answer = service.answer(question)
                first = first_sentence(answer.answer)
                holds = any(p.lower() in first.lower() for p in phrases)
                unhedged = answer.answered and not answer.tentative
                failed += not (unhedged and holds) and question == ASKED[0][0]
                print(f"| {added} | {question} | {'yes' if unhedged else 'no'} | {answer.confidence:.2f} | "
                      f"{'yes' if holds else 'no'} | {first[:160].replace('|', '/')} |", flush=True)
            index.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
