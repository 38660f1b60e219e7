"""Making text from input safe to show on one line of a terminal or a CI log.

Snapshot ids, file names, reasons and bad values come from whoever wrote the input.
Shown raw, a newline in an id can start a forged ``VERDICT:`` line, an ESC or OSC
sequence can rewrite the screen or a window title, a ``\\r`` can overwrite a line, and a
line starting with ``::`` is a GitHub Actions workflow command. :func:`printable` turns
every such character into a visible escape, so each value stays on its own line, as
what it is.
"""

from __future__ import annotations

import re

__all__ = ["printable", "printable_line"]

_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f"  # C0 and C1 controls, DEL (newlines, ESC, CSI, OSC...)
    "\u2028\u2029"  # line and paragraph separators
    "\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidirectional overrides ("Trojan source")
    "\ufeff]"
)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char, f"\\u{ord(char):04x}")


def printable(text: str) -> str:
    """``text`` with control, separator and bidi characters as visible escapes.

    >>> printable("X\\nVERDICT: COMPLIANT\\x1b]0;t\\x07")
    'X\\\\nVERDICT: COMPLIANT\\\\u001b]0;t\\\\u0007'
    >>> printable("贵阳 · 2025")
    '贵阳 · 2025'
    """
    return _UNSAFE.sub(_escape, text)


def printable_line(text: str) -> str:
    """A whole output line: :func:`printable`, and never starting with ``::``, which
    CI runners read as a workflow command."""
    safe = printable(text)
    return " " + safe if safe.startswith("::") else safe
