"""One progress display for long work (`tenor analyze` over many files, `tenor batch`): Rich on
stderr, with what is done out of the total, the rate and the ETA. Rich because it draws a live bar
on a terminal and falls back to a static line where stderr is a file or a pipe, and it keeps
lines printed to stdout above the bar instead of tearing it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["Update", "progress"]

# done, total (None: not known yet)
Update = Callable[[int, int | None], None]


@contextmanager
def progress(
    label: str, unit: str, *, total: int | None = None, quiet: bool = False
) -> Iterator[Update | None]:
    """A display of `label`: N/M `unit`, rate, elapsed and ETA, redrawn on each update; None when
    `quiet`. The rate counts from the first update, so work an earlier run finished (a resumed
    batch) does not inflate it."""
    if quiet:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn(label), BarColumn(), MofNCompleteColumn(), TextColumn(unit),
        TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
    )  # fmt: skip
    # No refresh thread (auto_refresh=False; it redraws on every update): `tenor batch`'s local
    # executor forks its workers, which is only safe while this process runs a single thread.
    with Progress(*columns, console=Console(stderr=True), transient=False, auto_refresh=False) as bar:
        task = bar.add_task(label, total=total, rate="")
        first: list[tuple[float, int]] = []

        def update(done: int, total: int | None = total) -> None:
            now = time.monotonic()
            if not first:
                first.append((now, done))
            t0, d0 = first[0]
            per_second = (done - d0) / (now - t0) if now > t0 and done > d0 else 0.0
            rate = f"{per_second:,.{0 if per_second >= 100 else 1}f} {unit}/s" if per_second else ""
            bar.update(task, completed=done, total=total, rate=rate, refresh=True)

        yield update
