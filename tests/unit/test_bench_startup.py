"""bench.startup's parsing of -X importtime and its BENCHMARKS.md section."""

from __future__ import annotations

from bench.startup import HEADING, imported_seconds, write_section

IMPORTTIME = """import time: self [us] | cumulative | imported package
import time:       100 |        100 |   numpy.core
import time:       200 |     250000 | numpy
import time:        50 |     750000 | chromadb
newsbot timing: ask main 1.000 s, model load 0.200 s
"""
ROW = {"wall_s": 1.25, "cpu_s": 1.0, "import_s": 0.8, "model_load_s": 0.2, "runs": 5}
RESULT = {"commands": {"ask": ROW, "status": ROW, "--help": ROW}, "first_index_s": 40.0,
          "second_data_dir_index_s": 4.5, "second_data_dir_index_cpu_s": 3.0, "load": 0.4}


def test_imports_are_the_top_level_modules_cumulative_times():
    assert imported_seconds(IMPORTTIME) == 1.0  # numpy.core is inside numpy's 0.25 s, not added again


def test_the_section_goes_before_indexing_then_replaces_itself(tmp_path):
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\n## Time\n\nx\n\n## Indexing (issue 3)\n\n- full index\n")
    write_section(RESULT, path)
    first = path.read_text()
    assert first.index("## Time") < first.index(HEADING) < first.index("## Indexing")
    assert "| `newsbot ask` (cold) | 1.25 | 1.00 | 0.80 | 0.20 |" in first
    assert "1.25 s wall, 1.00 s CPU (**missed**)" in first and "4.5 s (3.0 s CPU; target ≤ 10 s: met)" in first
    write_section({**RESULT, "commands": {**RESULT["commands"], "ask": {**ROW, "wall_s": 0.9}}}, path)
    second = path.read_text()
    assert second.count(HEADING) == 1 and "0.90 s wall" in second and "1.25 s wall" not in second
    assert second.endswith("## Indexing (issue 3)\n\n- full index\n")
