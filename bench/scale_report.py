"""BENCHMARKS-scale.md: the figures of one `make bench-scale` run, with the targets checked."""

from __future__ import annotations

import time

from bench.run import machine

GIB = 1024  # MiB


def _fmt(value) -> str:
    return "–" if value is None else f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def _backend(r: dict, asks: int) -> list[str]:
    """The table of one backend: one column per size, and its targets."""
    sizes = r["sizes"]
    where = ("SQLite + embedded Chroma in the data dir" if r["backend"] == "embedded"
             else "PostgreSQL + a `chroma run` server, both on loopback")
    rows = [("chunks", "chunks"), ("articles", "articles"), ("index build time for this step (s)", "build_s"),
            ("indexer peak memory (MiB)", "indexer_peak_mb"), ("index size on disk (MiB)", "disk_mb"),
            ("Chroma HNSW files (MiB)", "hnsw_mb"), ("ask latency p50 (ms, warm)", "p50_ms"),
            ("ask latency p95 (ms, warm)", "p95_ms"), ("bot memory after warm-up (MiB)", "rss_warm_mb"),
            ("bot memory after the first vector search (MiB)", "rss_loaded_mb"),
            (f"bot memory after {asks} questions (MiB)", "rss_after_mb"),
            ("Chroma server memory (MiB)", "chroma_server_mb")]
    lines = [f"### {r['backend']}: {where}", "",
             "| | " + " | ".join(f"{s['target']:,} chunks" for s in sizes) + " |",
             "| --- |" + " ---: |" * len(sizes)]
    lines += [f"| {label} | " + " | ".join(_fmt(s.get(key)) for s in sizes) + " |" for label, key in rows]
    small, large = sizes[0], sizes[-1]
    ratio = large["p95_ms"] / small["p95_ms"] if small["p95_ms"] else 0.0
    peaks = [s["indexer_peak_mb"] for s in sizes]
    lines += [
        "",
        (f"- Indexing the {r['real']['articles']} real articles took {r['real']['seconds']:.0f} s "
        f"(peak {r['real']['peak_mb']:.0f} MiB)."),
        (f"- A bot process ≤ 1.5 GiB at {large['target']:,} chunks: {large['rss_after_mb']:,.0f} MiB → "
        f"{'met' if large['rss_after_mb'] <= 1.5 * GIB else 'missed'}."),
    ]
    if len(sizes) < 2:  # a ratio of one size to itself says nothing
        lines.append("- p95 growth and the indexer's flat memory need two sizes: not measured in this run.")
    else:
        lines += [
            (f"- p95 at {large['target']:,} chunks ≤ 2× p95 at {small['target']:,}: {ratio:.2f}× → "
            f"{'met' if ratio <= 2 else 'missed'}."),
            (f"- Indexer peak memory flat in the archive's size: {min(peaks):,.0f}–{max(peaks):,.0f} MiB across the "
            f"sizes → {'met' if max(peaks) <= 1.2 * min(peaks) else 'missed'} (within 20%)."),
        ]
    return lines + [""]


def _soak(s: dict) -> list[str]:
    """The soak's section."""
    growth = [end / first - 1 for first, end in zip(s["rss_first_mb"], s["rss_end_mb"])]
    ok = s["answered_once"] == s["questions"] and not s["error_replies"] and all(g <= 0.10 for g in growth)
    return [
        "### Soak: Slack questions over HTTP, two bot processes, servers backend",
        "",
        (f"{s['questions']:,} DM questions at {s['rate']:g} a second, alternating between two `newsbot slack` "
        f"processes (HTTP mode) answering from the servers backend into the fake Slack Web API "
        f"(tests/fakes/slack.py); {s['seconds']:.0f} s in all."),
        "",
        "| | value |",
        "| --- | ---: |",
        f"| answered exactly once | {s['answered_once']:,} |",
        f"| answered more than once | {s['answered_twice_or_more']:,} |",
        f"| unanswered | {s['unanswered']:,} |",
        f"| error replies | {s['error_replies']:,} |",
        f"| HTTP statuses of the deliveries | {', '.join(f'{k}: {v}' for k, v in sorted(s['http'].items()))} |",
        *[f"| process {n + 1} memory after the first tenth → at the end (MiB) | {a:,.0f} → {b:,.0f} ({g:+.1%}) |"
          for n, (a, b, g) in enumerate(zip(s["rss_first_mb"], s["rss_end_mb"], growth))],
        "",
        *_tenths(s),
        f"- Every question answered exactly once, no error replies, memory within +10% → {'met' if ok else 'missed'}.",
        "",
    ]


def _tenths(s: dict) -> list[str]:
    """Each process's memory at every tenth of the soak, so a reader sees whether it levels off."""
    tenths = s.get("rss_tenths_mb") or []
    if len(tenths) < 2:
        return []
    return [f"- Process {n + 1} memory at each tenth (MiB): "
            + " → ".join(f"{row[n]:,.0f}" for row in tenths) + f" → end {s['rss_end_mb'][n]:,.0f}"
            for n in range(len(tenths[0]))] + [""]


def render(results: list[dict], opts: dict) -> str:
    """The whole BENCHMARKS-scale.md text."""
    sizes = ", ".join(f"{s:,}" for s in opts["sizes"])
    lines = [
        "# Scale benchmark",
        "",
        f"Run by `make bench-scale` on {time.strftime('%Y-%m-%d')}; machine: {machine()}.",
        (f"Flags: sizes {sizes} chunks, {opts['asks']} questions per size, "
        f"{opts['real'] or 'all'} real articles, soak {opts['soak']} questions at {opts['soak_rate']:g}/s."),
        "",
        "**The scale is synthetic.** Dev articles of `../shared/eval/realtimeqa-dev` are indexed for",
        "real; then \"archive\" articles made of those articles' sentences in random order (8–24 each) are",
        "added until the index holds each size in chunks. Their vectors are the normalised mean of their",
        "sentences' real embeddings; chunking, Chroma, the lexical index, the record and the ask path are",
        "the real ones. Latency is the full answer (today's typed stages and learned answer step) to the",
        "dev questions in turn, warm, in a fresh bot process per size.",
        "",
    ]
    for r in results:
        lines += _backend(r, opts["asks"])
        if r.get("soak"):
            lines += _soak(r["soak"])
    return "\n".join(lines)
