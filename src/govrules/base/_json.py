"""Strict JSON: duplicate keys, over-long numbers and deep nesting refused at their place.

Part of :mod:`govrules.base.loader`, which re-exports :func:`decode_json` and
:class:`JsonValueError`.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from govrules.base.i18n import N_, _

__all__ = ["JsonValueError", "decode_json"]


class JsonValueError(Exception):
    """JSON text that is not a value govrules reads: ``code``, message, offset ``pos``."""

    def __init__(self, code: str, message: str, pos: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.pos = pos


class _DuplicateKeyError(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKeyError(key)
        out[key] = value
    return out


_DECODER = json.JSONDecoder(parse_float=Decimal, object_pairs_hook=_pairs)
_NOT_JSON = N_("not valid JSON: {problem}")

_LONG_NUMBER = re.compile(r"-?\d{4000,}")


def decode_json(text: str, pos: int = 0, *, whole: bool = True) -> tuple[Any, int]:
    """The JSON value at ``text[pos:]`` and where it ends; raise :class:`JsonValueError`.

    Strict as the YAML loader is: duplicate keys are refused (``json-duplicate-key``),
    and so are numbers too long to read (``json-number``) and nesting Python cannot
    follow (``json-too-deep``), each at its place. ``whole``: nothing but white space
    may follow the value.
    """
    try:
        value, end = _DECODER.raw_decode(text, _skip_space(text, pos))
    except json.JSONDecodeError as exc:
        raise JsonValueError("json-syntax", _(_NOT_JSON).format(problem=exc.msg),
                             exc.pos) from None
    except _DuplicateKeyError as dup:
        key = json.dumps(dup.key, ensure_ascii=False)
        found = [m.start() for m in re.finditer(re.escape(key) + r"\s*:", text[pos:])]
        where = pos + (found[1] if len(found) > 1 else 0)
        raise JsonValueError("json-duplicate-key", _("duplicate key {key}").format(key=key),
                             where) from None
    except RecursionError:
        raise JsonValueError("json-too-deep", _("JSON nesting is too deep"),
                             _deepest(text, pos)) from None
    except ValueError:  # an integer over Python's limit of digits
        match = _LONG_NUMBER.search(text, pos)
        raise JsonValueError("json-number", _("a number has too many digits to read"),
                             match.start() if match else pos) from None
    if whole and _skip_space(text, end) < len(text):
        raise JsonValueError("json-syntax", _(_NOT_JSON).format(problem="Extra data"),
                             _skip_space(text, end))
    return value, end


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _deepest(text: str, pos: int) -> int:
    """Where the nesting of the JSON text at ``pos`` is deepest (first reached)."""
    depth = best = 0
    where = pos
    in_string = escaped = False
    for i in range(pos, len(text)):
        char = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > best:
                best, where = depth, i
        elif char in "]}":
            depth -= 1
    return where


