"""`make bench-scale`: index size, memory and ask latency at 828 articles and at 200k+ chunks, both backends.

Scale is synthetic (said in the report): after the 828 dev articles are indexed for real, "archive"
articles made of the dev articles' sentences in random order are added until the index holds the
target number of chunks. Their vectors are the normalised mean of their sentences' real embeddings,
because embedding 200k chunks would take about 1.5 hours on this 2-core CPU; chunking, Chroma, the
lexical index, the record and the whole ask path are the real ones. Each phase runs in its own process,
so the ask process's memory is a bot's memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import CORPUS, ROOT, emit, peak_mb, questions
from bot.evaluation.scoring import percentiles

ARTICLES = CORPUS / "articles"
SEED = 20261125


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


def phase_real(cache: str) -> None:
    """Index the 828 dev articles through the real sync (embeddings cached in the cache dir)."""
    from bot.settings import Settings
    from index.store import open_index
    from index.sync import Indexer

    settings = Settings()
    index = open_index(settings)
    index.embedder = CachedEncoder(index.embedder, Path(cache) / "chunk-vectors.npz")
    t0 = time.perf_counter()
    report = Indexer(index, settings).sync([ARTICLES])
    index.embedder.save()
    emit({"phase": "real", "articles": report.added, "chunks": index.stats()["chunks"],
          "seconds": round(time.perf_counter() - t0, 1)})


def _sentence_pool(cache: Path, embedder):
    """Every distinct dev-article sentence of 40-400 characters, with its vector (cached)."""
    import numpy as np

    from index.loaders import iter_files, load_file
    from index.text import split_sentences

    sentences, titles = [], []
    for root, file in iter_files([ARTICLES]):
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


def phase_grow(cache: str, target: str) -> None:
    """Add synthetic archive articles until the index holds `target` chunks."""
    from bot.settings import Settings
    from index.chunking import chunk_article
    from index.lock import writer_lock
    from index.store import Pending, open_index

    settings = Settings()
    index = open_index(settings)
    sentences, vectors, titles = _sentence_pool(Path(cache), index.embedder)
    rng = random.Random(SEED)
    have, goal, i, t0 = index.stats()["chunks"], int(target), 0, time.perf_counter()
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
    emit({"phase": "grow", "synthetic_articles": i, "sentences": len(sentences), "chunks": index.stats()["chunks"],
          "seconds": round(time.perf_counter() - t0, 1)})


def phase_ask() -> None:
    """Warm ask latency over the dev questions, and this bot process's memory."""
    from bot.app import build_service
    from bot.settings import Settings

    service = build_service(Settings())
    service.warm_up()
    rss_warm = _rss_mb()
    # the first vector search loads Chroma's HNSW segment (embedded: into this process); what grows later is the bot's
    service.index.dense_search(service.index.embed_query("warm up").tolist(), 1)
    rss_loaded = _rss_mb()
    ms = []
    for q in questions():
        t0 = time.perf_counter()
        service.answer(q.question)
        ms.append((time.perf_counter() - t0) * 1000)
    p50, p95 = percentiles(ms)
    stats = service.index.stats()
    emit({"phase": "ask", "chunks": stats["chunks"], "articles": stats["articles"], "p50_ms": round(p50, 1),
          "p95_ms": round(p95, 1), "rss_warm_mb": round(rss_warm, 1), "rss_loaded_mb": round(rss_loaded, 1),
          "rss_after_mb": round(_rss_mb(), 1), "peak_ask_mb": round(peak_mb(), 1)})


# ---- orchestration ---------------------------------------------------------------------------------


def run(phase: str, env: dict, *args: str) -> dict:
    """One phase in its own process; its last stdout line is the result."""
    done = subprocess.run([sys.executable, "-m", "bench.scale", phase, *args], cwd=ROOT, env=env,
                          stdout=subprocess.PIPE, text=True)
    if done.returncode:
        sys.exit(f"bench-scale: phase {phase} failed (exit {done.returncode})")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {phase}: {json.dumps(result)}", file=sys.stderr, flush=True)
    return result


def du_mb(path: Path) -> float:
    """Size of a directory tree on disk in MiB."""
    return sum(f.stat().st_blocks * 512 for f in path.rglob("*") if f.is_file()) / 2**20


