"""A plain text progress bar for long commands (no dependency, works in CI logs too)."""

from __future__ import annotations

import sys
import time
from typing import Protocol


class Stream(Protocol):
    def write(self, text: str) -> object: ...
    def flush(self) -> None: ...
    def isatty(self) -> bool: ...


class ProgressBar:
    """Redraws in place on a terminal; elsewhere prints a line every tenth of the way."""

    def __init__(self, total: int, label: str, stream: Stream | None = None, width: int = 30):
        self.total = max(total, 1)
        self.label = label
        self.stream: Stream = stream or sys.stderr
        self.width = width
        self.done = 0
        self.started = time.monotonic()
        self._interactive = self.stream.isatty()
        self._last_tenth = -1

    def advance(self, amount: int) -> None:
        self.done = min(self.total, self.done + amount)
        fraction = self.done / self.total
        if self._interactive:
            self.stream.write("\r" + self._line(fraction))
            self.stream.flush()
        elif int(fraction * 10) != self._last_tenth:
            self._last_tenth = int(fraction * 10)
            self.stream.write(self._line(fraction) + "\n")

    def finish(self) -> None:
        if self._interactive:
            self.stream.write("\n")
        self.stream.flush()

    def _line(self, fraction: float) -> str:
        filled = int(fraction * self.width)
        elapsed = time.monotonic() - self.started
        bar = "#" * filled + "." * (self.width - filled)
        return (
            f"{self.label} [{bar}] {fraction:6.1%} {self.done:,}/{self.total:,} ({elapsed:.0f} s)"
        )
