"""`make bench-scale`: index build time and memory, ask latency and memory at 10k, 100k and 1M chunks on both
backends, and a soak of Slack questions over HTTP against two bot processes on the servers backend.

Scale is synthetic (said in the report): after the dev articles are indexed for real, "archive"
articles made of their sentences in random order are added until the index holds each size in
chunks. Their vectors are the normalised mean of their sentences' real embeddings, because embedding
1M chunks would take days on this 2-core CPU; chunking, Chroma, the lexical index, the record and the
whole ask path are the real ones. Each phase runs in its own process (bench/scale_phases.py), so the
ask process's memory is a bot's memory. Flags shrink every figure for a quick run (--sizes, --asks,
--real, --soak).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import CORPUS, ROOT

# ---- orchestration ---------------------------------------------------------------------------------


def run(phase: str, env: dict, *args: str) -> dict:
    """One phase in its own process; its last stdout line is the result."""
    done = subprocess.run([sys.executable, "-m", "bench.scale_phases", phase, *args], cwd=ROOT, env=env,
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


def process_mb(pid_file: Path) -> float:
    """Resident memory of the process whose pid the file holds (the Chroma server), in MiB; 0 when unknown."""
    try:
        status = Path(f"/proc/{pid_file.read_text().split()[0]}/status").read_text()
    except (OSError, IndexError):
        return 0.0
    return next((int(ln.split()[1]) / 1024 for ln in status.splitlines() if ln.startswith("VmRSS:")), 0.0)


def bench_backend(backend: str, work: Path, args) -> dict:
    """Every size on one backend (and the soak, on the servers backend)."""
    try:  # servers started and stopped inside: an interrupted start leaves none running
        env, vector_dir, db_mb = backend_env(backend, work)
        out = {"backend": backend, "real": run("real", env, str(args.cache), str(args.real)), "sizes": []}
        for size in args.sizes:
            grow = run("grow", env, str(args.cache), str(size), str(args.real))
            ask = run("ask", env, str(args.asks))
            ask.update(target=size, build_s=grow["seconds"], indexer_peak_mb=grow["peak_mb"],
                       grown_articles=grow["synthetic_articles"], hnsw_mb=round(hnsw_mb(vector_dir), 1),
                       disk_mb=round(du_mb(work / backend) + du_mb(vector_dir) * (backend != "embedded") + db_mb(), 1),
                       chroma_server_mb=round(process_mb(work / "servers" / "chroma.pid"), 1)
                       if backend == "servers" else None)
            out["sizes"].append(ask)
        if backend == "servers" and args.soak:
            from bench.soak import soak

            out["soak"] = soak(env, args.soak, args.soak_rate, work / "soak")
            print(f"  soak: {json.dumps(out['soak'])}", file=sys.stderr, flush=True)
        return out
    finally:
        if backend == "servers":
            subprocess.run([str(ROOT / ".ci" / "servers.sh"), "stop", str(work / "servers")], check=False)


def size(text: str) -> int:
    """10k, 100k, 1M or a plain number of chunks."""
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


def main() -> None:
    """Run the chosen backends and write BENCHMARKS-scale.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k,1M", type=lambda v: [size(s) for s in v.split(",")],
                        help="index sizes in chunks, comma-separated, smallest first (default 10k,100k,1M)")
    parser.add_argument("--asks", type=int, default=500, help="questions asked per size (default 500)")
    parser.add_argument("--real", type=int, default=0, help="index only the first N dev articles for real (0: all)")
    parser.add_argument("--soak", type=int, default=2000, help="Slack questions of the soak (0: no soak)")
    parser.add_argument("--soak-rate", type=float, default=2.0, help="soak questions per second (default 2)")
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
        results = [bench_backend(b, work, args) for b in backends]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    from bench.scale_report import render

    text = render(results, vars(args))
    print(text)
    args.out.write_text(text)


if __name__ == "__main__":
    main()
