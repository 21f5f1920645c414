"""BENCHMARKS.md's sections on questions as people ask them: bare vs quiz form, the seed, the weekly quizzes, time."""

from __future__ import annotations

BEFORE_WITH_OPTIONS = 0.475  # dev gold in answer, quiz form, in the last BENCHMARKS.md before issue 15 (issue 14)


def _f(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def forms_table(nb: dict, tut: dict) -> list[str]:
    """The dev slice asked bare (as users type) and with the quiz's options, both pipelines."""
    bare, quiz = nb, nb["options"]
    rows = [(f"gold in top-{k}", bare["gold_in_top_k"][k], quiz["gold_in_top_k"][k], tut["gold_in_top_k"][k],
             tut["options"]["gold_in_top_k"][k]) for k in ("1", "5", "10")]
    rows += [("first sentence holds the gold, covered", bare.get("first_sentence_covered"),
              quiz.get("first_sentence_covered"), None, None),
             ("bold answer right when shown", bare.get("bold_precision"), quiz.get("bold_precision"), None, None),
             ("bold answer shown, covered", bare.get("bold_shown_covered"), quiz.get("bold_shown_covered"), None, None),
             ("gold in answer", bare["gold_in_answer"], quiz["gold_in_answer"], None, None),
             ("gold in answer, covered", bare["gold_in_answer_covered"], quiz["gold_in_answer_covered"], None, None),
             ("short answer holds the gold, covered", bare["short_answer_covered"], quiz["short_answer_covered"],
              None, None)]
    lines = ["## Bare questions and the quiz form (dev slice, 120 questions)", "",
             "Bare is how people ask in Slack and the headline figure; the quiz form (options appended) is kept as",
             f"a second figure. Covered: the gold string occurs in an article ({bare['covered']} of 120).", "",
             "| | newsbot bare | newsbot with options | tutorial bare | tutorial with options |",
             "| --- | ---: | ---: | ---: | ---: |"]
    lines += [f"| {name} | {_f(a)} | {_f(b)} | {_f(c)} | {_f(d)} |" for name, a, b, c, d in rows]
    return lines + [""]


def seed_section(rows: list[dict]) -> list[str]:
    """The seed article alone, asked natural detail questions."""
    ans = [r for r in rows if r["answerable"]]
    unans = [r for r in rows if not r["answerable"]]
    shorts = [r for r in ans if r["short"]]
    lines = ["## The seed article alone (`bench/questions/seed-details.jsonl`)", "",
             f"- answerable detail questions answered: {sum(r['answered'] for r in ans)}/{len(ans)}; with the gold in "
             f"the answer or its quotes: {sum(r['gold'] for r in ans)}/{len(ans)}",
             f"- short answers shown: {len(shorts)}, holding the gold: {sum(r['short_hit'] for r in shorts)}",
             f"- questions the article cannot answer: {len(unans)}, refused "
             f"{sum(not r['answered'] for r in unans)}, tentative {sum(r['answered'] and r['tentative'] for r in unans)}"]
    misses = [r["q"] for r in ans if not r["gold"]] + [r["q"] for r in unans if r["answered"] and not r["tentative"]]
    if misses:
        lines.append("- misses: " + "; ".join(misses))
    return lines + [""]


def weeks_section(weeks: dict | None) -> list[str]:
    """Cross-validated by week on the 52 quizzes of 2025 (bench/weeks_bench.py)."""
    if not weeks:
        return []
    lines = ["## Weekly quizzes, cross-validated by week (issue 15, `python -m bench.weeks_bench`)", "",
             "Each week's bare questions asked of its own ~110-article corpus by weights fit without that week;",
             "uncovered: a week 26 weeks away asked of it (gold absent); multi: a 9-week corpus.", "",
             "| | learned, bare | learned, with options | hand-set, bare |", "| --- | ---: | ---: | ---: |"]
    cols = [weeks.get(k, {}) for k in ("learned", "learned_with_options", "hand_set")]
    rows = [("first sentence holds the gold, covered", "own", "first_sentence_covered"),
            ("bold answer right when shown", "own", "bold_precision"),
            ("bold answer shown, covered", "own", "bold_shown_covered"),
            ("gold in answer, covered", "own", "gold_in_answer_covered"),
            ("short answer holds the gold, covered", "own", "short_answer_covered"),
            ("covered refused", "own", "wrongly_refused"),
            ("uncovered refused, one week", "distant", "refused_unanswerable"),
            ("covered refused, 9 weeks", "multi-own", "wrongly_refused"),
            ("uncovered refused, 9 weeks", "multi-distant", "refused_unanswerable"),
            ("answered tentatively (own)", "own", "tentative")]
    for name, kind, key in rows:
        lines.append(f"| {name} | " + " | ".join(_f(c.get(kind, {}).get(key)) for c in cols) + " |")
    for k in ("1", "5", "10"):
        lines.append(f"| gold in top-{k} (all own) | " + " | ".join(
            _f(c.get("own", {}).get("gold_in_top_k", {}).get(k)) for c in cols) + " |")
    tut = weeks.get("tutorial", {}).get("gold_in_top_k", {})
    lines += ["", f"Tutorial pipeline on the same bare questions: gold in top-1/5/10 "
              f"{_f(tut.get('1'))} / {_f(tut.get('5'))} / {_f(tut.get('10'))}.", ""]
    return lines


def issue15_targets(weeks: dict | None, nb: dict) -> list[str]:
    """Issue 15's targets with this run's figures."""
    if not weeks:
        return []
    seed = nb.get("seed", [])
    own, dist = weeks["learned"]["own"], weeks["learned"]["distant"]
    m_own, m_dist = weeks["learned"].get("multi-own", {}), weeks["learned"].get("multi-distant", {})
    top5, tut5 = own["gold_in_top_k"]["5"], weeks["tutorial"]["gold_in_top_k"]["5"]
    ans = [r for r in seed if r["answerable"]]
    checks = [
        ("gold in answer ≥ 0.50 of covered", own["gold_in_answer_covered"], own["gold_in_answer_covered"] >= 0.5),
        ("short answer holds the gold ≥ 0.35 of covered", own["short_answer_covered"],
         own["short_answer_covered"] >= 0.35),
        ("gold in top-5 ≥ 1.3× the tutorial's (bare)", f"{top5 / tut5:.2f}×" if tut5 else "–",
         bool(tut5) and top5 / tut5 >= 1.3),
        ("covered refused ≤ 5%, one week", own["wrongly_refused"], own["wrongly_refused"] <= 0.05),
        ("covered refused ≤ 5%, 9 weeks", m_own.get("wrongly_refused"), (m_own.get("wrongly_refused") or 1) <= 0.05),
        ("uncovered refused ≥ 85%, one week", dist["refused_unanswerable"], (dist["refused_unanswerable"] or 0) >= 0.85),
        ("uncovered refused ≥ 85%, 9 weeks", m_dist.get("refused_unanswerable"),
         (m_dist.get("refused_unanswerable") or 0) >= 0.85),
        ("every answerable seed question answered", f"{sum(r['answered'] for r in ans)}/{len(ans)}",
         all(r["answered"] for r in ans)),
        ("… with the gold quoted", f"{sum(r['gold'] for r in ans)}/{len(ans)}", all(r["gold"] for r in ans)),
        ("dev with-options gold in answer does not drop (issue 14's run: 0.475)", nb["options"]["gold_in_answer"],
         nb["options"]["gold_in_answer"] >= BEFORE_WITH_OPTIONS),
        ("warm ask p95 ≤ 400 ms (dev slice)", f"{nb['p95_ms']} ms", nb["p95_ms"] <= 400),
    ]
    lines = ["## Targets (issue 15: bare questions, cross-validated by week)", "",
             "| target | this run | |", "| --- | ---: | --- |"]
    lines += [f"| {n} | {v if isinstance(v, str) else _f(v)} | {'met' if ok else '**missed**'} |" for n, v, ok in checks]
    return lines + [""]


def timeq_section(timeq: dict | None) -> list[str]:
    """Issue 19: the year's questions on their own dates, of the whole year indexed together."""
    if not timeq:
        return []
    labels = {"a": "the year's index, time words on", "b": "the year's index, time words off",
              "c": "each week's own index"}
    lines = ["## Time in questions (issue 19, `python -m bench.timeq`)", "",
             "| run | questions | gold in answer | time-worded | their gold in answer | dates stated | p95 ms |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for key, r in timeq.items():
        if key in labels:
            lines.append(f"| {labels[key]} | {r['questions']} | {_f(r['gold_in_answer'])} | {r['time_worded']} | "
                         f"{_f(r['time_worded_gold_in_answer'])} | {_f(r['time_worded_dates_stated'])} | "
                         f"{r['p95_ms']} |")
    return lines + [""]
