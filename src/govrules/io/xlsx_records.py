"""Snapshot records from an Excel workbook (.xlsx): one project per row.

Project registers in government offices are kept in Excel. Each visible worksheet is read
like a CSV file (:mod:`govrules.io.csv_records`): its first non-empty row names snapshot fields
by their dotted path (``id``, ``city``, ``budget.original``) or by the fact's Chinese
description as the snapshot reference gives it (``记录编号``), and, when the run's packs are
fixed, the facts they declare; every later non-empty row is one record, placed at
``book.xlsx!Sheet:row`` (and the column, for a cell's problem).

Excel keeps types, so cells are read by what they hold and what the column expects:

- an empty cell is *unknown*: the field is left out, never false or zero;
- a date cell gives the date (a time of day other than midnight is an error);
- a number gives a whole number when it is one, else an exact decimal;
- a true/false column takes TRUE/FALSE cells, 1/0, and the words ``true``/``false``,
  ``yes``/``no``, ``是``/``否``;
- a list column takes ``;``-separated items or JSON text; a group or record list column
  takes JSON text;
- any other text is passed on and read by the snapshot model (``500万元``, ``2025Q3``).

A header cell that is not a field makes every row of that sheet an error naming it, so
no row is checked with part of its data silently dropped. Formulas are read as the value
Excel last computed (a workbook saved by a program that does not compute them has no
value there: the cell reads as empty).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

from govrules.base.diagnose import did_you_mean
from govrules.base.errors import Diagnostic, GovrulesError, InputError
from govrules.base.i18n import _
from govrules.base.loader import Span
from govrules.io.csv_records import FIELDS_HINT, column_fact, known_columns
from govrules.model.snapshot import Snapshot

__all__ = ["XLSX_MEDIA_TYPE", "read_xlsx", "sheet_file"]

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_WORDS = {"true": True, "yes": True, "y": True, "t": True, "是": True,
          "false": False, "no": False, "n": False, "f": False, "否": False}
_JSON_KINDS = frozenset({"group", "records"})


class _CellError(Exception):
    """A cell its column cannot take (reported as ``xlsx-cell``)."""


def sheet_file(file: str, sheet: str) -> str:
    """The place name of a worksheet: ``book.xlsx!Sheet``."""
    return f"{file}!{sheet}"


def read_xlsx(stream: IO[bytes], file: str, *, model: type[Snapshot] | None = None
              ) -> Iterator[tuple[Span, object | GovrulesError]]:
    """``(place of the row, snapshot mapping or error)`` for each non-empty row; ``model``
    is the packs' snapshot model, whose declared facts are columns too."""
    from openpyxl import load_workbook  # the optional `service` extra  # noqa: PLC0415 - optional extra, imported on use

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        yield Span(file), InputError(Diagnostic(
            "xlsx-unreadable", _("not an Excel .xlsx workbook ({kind})").format(
                kind=type(exc).__name__),
            Span(file), hint=_("save the file as Excel Workbook (.xlsx); .xls and .csv "
            "files are read differently")))
        return
    try:
        for sheet in book.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            yield from _sheet(sheet.iter_rows(values_only=True),
                              sheet_file(file, sheet.title), model or Snapshot)
    finally:
        book.close()


