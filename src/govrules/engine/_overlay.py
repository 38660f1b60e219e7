"""Records read with one fact changed, for the query plan (nothing copied deeply or
validated): :func:`with_fact` answers attribute by attribute; :func:`shadowed` copies the
few records on the fact's path, so the conditions read every other fact at the speed of
the record itself.
"""

from __future__ import annotations

import functools
import re
from typing import Any

__all__ = ["path_parts", "shadowed", "with_fact"]

_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?")


@functools.lru_cache(maxsize=4096)
def path_parts(path: str) -> tuple[tuple[str, int | None], ...]:
    out: list[tuple[str, int | None]] = []
    for piece in path.split("."):
        match = _PART.fullmatch(piece)
        if match is None:
            raise ValueError(f"not a fact path: {path!r}")
        out.append((match.group(1), int(match.group(2)) if match.group(2) else None))
    return tuple(out)


class _Overlay:
    """A record read as ``base`` except for one fact path, set to a value.

    Conditions read facts by attribute, so the overlay answers for the path it changes and
    hands every other attribute to ``base``; nothing is copied or validated.
    """

    __slots__ = ("_o_base", "_o_index", "_o_name", "_o_tail", "_o_value")

    def __init__(self, base: object, parts: tuple[tuple[str, int | None], ...],
                 value: Any) -> None:
        self._o_base = base
        (self._o_name, self._o_index), self._o_tail = parts[0], parts[1:]
        self._o_value = value

    def __getattr__(self, attr: str) -> Any:
        current = getattr(self._o_base, attr, None) if self._o_base is not None else None
        if attr != self._o_name:
            return current
        if self._o_index is not None:
            items = list(current or [])
            if self._o_index < len(items):
                items[self._o_index] = (_Overlay(items[self._o_index], self._o_tail,
                                                 self._o_value)
                                        if self._o_tail else self._o_value)
            return items
        if not self._o_tail:
            return self._o_value
        return _Overlay(current, self._o_tail, self._o_value)


def with_fact(root: object, path: str, value: Any) -> Any:
    """``root`` read with the fact at ``path`` (``a.b``, ``a.items[2].c``) set to ``value``.

    >>> from govrules.model.snapshot import Snapshot
    >>> with_fact(Snapshot(), "contract.filed", True).contract.filed
    True
    """
    return _Overlay(root, path_parts(path), value)


class _Shadow:
    """A record that reads as ``base`` with one attribute replaced.

    The base record's fields are copied (shallowly, once), so reading them costs what it
    costs on the record itself; anything else (a computed field) is asked of ``base``.
    """

    __slots__ = ("__dict__", "_s_base")

    def __init__(self, base: object, fields: dict[str, Any], name: str, value: Any) -> None:
        self._s_base = base
        self.__dict__.update(fields)
        self.__dict__[name] = value

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._s_base, attr, None) if self._s_base is not None else None


def _shadow(base: object, parts: tuple[tuple[str, int | None], ...], value: Any) -> Any:
    fields = {} if base is None else getattr(base, "__dict__", None)
    if fields is None:  # a record without a __dict__: read it attribute by attribute
        return _Overlay(base, parts, value)
    (name, index), tail = parts[0], parts[1:]
    current = getattr(base, name, None) if base is not None else None
    new: Any
    if index is not None:
        new = list(current or [])
        if index < len(new):
            new[index] = _shadow(new[index], tail, value) if tail else value
    elif tail:
        new = _shadow(current, tail, value)
    else:
        new = value
    return _Shadow(base, fields, name, new)


def shadowed(root: object, path: str, value: Any) -> Any:
    """What :func:`with_fact` reads, with the records on ``path`` copied once.

    >>> from govrules.model.snapshot import Snapshot
    >>> shadowed(Snapshot(), "contract.filed", True).contract.filed
    True
    """
    return _shadow(root, path_parts(path), value)
