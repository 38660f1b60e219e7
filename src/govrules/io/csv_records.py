"""Snapshot records from CSV: a header row of fact paths, one project per row.

The header names snapshot fields by their dotted path (``id``, ``city``,
``budget.original``, ``project.kind``) or by the fact's Chinese description as the snapshot
reference gives it (``记录编号``); a whole group or list of records may be one column of
JSON text (``budget.adjustments``). When the run's packs are fixed (``--policy``,
``--city``), the facts they declare (:mod:`govrules.model.vocabulary`) are columns too, by
path or description, read by their declared type. Cells are read as follows:

- an empty cell is *unknown*: the field is left out, never false or zero;
- true/false fields take ``true``/``false`` (also ``yes``/``no``, ``1``/``0``,
  ``是``/``否``), whole numbers take digits, everything else is passed on as text and
  read by the snapshot model like a YAML value (``500万元``, ``2025-03-10``, ``2025Q3``);
- a list field takes ``;``-separated items (``big_data_bureau; finance_bureau``) or
  JSON text (``["a", "b"]``);
- a group or record list takes JSON text.

A bad header (a column that is not a field) makes every row an error naming it, so no
row is checked with part of its data silently dropped.
"""

from __future__ import annotations

import codecs
import csv
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from govrules.base.diagnose import did_you_mean
from govrules.base.errors import Diagnostic, GovrulesError, InputError
from govrules.base.i18n import N_, _
from govrules.base.loader import JsonValueError, Span, decode_json, encoding_error
from govrules.model.snapshot import Snapshot, snapshot_facts

if TYPE_CHECKING:
    from govrules.model.snapshot.reference import Fact

__all__ = ["FIELDS_HINT", "column_fact", "known_columns", "read_csv"]

_TRUE = frozenset({"true", "yes", "y", "t", "1", "是"})
_FALSE = frozenset({"false", "no", "n", "f", "0", "否"})
_JSON_KINDS = frozenset({"group", "records"})
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")  # ASCII digits only: "²".isdigit() is true
FIELDS_HINT = N_("see docs/snapshot.md for field paths (a fact a pack declares is a column "
                  "when the run names the pack: --policy or --city)")


@dataclass(frozen=True, slots=True)
class _Column:
    number: int
    name: str
    kind: str
    item: str | None


class _CellError(Exception):
    """A cell that cannot be read as its column's kind (reported as ``csv-cell``)."""


def read_csv(stream: BinaryIO, file: str, *, model: type[Snapshot] | None = None
             ) -> Iterator[tuple[Span, object | GovrulesError]]:
    """``(span of the row, snapshot mapping or error)`` for each non-blank row; ``model``
    is the packs' snapshot model, whose declared facts are columns too.

    Each line is decoded on its own, so bytes that are not UTF-8 make only their row
    an error (``file-encoding`` at that line and column); the rows around it are kept.
    """
    lines = _Lines(stream)
    reader = csv.reader(lines)
    last = 0
    try:
        header = next(reader, None)
    except csv.Error as exc:
        yield Span(file, 1), _unreadable(file, 1, exc)
        return
    if header is None:
        return
    columns, problems = _columns(header, model or Snapshot)
    if bad := lines.bad_between(1, reader.line_num):  # every row reports the header
        problems.insert(0, ("file-encoding", _("{problem}: the header is not UTF-8 text").format(
            problem=_encoding(file, bad).diagnostics[0]), None))
    last = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Span(file, last + 1), _unreadable(file, last + 1, exc)
            last = reader.line_num
            continue
        span = Span(file, last + 1)
        bad = lines.bad_between(last + 1, reader.line_num)
        last = reader.line_num
        if bad:
            yield span, _encoding(file, bad)
        elif not any(cell.strip() for cell in row):
            continue
        elif problems:
            yield span, InputError([Diagnostic(code, message, span, hint=hint)
                                    for code, message, hint in problems])
        elif len(row) > len(columns):
            yield span, InputError(Diagnostic(
                "csv-row",
                _("the row has {row} cells, the header {columns}").format(
                    row=len(row), columns=len(columns)), span,
                hint=_("quote cells that contain commas")))
        else:
            yield span, _row(columns, row, span)


