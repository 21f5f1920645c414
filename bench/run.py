"""`make bench`: newsbot and the tutorial pipeline side by side; results into BENCHMARKS.md."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import CORPUS, ROOT


def run(module: str, *args: str) -> dict:
    """Run one phase in its own process and return the JSON it prints last."""
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "TOKENIZERS_PARALLELISM": "false"})
    if done.returncode:
        sys.exit(f"bench: {module} {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {module} {args[0] if args else ''}: {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    return result


def machine() -> str:
    """CPU, cores and memory, for the record."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB RAM, Python {platform.python_version()}"


def main() -> None:
    """Run every phase and print and record the table."""
    if not CORPUS.exists():
        sys.exit(f"bench: the dev corpus is missing: {CORPUS}")
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as data:
        print("benchmarking (each phase in its own process)…", file=sys.stderr)
        indexed = run("bench.newsbot_bench", "index", data)
        answered = run("bench.newsbot_bench", "eval", data)
        nb = {**indexed, **answered, "index_peak_mb": indexed["peak_mb"], "eval_peak_mb": answered["peak_mb"]}
        raw = run("bench.newsbot_bench", "raw", data)
        pickup = run("bench.newsbot_bench", "pickup", data)
        cli_unchanged = _cli_unchanged(data)
    tut = run("bench.tutorial")
    feeds = run("bench.feeds")
    from bench.report import render

    text = render(nb, tut, raw, pickup, cli_unchanged, machine(), feeds)
    print(text)
    (ROOT / "BENCHMARKS.md").write_text(text)


def _cli_unchanged(data: str) -> float:
    """Wall time of `newsbot index` on the unchanged corpus, as a user runs it (process start included)."""
    exe = Path(sys.executable).with_name("newsbot")
    t0 = time.perf_counter()
    subprocess.run([str(exe), "index", "-q", str(CORPUS / "articles")], check=True, capture_output=True,
                   env={**os.environ, "NEWSBOT_DATA_DIR": data})
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
