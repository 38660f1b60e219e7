"""What the output formats share: the run's context, the writer protocol, small helpers."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, get_args
from urllib.parse import quote

from govrules.base.i18n import _, ngettext
from govrules.io.batch import Outcome, Piece, Summary
from govrules.model.report import CombinedReport, Detail, Finding, Report

__all__ = [
    "DETAILS",
    "Detail",
    "FormatContext",
    "Writer",
    "artifact_uri",
    "error_items",
    "finding_path",
    "json_item",
    "json_safe",
    "record_label",
    "reports_of",
    "summary_line",
    "with_source",
]


DETAILS: tuple[Detail, ...] = get_args(Detail)


@dataclass(frozen=True)
class FormatContext:
    """What a format needs to know about the run (picklable: encoders run in workers).

    ``single`` is true when the command names one file (or ``-``): if that input turns
    out to be one document, text output has no ``=== source ===`` heading. (``json`` has
    one shape whatever the inputs: an array of records.)
    ``root`` is the folder SARIF paths are made relative to.
    """

    single: bool = False
    root: str = "."
    width: int = 96
    """Columns of text output (the terminal's, else 96)."""
    colour: bool = False
    """ANSI colour in text output (a terminal, NO_COLOR / FORCE_COLOR)."""
    detail: Detail | None = None
    """The report form of ``json`` and ``jsonl`` (:meth:`Report.to_line_json` or the full
    form); None: each format's default (``jsonl`` line, ``json`` full)."""

    def line_form(self, default: bool) -> bool:
        """Whether reports are written in the line form (``default`` when not chosen)."""
        return default if self.detail is None else self.detail == "line"

    def writes_line_only(self, fmt: str) -> bool:
        """Whether ``fmt`` writes reports in the line form and nothing else of them."""
        return fmt in LINE_BY_DEFAULT and self.line_form(LINE_BY_DEFAULT[fmt])


LINE_BY_DEFAULT: dict[str, bool] = {"json": False, "jsonl": True}
"""The formats that write reports as JSON, and whether in the line form by default."""


class Writer(Protocol):
    """Writes pieces as they come, in input order, then closes the output."""

    def write(self, piece: Piece) -> None: ...

    def finish(self, summary: Summary) -> None: ...


def reports_of(result: Report | CombinedReport) -> list[Report]:
    return [result] if isinstance(result, Report) else list(result.reports)


def record_label(outcome: Outcome) -> str:
    """The snapshot's id, else where it came from."""
    snapshot = outcome.snapshot
    return snapshot.id if snapshot is not None and snapshot.id else outcome.record.source


def json_item(outcome: Outcome, *, indent: int | None, line: bool = False) -> str:
    """The record as JSON text: the report (or combined report), in the line form when
    ``line``, or its errors.

    A report's text does not carry ``source``: writers add it with :func:`with_source`
    (the report itself is the SPEC's report contract, as the Python API returns it).
    """
    if outcome.result is not None:
        result = outcome.result
        return json_safe(result.to_line_json(indent=indent) if line
                         else result.model_dump_json(indent=indent))
    separators = (",", ":") if indent is None else None
    return json_safe(json.dumps(error_items(outcome), ensure_ascii=False, indent=indent,
                                separators=separators))


_LINE_BREAKING = re.compile("[\u2028\u2029\x85]")


def json_safe(text: str) -> str:
    """JSON text with U+2028, U+2029 and U+0085 written as escapes.

    They are valid inside JSON strings, but readers that split lines the way
    ``str.splitlines`` does would cut a JSON Lines record in two. Outside strings
    JSON text never holds them, so replacing them keeps the same value.
    """
    if "\u2028" not in text and "\u2029" not in text and "\x85" not in text:
        return text  # the common case: three scans in C, no regex machinery
    return _LINE_BREAKING.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def error_items(outcome: Outcome) -> dict[str, Any]:
    return {"source": outcome.record.source,
            "errors": [d.to_dict() for d in outcome.diagnostics]}


def with_source(item: str, source: str, *, indent: int | None) -> str:
    """``{"source": ..., <the fields of item>}`` for the non-empty JSON object ``item``.

    Splicing the key into the text avoids decoding and re-encoding every report.
    """
    key = json_safe(json.dumps(source, ensure_ascii=False))
    if indent is None:
        return f'{{"source":{key},{item[1:]}'
    return f'{{\n{" " * indent}"source": {key},{item[1:]}'


def finding_path(finding: Finding) -> str:
    """The fact a finding is about: its first missing fact, else its first fact."""
    if finding.missing:
        return finding.missing[0]
    return next(iter(finding.facts), "")


def artifact_uri(file: str, root: str) -> str:
    """A path relative to ``root`` with forward slashes, or a file URI outside it."""
    path = Path(file)
    absolute = path if path.is_absolute() else Path(os.path.abspath(file))
    try:
        relative = absolute.relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return absolute.as_uri()  # percent-encodes
    # RFC 3986: spaces, "#", "%", quotes and control characters are percent-encoded.
    return quote(relative, safe="/", errors="surrogateescape")


def summary_line(summary: Summary) -> str:
    """The one-line summary of a run, printed to stderr, in the chosen language."""
    return "govrules: " + _(
        "{records}: {checked} checked ({compliant} compliant, {non_compliant} non-compliant, "
        "{undetermined} undetermined, {not_applicable} not applicable), {errors}; "
        "{failing} failing").format(
        records=ngettext("{n} record", "{n} records", summary.records).format(
            n=summary.records),
        checked=summary.checked, compliant=summary.compliant,
        non_compliant=summary.non_compliant, undetermined=summary.undetermined,
        not_applicable=summary.not_applicable,
        errors=ngettext("{n} error", "{n} errors", summary.errors).format(n=summary.errors),
        failing=summary.failing)
