"""Snapshot records from an Excel workbook (.xlsx): one project per row.

Project registers in government offices are kept in Excel. Each visible worksheet is read
as :mod:`govrules.csv_input` reads a CSV file: the first non-empty row names the fields,
every later non-empty row is one record, placed at ``book.xlsx!Sheet:row``. A header cell
is a fact path (``contract.signed_on``) or the fact's Chinese description as the snapshot
reference gives it (``合同签订日期``): a description several facts share must be written
as the path. Excel's types are kept: a date cell is the date, a number the number,
TRUE/FALSE true/false; empty cells are unknown.

Needs openpyxl (the ``xlsx`` extra), imported only when a workbook is read.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import IO, Any

from govrules.csv_input import read_csv
from govrules.errors import Diagnostic, GovrulesError, InputError
from govrules.snapshot import snapshot_facts
from govrules.source import Span

__all__ = ["XLSX_MEDIA_TYPE", "read_xlsx", "read_xlsx_records", "sheet_file"]

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_file(file: str, sheet: str) -> str:
    """The place name of a worksheet: ``book.xlsx!Sheet``."""
    return f"{file}!{sheet}"


@cache
def _labels() -> dict[str, tuple[str, ...]]:
    """Chinese descriptions of the facts (before `` — ``), each with its paths."""
    found: dict[str, list[str]] = {}
    for path, fact in snapshot_facts().items():
        label = fact.description.split(" — ")[0].strip()
        if label and "[]" not in path:
            found.setdefault(label, []).append(path)
    return {k: tuple(v) for k, v in found.items()}


def _header(cell: object) -> str:
    text = "" if cell is None else str(cell).strip()
    if text.isascii():
        return text
    paths = _labels().get(text)
    return paths[0] if paths and len(paths) == 1 else text


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() \
            else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(Decimal(repr(value)))
    return str(value)


def _sheet(rows: Iterator[tuple[Any, ...]], place: str
           ) -> Iterator[tuple[Span, object | GovrulesError]]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    lines: dict[int, int] = {}  # CSV line -> sheet row
    line, header = 1, True
    for number, values in enumerate(rows, 1):
        cells = [_text(v) for v in values]
        if not any(c.strip() for c in cells):
            continue
        if header:
            cells = [_header(v) for v in values]
            header = False
        lines[line] = number
        writer.writerow(cells)
        line += sum(c.count("\n") for c in cells) + 1
    data = io.BytesIO(buffer.getvalue().encode("utf-8"))
    for span, value in read_csv(data, place):
        at: int | None = lines.get(span.line or 0, span.line)
        if isinstance(value, GovrulesError):
            yield Span(place, at), type(value)([
                replace(d, span=Span(place, at, d.span.col if d.span else None))
                for d in value.diagnostics])
        else:
            yield Span(place, at), value


def read_xlsx(stream: IO[bytes], file: str) -> Iterator[tuple[Span, object | GovrulesError]]:
    """``(place of the row, snapshot mapping or error)`` for each non-empty row."""
    try:
        from openpyxl import load_workbook  # type: ignore[import-untyped]  # noqa: PLC0415
    except ImportError:
        yield Span(file), InputError(Diagnostic(
            "xlsx-needs-openpyxl", "reading .xlsx needs openpyxl", Span(file),
            hint="pip install 'govrules[xlsx]', or save the sheet as CSV"))
        return
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        yield Span(file), InputError(Diagnostic(
            "xlsx-unreadable", f"not an Excel .xlsx workbook ({type(exc).__name__})",
            Span(file), hint="save the file as Excel Workbook (.xlsx)"))
        return
    try:
        for sheet in book.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            yield from _sheet(sheet.iter_rows(values_only=True), sheet_file(file, sheet.title))
    finally:
        book.close()


def read_xlsx_records(path: str | Path) -> Iterator[tuple[Span, object | GovrulesError]]:
    """The records of the workbook at ``path`` (see :func:`read_xlsx`)."""
    with open(path, "rb") as stream:
        yield from read_xlsx(stream, str(path))
