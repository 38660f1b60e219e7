"""Where something is in a source file: :class:`Span` (file, line, column).

The bottom of the module graph: errors carry spans, loaders make them; this module
imports nothing from govrules, so neither has to import the other for the type.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Span"]


@dataclass(frozen=True, slots=True)
class Span:
    """A place in a source file; ``line`` and ``col`` are 1-based."""

    file: str | None
    line: int | None = None
    col: int | None = None

    def __str__(self) -> str:
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def shifted(self, text: str, offset: int, *, base_col: int | None = None) -> Span:
        """The span of character ``offset`` inside ``text`` that starts at this span.

        ``base_col`` is the column of continuation lines (block scalars); plain and
        quoted one-line scalars continue on the same line.
        """
        if self.line is None:
            return self
        before = text[:offset]
        newlines = before.count("\n")
        if newlines == 0:
            return Span(self.file, self.line, (self.col or 1) + offset)
        last = before.rsplit("\n", 1)[1]
        return Span(self.file, self.line + newlines, (base_col or 1) + len(last))
