"""BENCHMARKS.md's issue-24 section: the year the weights were not fit on, as a reader meets the answers."""

from __future__ import annotations

KINDS = (("own", "one week"), ("multi-own", "nine weeks"))
ROWS = (  # (label, kind of question read, figure)
    ("first sentence (or its quote) holds the gold, covered", "own", "first_sentence_covered"),
    ("bold answer shown, covered", "own", "bold_shown_covered"),
    ("bold answer right when shown", "own", "bold_precision"),
    ("gold anywhere in the answer, covered", "own", "gold_in_answer_covered"),
    ("covered refused", "own", "wrongly_refused"),
    ("uncovered refused (a distant week's questions)", "distant", "refused_unanswerable"),
    ("warm p50 ms", "own", "latency_p50_ms"),
    ("warm p95 ms", "own", "latency_p95_ms"),
)
NINE = {"own": "multi-own", "distant": "multi-distant"}  # the same figure on the nine-week archive


def _f(x) -> str:
    return "–" if x is None else (f"{x:.0f}" if x > 1 else f"{x:.3f}")


def _cell(figures: dict, kind: str, key: str, nine: bool) -> object:
    """One figure of one year's run (the nine-week archive's when nine)."""
    return figures.get(NINE[kind] if nine else kind, {}).get(key)


def table(oy: dict) -> list[str]:
    """Each year's own and nine-week figures side by side, the year not fitted first."""
    years = sorted(oy, key=lambda y: oy[y]["fit"])
    head = [f"{y} {label}{' (fitted year)' if oy[y]['fit'] else ''}" for y in years for _, label in KINDS]
    lines = ["| own questions, bare | " + " | ".join(head) + " |", "| --- |" + " ---: |" * len(head)]
    for label, kind, key in ROWS:
        cells = [_cell(oy[y]["figures"], kind, key, nine) for y in years for nine in (False, True)]
        lines.append(f"| {label} | " + " | ".join(_f(c) for c in cells) + " |")
    for k in ("5", "10"):
        cells = []
        for y in years:
            tut = oy[y]["tutorial"].get(k) or 0.0
            own = oy[y]["figures"]["own"]["gold_in_top_k"][k]
            cells += [f"{own:.3f} ({own / tut:.2f}× the tutorial's {tut:.3f})" if tut else f"{own:.3f}", "–"]
        lines.append(f"| gold in the top-{k} passages (all own questions) | " + " | ".join(cells) + " |")
    return lines


def targets(oy: dict, seed: list[dict]) -> list[str]:
    """Issue 24's targets, read on the year not fitted."""
    year = next(y for y in oy if not oy[y]["fit"])
    f = oy[year]["figures"]
    own, nine, dist, ndist = f["own"], f.get("multi-own", {}), f["distant"], f.get("multi-distant", {})
    tut5 = oy[year]["tutorial"].get("5") or 0.0
    ans = [r for r in seed if r["answerable"]]
    checks = [
        ("first sentence holds the gold ≥ 0.45 of covered", own["first_sentence_covered"], lambda v: v >= 0.45),
        ("gold anywhere ≥ 0.55 of covered", own["gold_in_answer_covered"], lambda v: v >= 0.55),
        ("bold answer right ≥ 0.80 of the times shown", own["bold_precision"], lambda v: v >= 0.8),
        ("bold answer shown on ≥ 0.25 of covered", own["bold_shown_covered"], lambda v: v >= 0.25),
        ("covered refused ≤ 0.05, one week", own["wrongly_refused"], lambda v: v <= 0.05),
        ("covered refused ≤ 0.10, nine weeks", nine.get("wrongly_refused"), lambda v: v <= 0.10),
        ("uncovered refused ≥ 0.85, one week", dist.get("refused_unanswerable"), lambda v: v >= 0.85),
        ("uncovered refused ≥ 0.85, nine weeks", ndist.get("refused_unanswerable"), lambda v: v >= 0.85),
        ("gold in top-5 ≥ 1.3× the tutorial's", own["gold_in_top_k"]["5"] / tut5 if tut5 else None, lambda v: v >= 1.3),
        ("warm p95 ≤ 300 ms", own["latency_p95_ms"], lambda v: v <= 300),
        ("seed detail questions all answered with the gold", sum(r["gold"] for r in ans) / len(ans) if ans else None,
         lambda v: v >= 1.0),
        ("… no short answer wrong", sum(r["short"] is not None and not r["short_hit"] for r in ans) if ans else None,
         lambda v: v == 0),
    ]
    lines = [f"| target ({year}, the year not fitted) | this run | |", "| --- | ---: | --- |"]
    for name, value, ok in checks:
        shown = "–" if value is None else (f"{value:.2f}×" if "×" in name else _f(value) if value else "0")
        lines.append(f"| {name} | {shown} | {'–' if value is None else 'met' if ok(value) else '**missed**'} |")
    return lines


def section(oy: dict | None, seed: list[dict]) -> list[str]:
    """The whole section, or nothing when the phase did not run (`make bench --quick`)."""
    if not oy:
        return []
    weeks = "; ".join(f"{y}: {oy[y]['weeks']}" for y in sorted(oy))
    return ["## Out of year, as a reader meets the answers (issue 24, `python -m bench.out_of_year`)", "",
            "The shipped weights were fit on 2025; 2024 is the year they never saw. Each year's four report weeks",
            f"({weeks}) are asked bare, each question on its quiz date, of its own week's corpus (one week) and of",
            "the first nine weeks in one index (nine weeks); uncovered: a distant week's questions. The tutorial",
            "pipeline is asked the same own questions; the same scoring code reads both.", "",
            *table(oy), "", *targets(oy, seed), ""]
