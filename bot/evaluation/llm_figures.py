"""The LLM's own figures in `newsbot eval`: answers it wrote, fallbacks by reason, gold in its answers, its latency."""

from __future__ import annotations

from collections import Counter

from bot.evaluation.scoring import percentiles


def llm_figures(outcomes: list) -> dict | None:
    """Figures over the outcomes the language model was configured for; None when NEWSBOT_LLM was not set."""
    asked = [o for o in outcomes if o.llm_fallback != "not_asked" and o.llm_model]
    if not any(o.llm_model for o in outcomes):
        return None
    used = [o for o in asked if o.llm_used]
    p50, p95 = percentiles([o.llm_seconds * 1000 for o in asked])
    return {
        "model": next(o.llm_model for o in outcomes if o.llm_model),
        "asked": len(asked),  # not asked: the extractive answer was a refusal or tentative
        "used": len(used),
        "used_share": len(used) / len(asked) if asked else 0.0,
        "fallbacks": dict(Counter(o.llm_fallback for o in asked if o.llm_fallback).most_common()),
        "gold_in_llm_answer": sum(o.gold_in_answer for o in used) / len(used) if used else None,
        "llm_latency_p50_ms": p50,
        "llm_latency_p95_ms": p95,
    }


def llm_rows(figures: dict | None) -> list[tuple[str, str]]:
    """Rows of the eval table for the LLM's figures (none without an LLM)."""
    if not figures:
        return []
    rows = [(f"LLM {figures['model']}: asked", str(figures["asked"])),
            ("  its answer used", f"{figures['used_share']:.3f}")]
    rows += [(f"  fallback: {reason}", str(n)) for reason, n in figures["fallbacks"].items()]
    if figures["gold_in_llm_answer"] is not None:
        rows.append(("  gold in its answers", f"{figures['gold_in_llm_answer']:.3f}"))
    rows += [("  LLM latency p50 (ms)", f"{figures['llm_latency_p50_ms']:.0f}"),
             ("  LLM latency p95 (ms)", f"{figures['llm_latency_p95_ms']:.0f}")]
    return rows
