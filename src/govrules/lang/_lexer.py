"""Split condition text into tokens.

Tokens keep their character offsets so that every later error can point at the exact
place in the pack file. Only ASCII is accepted outside string literals; a full-width
character typed on a Chinese keyboard gets a hint naming its ASCII twin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from govrules.base.i18n import _
from govrules.lang._problems import Problem

__all__ = ["KEYWORDS", "MAX_DIGITS", "MAX_TEXT", "Token", "tokenize"]

MAX_TEXT = 4000
"""Longest condition accepted, in characters."""

MAX_DIGITS = 30
"""Most digits in one number literal."""

KEYWORDS = frozenset({"and", "or", "not", "in", "is", "known", "unknown", "true", "false"})

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
_NUMBER = re.compile(r"[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*)?", re.ASCII)
_TWO = frozenset({"==", "!=", "<=", ">="})
_ONE = frozenset("<>+-*/%()[],.:")
_SPACE = frozenset(" \t\r\n\f\v")
_ESCAPES = {"\\": "\\", "'": "'", '"': '"'}


@dataclass(frozen=True, slots=True)
class Token:
    """One token: ``kind`` is ``number``, ``string``, ``name``, ``end``, or the operator
    or keyword itself (``==``, ``and``), so the parser matches on ``kind`` alone."""

    kind: str
    text: str
    start: int
    end: int
    value: Decimal | str | None = None

    def describe(self) -> str:
        """How an error message names this token."""
        if self.kind == "end":
            return _("the end of the condition")
        shown = self.text if len(self.text) <= 30 else self.text[:27] + "..."
        if self.kind == "number":
            return _("number {shown}").format(shown=shown)
        if self.kind == "string":
            return _("text {shown}").format(shown=shown)
        if self.kind == "name":
            return _("name {shown!r}").format(shown=shown)
        return repr(shown)


def tokenize(text: str) -> list[Token]:
    """The tokens of ``text``, ending with an ``end`` token; raise :class:`Problem`."""
    if len(text) > MAX_TEXT:
        raise Problem("expr-too-complex", _(
            "the condition is longer than {limit} characters").format(limit=MAX_TEXT),
            MAX_TEXT, _("split it into derived facts"))
    out: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in _SPACE:
            i += 1
        elif c == "#":
            newline = text.find("\n", i)
            i = n if newline < 0 else newline
        elif c.isascii() and (c.isalpha() or c == "_"):
            match = _NAME.match(text, i)
            assert match is not None
            word = match.group()
            out.append(Token(word if word in KEYWORDS else "name", word, i, match.end()))
            i = match.end()
        elif "0" <= c <= "9":
            i = _number(text, i, out)
        elif c in "'\"":
            i = _string(text, i, out)
        elif text[i:i + 2] in _TWO:
            out.append(Token(text[i:i + 2], text[i:i + 2], i, i + 2))
            i += 2
        elif c in _ONE:
            out.append(Token(c, c, i, i + 1))
            i += 1
        elif c == "=":
            raise Problem("expr-syntax", _("unexpected '='"), i, _("use '==' to compare"))
        else:
            raise Problem("expr-syntax", _("unexpected character {char!r}").format(char=c), i,
                          _char_hint(c))
    out.append(Token("end", "", n, n))
    return out


def _number(text: str, i: int, out: list[Token]) -> int:
    match = _NUMBER.match(text, i)
    assert match is not None
    literal = match.group()
    end = match.end()
    if sum(ch.isdigit() for ch in literal) > MAX_DIGITS:
        raise Problem("expr-too-complex", _(
            "number has more than {limit} digits").format(limit=MAX_DIGITS), i)
    if end < len(text) and (text[end].isalnum() or text[end] == "_"):
        raise Problem("expr-syntax", _("invalid number {number!r}").format(
            number=text[i:end + 1]), i, _("write numbers as 1000000 or 1_000_000 or 0.5"))
    out.append(Token("number", literal, i, end, Decimal(literal)))
    return end


def _string(text: str, i: int, out: list[Token]) -> int:
    quote = text[i]
    chars: list[str] = []
    j = i + 1
    while j < len(text):
        c = text[j]
        if c == quote:
            out.append(Token("string", text[i:j + 1], i, j + 1, "".join(chars)))
            return j + 1
        if c == "\n":
            break
        if c == "\\":
            escaped = _ESCAPES.get(text[j + 1:j + 2])
            if escaped is None:
                raise Problem("expr-syntax", _("unknown escape in text"), j,
                              _("only \\\\, \\' and \\\" are escapes"))
            chars.append(escaped)
            j += 2
            continue
        chars.append(c)
        j += 1
    raise Problem("expr-syntax", _("text is not closed"), i,
                  _("end it with {quote}").format(quote=quote))


def _char_hint(c: str) -> str | None:
    code = ord(c)
    if 0xFF01 <= code <= 0xFF5E:
        return _("full-width character: did you mean the ASCII {char!r}?").format(
            char=chr(code - 0xFEE0))
    if c == "\u3000":
        return _("full-width space: use an ordinary space")
    if c in "\u201c\u201d\u2018\u2019":
        return _("use straight quotes ' or \"")
    if c == "\u3001":
        return _("use a comma ','")
    if c.isalpha():
        return _("names are ASCII letters, digits and '_'; put other text in quotes")

    return None
