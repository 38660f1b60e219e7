"""What compiled conditions evaluate with: unknown values, the context, Kleene logic.

Every fact is optional. A fact that is absent evaluates to an :class:`Unknown` that
remembers which fact paths were missing, so that a report can say which facts would
decide an undetermined rule. Logic follows Kleene's strong three-valued tables:
``unknown and false`` is false, ``unknown or true`` is true.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from govrules.base.calendar import Calendar

__all__ = [
    "NO_VALUE",
    "EvalContext",
    "Unknown",
    "in_list",
    "kleene_and",
    "kleene_not",
    "kleene_or",
    "merge",
    "merge_all",
    "summarise_missing",
]

@dataclass(frozen=True, slots=True)
class Unknown:
    """A value that cannot be determined; ``missing`` names the absent facts.

    An empty ``missing`` means no fact would help: a division by zero, a date out of
    range, the minimum of an empty list. An Unknown has no truth value: test it with
    ``value is True`` / ``value is False`` or ``isinstance``.
    """

    missing: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        raise TypeError("an Unknown has no truth value; compare with 'is True' or 'is False'")

    def __repr__(self) -> str:
        return f"Unknown({sorted(self.missing)!r})" if self.missing else "Unknown()"


NO_VALUE = Unknown()
"""The Unknown that no fact would resolve."""


def merge(a: Unknown, b: Unknown) -> Unknown:
    """An Unknown missing the facts of both (reusing one of them when possible)."""
    if b.missing <= a.missing:
        return a
    if a.missing <= b.missing:
        return b
    return Unknown(a.missing | b.missing)


def merge_all(unknowns: list[Unknown]) -> Unknown:
    """One Unknown missing the facts of all of ``unknowns`` (at least one).

    Quantifiers collect the Unknowns of their items and merge them once here, so a
    list of n items costs O(n), not the O(n²) of merging one item at a time.
    """
    if len(unknowns) == 1:
        return unknowns[0]
    largest = max(unknowns, key=lambda u: len(u.missing))
    missing = set(largest.missing)
    for unknown in unknowns:
        if unknown is not largest:
            missing.update(unknown.missing)
    return largest if len(missing) == len(largest.missing) else Unknown(frozenset(missing))


MAX_LISTED_ITEMS = 10
"""Items of one list named one by one in a finding's missing facts; beyond this, the
field is named once for every item (``budget.adjustments[].amount``)."""
_INDEX = re.compile(r"\[\d+\]")


def summarise_missing(missing: Iterable[str]) -> list[str]:
    """``missing`` sorted, with the same field of more than :data:`MAX_LISTED_ITEMS`
    items of a list named once, as ``list[].field``: a report stays linear in the
    rules, not in the length of a record's lists.

    >>> summarise_missing(["a[0].x", "b"])
    ['a[0].x', 'b']
    >>> summarise_missing([f"a[{i}].x" for i in range(11)])
    ['a[].x']
    """
    names = sorted(missing)
    if len(names) <= MAX_LISTED_ITEMS:
        return names
    groups: dict[str, list[str]] = {}
    for name in names:
        groups.setdefault(_INDEX.sub("[]", name), []).append(name)
    out: list[str] = []
    for pattern, members in groups.items():
        out += [pattern] if len(members) > MAX_LISTED_ITEMS else members
    return sorted(out)


def in_list(a: Any, items: Any, negated: bool) -> Any:
    """``a in items`` (``not in`` when ``negated``) in three-valued logic: a miss is
    unknown when some item, or the list itself, is unknown."""
    if a.__class__ is Unknown:
        return merge(a, items) if items.__class__ is Unknown else a
    if items.__class__ is Unknown:
        return items
    unknowns: list[Unknown] = []
    for item in items:
        if item is None:
            unknowns.append(NO_VALUE)
        elif item.__class__ is Unknown:
            unknowns.append(item)
        else:
            same = item == a  # a date given to the month may or may not be the day
            if same is True:
                return not negated
            if same.__class__ is Unknown:
                unknowns.append(same)
    return merge_all(unknowns) if unknowns else negated


def kleene_and(a: object, b: object) -> object:
    """``a and b`` on True, False and Unknown.

    >>> kleene_and(Unknown(frozenset({"x"})), False), kleene_and(True, Unknown())
    (False, Unknown())
    """
    if a is False or b is False:
        return False
    if isinstance(a, Unknown):
        return merge(a, b) if isinstance(b, Unknown) else a
    return b


def kleene_or(a: object, b: object) -> object:
    """``a or b`` on True, False and Unknown."""
    if a is True or b is True:
        return True
    if isinstance(a, Unknown):
        return merge(a, b) if isinstance(b, Unknown) else a
    return b


def kleene_not(a: object) -> object:
    """``not a``; the negation of an Unknown is the same Unknown."""
    if a is True:
        return False
    if a is False:
        return True
    return a


class EvalContext:
    """Everything one evaluation of one snapshot needs; one per (snapshot, pack) run.

    ``cache`` memoises derived facts for this snapshot; ``uncovered_years`` collects
    the years for which the working-day calendar had no data (the report warns).
    Not shared between threads; compiled conditions themselves are.
    """

    __slots__ = ("_calendar", "as_of", "cache", "frame", "root", "trace", "uncovered_years")

    def __init__(
        self,
        root: Any,
        as_of: date,
        calendar: Calendar | None = None,
        *,
        cache: dict[str, object] | None = None,
        uncovered_years: set[int] | None = None,
    ) -> None:
        self.root = root
        self.as_of = as_of
        self._calendar = calendar
        self.cache: dict[str, object] = {} if cache is None else cache
        self.uncovered_years: set[int] = set() if uncovered_years is None else uncovered_years
        # Quantifier variables: slot k holds the current item at 2k and its index at 2k+1
        # (quantifiers grow the list to the size they need).
        self.frame: list[Any] = []
        # Set by explain(): (source text, value) pairs in evaluation order.
        self.trace: list[tuple[str, object]] | None = None

    @property
    def calendar(self) -> Calendar:
        """The working-day calendar (the default one when none was given)."""
        if self._calendar is None:
            self._calendar = Calendar.default()
        return self._calendar

    @calendar.setter
    def calendar(self, value: Calendar) -> None:
        self._calendar = value

    def __repr__(self) -> str:
        return f"EvalContext(root={type(self.root).__name__}, as_of={self.as_of})"
