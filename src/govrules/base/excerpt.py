"""Source excerpts under a diagnostic, rustc and ruff style: the line, and a caret.

::

    democity.yaml:61:10: error expr-unknown-fact: no fact 'data_export.asessed_on'
       |
    61 |       or data_export.asessed_on > contract.signed_on
       |          ^
    hint: did you mean 'data_export.assessed_on'?

The caret is placed by display width: a CJK character takes two columns.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

from govrules.base.loader import Span

__all__ = ["display_width", "excerpt"]


def display_width(text: str) -> int:
    """Terminal columns of ``text``: wide and full-width characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else
               0 if unicodedata.combining(ch) else 1 for ch in text)


@functools.lru_cache(maxsize=32)
def _lines(file: str) -> tuple[str, ...]:
    try:
        return tuple(Path(file).read_text(encoding="utf-8").splitlines())
    except (OSError, UnicodeDecodeError, ValueError):
        return ()


def excerpt(span: Span | None, *, indent: str = "") -> list[str]:
    """The source line of ``span`` with a caret under its column (empty when the file
    or the line cannot be read)."""
    if span is None or span.file is None or span.line is None or span.file == "-":
        return []
    lines = _lines(span.file)
    if not 0 < span.line <= len(lines):
        return []
    text = lines[span.line - 1].replace("\t", " ")
    number = str(span.line)
    pad = " " * len(number)
    out = [f"{indent}{pad} |", f"{indent}{number} | {text}"]
    if span.col is not None:
        before = text[:max(0, span.col - 1)]
        out.append(f"{indent}{pad} | {' ' * display_width(before)}^")
    return out
