"""The error tree: every failure the library reports, with a stable code and a place.

A rule violation is never an exception (it is a finding in a report). Exceptions are for
broken inputs: a malformed snapshot, a malformed pack, a bad expression, an unreadable
file. Each carries one or more :class:`Diagnostic` values, sorted by location, so that a
loader can collect every problem in a file and report them together.

Codes are stable and documented in ``docs/errors.md``; tests assert on codes and
locations, never on message text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from govrules.base.location import Span

__all__ = [
    "CalendarError",
    "Diagnostic",
    "ExpressionError",
    "GovrulesError",
    "InputError",
    "PackError",
    "Severity",
    "SnapshotError",
]

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem, where it is, and what would fix it.

    ``path`` is a field path inside the document (``budget.adjustments[0].amount``) when
    the problem is about a value rather than a character position.
    """

    code: str
    message: str
    span: Span | None = None
    path: str | None = None
    hint: str | None = None
    severity: Severity = "error"
    rule: str | None = None

    def where(self) -> str:
        """``file:line:col``, ``file: at path`` or the empty string."""
        if self.span is not None:
            place = str(self.span)
            return f"{place}: at {self.path}" if self.path and self.span.line is None else place
        return f"at {self.path}" if self.path else ""

    def __str__(self) -> str:
        head = self.where()
        text = f"{head}: {self.code}: {self.message}" if head else f"{self.code}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text

    def sort_key(self) -> tuple[str, int, int, str, str]:
        span = self.span
        return (
            (span.file or "") if span else "",
            (span.line or 0) if span else 0,
            (span.col or 0) if span else 0,
            self.path or "",
            self.code,
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "file": self.span.file if self.span else None,
            "line": self.span.line if self.span else None,
            "col": self.span.col if self.span else None,
            "path": self.path,
            "hint": self.hint,
            "severity": self.severity,
            "rule": self.rule,
        }


class GovrulesError(Exception):
    """Base of every error govrules raises on bad input; carries sorted diagnostics."""

    def __init__(self, diagnostics: Diagnostic | Iterable[Diagnostic]) -> None:
        items = [diagnostics] if isinstance(diagnostics, Diagnostic) else list(diagnostics)
        if not items:
            raise ValueError("a GovrulesError needs at least one diagnostic")
        self.diagnostics: tuple[Diagnostic, ...] = tuple(sorted(items, key=Diagnostic.sort_key))
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    @property
    def code(self) -> str:
        """The code of the first diagnostic, for callers that expect a single error."""
        return self.diagnostics[0].code

    def __reduce__(self) -> tuple[type[GovrulesError], tuple[tuple[Diagnostic, ...]]]:
        # ``args`` holds the joined text, not the diagnostics: rebuild from these, so an
        # error travels to and from worker processes intact.
        return (type(self), (self.diagnostics,))


class InputError(GovrulesError):
    """A file that cannot be read, an unknown city, a bad command-line value."""


class SnapshotError(GovrulesError):
    """A project snapshot that does not match the snapshot model."""


class PackError(GovrulesError):
    """A policy pack that does not load: structure, references, expressions."""


class ExpressionError(GovrulesError):
    """A condition that does not parse or type-check (offsets are inside the text)."""


class CalendarError(GovrulesError):
    """Working-day calendar data that does not load."""
