"""`make bench`: newsbot and the tutorial pipeline side by side; results into BENCHMARKS.md.

    python -m bench.run [--quick]    (--quick: the dev slice only, no weekly-quiz phases)
"""

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

TRAIN = ROOT.parent / "shared" / "eval" / "realtimeqa-train"
# the week indexes (and fold weights) of bench.weeks_bench and bench.timeq, reused across runs
CACHE = Path(os.environ.get("NEWSBOT_BENCH_CACHE", ROOT / "data" / "train-weeks"))


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
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-seed-") as data:
        nb["seed"] = run("bench.newsbot_bench", "seed", data)["questions"]
    tut = run("bench.tutorial")
    startup = run("bench.startup", "--no-write")
    feeds = run("bench.feeds")
    weeks = timeq = oy = None
    if "--quick" not in sys.argv:  # the weekly quizzes: 52 week indexes and a year index, kept in CACHE
        weeks = run("bench.weeks_bench", str(TRAIN), str(CACHE), "--out", str(CACHE / "weeks-bench.json"))
        timeq = run("bench.timeq", "--weeks", str(CACHE), "--year", str(_year_index()))
        oy = run("bench.out_of_year", str(CACHE.parent / "weeks-2024"), str(CACHE))  # issue 24's headline
    from bench.report import render

    text = render(nb, tut, raw, pickup, cli_unchanged, machine(), feeds, weeks, timeq, startup, oy)
    print(text)
    (ROOT / "BENCHMARKS.md").write_text(text)


def _year_index() -> Path:
    """All 52 weeks' articles in one index (built once with `newsbot index`, then reused)."""
    year = CACHE / "year"
    if not (year / "newsbot.sqlite3").exists() or not (CACHE / "year.done").exists():
        exe = Path(sys.executable).with_name("newsbot")
        folders = sorted(str(p / "articles") for p in TRAIN.iterdir() if (p / "articles").is_dir())
        subprocess.run([str(exe), "index", "-q", *folders], check=True, env={**os.environ, "NEWSBOT_DATA_DIR": str(year)})
        (CACHE / "year.done").touch()
    return year


def _cli_unchanged(data: str) -> float:
    """Wall time of `newsbot index` on the unchanged corpus, as a user runs it (process start included)."""
    exe = Path(sys.executable).with_name("newsbot")
    t0 = time.perf_counter()
    subprocess.run([str(exe), "index", "-q", str(CORPUS / "articles")], check=True, capture_output=True,
                   env={**os.environ, "NEWSBOT_DATA_DIR": data})
    return time.perf_counter() - t0


if __name__ == "__main__":
    main()
