"""A one-line progress counter on a terminal's stderr (no dependency, no thread)."""

from __future__ import annotations

import time
from typing import TextIO

__all__ = ["Progress"]


class Progress:
    """``1,234 records · 2,345/s · 3 errors`` redrawn in place at most ten times a second.

    Shown only when ``stream`` is a terminal; :meth:`clear` before printing other lines.
    """

    def __init__(self, stream: TextIO, *, enabled: bool | None = None,
                 interval: float = 0.1) -> None:
        self.stream = stream
        self.enabled = stream.isatty() if enabled is None else enabled
        self.interval = interval
        self.start = time.monotonic()
        self.last = 0.0
        self.shown = 0

    def update(self, done: int, errors: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < self.interval:
            return
        self.last = now
        rate = done / max(now - self.start, 1e-9)
        line = f"  {done:,} records · {rate:,.0f}/s · {errors:,} errors"
        self.stream.write("\r" + line.ljust(self.shown))
        self.stream.flush()
        self.shown = len(line)

    def clear(self) -> None:
        if self.enabled and self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.flush()
            self.shown = 0
            self.last = 0.0
