"""Render reports for people: plain text grouped by article.

JSON is the machine form (``Report.to_json_dict``); this module is for a person reading
a terminal. It never changes a report, only formats it.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar

from govrules.base import terminal
from govrules.base.i18n import N_, _, both, in_order, ngettext
from govrules.base.printable import printable_line
from govrules.model.audit import QueryItem
from govrules.model.dated import describe
from govrules.model.report import CombinedReport, Finding, NextStep, Report

__all__ = ["SEVERITY_WORDS", "STATUS_WORDS", "VERDICT_WORDS", "query_plan_lines",
           "render_text"]

SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}
"""A rule's severity in words, for people (translate with ``_``)."""


STATUS_WORDS = {
    "violated": N_("violated"),
    "undetermined": N_("undetermined"),
    "waived": N_("waived"),
    "satisfied": N_("satisfied"),
    "not_applicable": N_("not applicable"),
}
"""A finding's status in words, for people (translate with ``_``)."""

VERDICT_WORDS = {
    "compliant": N_("compliant"),
    "non_compliant": N_("non-compliant"),
    "undetermined": N_("undetermined"),
    "not_applicable": N_("not applicable"),
}
"""A report's verdict in words, for people (translate with ``_``)."""

_MARK = {
    "violated": ("✗", N_("VIOLATED")),
    "undetermined": ("?", N_("UNDETERMINED")),
    "waived": ("~", N_("WAIVED")),
    "satisfied": ("✓", N_("satisfied")),
    "not_applicable": ("-", N_("not applicable")),
}
_VERDICT = {
    "compliant": N_("COMPLIANT"),
    "non_compliant": N_("NON-COMPLIANT"),
    "undetermined": N_("UNDETERMINED (facts missing)"),
    "not_applicable": N_("NOT APPLICABLE (outside the regulation's scope)"),
}


def _mark(status: str) -> str:
    sign, word = _MARK[status]
    return f"{sign} {_(word)}"


def _verdict_head() -> str:
    return _("VERDICT: ")


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
    for key in _MARK:
        mark = _mark(key)
        if line.startswith(f"    {mark}  ") and key in _PAINT:
            return "    " + terminal.paint(mark, _PAINT[key], True) + line[4 + len(mark):]
    head = _verdict_head()
    if line.startswith(head):
        words = {key: _(word) for key, word in _VERDICT.items()}
        for key, word in sorted(words.items(), key=lambda kv: -len(kv[1])):
            rest = line[len(head):]
            if rest.startswith(word) and key in _PAINT:
                return head + terminal.paint(word, _PAINT[key], True) + rest[len(word):]
    return line


def _counts(report: Report) -> str:
    parts = [f"{report.counts[k]} {_(label)}" for k, label in STATUS_WORDS.items()
             if report.counts.get(k)]
    return ", ".join(parts) or _("no rules evaluated")


def _legal_lines(finding: Finding) -> list[str]:
    """The conduct judged, whether it binds, the article a reason rests on, presumptions."""
    lines: list[str] = []
    if finding.conduct is not None and finding.conduct.fact != "as_of":
        when = finding.conduct.date or _("unknown")
        lines += _wrap(_("conduct: {fact} = {date}").format(fact=finding.conduct.fact, date=when)
                       + ("" if finding.binding else " " + _("(not binding)")), 6)
    elif not finding.binding and finding.status in ("violated", "waived"):
        lines.append("      " + _("not binding"))
    if finding.cites is not None:
        lines += _wrap(_("per {article}").format(article=finding.cites.label), 6)
    if finding.presumed:
        lines += _wrap(_("rests on the presumption that {exceptions} does not apply").format(
            exceptions=", ".join(finding.presumed)), 6)
    return lines


def _presumption_lines(report: Report) -> list[str]:
    if not report.presumptions:
        return []
    lines = ["", _("Presumed (the record is silent; the exception is taken not to apply)")]
    for p in report.presumptions:
        rest = ngettext("{n} rule rests on it", "{n} rules rest on it", len(p.rules)).format(
            n=len(p.rules))
        lines += _wrap(f"{p.fact} = {p.presumed}  ({p.clause.label} {p.clause.id}"
                       f"「{p.clause.quote}」; {rest})", 2)
    return lines


def _finding_lines(finding: Finding) -> list[str]:
    lines = [f"    {_mark(finding.status)}  {finding.rule}  "
             f"[{_(SEVERITY_WORDS.get(finding.severity, finding.severity))}]"
             + ("  " + _("(in principle 原则上)") if finding.in_principle else "")]
    first, second = in_order(finding.message.zh, finding.message.en)
    lines += _wrap(first, 6) + _wrap(second, 6)
    if finding.due:
        lines.append("      " + _("due: {date}").format(date=finding.due))
    if finding.consequence:
        lines += _wrap(_("consequence: {text}").format(text=both(finding.consequence)), 6)
    if finding.exception:
        exc = finding.exception
        by = ", ".join(exc.approved_by) or "?"
        lines += _wrap(_("waived by exceptions[{index}]: {reason} (approved by {by} on {on}, "
                         "ref {ref})").format(index=exc.index, reason=exc.reason or "", by=by,
                                              on=exc.approved_on or "?",
                                              ref=exc.reference or "-"), 6)
    if finding.gap:
        lines += _wrap(_("article only partly encoded: {reason}").format(
            reason=both(finding.gap.reason)), 6)
    if finding.missing:
        lines += _wrap(_("missing facts: {facts}").format(facts=", ".join(finding.missing)), 6)
    lines += _legal_lines(finding)
    if finding.facts:
        shown = ", ".join(f"{k}={v}" for k, v in finding.facts.items())
        lines += _wrap(_("facts: {facts}").format(facts=shown), 6)
    for key, label in (("missing", N_("missing periods: {periods}")),
                       ("late", N_("late periods: {periods}"))):
        periods = finding.details.get(key)
        if periods:
            lines.append("      " + _(label).format(periods=", ".join(periods)))
    return lines


