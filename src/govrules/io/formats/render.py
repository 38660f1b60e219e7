"""Render reports for people: plain text grouped by article.

JSON is the machine form (``Report.to_json_dict``); this module is for a person reading
a terminal. It never changes a report, only formats it.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar

from govrules.base import terminal
from govrules.base.printable import printable_line
from govrules.model.audit import QueryItem
from govrules.model.dated import describe
from govrules.model.report import CombinedReport, Finding, NextStep, Report

__all__ = ["query_plan_lines", "render_text"]

_MARK = {
    "violated": "✗ VIOLATED",
    "undetermined": "? UNDETERMINED",
    "waived": "~ WAIVED",
    "satisfied": "✓ satisfied",
    "not_applicable": "- not applicable",
}
_VERDICT = {
    "compliant": "COMPLIANT",
    "non_compliant": "NON-COMPLIANT",
    "undetermined": "UNDETERMINED (facts missing)",
    "not_applicable": "NOT APPLICABLE (outside the regulation's scope)",
}


_WIDTH: ContextVar[int] = ContextVar("govrules_render_width", default=terminal.DEFAULT_WIDTH)
_COLOUR: ContextVar[bool] = ContextVar("govrules_render_colour", default=False)
_PAINT = {"violated": "red bold", "undetermined": "yellow", "waived": "blue",
          "satisfied": "green", "not_applicable": "dim", "compliant": "green bold",
          "non_compliant": "red bold"}


def _wrap(text: str, indent: int, width: int | None = None) -> list[str]:
    """Wrapped by display width (CJK characters count two, Chinese breaks anywhere)."""
    return terminal.wrap(text, width or _WIDTH.get(), indent=indent)


def _paint(line: str) -> str:
    """Colour the renderer's own marks in an escaped ``line``: a finding's status mark at
    the start of its line, the verdict after ``VERDICT:``. Colour is added after escaping
    (which removes every control sequence a value from the input could carry), and only at
    those fixed places, so no input can colour or move anything."""
    for key, mark in _MARK.items():
        if line.startswith(f"    {mark}  ") and key in _PAINT:
            return "    " + terminal.paint(mark, _PAINT[key], True) + line[4 + len(mark):]
    if line.startswith("VERDICT: "):
        for key, word in sorted(_VERDICT.items(), key=lambda kv: -len(kv[1])):
            rest = line[len("VERDICT: "):]
            if rest.startswith(word) and key in _PAINT:
                return ("VERDICT: " + terminal.paint(word, _PAINT[key], True)
                        + rest[len(word):])
    return line


def _counts(report: Report) -> str:
    labels = [("violated", "violated"), ("undetermined", "undetermined"), ("waived", "waived"),
              ("satisfied", "satisfied"), ("not_applicable", "not applicable")]
    parts = [f"{report.counts[k]} {label}" for k, label in labels if report.counts.get(k)]
    return ", ".join(parts) or "no rules evaluated"


def _legal_lines(finding: Finding) -> list[str]:
    """The conduct judged, whether it binds, the article a reason rests on, presumptions."""
    lines: list[str] = []
    if finding.conduct is not None and finding.conduct.fact != "as_of":
        when = finding.conduct.date or "unknown"
        lines += _wrap(f"conduct: {finding.conduct.fact} = {when}"
                       + ("" if finding.binding else " (not binding)"), 6)
    elif not finding.binding and finding.status in ("violated", "waived"):
        lines.append("      not binding")
    if finding.cites is not None:
        lines += _wrap(f"per {finding.cites.label}", 6)
    if finding.presumed:
        lines += _wrap("rests on the presumption that " + ", ".join(finding.presumed)
                       + " does not apply", 6)
    return lines


def _presumption_lines(report: Report) -> list[str]:
    if not report.presumptions:
        return []
    lines = ["", "Presumed (the record is silent; the exception is taken not to apply) "
             "· 推定(记录未载明,推定例外不适用)"]
    for p in report.presumptions:
        lines += _wrap(f"{p.fact} = {p.presumed}  ({p.clause.label} {p.clause.id}"
                       f"「{p.clause.quote}」; {len(p.rules)} rules rest on it)", 2)
    return lines


def _finding_lines(finding: Finding) -> list[str]:
    lines = [f"    {_MARK[finding.status]}  {finding.rule}  "
             f"[{finding.severity}]"
             + ("  (in principle 原则上)" if finding.in_principle else "")]
    lines += _wrap(finding.message.zh, 6) + _wrap(finding.message.en, 6)
    if finding.due:
        lines.append(f"      due: {finding.due}")
    if finding.consequence:
        lines += _wrap(f"consequence: {finding.consequence.en} / {finding.consequence.zh}", 6)
    if finding.exception:
        exc = finding.exception
        by = ", ".join(exc.approved_by) or "?"
        lines += _wrap(f"waived by exceptions[{exc.index}]: {exc.reason or ''} "
                       f"(approved by {by} on {exc.approved_on or '?'}, "
                       f"ref {exc.reference or '-'})", 6)
    if finding.gap:
        lines += _wrap(f"article only partly encoded 本条仅部分编码: {finding.gap.reason.zh} / "
                       f"{finding.gap.reason.en}", 6)
    if finding.missing:
        lines += _wrap("missing facts: " + ", ".join(finding.missing), 6)
    lines += _legal_lines(finding)
    if finding.facts:
        shown = ", ".join(f"{k}={v}" for k, v in finding.facts.items())
        lines += _wrap("facts: " + shown, 6)
    for key in ("missing", "late"):
        periods = finding.details.get(key)
        if periods:
            lines.append(f"      {key} periods: {', '.join(periods)}")
    return lines


def query_plan_lines(plan: Iterable[QueryItem]) -> list[str]:
    """The query plan as text: each fact, its score, what each value would decide."""
    lines = ["Facts to supply, most decisive first 待补充事实（按影响排序）"]
    for item in plan:
        lines += _query_lines(item)
    return lines


def _query_lines(item: QueryItem) -> list[str]:
    """One ranked fact: its score, and what each value would make of each finding."""
    lines = _wrap(f"{item.rank}. {item.fact}  (score 权重 {item.score:g}) — {item.text.zh}; "
                  f"{item.text.en}", 2)
    for decision in item.decides:
        values = "; ".join(f"{_show(o.value)} → {o.status}" for o in decision.outcomes)
        mark = "decides 可判定" if decision.decisive else "helps 需结合其他事实"
        lines += _wrap(f"{decision.rule} [{decision.severity}"
                       + ("" if decision.binding else ", not binding")
                       + f"]: {mark}" + (f" ({values})" if values else ""), 6)
    return lines


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _step_line(n: int, step: NextStep) -> list[str]:
    if step.due is None:
        when = "no fixed date"
    elif step.overdue:
        when = f"OVERDUE since {step.due}"
    else:
        when = f"due {step.due}"
    who = " → ".join(x for x in (step.responsible, step.recipient) if x)
    head = f"  {n}. [{step.kind}, {when}] {step.text.zh}"
    lines = _wrap(head, 0)
    lines += _wrap(f"{step.text.en}" + (f"  ({who})" if who else ""), 6)
    lines.append(f"      {step.article.label} · because {', '.join(step.because)}")
    return lines


def _article_lines(label: str, findings: list[Finding]) -> list[str]:
    """One article's heading, its quotes and summary, then its findings."""
    article = findings[0].article
    heading = f"{label} {article.title}" if article.title else label
    if article.effective or article.repealed or article.amended_by:
        dated = describe((article.effective, article.repealed))
        heading += f" (version {dated}" + (f", amended by {article.amended_by}"
                                           if article.amended_by else "") + ")"
    lines = ["", heading + (f"  · {article.chapter}" if article.chapter else "")]
    quotes: list[str] = []
    for finding in findings:
        quote = finding.article.quote
        if quote and quote not in quotes:
            quotes.append(quote)
    for quote in quotes:
        lines += _wrap(f"「{quote}」", 2)
    if article.summary:
        lines += _wrap(article.summary, 2)
    for finding in findings:
        lines += _finding_lines(finding)
    return lines


