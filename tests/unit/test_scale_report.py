"""BENCHMARKS-scale.md from hand-built figures: each target met or missed by its figure."""

from __future__ import annotations

from bench.scale_report import render


def _size(target, p95, rss, peak):
    return {"target": target, "chunks": target + 7, "articles": target // 9, "build_s": 12.0, "indexer_peak_mb": peak,
            "disk_mb": 50.0, "hnsw_mb": 9.0, "p50_ms": p95 / 2, "p95_ms": p95, "rss_warm_mb": 400.0,
            "rss_loaded_mb": 420.0, "rss_after_mb": rss, "chroma_server_mb": 300.0}


SOAK = {"questions": 100, "rate": 1.0, "seconds": 130.0, "http": {200: 100}, "answered_once": 100,
        "answered_twice_or_more": 0, "unanswered": 0, "error_replies": 0, "rss_first_mb": [500.0, 510.0],
        "rss_end_mb": [540.0, 520.0], "rss_tenths_mb": [[500.0, 510.0], [530.0, 515.0], [541.0, 519.0]]}
OPTS = {"sizes": [10_000, 1_000_000], "asks": 500, "real": 0, "soak": 100, "soak_rate": 1.0}


def test_targets_are_judged_by_their_figures():
    results = [{"backend": "servers", "real": {"articles": 828, "seconds": 300.0, "peak_mb": 900.0},
                "sizes": [_size(10_000, 100.0, 500.0, 800.0), _size(1_000_000, 250.0, 1400.0, 850.0)], "soak": SOAK}]
    text = render(results, OPTS)
    assert "| ask latency p95 (ms, warm) | 100.0 | 250.0 |" in text
    assert "2.50× → missed" in text  # p95 at 1M over 2× the p95 at 10k
    assert "1,400 MiB → met" in text  # under 1.5 GiB
    assert "800–850 MiB across the sizes → met" in text
    assert "| process 1 memory after the first tenth → at the end (MiB) | 500 → 540 (+8.0%) |" in text
    assert "memory within +10% → met" in text
    assert "- Process 1 memory at each tenth (MiB): 500 → 530 → 541 → end 540" in text


def test_a_soak_with_an_error_reply_is_missed():
    results = [{"backend": "servers", "real": {"articles": 60, "seconds": 30.0, "peak_mb": 700.0},
                "sizes": [_size(5_000, 100.0, 500.0, 700.0)], "soak": {**SOAK, "error_replies": 1}}]
    assert "memory within +10% → missed" in render(results, {**OPTS, "sizes": [5_000]})
    one = render(results, {**OPTS, "sizes": [5_000]})
    assert "need two sizes: not measured" in one and "→ met (within 20%)" not in one  # no ratio of a size to itself