def query_plan_lines(plan: Iterable[QueryItem]) -> list[str]:
    """The query plan as text: each fact, its score, what each value would decide."""
    lines = [_("Facts to supply, most decisive first")]
    for item in plan:
        lines += _query_lines(item)
    return lines


def _query_lines(item: QueryItem) -> list[str]:
    """One ranked fact: its score, and what each value would make of each finding."""
    lines = _wrap(f"{item.rank}. {item.fact}  ("
                  + _("score {score:g}").format(score=item.score)
                  + f") — {both(item.text, '; ')}", 2)
    for decision in item.decides:
        values = "; ".join(f"{_show(o.value)} → {_(STATUS_WORDS.get(o.status, o.status))}"
                           for o in decision.outcomes)
        mark = _("decides") if decision.decisive else _("helps, with other facts")
        severity = _(SEVERITY_WORDS.get(decision.severity, decision.severity))
        lines += _wrap(f"{decision.rule} [{severity}"
                       + ("" if decision.binding else ", " + _("not binding"))
                       + f"]: {mark}" + (f" ({values})" if values else ""), 6)
    return lines


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _step_line(n: int, step: NextStep) -> list[str]:
    if step.due is None:
        when = _("no fixed date")
    elif step.overdue:
        when = _("OVERDUE since {date}").format(date=step.due)
    else:
        when = _("due {date}").format(date=step.due)
    who = " → ".join(x for x in (step.responsible, step.recipient) if x)
    first, second = in_order(step.text.zh, step.text.en)
    head, *rest = _wrap(f"  {n}. [{step.kind}, {when}] {first}", 0)
    lines = [head, *(_wrap(" ".join(rest), 6) if rest else [])]
    lines += _wrap(f"{second}" + (f"  ({who})" if who else ""), 6)
    lines.append(f"      {step.article.label} · " + _("because {rules}").format(
        rules=", ".join(step.because)))
    return lines


def _article_lines(label: str, findings: list[Finding]) -> list[str]:
    """One article's heading, its quotes and summary, then its findings."""
    article = findings[0].article
    heading = f"{label} {article.title}" if article.title else label
    if article.effective or article.repealed or article.amended_by:
        dated = describe((article.effective, article.repealed))
        heading += " (" + _("version {dates}").format(dates=dated) + (
            _(", amended by {act}").format(act=article.amended_by)
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
        _("pack {id} v{version} · {validity}").format(id=pack.id, version=pack.version,
                                                       validity=pack.validity),
        _("snapshot {id} · as of {as_of}").format(id=report.snapshot_id or _("(no id)"),
                                                   as_of=report.as_of),
        "",
        _verdict_head() + _(_VERDICT[report.verdict])
        + ("" if report.binding else "  — " + _("NOT BINDING"))
        + f"  [{_counts(report)}]",
    ]
    groups: dict[tuple[int, str], list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault((finding.article.number, finding.article.label), []).append(finding)
    for (_number, label), findings in sorted(groups.items()):
        lines += _article_lines(label, findings)
    if report.next_steps:
        lines += ["", _("Next steps")]
        for n, step in enumerate(report.next_steps, 1):
            lines += _step_line(n, step)
    if report.query_plan:
        lines += ["", *query_plan_lines(report.query_plan)]
    elif report.missing_facts:
        lines += ["", _("Facts to supply (each decides the rules listed)")]
        for item in report.missing_facts:
            lines += _wrap(f"{item.fact} → {', '.join(item.decides)}", 2)
    lines += _presumption_lines(report)
    if report.receipt is not None:
        receipt = report.receipt
        years = ", ".join(str(y.year) for y in receipt.calendar.years) or _("none")
        lines += ["", _("receipt: pack {pack} · calendar {calendar} (years used: {years}) · "
                        "snapshot {snapshot} · govrules replay re-checks it").format(
                            pack=receipt.pack_sha256[:12], calendar=receipt.calendar.version,
                            years=years, snapshot=receipt.snapshot.canonical_sha256[:12])]
    if report.warnings:
        lines += ["", _("Warnings")]
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
        summary = [f"  {r.pack.id:<10} {r.verdict:<15} "
                   + (_("binding") if r.binding else _("NOT binding")) for r in items]
        out += ("\n\n" + "=" * 80 + "\n" + _("Combined: {verdict} (binding packs only: "
                                               "{binding})").format(
                    verdict=reports.verdict, binding=reports.binding_verdict)
                + "\n" + "\n".join(summary))
    return out + "\n"
