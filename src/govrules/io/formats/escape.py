"""Escaping values from the input for the output formats' syntax.

Markdown: a value is either plain text, with every character Markdown (and GitHub's
Markdown) gives a meaning backslash-escaped, or a code span whose fence is longer than
any run of backticks inside it. Either way it stays on its line: line breaks and other
control characters become visible escapes (:func:`govrules.base.printable.printable`).
"""

from __future__ import annotations

import re

from govrules.base.printable import printable

__all__ = ["code_span", "markdown_text"]

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~&$^:-])")
_TICKS = re.compile("`+")


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown text (``|`` included: safe in a table cell).

    >>> markdown_text("![x](https://e.example) <img>")
    '\\\\!\\\\[x\\\\]\\\\(https\\\\://e.example\\\\) \\\\<img\\\\>'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(text))


def code_span(text: str, *, table: bool = False) -> str:
    """``text`` as one inline code span, whatever backticks it holds.

    >>> code_span("a`b")
    '``a`b``'
    """
    safe = printable(text)
    if table:
        safe = safe.replace("|", "\\|")  # GitHub splits table cells even in code spans
    longest = max((len(m.group()) for m in _TICKS.finditer(safe)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if safe.startswith("`") or safe.endswith("`") or not safe.strip() else ""
    return f"{fence}{pad}{safe}{pad}{fence}"
