"""Progress bars on stderr, only when a person is watching a terminal."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn


def stderr_is_terminal() -> bool:
    """Return True when stderr is an interactive terminal."""
    return sys.stderr.isatty()


@contextmanager
def progress_bar(label: str, total: int, *, enabled: bool) -> Iterator[Callable[[int], None]]:
    """Yield an `advance(n)` callable that drives a bar on stderr, or does nothing when disabled."""
    if not enabled or total == 0:
        yield lambda _n: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)