def _sheet(rows: Iterator[tuple[Any, ...]], place: str, model: type[Snapshot]
           ) -> Iterator[tuple[Span, object | GovrulesError]]:
    header: list[tuple[int, str, str, str | None]] | None = None
    problems: list[Diagnostic] = []
    for number, row in enumerate(rows, 1):
        if all(_blank(v) for v in row):
            continue
        if header is None:
            header, problems = _header(row, place, number, model)
            continue
        span = Span(place, number)
        if problems:
            yield span, InputError([*problems, Diagnostic(
                "xlsx-header", _("this row is not read: the sheet's header has problems"),
                span)])
            continue
        yield span, _record(header, row, place, number)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header(row: tuple[Any, ...], place: str, line: int, model: type[Snapshot]
            ) -> tuple[list[tuple[int, str, str, str | None]], list[Diagnostic]]:
    known = known_columns(model)
    columns: list[tuple[int, str, str, str | None]] = []
    problems: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for col, raw in enumerate(row, 1):
        if _blank(raw):
            continue
        name, fact = column_fact(str(raw).strip(), model)
        where = Span(place, line, col)
        if name in seen:
            problems.append(Diagnostic("xlsx-header", _(
                "column {col} repeats {name!r} (column {first})").format(
                col=col, name=name, first=seen[name]), where))
        elif fact is None:
            hint = (_("write the whole list as one column of JSON text") if "[" in name
                    else did_you_mean(name, known) or _(FIELDS_HINT))
            problems.append(Diagnostic("xlsx-unknown-column", _(
                "header {name!r} is not a snapshot field").format(name=name), where, hint=hint))
        else:
            columns.append((col, name, fact.kind, fact.item))
        seen.setdefault(name, col)
    return columns, problems


def _record(columns: list[tuple[int, str, str, str | None]], row: tuple[Any, ...],
            place: str, line: int) -> object:
    data: dict[str, object] = {}
    problems: list[Diagnostic] = []
    for col, name, kind, item in columns:
        value = row[col - 1] if col - 1 < len(row) else None
        if _blank(value):
            continue
        try:
            _put(data, name.split("."), _cell(kind, item, value))
        except _CellError as exc:
            problems.append(Diagnostic("xlsx-cell", _("{name}: {exc}").format(name=name, exc=exc),
                                       Span(place, line, col), path=name))
    return InputError(problems) if problems else data


def _cell(kind: str, item: str | None, value: object) -> object:
    """The value of a cell for a column of type ``kind`` (``item``: a list's items)."""
    if isinstance(value, datetime):
        value = _day(value)
    if isinstance(value, date):
        if kind in ("bool", "integer", "number", "money", "group", "records"):
            raise _CellError(f"expected a {kind} value, found the date {value.isoformat()}")
        return value.isoformat()
    if isinstance(value, bool):
        return value if kind != "text" else ("true" if value else "false")
    if isinstance(value, int | float):
        return _number(kind, value)
    return _text(kind, item, str(value).strip())


def _day(value: datetime) -> date:
    """A date cell's day; a time of day other than midnight is an error."""
    if value.time() != time(0, 0):
        raise _CellError(f"expected a date, found a date and time {value.isoformat(' ')}")
    return value.date()


def _number(kind: str, value: int | float) -> object:
    """A number cell: a whole number when it is one, else an exact decimal (1/0 in a
    true/false column)."""
    number = Decimal(str(value))
    if kind == "bool" and number in (0, 1):
        return number == 1
    integral = number == number.to_integral_value()
    return int(number) if integral else number


def _text(kind: str, item: str | None, text: str) -> object:
    """A text cell: JSON, ``;``-separated items, a true/false word, a whole number, or
    the text as it is."""
    if kind in _JSON_KINDS or (kind == "list" and text.startswith("[")):
        try:
            return json.loads(text, parse_float=Decimal)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise _CellError(f"expected JSON text ({exc})") from None
    if kind == "list":
        return [_cell(item or "text", None, part.strip()) for part in text.split(";")
                if part.strip()]
    if kind == "bool" and text.lower() in _WORDS:
        return _WORDS[text.lower()]
    if kind == "integer" and text.lstrip("+-").isdigit():
        return int(text)
    return text  # the snapshot model reads (or rejects, with its own message) the text


def _put(data: dict[str, object], parts: list[str], value: object) -> None:
    for part in parts[:-1]:
        inner = data.setdefault(part, {})
        if not isinstance(inner, dict):
            raise _CellError(f"another column already gives {part!r} a value")
        data = inner
    data[parts[-1]] = value
