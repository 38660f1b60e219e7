"""SARIF 2.1.0 for code scanning (GitHub and other SARIF viewers).

One run; ``tool.driver.rules`` holds each rule met, its help text the article it rests
on (label, verbatim quote, English summary). Each finding becomes a result:

- violated: ``kind: fail``, ``level`` from the rule's severity (error, warning, note for
  info); ``note`` when the pack does not bind on ``as_of`` (a draft, a text not in force);
- waived (an approved exception to an in-principle rule): the same, with a
  ``suppressions`` entry citing the exception, so viewers show it as suppressed;
- undetermined: ``kind: open``, ``level: none``, naming the facts that would decide it;
- with ``--all-findings``, satisfied and not-applicable rules too: ``kind: pass`` and
  ``kind: notApplicable``, ``level: none``;
- a record that cannot be read or checked: a result under the error's code
  (``snapshot-type``, ``json-syntax``...) with ``level: error``.

The location is the snapshot file and, where known, the line of the field the finding
is about (its first missing fact, else its first fact) in a YAML document, or the line
of the record in a JSON Lines, JSON array or CSV file. Results are streamed; only the
rule table is kept until the end.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any, TextIO

from govrules._version import __version__
from govrules.base.i18n import _, both
from govrules.base.loader import Span
from govrules.io.batch import Outcome, Piece, Summary
from govrules.io.formats.common import (
    FormatContext,
    artifact_uri,
    finding_path,
    json_safe,
    record_label,
    reports_of,
)
from govrules.io.formats.render import STATUS_WORDS
from govrules.io.inputs import STDIN
from govrules.model.pack import Pack
from govrules.model.report import Finding, Report

__all__ = ["SCHEMA_URI", "SarifEncoder", "SarifWriter"]

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
_QUIET_KINDS = {"satisfied": "pass", "not_applicable": "notApplicable"}
_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d*)\]")


class SarifEncoder:
    """A record's SARIF results, and descriptors of rules this process has not sent."""

    def __init__(self, context: FormatContext) -> None:
        self.context = context
        self.sent: set[str] = set()

    def __call__(self, outcome: Outcome) -> dict[str, Any]:
        results: list[dict[str, Any]] = []
        rules: dict[str, dict[str, Any]] = {}
        if outcome.result is None:
            for diagnostic in outcome.diagnostics:
                span = diagnostic.span or outcome.record.span
                message = diagnostic.message + (f" ({diagnostic.hint})" if diagnostic.hint
                                                else "")
                if diagnostic.path:
                    message = f"{diagnostic.path}: {message}"
                results.append(self._result(diagnostic.code, "error", message, span,
                                            {"source": outcome.record.source}))
                self._describe_code(diagnostic.code, rules)
            return {"results": results, "rules": rules}
        label = record_label(outcome)
        packs = {p.id: p for p in outcome.packs}
        for report in reports_of(outcome.result):
            for finding in report.findings:
                result = self._finding(outcome, report, finding, label)
                if result is not None:
                    results.append(_with_gap(result, finding))
                    self._describe_rule(finding, packs.get(report.pack.id), report, rules)
        return {"results": results, "rules": rules}

    def _finding(self, outcome: Outcome, report: Report, finding: Finding,
                 label: str) -> dict[str, Any] | None:
        article = finding.article
        cite = f"{report.pack.id} {article.label}"
        properties: dict[str, Any] = {
            "source": outcome.record.source, "snapshot_id": outcome.snapshot.id
            if outcome.snapshot else None, "pack": report.pack.id, "status": finding.status,
            "severity": finding.severity, "binding": finding.binding,
            "as_of": str(report.as_of)}
        presumed = [{"fact": p.fact, "presumed": p.presumed, "exception": p.clause.id,
                     "article": p.clause.label} for p in report.presumptions
                    if finding.rule in p.rules]
        if presumed:
            properties["presumptions"] = presumed
        span = self._span(outcome, finding)
        if finding.status == "undetermined":
            text = (f"[{label}] {cite}: " + _("supply {facts}.").format(
                facts=", ".join(finding.missing)) + f" {both(finding.message)}")
            result = self._result(finding.rule, "none", text, span, properties)
            result["kind"] = "open"
            return result
        if finding.status in _QUIET_KINDS:  # listed with --all-findings only
            word = _(STATUS_WORDS.get(finding.status, finding.status))
            result = self._result(finding.rule, "none", f"[{label}] {cite}: {word}", span,
                                  properties)
            result["kind"] = _QUIET_KINDS[finding.status]
            return result
        level = _LEVEL[finding.severity] if finding.binding else "note"
        text = f"[{label}] {cite}: {both(finding.message)}"
        if presumed:
            text += " (" + _("presumed: {clauses}").format(clauses=", ".join(
                _("{fact} = {value} under {article}").format(
                    fact=p["fact"], value=p["presumed"], article=p["article"])
                for p in presumed)) + ")"
        if not finding.binding:
            text += " (" + _("not binding on {date}: {validity}").format(
                date=report.as_of, validity=report.pack.validity) + ")"
        result = self._result(finding.rule, level, text, span, properties)
        if finding.status == "waived" and finding.exception is not None:
            exc = finding.exception
            result["suppressions"] = [{
                "kind": "external", "status": "accepted",
                "justification": _("exceptions[{index}]: {reason} (approved by {by} on {on}, "
                                   "ref {ref})").format(
                    index=exc.index, reason=exc.reason or "",
                    by=", ".join(exc.approved_by) or "?", on=exc.approved_on or "?",
                    ref=exc.reference or "-")}]
        return result

    def _span(self, outcome: Outcome, finding: Finding) -> Span:
        if outcome.record.in_stream or outcome.document is None:
            return outcome.record.span
        return outcome.document.span_of(_loc(finding_path(finding)))

    def _result(self, rule: str, level: str, text: str, span: Span,
                properties: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = {"ruleId": rule, "level": level, "message": {"text": text}}
        if span.file is not None and span.file != STDIN:
            region: dict[str, int] = {}
            if span.line is not None:
                region["startLine"] = span.line
                if span.col is not None:
                    region["startColumn"] = span.col
            physical: dict[str, Any] = {
                "artifactLocation": {"uri": artifact_uri(span.file, self.context.root)}}
            if region:
                physical["region"] = region
            result["locations"] = [{"physicalLocation": physical}]
        identity = f"{rule}|{properties.get('snapshot_id') or properties['source']}"
        result["partialFingerprints"] = {
            "govrulesFinding/v1": hashlib.sha256(identity.encode()).hexdigest()[:32]}
        result["properties"] = properties
        return result

    def _describe_rule(self, finding: Finding, pack: Pack | None, report: Report,
                       rules: dict[str, dict[str, Any]]) -> None:
        if finding.rule in self.sent:
            return
        self.sent.add(finding.rule)
        article = finding.article
        compiled = pack.rules_by_id.get(finding.rule) if pack is not None else None
        title = compiled.spec.title_both if compiled is not None else None
        heading = f"{article.label} {article.title}" if article.title else article.label
        short = f"{report.pack.id} {heading}" + (f": {title}" if title else "")
        quote = article.quote or ""
        summary = article.summary or ""
        help_text = f"{report.pack.title_zh} {heading}\n「{quote}」\n{summary}"
        help_markdown = (f"**{report.pack.title_zh}** {heading}\n\n> {quote}\n\n{summary}\n\n"
                         f"{report.pack.title_en}")
        rules[finding.rule] = {
            "id": finding.rule,
            "shortDescription": {"text": short},
            "fullDescription": {"text": summary or short},
            "help": {"text": help_text, "markdown": help_markdown},
            "defaultConfiguration": {"level": _LEVEL[finding.severity]},
            "properties": {"tags": ["govrules", report.pack.id], "pack": report.pack.id,
                           "article": article.label, "article_number": article.number,
                           "item": article.item, "quote": quote,
                           "in_principle": finding.in_principle},
        }

    def _describe_code(self, code: str, rules: dict[str, dict[str, Any]]) -> None:
        if code in self.sent:
            return
        self.sent.add(code)
        rules[code] = {
            "id": code,
            "shortDescription": {"text": _("govrules input error: {code}").format(code=code)},
            "help": {"text": _("The snapshot could not be read or checked ({code}); see "
                               "docs/errors.md for what the code means and how to fix "
                               "it.").format(code=code)},
            "defaultConfiguration": {"level": "error"},
            "properties": {"tags": ["govrules", "govrules-input"]},
        }


def _with_gap(result: dict[str, Any], finding: Finding) -> dict[str, Any]:
    """A finding whose article is only partly encoded says so in its message."""
    gap = finding.gap
    if gap is None:
        return result
    result["message"]["text"] += " [" + _("article only partly encoded: {reason}").format(
        reason=both(gap.reason)) + "]"
    result["properties"]["gap"] = gap.model_dump(mode="json")
    return result


def _loc(path: str) -> list[str | int]:
    """``budget.adjustments[0].amount`` -> ``["budget", "adjustments", 0, "amount"]``;
    ``[]`` (any element) stops at the list itself."""
    loc: list[str | int] = []
    for name, index in _PATH_PART.findall(path):
        if name:
            loc.append(name)
        elif index:
            loc.append(int(index))
        else:
            break
    return loc


class SarifWriter:
    """Streams results into one SARIF log; the rule table and invocation come last."""

    def __init__(self, context: FormatContext, out: TextIO) -> None:
        self.out = out
        self.rules: dict[str, dict[str, Any]] = {}
        self.index: dict[str, int] = {}
        self.started = False
        self.count = 0

    def _start(self) -> None:
        if not self.started:
            self.out.write(f'{{"$schema": "{SCHEMA_URI}", "version": "2.1.0", '
                           '"runs": [{"results": [')
            self.started = True

    def write(self, piece: Piece) -> None:
        self._start()
        payload: dict[str, Any] = piece.payload
        self.rules.update(payload["rules"])
        for result in payload["results"]:
            result["ruleIndex"] = self.index.setdefault(result["ruleId"], len(self.index))
            self.out.write(("\n" if self.count == 0 else ",\n")
                           + json_safe(json.dumps(result, ensure_ascii=False)))
            self.count += 1

    def finish(self, summary: Summary) -> None:
        self._start()
        rules = [self.rules.get(rule, {"id": rule}) for rule in self.index]
        tool = {"driver": {"name": "govrules", "version": __version__,
                           "semanticVersion": __version__,
                           "rules": rules}}
        invocation = {"executionSuccessful": summary.internal == 0,
                      "exitCode": summary.exit_code,
                      "properties": {"summary": summary.to_dict()}}
        tail = {"tool": tool, "invocations": [invocation], "columnKind": "unicodeCodePoints"}
        self.out.write("\n], " + json_safe(json.dumps(tail, ensure_ascii=False))[1:] + "]}\n")
