"""Start-up (issue 25): cold `newsbot ask` on the seed index, `newsbot status`, `newsbot --help`.

    python -m bench.startup [--runs N] [--no-write]

Each command runs N times (default 5) as a fresh process; the table gives the median wall time and
CPU time (user + sys, steadier than wall time on a loaded machine), and from N more runs under
`python -X importtime` with NEWSBOT_TIMING=1 the median time spent importing modules and loading the
embedding model. The exported model must already be in the cache (the first `newsbot index` of the
seed article here prepares it if it is not; a fresh data dir indexing the seed article with the
model cached is timed too). Run alone, it writes its section into BENCHMARKS.md; `make bench`
(bench.run) takes its JSON line instead.
"""

from __future__ import annotations

import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, emit

SEED = ROOT.parent / "shared" / "articles"
QUESTION = "what does Starmer mean by backstop?"
COMMANDS = {"ask": ["ask", QUESTION], "status": ["status"], "--help": ["--help"]}
TIMING = re.compile(r"newsbot timing: \S+ main ([\d.]+) s, model load ([\d.]+) s")
HEADING = "## Start-up (issue 25, `python -m bench.startup`)"


def _newsbot(args: list[str], env: dict, cwd: Path, importtime: bool = False) -> tuple[float, float, str]:
    """Run `python -m bot.cli ARGS` once: (wall s, CPU s, stderr); fails loudly on a non-zero exit."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    argv = [sys.executable, *(["-X", "importtime"] if importtime else []), "-m", "bot.cli", *args]
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.exit(f"bench.startup: newsbot {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stderr


def imported_seconds(stderr: str) -> float:
    """Seconds spent importing, from -X importtime: the sum of the top-level modules' cumulative times."""
    total = 0
    for line in stderr.splitlines():
        if line.startswith("import time:") and not line.endswith("| imported package"):
            parts = line.split("|")
            if len(parts) == 3 and parts[1].strip().isdigit() and not parts[2].startswith("  "):
                total += int(parts[1])
    return total / 1e6


def measure(args: list[str], env: dict, cwd: Path, runs: int) -> dict:
    """Median wall and CPU time of `runs` plain runs, and the import / model-load split of `runs` more."""
    _newsbot(args, env, cwd)  # untimed: writes the bytecode of what the command imports, as any first run does
    plain = [_newsbot(args, env, cwd)[:2] for _ in range(runs)]
    split = []
    for _ in range(runs):
        _, _, err = _newsbot(args, {**env, "NEWSBOT_TIMING": "1"}, cwd, importtime=True)
        found = TIMING.search(err)
        split.append((imported_seconds(err), float(found[2]) if found else 0.0))
    return {"wall_s": round(statistics.median(w for w, _ in plain), 3),
            "cpu_s": round(statistics.median(c for _, c in plain), 3),
            "import_s": round(statistics.median(i for i, _ in split), 3),
            "model_load_s": round(statistics.median(m for _, m in split), 3),
            "runs": runs}


def run(runs: int = 5) -> dict:
    """Index the seed article, then time each command; and a second data dir indexing it with the model cached."""
    with tempfile.TemporaryDirectory(prefix="newsbot-startup-") as tmp:
        tmp = Path(tmp)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSBOT_DATA_DIR": str(tmp / "data"),
               "TOKENIZERS_PARALLELISM": "false"}
        env.pop("NEWSBOT_TIMING", None)
        # as on a user's machine: Python keeps compiled modules (a sandbox that forbids it compiled every module
        # of every run, ~0.4 s of a cold ask)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        prepare = _newsbot(["index", "-q", str(SEED)], env, tmp)[0]  # exports the model if the cache lacks it
        rows = {name: measure(args, env, tmp, runs) for name, args in COMMANDS.items()}
        second = _newsbot(["index", "-q", str(SEED)], {**env, "NEWSBOT_DATA_DIR": str(tmp / "second")}, tmp)
    return {"commands": rows, "first_index_s": round(prepare, 1), "second_data_dir_index_s": round(second[0], 1),
            "second_data_dir_index_cpu_s": round(second[1], 1), "load": os.getloadavg()[0]}


def section(result: dict | None) -> list[str]:
    """BENCHMARKS.md's start-up lines."""
    if not result:
        return []
    lines = [HEADING, "",
             (f"Each command as a fresh process, median of {result['commands']['ask']['runs']} runs, on the seed "
              f"article's index (load average {result['load']:.1f} on {os.cpu_count()} cores when it ended: "
              "wall times grow with the load, CPU times much less; modules' bytecode cached, as after a first run)."), "",
             "| command | wall (s) | CPU (s) | importing (s) | model load (s) |", "| --- | ---: | ---: | ---: | ---: |"]
    for name, row in result["commands"].items():
        shown = f"`newsbot {COMMANDS[name][0]}`" + (" (cold)" if name == "ask" else "")
        lines.append(f"| {shown} | {row['wall_s']:.2f} | {row['cpu_s']:.2f} | {row['import_s']:.2f} | "
                     f"{row['model_load_s']:.2f} |")
    ask = result["commands"]["ask"]
    lines += ["", (f"- target: cold ask ≤ 1.0 s on a quiet machine: {ask['wall_s']:.2f} s wall, {ask['cpu_s']:.2f} s "
                   f"CPU ({'met' if ask['wall_s'] <= 1.0 else '**missed**'})"),
              (f"- a second data dir indexing the seed article with the model already exported: "
               f"{result['second_data_dir_index_s']} s ({result['second_data_dir_index_cpu_s']} s CPU; target ≤ 10 s: "
               f"{'met' if result['second_data_dir_index_s'] <= 10 else '**missed**'}); the first, which exported "
               f"the model if the cache lacked it: {result['first_index_s']} s"), ""]
    return lines


def write_section(result: dict, path: Path = ROOT / "BENCHMARKS.md") -> None:
    """Put the start-up section into BENCHMARKS.md, replacing the one there (or before the indexing section)."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    new = "\n".join(section(result))
    if HEADING in text:
        start = text.index(HEADING)
        end = text.find("\n## ", start + len(HEADING))
        text = text[:start] + new + ("\n" + text[end + 1:] if end >= 0 else "")  # a blank line before the next
    elif "\n## Indexing" in text:
        at = text.index("\n## Indexing") + 1
        text = text[:at] + new + "\n" + text[at:]
    else:
        text = text.rstrip("\n") + "\n\n" + new + "\n"
    path.write_text(text)


def main() -> None:
    """Measure, print the section, write it into BENCHMARKS.md (unless --no-write), emit the JSON line."""
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 5
    result = run(runs)
    print("\n".join(section(result)), file=sys.stderr)
    if "--no-write" not in sys.argv and "--json" not in sys.argv:
        write_section(result)
    emit(result)


if __name__ == "__main__":
    main()
