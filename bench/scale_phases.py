"""The phases of `make bench-scale`, each run in its own process (so the ask process's memory is a bot's memory).

`python -m bench.scale_phases PHASE ARGS...` prints its result as the last line of stdout (bench/scale.py reads it).
"""

from __future__ import annotations

import itertools
import random
import sys
import time
from pathlib import Path

from bench.common import CORPUS, emit, peak_mb, questions
from bot.evaluation.scoring import percentiles

ARTICLES = CORPUS / "articles"
SEED = 20261125


def real_files(limit: int) -> list[Path]:
    """The first `limit` dev article files (0: all of them), in name order."""
    files = sorted(p for p in ARTICLES.iterdir() if p.is_file())
    return files[:limit] if limit else files


def _rss_mb() -> float:
    """Current resident memory of this process in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class CachedEncoder:
    """The configured embedder with an on-disk cache, so the second backend does not embed again."""

    def __init__(self, embedder, cache: Path):
        import numpy as np

        self.embedder, self.cache, self.np = embedder, cache, np
        self.known: dict[str, object] = {}
        if cache.exists():
            data = np.load(cache, allow_pickle=False)
            self.known = dict(zip(data["keys"].tolist(), data["vectors"]))

    def encode(self, texts: list[str]):
        """Vectors for texts, embedding only those not seen before."""
        from index.models import short_hash

        keys = [short_hash(t, 32) for t in texts]
        missing = sorted({k: t for k, t in zip(keys, texts) if k not in self.known}.items())
        if missing:
            fresh = self.embedder.encode([t for _, t in missing])
            self.known.update(zip([k for k, _ in missing], fresh))
        return self.np.stack([self.known[k] for k in keys]) if keys else self.np.zeros((0, 384), "float32")

    def save(self) -> None:
        """Write the cache."""
        keys = list(self.known)
        self.np.savez(self.cache, keys=self.np.array(keys), vectors=self.np.stack([self.known[k] for k in keys]))

    def __getattr__(self, name):
        return getattr(self.embedder, name)


def phase_real(cache: str, limit: str = "0") -> None:
    """Index the dev articles (the first `limit`; 0: all 828) through the real sync (embeddings cached)."""
    from bot.settings import Settings
    from index.store import open_index
    from index.sync import Indexer

    settings = Settings()
    index = open_index(settings)
    index.embedder = CachedEncoder(index.embedder, Path(cache) / "chunk-vectors.npz")
    t0 = time.perf_counter()
    report = Indexer(index, settings).sync(real_files(int(limit)))
    index.embedder.save()
    emit({"phase": "real", "articles": report.added, "chunks": index.stats()["chunks"],
          "seconds": round(time.perf_counter() - t0, 1)})


def _sentence_pool(cache: Path, embedder, limit: int = 0):
    """Every distinct sentence of 40-400 characters of the dev articles indexed for real, with its vector (cached)."""
    import numpy as np

    from index.loaders import iter_files, load_file
    from index.text import split_sentences

    sentences, titles = [], []
    for root, file in iter_files(real_files(limit)):
        for art in load_file(file, root).articles:
            titles.append(art.title)
            sentences += [art.text[a:b] for a, b in split_sentences(art.text) if 40 <= b - a <= 400]
    sentences = sorted(set(sentences))
    stored = cache / f"sentence-vectors-{len(sentences)}.npy"
    if stored.exists():
        vectors = np.load(stored)
    else:
        vectors = np.asarray(embedder.encode(sentences), dtype=np.float32)
        np.save(stored, vectors)
    return sentences, vectors, sorted(set(titles))


def _synthetic(i: int, rng: random.Random, sentences, titles):
    """One archive article: 8-24 random pool sentences; returns it and each sentence's (start, index)."""
    from index.models import Article

    picks = rng.sample(range(len(sentences)), rng.randint(8, 24))
    text, spans = "", []
    for s in picks:
        spans.append((len(text), s))
        text += sentences[s] + " "
    year = rng.randint(2012, 2023)
    art = Article(text=text.strip(), title=f"{rng.choice(titles)} (archive {i})", source=rng.choice(SOURCES),
                  published=f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                  url=f"https://archive.example/{year}/{i}")
    art.key = art.url
    return art, spans