def _report_lines(report: Report) -> list[str]:
    pack = report.pack
    lines = [
        f"{pack.title_zh}",
        f"{pack.title_en}" + (f"  ({pack.doc_number})" if pack.doc_number else ""),
        f"pack {pack.id} v{pack.version} · {pack.validity}",
        f"snapshot {report.snapshot_id or '(no id)'} · as of {report.as_of}",
        "",
        "VERDICT: " + _VERDICT[report.verdict]
        + ("" if report.binding else "  — NOT BINDING")
        + f"  [{_counts(report)}]",
    ]
    groups: dict[tuple[int, str], list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault((finding.article.number, finding.article.label), []).append(finding)
    for (_number, label), findings in sorted(groups.items()):
        lines += _article_lines(label, findings)
    if report.next_steps:
        lines += ["", "Next steps"]
        for n, step in enumerate(report.next_steps, 1):
            lines += _step_line(n, step)
    if report.query_plan:
        lines += ["", *query_plan_lines(report.query_plan)]
    elif report.missing_facts:
        lines += ["", "Facts to supply (each decides the rules listed)"]
        for item in report.missing_facts:
            lines += _wrap(f"{item.fact} → {', '.join(item.decides)}", 2)
    lines += _presumption_lines(report)
    if report.receipt is not None:
        receipt = report.receipt
        years = ", ".join(str(y.year) for y in receipt.calendar.years) or "none"
        lines += ["", f"receipt 回执: pack {receipt.pack_sha256[:12]} · calendar "
                  f"{receipt.calendar.version} (years used 所用年份: {years}) · snapshot "
                  f"{receipt.snapshot.canonical_sha256[:12]} · govrules replay re-checks it"]
    if report.warnings:
        lines += ["", "Warnings"]
        for warning in report.warnings:
            lines += _wrap(f"! {warning.code}: {warning.message}", 2)
    return lines


def render_text(reports: Report | CombinedReport | Iterable[Report], *,
                width: int = terminal.DEFAULT_WIDTH, colour: bool = False) -> str:
    """A report (or several) as text for a terminal ``width`` columns wide, in ANSI
    ``colour`` if asked."""
    width_token, colour_token = _WIDTH.set(width), _COLOUR.set(colour)
    try:
        return _render(reports)
    finally:
        _WIDTH.reset(width_token)
        _COLOUR.reset(colour_token)


def _render(reports: Report | CombinedReport | Iterable[Report]) -> str:
    if isinstance(reports, Report):
        items = [reports]
    elif isinstance(reports, CombinedReport):
        items = list(reports.reports)
    else:
        items = list(reports)
    # Each line is one line: values from the input (ids, reasons, facts) cannot add
    # lines or terminal control sequences.
    colour = _COLOUR.get()
    blocks = ["\n".join(_paint(printable_line(line)) if colour else printable_line(line)
                        for line in _report_lines(r)) for r in items]
    out = ("\n\n" + "=" * 80 + "\n\n").join(blocks)
    if isinstance(reports, CombinedReport) and len(items) > 1:
        summary = [f"  {r.pack.id:<10} {r.verdict:<15} {'binding' if r.binding else 'NOT binding'}"
                   for r in items]
        out += ("\n\n" + "=" * 80 + "\nCombined: " + reports.verdict
                + f" (binding packs only: {reports.binding_verdict})\n" + "\n".join(summary))
    return out + "\n"
