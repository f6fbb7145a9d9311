"""Progress bars on a terminal, silence in CI and with --quiet. Only the runner uses this."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.progress import Progress as RichProgress

T = TypeVar("T")


class Progress:
    def __init__(self, enabled: bool = True) -> None:
        self.console = Console(stderr=True)
        self.enabled = enabled
        self.bars = enabled and self.console.is_terminal
        self._rich = (
            RichProgress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            if self.bars
            else None
        )

    def __enter__(self) -> Progress:
        if self._rich:
            self._rich.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._rich:
            self._rich.stop()

    def track(
        self, items: Iterable[T], total: int | None = None, description: str = ""
    ) -> Iterator[T]:
        if self._rich is None:
            yield from items
            return
        task = self._rich.add_task(description, total=total)
        try:
            for item in items:
                yield item
                self._rich.advance(task)
        finally:
            self._rich.remove_task(task)

    def log(self, message: str) -> None:
        if self.enabled:
            print(message, file=sys.stderr if self.bars else sys.stdout)
