"""Text for terminals: the width to wrap at, wrapping by display width, colour.

Wrapping counts a CJK character as two columns and may break between two CJK
characters (Chinese has no spaces), never inside a Latin word or before closing
punctuation (，。、；：）」). Colour is ANSI, on when the stream is a terminal, unless
``NO_COLOR`` is set (https://no-color.org); ``FORCE_COLOR`` turns it on anyway. No
dependency: this is all a plain report needs.

>>> wrap("本办法适用于本市使用财政资金的非涉密政务信息化项目。", 20)
['本办法适用于本市使用', '财政资金的非涉密政务', '信息化项目。']
>>> wrap("Scope: non-classified projects funded by the city.", 24, indent=2)
['  Scope: non-classified', '  projects funded by the', '  city.']
"""

from __future__ import annotations

import os
import shutil
import unicodedata
from typing import TextIO

__all__ = ["DEFAULT_WIDTH", "colour_enabled", "display_width", "paint", "terminal_width",
           "wrap"]

DEFAULT_WIDTH = 96
"""Columns when the output is not a terminal (files, pipes): stable, diff-friendly."""

_NO_BREAK_BEFORE = frozenset("，。、；：！？）」』】》〉,.;:!?)]}%")
_NO_BREAK_AFTER = frozenset("（「『【《〈(“‘[")
_STYLES = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "dim": "2",
           "bold": "1"}


def _cells(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def display_width(text: str) -> int:
    """Terminal columns of ``text``."""
    return sum(_cells(ch) for ch in text)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def _tokens(text: str) -> list[str]:
    """Words, spaces, and single wide characters (each a place a line may break)."""
    out: list[str] = []
    for ch in text:
        if ch.isspace():
            if out and out[-1].isspace():
                out[-1] += " "
            else:
                out.append(" ")
        elif _wide(ch) or not out or out[-1].isspace() or _wide(out[-1][-1]):
            if out and not out[-1].isspace() and (ch in _NO_BREAK_BEFORE
                                                  or out[-1][-1] in _NO_BREAK_AFTER):
                out[-1] += ch  # punctuation stays with what it opens or closes
            else:
                out.append(ch)
        else:
            out[-1] += ch
    return out


def wrap(text: str, width: int, *, indent: int = 0) -> list[str]:
    """``text`` in lines of at most ``width`` columns (a longer word stands alone)."""
    pad = " " * indent
    room = max(8, width - indent)
    lines: list[str] = []
    body = text.strip()
    line = text[:len(text) - len(text.lstrip())].replace("\t", " ").replace("\n", " ")
    used = len(line)
    for token in _tokens(body.replace("\n", " ")):
        size = display_width(token)
        if token.isspace():
            if line.strip() and used + size <= room:
                line, used = line + token, used + size
            continue
        if used + size > room and line.strip():
            lines.append(pad + line.rstrip())
            line, used = "", 0
        line, used = line + token, used + size
    if line.strip() or not lines:
        lines.append(pad + line.rstrip())
    return lines


def terminal_width(stream: TextIO) -> int:
    """The stream's terminal width (``COLUMNS`` wins), else :data:`DEFAULT_WIDTH`."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) >= 40:
        return int(columns)
    try:
        if stream.isatty():
            return max(40, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)
    except (AttributeError, ValueError, OSError):
        pass
    return DEFAULT_WIDTH


def colour_enabled(stream: TextIO) -> bool:
    """ANSI colour on ``stream``: ``NO_COLOR`` off, ``FORCE_COLOR`` on, else a TTY."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError, OSError):
        return False


def paint(text: str, style: str, enabled: bool) -> str:
    """``text`` in ``style`` (``red``, ``bold``...) when ``enabled``."""
    if not enabled:
        return text
    codes = ";".join(_STYLES[s] for s in style.split())
    return f"\x1b[{codes}m{text}\x1b[0m"
