"""BENCHMARKS.md's question sections from hand-built figures: each target met or missed by its figure."""

from __future__ import annotations

from bench import report_quiz


def _report(**kw) -> dict:
    base = {"gold_in_top_k": {"1": 0.2, "3": 0.3, "5": 0.5, "10": 0.6}, "gold_in_answer": 0.4,
            "gold_in_answer_covered": 0.55, "short_answer_covered": 0.30, "wrongly_refused": 0.04,
            "refused_gold_not_in_articles": 0.9, "tentative": 0.1, "covered": 80}
    return {**base, **kw}


WEEKS = {"learned": {"own": _report(), "distant": _report(refused_unanswerable=0.9),
                     "multi-own": _report(wrongly_refused=0.08), "multi-distant": _report(refused_unanswerable=0.7)},
         "learned_with_options": {"own": _report(gold_in_answer=0.7)}, "hand_set": {"own": _report()},
         "tutorial": {"gold_in_top_k": {"1": 0.1, "5": 0.45, "10": 0.5}}}
SEED = [{"q": "How long?", "answerable": True, "answered": True, "tentative": False, "gold": True,
         "short": "two-hour", "short_hit": True},
        {"q": "Who is the aggressor?", "answerable": True, "answered": True, "tentative": False, "gold": False,
         "short": None, "short_hit": False},
        {"q": "What did it cost?", "answerable": False, "answered": False, "tentative": False, "gold": False,
         "short": None, "short_hit": False}]


def _verdicts(lines: list[str]) -> dict[str, str]:
    rows = [line.strip("|").split("|") for line in lines if line.startswith("| ") and "target" not in line]
    return {r[0].strip(): r[2].strip() for r in rows if len(r) == 3}


def test_issue15_targets_are_judged_by_their_figures():
    nb = {"options": _report(gold_in_answer=0.5), "p95_ms": 200.0, "seed": SEED}
    got = _verdicts(report_quiz.issue15_targets(WEEKS, nb))
    assert got["gold in answer ≥ 0.50 of covered"] == "met"
    assert got["short answer holds the gold ≥ 0.35 of covered"] == "**missed**"
    assert got["gold in top-5 ≥ 1.3× the tutorial's (bare)"] == "**missed**"  # 0.5 / 0.45 = 1.11×
    assert got["covered refused ≤ 5%, 9 weeks"] == "**missed**"
    assert got["uncovered refused ≥ 85%, one week"] == "met"
    assert got["uncovered refused ≥ 85%, 9 weeks"] == "**missed**"
    assert got["every answerable seed question answered"] == "met"
    assert got["… with the gold quoted"] == "**missed**"


def test_seed_section_names_the_misses():
    text = "\n".join(report_quiz.seed_section(SEED))
    assert "answered: 2/2" in text and "its quotes: 1/2" in text
    assert "Who is the aggressor?" in text and "How long?" not in text.split("misses:")[1]


def test_no_weeks_figures_no_sections():
    assert report_quiz.weeks_section(None) == [] and report_quiz.issue15_targets(None, {}) == []


def _oy_year(fit: bool, **own) -> dict:
    figures = {"own": _report(**{"first_sentence_covered": 0.31, "bold_shown_covered": 0.04, "bold_precision": 1.0,
                                 "latency_p50_ms": 120.0, "latency_p95_ms": 240.0, **own}),
               "distant": _report(refused_unanswerable=0.86), "multi-own": _report(wrongly_refused=0.23),
               "multi-distant": _report(refused_unanswerable=0.72)}
    return {"fit": fit, "weeks": "w1,w2", "figures": figures, "tutorial": {"1": 0.1, "5": 0.2, "10": 0.3}}


def test_issue24_targets_are_read_on_the_year_not_fitted():
    from bench import report_oy

    oy = {"2024": _oy_year(False), "2025": _oy_year(True, first_sentence_covered=0.5)}
    lines = report_oy.section(oy, SEED)
    got = _verdicts(lines)
    assert got["first sentence holds the gold ≥ 0.45 of covered"] == "**missed**"  # 2024's 0.31, not 2025's 0.5
    assert got["bold answer right ≥ 0.80 of the times shown"] == "met"
    assert got["bold answer shown on ≥ 0.25 of covered"] == "**missed**"
    assert got["uncovered refused ≥ 0.85, one week"] == "met" and got["uncovered refused ≥ 0.85, nine weeks"] == "**missed**"
    assert got["gold in top-5 ≥ 1.3× the tutorial's"] == "met"  # 0.5 / 0.2 = 2.5×
    assert got["warm p95 ≤ 300 ms"] == "met"
    assert got["seed detail questions all answered with the gold"] == "**missed**"  # 1 of 2
    assert got["… no short answer wrong"] == "met"
    header = next(line for line in lines if line.startswith("| own questions"))
    assert header.index("2024 one week") < header.index("2025 one week (fitted year)")  # the year not fitted first
    assert report_oy.section(None, SEED) == []
