"""A rich progress bar for long runs, silent when output is not a terminal."""

from __future__ import annotations

import contextlib


@contextlib.contextmanager
def progress_bar(label: str, enabled: bool):
    """Yield advance(done, total); draws a bar on stderr only when enabled."""
    if not enabled:
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        yield advance
