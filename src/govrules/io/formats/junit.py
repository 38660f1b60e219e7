"""JUnit XML for CI test tabs: a test suite per record and pack, a test case per rule.

Test case names are the stable rule ids; the class name is the snapshot's id (else its
place). A violated rule is a ``<failure>`` (its ``type`` the severity, marked when the
pack does not bind), undetermined and not-applicable rules are ``<skipped>`` with the
reason, satisfied and waived rules pass. A record that cannot be read or checked is a
suite with one ``<error>`` case. Suites are streamed, one per record.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from govrules.base.i18n import _, in_order, pick
from govrules.io.batch import Outcome, Piece, Summary
from govrules.io.formats.common import FormatContext, record_label, reports_of
from govrules.model.report import Finding, Report

__all__ = ["JunitEncoder", "JunitWriter"]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _bool(value: bool) -> str:
    """XML Schema booleans: ``true`` / ``false``."""
    return "true" if value else "false"


def _clean(text: str) -> str:
    """Text without the characters XML 1.0 cannot carry (control characters, lone
    surrogates, U+FFFE/U+FFFF): each becomes U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


class JunitEncoder:
    """The record's ``<testsuite>`` elements as XML text."""

    def __init__(self, context: FormatContext) -> None:
        del context

    def __call__(self, outcome: Outcome) -> str:
        record = outcome.record
        if outcome.result is None:
            suite = _suite(f"{record.source}", record.source, tests=1, errors=1)
            case = ET.SubElement(suite, "testcase", name="input",
                                 classname=_clean(record.source),
                                 file=_clean(record.span.file or ""))
            for diagnostic in outcome.diagnostics:
                error = ET.SubElement(case, "error", type=_clean(diagnostic.code),
                                      message=_clean(diagnostic.message))
                error.text = _clean(str(diagnostic))
            return ET.tostring(suite, encoding="unicode")
        label = record_label(outcome)
        return "".join(ET.tostring(self._report_suite(outcome, report, label),
                                   encoding="unicode")
                       for report in reports_of(outcome.result))

    def _report_suite(self, outcome: Outcome, report: Report, label: str) -> ET.Element:
        findings = report.findings
        statuses = [f.status for f in findings]
        skipped = sum(s in ("undetermined", "not_applicable") for s in statuses)
        suite = _suite(f"{label} [{report.pack.id}]", outcome.record.source,
                       tests=len(findings), failures=statuses.count("violated"),
                       skipped=skipped)
        props = ET.SubElement(suite, "properties")
        for name, value in (("source", outcome.record.source), ("pack", report.pack.id),
                            ("verdict", report.verdict), ("binding", _bool(report.binding)),
                            ("as_of", str(report.as_of))):
            ET.SubElement(props, "property", name=name, value=_clean(str(value)))
        for p in report.presumptions:
            ET.SubElement(props, "property", name="presumption", value=_clean(
                f"{p.fact} = {p.presumed} ({report.pack.id} {p.clause.label} {p.clause.id}; "
                f"rules: {', '.join(p.rules)})"))
        for finding in findings:
            self._case(suite, finding, report, label, outcome)
        return suite

    def _case(self, suite: ET.Element, finding: Finding, report: Report, label: str,
              outcome: Outcome) -> None:
        record = outcome.record
        case = ET.SubElement(suite, "testcase", name=_clean(finding.rule),
                             classname=_clean(label), file=_clean(record.span.file or ""))
        if record.span.line is not None:
            case.set("line", str(record.span.line))
        article = finding.article
        cite = f"{report.pack.id} {article.label}"
        if finding.status == "violated":
            kind = finding.severity + ("" if finding.binding else " (not binding)")
            failure = ET.SubElement(case, "failure", type=_clean(kind),
                                    message=_clean(f"{cite}: {pick(finding.message)}"))
            lines = [*in_order(finding.message.zh, finding.message.en),
                     f"{cite}「{article.quote or ''}」", article.summary or ""]
            if finding.facts:
                lines.append(_("facts: {facts}").format(
                    facts=", ".join(f"{k}={v}" for k, v in finding.facts.items())))
            lines.append(_("source: {source}").format(source=record.source))
            failure.text = _clean("\n".join(line for line in lines if line))
        elif finding.status == "undetermined":
            ET.SubElement(case, "skipped", message=_clean(
                _("undetermined: supply {facts} ({cite}): {message}").format(
                    facts=", ".join(finding.missing), cite=cite,
                    message=pick(finding.message))))
        elif finding.status == "not_applicable":
            reason = pick(finding.reason) if finding.reason else _("does not apply")
            ET.SubElement(case, "skipped", message=_clean(
                _("not applicable: {reason} ({cite})").format(reason=reason, cite=cite)))
        elif finding.status == "waived" and finding.exception is not None:
            out = ET.SubElement(case, "system-out")
            out.text = _clean(_("waived by exceptions[{index}]: {reason} ({cite})").format(
                index=finding.exception.index, reason=finding.exception.reason or "",
                cite=cite))


def _suite(name: str, source: str, *, tests: int, failures: int = 0, errors: int = 0,
           skipped: int = 0) -> ET.Element:
    return ET.Element("testsuite", name=_clean(name), tests=str(tests),
                      failures=str(failures), errors=str(errors), skipped=str(skipped),
                      time="0", file=_clean(source))


class JunitWriter:
    """``<testsuites>`` around the records' suites, written as they come."""

    def __init__(self, context: FormatContext, out: TextIO) -> None:
        self.out = out
        self.started = False

    def _start(self) -> None:
        if not self.started:
            self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                           '<testsuites name="govrules">\n')
            self.started = True

    def write(self, piece: Piece) -> None:
        self._start()
        self.out.write(str(piece.payload) + "\n")

    def finish(self, summary: Summary) -> None:
        del summary
        self._start()
        self.out.write("</testsuites>\n")
