"""Due dates of a report, and their timeline as SVG (the HTML report, the web page, .ics).

A *due item* is something the project must do by a date: a next step with a due date
(upcoming or remedial, overdue or not), or a finding with a due date that no step
covers. A violated deadline whose ``done_on`` fact has a date was done, but late: it stays
on the timeline as ``late`` (a violation on record) but is nothing left to do. The
timeline draws them on one date axis with the report's ``as_of`` marked; each label is
written in Chinese and in English (``class="zh"`` / ``class="en"``), so a page shows the
language it wants with one CSS rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from govrules.base.errors import GovrulesError
from govrules.model.pack import builtin_pack
from govrules.model.report import CombinedReport, Finding, Report

__all__ = ["DueItem", "due_items", "timeline_svg"]

_WIDTH = 960
_ROW = 30
_TOP = 46
_LEFT = 24
_RIGHT = 24


@dataclass(frozen=True, slots=True)
class DueItem:
    """One dated obligation of one report."""

    due: date
    pack: str
    rule: str
    action: str
    kind: str  # upcoming | remedial | finding | late
    overdue: bool
    zh: str
    en: str
    article: str
    as_of: date
    snapshot_id: str | None

    @property
    def state(self) -> str:
        """``overdue``, ``due`` (upcoming), ``open`` (a dated finding still open) or
        ``late`` (done after its due date)."""
        if self.kind == "late":
            return "late"
        if self.overdue:
            return "overdue"
        return "due" if self.kind != "finding" else "open"

    @property
    def to_do(self) -> bool:
        """Something still to do (everything but a duty done late)."""
        return self.kind != "late"


def _reports(result: Report | CombinedReport) -> list[Report]:
    return [result] if isinstance(result, Report) else list(result.reports)


def _done_late(report: Report, finding: Finding) -> bool:
    """A violated deadline whose ``done_on`` fact has a date (a built-in pack's rule).

    For a pack this process cannot identify by its sha256 the answer is no: an item is
    rather shown as overdue than hidden.
    """
    if finding.status != "violated":
        return False
    try:
        pack = builtin_pack(report.pack.id)
    except GovrulesError:
        return False
    rule = pack.rules_by_id.get(finding.rule)
    if pack.sha256 != report.pack.sha256 or rule is None or rule.spec.deadline is None:
        return False
    return finding.facts.get(rule.spec.deadline.done_on) is not None


def due_items(result: Report | CombinedReport) -> list[DueItem]:
    """Every dated step and uncovered dated finding, sorted by date, pack and rule."""
    items: list[DueItem] = []
    for report in _reports(result):
        covered: set[str] = set()
        for step in report.next_steps:
            if step.due is None:
                continue
            rule = step.because[0] if step.because else ""
            covered.update(step.because)
            overdue = bool(step.overdue) if step.overdue is not None else step.due < report.as_of
            items.append(DueItem(step.due, report.pack.id, rule, step.action, step.kind,
                                 overdue, step.text.zh, step.text.en, step.article.label,
                                 report.as_of, report.snapshot_id))
        for finding in report.findings:
            if finding.due is None or finding.rule in covered:
                continue
            if finding.status not in ("violated", "undetermined"):
                continue
            overdue = finding.status == "violated" and finding.due < report.as_of
            kind = "late" if _done_late(report, finding) else "finding"
            items.append(DueItem(finding.due, report.pack.id, finding.rule, finding.rule,
                                 kind, overdue, finding.message.zh, finding.message.en,
                                 finding.article.label, report.as_of, report.snapshot_id))
    items.sort(key=lambda i: (i.due, i.pack, i.rule, i.action))
    return items


def _x(day: date, start: date, span_days: int) -> float:
    inner = _WIDTH - _LEFT - _RIGHT
    return _LEFT + inner * (day - start).days / span_days


def _ticks(start: date, end: date) -> list[date]:
    """First days of months (or of quarters on a long axis) inside the axis."""
    months = (end.year - start.year) * 12 + end.month - start.month
    step = 1 if months <= 12 else 3 if months <= 36 else 12
    day = date(start.year, start.month, 1)
    out: list[date] = []
    while day <= end:
        if day >= start and (day.month - 1) % step == 0:
            out.append(day)
        day = date(day.year + (day.month // 12), day.month % 12 + 1, 1)
    return out


def _label(x: float, y: float, zh: str, en: str, anchor: str) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="zh" lang="zh">'
            f'{escape(zh)}</text><text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" '
            f'class="en" lang="en">{escape(en)}</text>')


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def timeline_svg(result: Report | CombinedReport) -> str:
    """The report's due dates on a time axis, as an inline SVG element (accessible).

    An empty timeline says so in both languages instead of drawing an empty axis.
    """
    items = due_items(result)
    as_of = result.as_of
    title_zh, title_en = "办理期限时间轴", "Timeline of due dates"
    if not items:
        height = 56
        return (f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
                f'viewBox="0 0 {_WIDTH} {height}" width="100%" '
                f'aria-label="{title_zh} / {title_en}: 无 / none">'
                + _label(_WIDTH / 2, 32, "没有带期限的事项", "No dated obligations", "middle")
                + "</svg>")
    start = min(items[0].due, as_of) - timedelta(days=7)
    end = max(items[-1].due, as_of) + timedelta(days=7)
    span_days = max((end - start).days, 1)
    height = _TOP + _ROW * len(items) + 16
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" '
        f'viewBox="0 0 {_WIDTH} {height}" width="100%" aria-labelledby="tl-title">',
        f'<title id="tl-title">{title_zh} / {title_en}</title>',
        '<style>.timeline text{font:12px sans-serif;fill:#222}.timeline .axis{stroke:#555}'
        '.timeline .tick{stroke:#ccc}.timeline .today{stroke:#b00;stroke-dasharray:4 3}'
        '.timeline .overdue{fill:#c0392b}.timeline .due{fill:#1f6fb2}'
        '.timeline .open{fill:#8a6d00}.timeline .late{fill:#8c5a55}</style>',
        f'<line class="axis" x1="{_LEFT}" y1="{_TOP - 12}" x2="{_WIDTH - _RIGHT}" '
        f'y2="{_TOP - 12}"/>',
    ]
    for tick in _ticks(start, end):
        x = _x(tick, start, span_days)
        parts.append(f'<line class="tick" x1="{x:.1f}" y1="{_TOP - 16}" x2="{x:.1f}" '
                     f'y2="{height - 8}"/><text x="{x:.1f}" y="{_TOP - 20}" '
                     f'text-anchor="middle">{tick:%Y-%m}</text>')
    today = _x(as_of, start, span_days)
    parts.append(f'<line class="today" x1="{today:.1f}" y1="{_TOP - 30}" x2="{today:.1f}" '
                 f'y2="{height - 8}"/>')
    parts.append(_label(today + 4, 12, f"检查日 {as_of}", f"as of {as_of}", "start"))
    for row, item in enumerate(items):
        x = _x(item.due, start, span_days)
        y = _TOP + _ROW * row + 8
        anchor = "end" if x > _WIDTH * 0.6 else "start"
        offset = -10 if anchor == "end" else 10
        state_zh = {"overdue": "已逾期", "due": "待办", "open": "未决",
                    "late": "逾期办理"}[item.state]
        state_en = {"overdue": "overdue", "due": "due", "open": "open",
                    "late": "done late"}[item.state]
        parts.append(
            f'<g class="item {item.state}" data-rule="{escape(item.rule)}">'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6" class="{item.state}">'
            f'<title>{item.due} {escape(item.article)} {escape(item.rule)}</title></circle>'
            + _label(x + offset, y + 4,
                     f"{item.due} {state_zh} {item.article} {_short(item.zh, 30)}",
                     f"{item.due} {state_en} {item.article} {_short(item.en, 60)}", anchor)
            + "</g>")
    parts.append("</svg>")
    return "".join(parts)
