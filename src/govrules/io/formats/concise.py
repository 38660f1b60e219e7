"""``concise``: one line per finding, ``file:line: rule [severity] message``.

What ruff's and conftest's short formats print, for pre-commit hooks and CI logs:
violated and waived findings with the rule's severity (``error, not binding`` when the
pack does not bind on ``as_of``), undetermined ones with ``undetermined`` and the facts
to supply, and a record that cannot be read as ``file:line:col: code message``. The
message is in the chosen language (``--lang``). With ``--all-findings``, satisfied and
not-applicable findings get a line each too.

The place is the snapshot file and the line of the fact the finding is about (its first
missing fact, else its first fact) when the document has lines, else the record's line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from govrules.base.i18n import _, pick
from govrules.base.loader import Span
from govrules.io.batch import Outcome, Piece, Summary
from govrules.io.formats.common import FormatContext, artifact_uri, finding_path, reports_of
from govrules.io.formats.sarif import _loc  # the same place a SARIF result points at
from govrules.model.report import Finding, Report

__all__ = ["ConciseEncoder", "ConciseWriter", "Line", "finding_lines", "finding_span"]


@dataclass(frozen=True, slots=True)
class Line:
    """One finding or input error, ready for a one-line format."""

    span: Span
    rule: str
    level: str
    """error, warning, info, undetermined, waived, satisfied, not_applicable"""
    binding: bool
    message: str
    title: str


def finding_span(outcome: Outcome, finding: Finding) -> Span:
    """Where a finding points: the fact's line in a YAML document, else the record."""
    if outcome.record.in_stream or outcome.document is None:
        return outcome.record.span
    return outcome.document.span_of(_loc(finding_path(finding)))


def _message(report: Report, finding: Finding) -> tuple[str, str]:
    cite = f"{report.pack.id} {finding.article.label}"
    if finding.status == "undetermined":
        facts = ", ".join(finding.missing) or "?"
        return "undetermined", _("{cite}: undetermined: supply {facts}").format(
            cite=cite, facts=facts)
    text = pick(finding.message)
    if finding.status in ("violated", "waived"):
        level = finding.severity if finding.status == "violated" else "waived"
        return level, f"{cite}: {text}"
    word = _("satisfied") if finding.status == "satisfied" else _("not applicable")
    return finding.status, f"{cite}: {word}"


def finding_lines(outcome: Outcome) -> Iterator[Line]:
    """The record's findings (or its input errors), one :class:`Line` each."""
    if outcome.result is None:
        for d in outcome.diagnostics:
            text = d.message + (f" ({d.hint})" if d.hint else "")
            if d.path:
                text = f"{d.path}: {text}"
            yield Line(d.span or outcome.record.span, d.code, "error", True, text, d.code)
        return
    for report in reports_of(outcome.result):
        for finding in report.findings:
            level, text = _message(report, finding)
            title = finding.rule
            yield Line(finding_span(outcome, finding), finding.rule, level, report.binding,
                       text, title)


def place(span: Span, root: str, *, col: bool) -> str:
    """``path:line[:col]`` with the path relative to ``root`` where it is inside it."""
    file = span.file or "<input>"
    if span.file and span.file != "-" and not span.file.startswith("<"):
        uri = artifact_uri(span.file, root)
        file = uri.removeprefix("file://") if uri.startswith("file://") else uri
    parts = [file]
    if span.line is not None:
        parts.append(str(span.line))
        if col and span.col is not None:
            parts.append(str(span.col))
    return ":".join(parts)


class ConciseEncoder:
    def __init__(self, context: FormatContext) -> None:
        self.context = context

    def __call__(self, outcome: Outcome) -> str:
        out: list[str] = []
        for line in finding_lines(outcome):
            level = line.level if line.binding else line.level + ", " + _("not binding")
            where = place(line.span, self.context.root, col=outcome.result is None)
            text = " ".join(line.message.split())
            out.append(f"{where}: {line.rule} [{level}] {text}\n")
        return "".join(out)


class ConciseWriter:
    def __init__(self, context: FormatContext, out: TextIO) -> None:
        del context
        self.out = out

    def write(self, piece: Piece) -> None:
        self.out.write(str(piece.payload))

    def finish(self, summary: Summary) -> None:
        del summary  # the summary line goes to stderr
