"""A Markdown summary for a pull-request comment.

Counts first, then the violations met most often with their article citations, then a
table per record (violated and waived rules; undetermined ones counted, with the facts
to supply), then the records that could not be checked. Records are kept as small
summaries only, and the per-record part stops at a size a comment can hold
(:data:`MAX_RECORD_CHARS`), saying how many records it leaves out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TextIO

from govrules.base.i18n import _, ngettext, pick
from govrules.io.batch import Outcome, Piece, Summary
from govrules.io.formats.common import FormatContext, record_label, reports_of
from govrules.io.formats.escape import code_span, markdown_text
from govrules.io.formats.render import SEVERITY_WORDS, STATUS_WORDS, VERDICT_WORDS

__all__ = ["MAX_RECORD_CHARS", "MarkdownEncoder", "MarkdownWriter"]

MAX_RECORD_CHARS = 40_000
"""Characters of per-record tables at most (GitHub comments hold 65,536)."""
MAX_ERRORS = 50
_SIGN = {"violated": "✗", "waived": "~", "undetermined": "?", "compliant": "✓",
         "non_compliant": "✗", "not_applicable": "–"}


def _mark(status: str) -> str:
    """``✗ violated`` and the like, in the chosen language."""
    word = STATUS_WORDS.get(status) or VERDICT_WORDS.get(status)
    return f"{_SIGN[status]} {_(word)}" if word is not None and status in _SIGN else status


@dataclass(frozen=True, slots=True)
class _Row:
    pack: str
    rule: str
    status: str
    severity: str
    article: str
    text: str


@dataclass(frozen=True, slots=True)
class _Record:
    """What the comment shows of one record."""

    label: str
    source: str
    verdict: str | None
    verdicts: tuple[tuple[str, str, bool], ...]
    rows: tuple[_Row, ...]
    undetermined: int
    missing: tuple[str, ...]
    citations: tuple[tuple[str, str], ...]
    presumed: tuple[str, ...] = ()


def _cell(text: str) -> str:
    return markdown_text(text)


def _code(text: str) -> str:
    return code_span(text, table=True)


class MarkdownEncoder:
    def __init__(self, context: FormatContext) -> None:
        del context

    def __call__(self, outcome: Outcome) -> _Record:
        if outcome.result is None:
            return _Record(outcome.record.source, outcome.record.source, None, (), (), 0, (), ())
        rows: list[_Row] = []
        citations: dict[str, str] = {}
        undetermined = 0
        missing: dict[str, None] = {}
        verdicts = []
        presumed: dict[str, None] = {}
        for report in reports_of(outcome.result):
            verdicts.append((report.pack.id, report.verdict, report.binding))
            presumed.update(dict.fromkeys(
                f"{report.pack.id} {p.clause.label}: `{p.fact}` = {p.presumed}"
                for p in report.presumptions))
            for finding in report.findings:
                article = finding.article
                heading = f"{article.label} {article.title}" if article.title else article.label
                if finding.status == "undetermined":
                    undetermined += 1
                    missing.update(dict.fromkeys(finding.missing))
                elif finding.status in ("violated", "waived"):
                    rows.append(_Row(report.pack.id, finding.rule, finding.status,
                                     finding.severity, heading, pick(finding.message)))
                    if finding.status == "violated":
                        citations[finding.rule] = (f"{report.pack.id} {heading} "
                                                   f"「{article.quote or ''}」")
        return _Record(record_label(outcome), outcome.record.source, outcome.result.verdict,
                       tuple(verdicts), tuple(rows), undetermined, tuple(missing),
                       tuple(citations.items()), tuple(presumed))


class MarkdownWriter:
    def __init__(self, context: FormatContext, out: TextIO) -> None:
        self.out = out
        self.violations: Counter[str] = Counter()
        self.citations: dict[str, str] = {}
        self.blocks: list[str] = []
        self.size = 0
        self.left_out = 0
        self.errors: list[str] = []
        self.error_records = 0

    def write(self, piece: Piece) -> None:
        record: _Record = piece.payload
        if record.verdict is None:
            if self.error_records < MAX_ERRORS:
                self.errors += [f"- {code_span(line)}" for line in piece.errors]
                self.error_records += 1
            return
        for rule, citation in record.citations:
            self.violations[rule] += 1
            self.citations.setdefault(rule, citation)
        block = self._block(record)
        if self.size + len(block) > MAX_RECORD_CHARS:
            self.left_out += 1
            return
        self.blocks.append(block)
        self.size += len(block)

    def _block(self, record: _Record) -> str:
        verdict = record.verdict or ""
        lines = [f"#### {_mark(verdict)} · {code_span(record.label)} · "
                 f"{code_span(record.source)}", ""]
        if len(record.verdicts) > 1:
            lines.append(_("packs: {packs}").format(packs=", ".join(
                f"{markdown_text(pack)} {_mark(v)}" + ("" if binding else
                                                       " " + _("(not binding)"))
                for pack, v, binding in record.verdicts)))
            lines.append("")
        if record.rows:
            lines += [_("| pack | rule | status | severity | article | finding |"),
                      "|---|---|---|---|---|---|"]
            lines += [f"| {_cell(r.pack)} | {_code(r.rule)} | {_mark(r.status)} | "
                      f"{_(SEVERITY_WORDS.get(r.severity, r.severity))} | "
                      f"{_cell(r.article)} | {_cell(r.text)} |" for r in record.rows]
            lines.append("")
        if record.undetermined:
            facts = ", ".join(code_span(m) for m in record.missing[:8])
            more = " …" if len(record.missing) > 8 else ""
            lines += [_("{n} undetermined: supply {facts}").format(n=record.undetermined,
                                                                   facts=facts + more), ""]
        if record.presumed:
            lines += [_("presumed (the record is silent; the exception is taken not to "
                        "apply): {clauses}").format(
                          clauses="; ".join(_cell(p) for p in record.presumed)), ""]
        return "\n".join(lines) + "\n"

    def finish(self, summary: Summary) -> None:
        s = summary
        out = ["## govrules check", "",
               _("**{non_compliant} non-compliant** of {records} records · {compliant} "
                 "compliant · {undetermined} undetermined · {not_applicable} not applicable "
                 "· {errors} errors · exit code {exit_code}").format(
                   non_compliant=s.non_compliant, records=s.records, compliant=s.compliant,
                   undetermined=s.undetermined, not_applicable=s.not_applicable,
                   errors=s.errors, exit_code=s.exit_code), "",
               _("| records | checked | compliant | non-compliant | undetermined | "
                 "not applicable | errors | failing |"),
               "|---:|---:|---:|---:|---:|---:|---:|---:|",
               f"| {s.records} | {s.checked} | {s.compliant} | {s.non_compliant} | "
               f"{s.undetermined} | {s.not_applicable} | {s.errors} | {s.failing} |", ""]
        if self.violations:
            out += [_("### Top violations"), "", _("| rule | records | article |"),
                    "|---|---:|---|"]
            out += [f"| {_code(rule)} | {count} | {_cell(self.citations[rule])} |"
                    for rule, count in self.violations.most_common(10)]
            out.append("")
        if self.blocks:
            out += [_("### Records"), ""]
            out.append("".join(self.blocks).rstrip("\n"))
            out.append("")
        if self.left_out:
            out += ["_" + ngettext("{n} more record not shown: use `--format json` for all.",
                                   "{n} more records not shown: use `--format json` for all.",
                                   self.left_out).format(n=self.left_out) + "_", ""]
        if self.errors:
            out += [_("### Errors"), "", *self.errors]
            if s.errors > self.error_records:
                more = s.errors - self.error_records
                out.append("- … " + ngettext("{n} more record with errors",
                                             "{n} more records with errors", more).format(n=more))
            out.append("")
        self.out.write("\n".join(out).rstrip("\n") + "\n")
