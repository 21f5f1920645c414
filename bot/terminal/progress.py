"""A rich progress bar for long runs; when output is not a terminal, silence or a few plain lines."""

from __future__ import annotations

import contextlib
import sys

LINES = 10  # plain progress lines in a whole run, for a log or a redirected stderr


@contextlib.contextmanager
def progress_bar(label: str, enabled: bool, lines: bool = False):
    """Yield advance(done, total); draws a bar on stderr when enabled, else (lines) prints 'label: 5/50' lines."""
    if not enabled:
        yield progress_lines(label) if lines else None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def progress_lines(label: str, stream=None):
    """advance(done, total) printing about LINES flushed lines, so a redirected run shows how far it got."""
    def advance(done: int, total: int | None) -> None:
        step = max(1, (total or 0) // LINES) if total else 1
        if done == total or done % step == 0:
            print(f"{label}: {done}/{total if total else '?'}", file=stream or sys.stderr, flush=True)

    return advance