class _Lines:
    """The stream's lines as text, for :mod:`csv`; bytes that are not UTF-8 are kept
    as surrogate escapes and their line remembered, so the row can be refused."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.number = 0
        self.bad: dict[int, tuple[bytes, UnicodeDecodeError]] = {}

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        raw = self.stream.readline()
        if not raw:
            raise StopIteration
        self.number += 1
        if self.number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            self.bad[self.number] = (raw, exc)
            return raw.decode("utf-8", "surrogateescape")

    def bad_between(self, first: int, last: int) -> tuple[int, bytes, UnicodeDecodeError] | None:
        """The first line from ``first`` to ``last`` holding bytes that are not UTF-8."""
        if not self.bad:
            return None
        for number in range(first, last + 1):
            found = self.bad.pop(number, None)
            if found is not None:
                for later in range(number + 1, last + 1):
                    self.bad.pop(later, None)
                return (number, *found)
        return None


def _encoding(file: str, bad: tuple[int, bytes, UnicodeDecodeError]) -> InputError:
    number, raw, exc = bad
    return encoding_error(file, raw, exc, line=number)


def _unreadable(file: str, line: int, exc: Exception) -> InputError:
    return InputError(Diagnostic("csv-row", _("not a valid CSV row: {reason}").format(
        reason=exc), Span(file, line)))


@functools.cache
def _labels(model: type[Snapshot]) -> Mapping[str, tuple[str, ...]]:
    """The facts' Chinese descriptions (before `` — ``), each with the paths that have it."""
    found: dict[str, list[str]] = {}
    for path, fact in snapshot_facts(model).items():
        label = fact.description.split(" — ")[0].strip()
        if label and "[]" not in path:
            found.setdefault(label, []).append(path)
    return {k: tuple(v) for k, v in found.items()}


def column_fact(name: str, model: type[Snapshot] = Snapshot) -> tuple[str, Fact | None]:
    """A header cell's fact path and fact (None: not a column of ``model``): a path as is;
    a Chinese description that only one fact has (``记录编号``) as that fact's path (shared
    ones must be written as paths)."""
    facts = snapshot_facts(model)
    if not name.isascii():
        paths = _labels(model).get(name)
        name = paths[0] if paths and len(paths) == 1 else name
    return name, facts.get(name) if "[" not in name else None


def known_columns(model: type[Snapshot] = Snapshot) -> list[str]:
    """Every name a header cell may use, for a did-you-mean: paths, then descriptions."""
    paths = [path for path in snapshot_facts(model) if "[]" not in path]
    return paths + [label for label, found in _labels(model).items() if len(found) == 1]


def _columns(header: list[str], model: type[Snapshot]
             ) -> tuple[list[_Column], list[tuple[str, str, str | None]]]:
    """The header's columns and its problems as ``(code, message, hint)``."""
    known = known_columns(model)
    columns: list[_Column] = []
    problems: list[tuple[str, str, str | None]] = []
    first: dict[str, int] = {}
    for number, raw in enumerate(header, 1):
        name, fact = column_fact(raw.strip(), model)
        if not name:
            problems.append(("csv-header", _("header column {number} has no name").format(
                number=number), None))
        elif name in first:
            problems.append(("csv-header", _(
                "header column {number} repeats {name!r} (column {first})").format(
                number=number, name=name, first=first[name]), None))
        elif fact is None:
            hint = did_you_mean(name, known)
            if "[" in name:
                hint = _("write the whole list as one column of JSON text")
            problems.append(("csv-unknown-column", _(
                "header column {number} {name!r} is not a snapshot field").format(
                number=number, name=name), hint or _(FIELDS_HINT)))
        first.setdefault(name, number)
        columns.append(_Column(number, name, fact.kind if fact else "text",
                               fact.item if fact else None))
    return columns, problems


def _row(columns: list[_Column], row: list[str], span: Span) -> object:
    data: dict[str, object] = {}
    problems: list[Diagnostic] = []
    for column, raw in zip(columns, row, strict=False):
        cell = raw.strip()
        if not cell:
            continue
        try:
            _put(data, column.name.split("."), _value(column, cell))
        except _CellError as exc:
            problems.append(Diagnostic("csv-cell", _("column {number} {name!r}: {reason}").format(
                number=column.number, name=column.name, reason=exc), span, path=column.name))
    if problems:
        return InputError(problems)
    return data


def _value(column: _Column, cell: str) -> object:
    if column.kind in _JSON_KINDS or (column.kind == "list" and cell.startswith("[")):
        try:
            return decode_json(cell)[0]
        except JsonValueError as problem:
            text = (_("expected a list as JSON text ({code}: {problem} at character {pos})")
                    if column.kind == "list" else
                    _("expected a JSON object or list as JSON text ({code}: {problem} at "
                      "character {pos})"))
            raise _CellError(text.format(code=problem.code, problem=problem.message,
                                         pos=problem.pos + 1)) from None
    if column.kind == "list":
        return [_scalar(column.item, item.strip()) for item in cell.split(";")
                if item.strip()]
    return _scalar(column.kind, cell)


def _scalar(kind: str | None, text: str) -> object:
    if kind == "bool":
        lowered = text.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    elif kind == "integer" and _INTEGER.fullmatch(text):
        return int(text)
    return text  # the snapshot model reads (or rejects, with its own message) the text


def _put(data: dict[str, object], parts: list[str], value: object) -> None:
    """Set ``data[a][b]... = value`` for the path ``a.b...``."""
    for part in parts[:-1]:
        inner = data.setdefault(part, {})
        if not isinstance(inner, dict):
            raise _CellError(_("another column already gives {part!r} a value").format(
                part=part))
        data = inner
    existing = data.get(parts[-1])
    if isinstance(existing, dict) and isinstance(value, dict):
        value = {**value, **existing}
    data[parts[-1]] = value