SOURCES = ("Reuters", "AP", "BBC", "The Guardian", "CNN", "Al Jazeera", "NPR", "Bloomberg")


def _chunk_vectors(chunks, spans, vectors):
    """Each chunk's vector: the normalised mean of the vectors of the sentences it starts."""
    import numpy as np

    out = []
    for c in chunks:
        rows = [vectors[s] for start, s in spans if c.start <= start < c.end] or [vectors[spans[0][1]]]
        v = np.mean(rows, axis=0)
        out.append((v / np.linalg.norm(v)).tolist())
    return out


def phase_grow(cache: str, target: str, limit: str = "0") -> None:
    """Add synthetic archive articles until the index holds `target` chunks (this process's peak is the indexer's)."""
    from bot.settings import Settings
    from index.chunking import chunk_article
    from index.lock import writer_lock
    from index.store import Pending, open_index

    settings = Settings()
    index = open_index(settings)
    sentences, vectors, titles = _sentence_pool(Path(cache), index.embedder, int(limit))
    stats = index.stats()
    rng = random.Random(SEED + stats["chunks"])  # each step of growth its own articles
    # numbered on from the articles already there: a later step's archive urls (their keys) are new ones
    have, goal, first, t0 = stats["chunks"], int(target), stats["articles"], time.perf_counter()
    i = first
    with writer_lock(settings.index.data_dir, engine=index.engine):
        while have < goal:
            batch = []
            while have < goal and sum(len(p.chunks) for p in batch) < settings.index.batch_chunks:
                art, spans = _synthetic(i, rng, sentences, titles)
                chunks = chunk_article(art, settings.index.chunk_chars, settings.index.chunk_overlap_sentences)
                batch.append(Pending(art, art.article_id, chunks, _chunk_vectors(chunks, spans, vectors), "archive"))
                have, i = have + len(chunks), i + 1
            index.apply(batch)
            if i % 5000 < len(batch):
                print(f"  grow: {have} chunks, {time.perf_counter() - t0:.0f}s", file=sys.stderr, flush=True)
    emit({"phase": "grow", "synthetic_articles": i - first, "sentences": len(sentences), "chunks": index.stats()["chunks"],
          "seconds": round(time.perf_counter() - t0, 1)})


def phase_ask(asks: str = "500") -> None:
    """Warm ask latency over `asks` dev questions (in turn, again from the first), and this bot process's memory."""
    from bot.app import build_service
    from bot.settings import Settings

    service = build_service(Settings())
    service.warm_up()
    rss_warm = _rss_mb()
    # the first vector search loads Chroma's HNSW segment (embedded: into this process); what grows later is the bot's
    service.index.dense_search(service.index.embed_query("warm up").tolist(), 1)
    rss_loaded = _rss_mb()
    ms = []
    for q in itertools.islice(itertools.cycle(questions()), int(asks)):
        t0 = time.perf_counter()
        # on its own date: asked today, "this week" finds nothing from this week and is refused at once
        service.answer(q.question, asked_on=q.asked_on)
        ms.append((time.perf_counter() - t0) * 1000)
    p50, p95 = percentiles(ms)
    stats = service.index.stats()
    emit({"phase": "ask", "asks": len(ms), "chunks": stats["chunks"], "articles": stats["articles"],
          "p50_ms": round(p50, 1),
          "p95_ms": round(p95, 1), "rss_warm_mb": round(rss_warm, 1), "rss_loaded_mb": round(rss_loaded, 1),
          "rss_after_mb": round(_rss_mb(), 1), "peak_ask_mb": round(peak_mb(), 1)})


if __name__ == "__main__":
    globals()[f"phase_{sys.argv[1]}"](*sys.argv[2:])
