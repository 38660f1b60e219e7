"""Dated versions: an article or rule that applies from one day until another.

A window is the half-open range ``[effective, repealed)``; ``None`` at either end means
unbounded. An amendment gives an article a new version from its effective date and ends
the old one the day before, so one pack answers for any ``as_of``. A rule applies only
where its own window and a version of its article's window meet.

>>> from datetime import date
>>> old, new = (None, date(2026, 7, 1)), (date(2026, 7, 1), None)
>>> overlaps(old, new), contains(new, date(2026, 7, 1)), describe(old)
(False, True, 'until 2026-06-30')
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Protocol

__all__ = ["Window", "contains", "describe", "intersect", "overlaps", "window_of"]

Window = tuple[date | None, date | None]
"""``(effective, repealed)``: first day in force, first day no longer in force."""


class _Dated(Protocol):
    @property
    def effective(self) -> date | None: ...

    @property
    def repealed(self) -> date | None: ...


def window_of(spec: _Dated) -> Window:
    """The window of an article or rule spec."""
    return spec.effective, spec.repealed


def contains(window: Window, day: date) -> bool:
    """Whether ``day`` falls in ``window``."""
    start, end = window
    return (start is None or start <= day) and (end is None or day < end)


def intersect(a: Window, b: Window) -> Window | None:
    """The days both windows share, or ``None`` when they share none."""
    starts = [d for d in (a[0], b[0]) if d is not None]
    ends = [d for d in (a[1], b[1]) if d is not None]
    start = max(starts) if starts else None
    end = min(ends) if ends else None
    if start is not None and end is not None and start >= end:
        return None
    return start, end


def overlaps(a: Window, b: Window) -> bool:
    """Whether two windows share a day."""
    return intersect(a, b) is not None


def describe(window: Window) -> str:
    """``from 2026-07-01``, ``until 2026-06-30``, ``2025-01-01 to 2026-06-30`` or ``always``."""
    start, end = window
    last = end - timedelta(days=1) if end is not None else None
    if start is not None and last is not None:
        return f"{start} to {last}"
    if start is not None:
        return f"from {start}"
    if last is not None:
        return f"until {last}"
    return "always"
