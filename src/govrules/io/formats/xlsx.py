"""``xlsx``: a findings workbook for the offices that keep project registers in Excel.

Sheets: 记录 records (one row per record and pack: verdict, binding, counts), 发现
findings (one row per finding: rule, status, severity, article, quote, message in
Chinese and English, due date, facts to supply), 错误 errors (records that could not be
read, with their place). Headers are bilingual; the chosen language (``--lang``) comes
first. A workbook is binary: write it to a file (``--format xlsx:out.xlsx`` or ``-o``).
Needs openpyxl (the ``xlsx`` extra).
"""

from __future__ import annotations

import re
from typing import Any, TextIO

from govrules.base.errors import Diagnostic, InputError
from govrules.base.i18n import _, both
from govrules.io.batch import Outcome, Piece, Summary
from govrules.io.formats.common import FormatContext, record_label, reports_of

__all__ = ["XlsxEncoder", "XlsxWriter"]

_RECORDS = [("来源", "source"), ("记录编号", "snapshot id"), ("规则包", "pack"),
            ("结论", "verdict"), ("有约束力", "binding"), ("违反", "violated"),
            ("无法判定", "undetermined"), ("豁免", "waived"), ("符合", "satisfied"),
            ("不适用", "not applicable")]
_FINDINGS = [("来源", "source"), ("记录编号", "snapshot id"), ("规则包", "pack"),
             ("规则", "rule"), ("状态", "status"), ("级别", "severity"),
             ("有约束力", "binding"), ("条款", "article"), ("原文", "quote"),
             ("说明", "message (zh)"), ("message", "message (en)"), ("截止日期", "due"),
             ("需补充的事实", "facts to supply")]
_ERRORS = [("来源", "source"), ("代码", "code"), ("信息", "message"), ("位置", "place"),
           ("提示", "hint")]


_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _cell(value: Any) -> Any:
    """A cell value a workbook can hold: XML 1.0 forbids most C0 controls and lone
    surrogates in a cell's text (ids and file names come from the input), so they are
    written as visible ``\\uXXXX`` escapes instead of failing the whole run."""
    if isinstance(value, str):
        return _XML_FORBIDDEN.sub(lambda m: f"\\u{ord(m.group(0)):04x}", value)
    return value


def _head(columns: list[tuple[str, str]]) -> list[str]:
    return [both({"zh": zh, "en": en}) for zh, en in columns]


class XlsxEncoder:
    """The record as rows: ``{"records": [...], "findings": [...], "errors": [...]}``."""

    def __init__(self, context: FormatContext) -> None:
        del context

    def __call__(self, outcome: Outcome) -> dict[str, list[list[Any]]]:
        source = outcome.record.source
        if outcome.result is None:
            return {"records": [], "findings": [], "errors": [
                [source, d.code, d.message, d.where(), d.hint or ""]
                for d in outcome.diagnostics]}
        label = record_label(outcome)
        records: list[list[Any]] = []
        findings: list[list[Any]] = []
        for report in reports_of(outcome.result):
            c = report.counts
            records.append([source, label, report.pack.id, report.verdict, report.binding,
                            c.get("violated", 0), c.get("undetermined", 0), c.get("waived", 0),
                            c.get("satisfied", 0), c.get("not_applicable", 0)])
            for f in report.findings:
                findings.append([source, label, report.pack.id, f.rule, f.status, f.severity,
                                 report.binding, f.article.label, f.article.quote or "",
                                 f.message.zh, f.message.en, f.due, ", ".join(f.missing)])
        return {"records": records, "findings": findings, "errors": []}


class XlsxWriter:
    """Collects the rows; the workbook is written when the run ends."""

    def __init__(self, context: FormatContext, out: TextIO) -> None:
        del context
        binary = getattr(out, "buffer", None)
        if binary is None or out.isatty():
            raise InputError(Diagnostic(
                "bad-option", _("an .xlsx workbook cannot go to a terminal"),
                hint=_("write it to a file: --format xlsx:findings.xlsx or -o findings.xlsx")))
        self.out = out
        self.rows: dict[str, list[list[Any]]] = {"records": [], "findings": [], "errors": []}

    def write(self, piece: Piece) -> None:
        for sheet, rows in piece.payload.items():
            self.rows[sheet].extend(rows)

    def finish(self, summary: Summary) -> None:
        del summary
        try:
            from openpyxl import Workbook  # noqa: PLC0415 - the optional xlsx extra
        except ImportError:
            raise InputError(Diagnostic("xlsx-needs-openpyxl", _("writing .xlsx needs openpyxl"),
                                        hint=_("pip install 'govrules[xlsx]'"))) from None
        book = Workbook(write_only=True)
        for name, columns in (("记录 records", _RECORDS), ("发现 findings", _FINDINGS),
                              ("错误 errors", _ERRORS)):
            sheet = book.create_sheet(name)
            sheet.append(_head(columns))
            key = name.split()[1]
            for row in self.rows[key]:
                sheet.append([_cell(value) for value in row])
        self.out.flush()
        book.save(self.out.buffer)