def hnsw_mb(path: Path) -> float:
    """Size of Chroma's HNSW segment files (what a process holding the index keeps in memory)."""
    names = {"data_level0.bin", "link_lists.bin", "length.bin", "header.bin", "index_metadata.pickle"}
    return sum(f.stat().st_size for f in path.rglob("*") if f.name in names) / 2**20


def backend_env(backend: str, work: Path) -> tuple[dict, Path, callable]:
    """Environment for the phases, the dir whose size counts, and a function giving the database's size."""
    env = {**os.environ, "TOKENIZERS_PARALLELISM": "false", "NEWSBOT_DATA_DIR": str(work / backend)}
    for var in ("NEWSBOT_DATABASE_URL", "CHROMA_HOST", "CHROMA_PORT", "NEWSBOT_COLLECTION"):
        env.pop(var, None)
    if backend == "embedded":
        return env, work / backend, lambda: 0.0
    servers = work / "servers"
    started = subprocess.run([str(ROOT / ".ci" / "servers.sh"), "start", str(servers)], check=True,
                             stdout=subprocess.PIPE, text=True).stdout
    for word in started.replace("export ", "").split():
        name, _, value = word.partition("=")
        env[name] = value
    env.update(NEWSBOT_DATABASE_URL=env["NEWSBOT_TEST_DATABASE_URL"], CHROMA_HOST=env["NEWSBOT_TEST_CHROMA_HOST"],
               CHROMA_PORT=env["NEWSBOT_TEST_CHROMA_PORT"])

    def pg_mb() -> float:
        from sqlalchemy import create_engine, text

        with create_engine(env["NEWSBOT_DATABASE_URL"]).connect() as conn:
            return conn.execute(text("SELECT pg_database_size(current_database())")).scalar() / 2**20

    return env, servers / "chroma", pg_mb


def bench_backend(backend: str, work: Path, target: int, cache: Path) -> dict:
    """Both sizes on one backend."""
    env, vector_dir, db_mb = backend_env(backend, work)
    try:
        out = {"backend": backend, "real": run("real", env, str(cache))}
        out["small"] = run("ask", env)
        out["small"].update(disk_mb=round(du_mb(work / backend) + du_mb(vector_dir) * (backend != "embedded")
                                          + db_mb(), 1), hnsw_mb=round(hnsw_mb(vector_dir), 1))
        out["grow"] = run("grow", env, str(cache), str(target))
        out["large"] = run("ask", env)
        out["large"].update(disk_mb=round(du_mb(work / backend) + du_mb(vector_dir) * (backend != "embedded")
                                          + db_mb(), 1), hnsw_mb=round(hnsw_mb(vector_dir), 1))
        return out
    finally:
        if backend == "servers":
            subprocess.run([str(ROOT / ".ci" / "servers.sh"), "stop", str(work / "servers")], check=False)


def main() -> None:
    """Run the chosen backends and write BENCHMARKS-scale.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=200_000, help="target index size in chunks")
    parser.add_argument("--backend", choices=["embedded", "servers", "both"], default="both")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS-scale.md")
    parser.add_argument("--cache", type=Path, default=ROOT / "data" / "bench-scale-cache",
                        help="embeddings kept between runs, so a re-run does not embed the dev articles again")
    args = parser.parse_args()
    if not CORPUS.exists():
        sys.exit(f"bench-scale: the dev corpus is missing: {CORPUS}")
    backends = ["embedded", "servers"] if args.backend == "both" else [args.backend]
    work = Path(tempfile.mkdtemp(prefix="newsbot-scale-"))
    work.chmod(0o755)  # PostgreSQL's own user must reach its cluster dir inside
    try:
        args.cache.mkdir(parents=True, exist_ok=True)
        results = [bench_backend(b, work, args.chunks, args.cache) for b in backends]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    from bench.scale_report import render

    text = render(results, args.chunks)
    print(text)
    args.out.write_text(text)


if __name__ == "__main__":
    if len(sys.argv) > 1 and f"phase_{sys.argv[1]}" in globals():
        globals()[f"phase_{sys.argv[1]}"](*sys.argv[2:])
    else:
        main()
