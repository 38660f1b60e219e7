"""Explained due dates: how a next step's due date was counted, from which rule.

For a step whose due date comes from a rule's deadline (``after`` + ``within``) or from a
periodic rule's period end, the explanation gives the event and its date, the start day
excluded, each working day counted, the holidays and 调休 make-up working days that moved
the date with the State Council notice of each, and the rule and article it came from.
It recomputes from the finished report and the compiled pack; the engine is not touched.
"""

from __future__ import annotations

import re
import threading
from datetime import date
from typing import TYPE_CHECKING, Any

from govrules import lang as expr
from govrules.base.calendar import Calendar, Quarter
from govrules.base.errors import ExpressionError

if TYPE_CHECKING:
    from govrules.model.compiled import CompiledRule, Pack
    from govrules.model.report import NextStep, Report
    from govrules.model.snapshot import Snapshot

__all__ = ["describe", "explain_due", "explain_step_due", "explain_steps"]

_PERIOD = re.compile(r"\((\d{4}Q[1-4])\)$")
_lock = threading.Lock()
_after_cache: dict[tuple[int, str], tuple[Pack, expr.Compiled | None]] = {}


def _after(pack: Pack, rule: CompiledRule) -> expr.Compiled | None:
    """The rule's deadline event, compiled once per pack."""
    deadline = rule.spec.deadline
    if deadline is None:
        return None
    key = (id(pack), rule.id)
    with _lock:
        hit = _after_cache.get(key)
        if hit is not None and hit[0] is pack:
            return hit[1]
    try:
        compiled: expr.Compiled | None = expr.compile_expression(deadline.after, pack.env,
                                                                  expect=expr.Date)
    except ExpressionError:
        compiled = None
    with _lock:
        _after_cache[key] = (pack, compiled)
    return compiled


def _count(calendar: Calendar, start: date, unit: str, amount: int, due: date
           ) -> dict[str, Any] | None:
    if unit == "working_days" and amount >= 1:
        count = calendar.explain_working_days(start, amount)
        return count.to_dict() if count.due == due else None
    return {"start": str(start), "start_excluded": True, unit: amount, "due": str(due),
            "rule_of_counting": "a month or year period ends on the corresponding day, or "
            "that month's last day when there is none 按月/年计算的期间到对应日届满，无对应日"
            "的为月末" if unit in ("months", "years") else "calendar days 自然日"}


def explain_step_due(step: NextStep, pack: Pack, snapshot: Snapshot, calendar: Calendar,
                     as_of: date) -> dict[str, Any] | None:
    """How ``step.due`` was counted, or None when it does not come from a rule's period."""
    if step.due is None or len(step.because) != 1:
        return None
    rule = pack.rules_by_id.get(step.because[0])
    if rule is None:
        return None
    period = _PERIOD.search(step.text.en)
    return explain_due(rule, pack, snapshot, calendar, as_of=as_of, due=step.due,
                       period=Quarter.parse(period.group(1)) if period else None)


def explain_due(rule: CompiledRule, pack: Pack, snapshot: Snapshot, calendar: Calendar, *,
                as_of: date, due: date, period: Quarter | None = None
                ) -> dict[str, Any] | None:
    """How the due date ``due`` of ``rule`` (of ``period``, for a periodic rule) was
    counted: the event, the start day excluded, the days counted and the days that moved
    it, the rule and its article. None when ``due`` is not the rule's own period."""
    spec = rule.spec
    explained: dict[str, Any] | None = None
    event: dict[str, Any]
    if spec.deadline is not None:
        compiled = _after(pack, rule)
        if compiled is None:
            return None
        start = compiled.fn(expr.EvalContext(root=snapshot, as_of=as_of, calendar=calendar))
        if not isinstance(start, date):
            return None
        within = spec.deadline.within
        explained = _count(calendar, start, within.unit, within.amount, due)
        event = {"fact": spec.deadline.after.strip(), "date": str(start)}
    elif spec.periodic is not None and spec.periodic.within is not None and period:
        within = spec.periodic.within
        explained = _count(calendar, period.end, within.unit, within.amount, due)
        event = {"fact": f"end of {period} 季度末", "date": str(period.end)}
    else:
        return None
    if explained is None:
        return None
    article = rule.citation_on(as_of)
    return {"rule": spec.id, "article": {"label": article.label, "item": article.item,
                                         "quote": article.quote},
            "event": event, **explained}


def explain_steps(report: Report, pack: Pack, snapshot: Snapshot, calendar: Calendar
                  ) -> list[NextStep] | None:
    """The report's steps with ``due_explanation`` set where one applies (None: no change)."""
    changed = False
    steps: list[NextStep] = []
    for step in report.next_steps:
        detail = explain_step_due(step, pack, snapshot, calendar, report.as_of)
        if detail is not None:
            changed = True
        steps.append(step if detail is None else step.model_copy(
            update={"due_explanation": detail}))
    return steps if changed else None


def describe(detail: dict[str, Any]) -> list[str]:
    """A due-date explanation as lines of text, Chinese and English."""
    event = detail.get("event", {})
    lines = [f"due date 截止日 {detail.get('due')} — rule 规则 {detail.get('rule')} "
             f"({detail.get('article', {}).get('label')})",
             f"event 起算事件: {event.get('fact')} = {event.get('date')}; the start day is not "
             "counted 起算日不计入"]
    if "working_days" in detail:
        lines.append(f"{detail['working_days']} working days 个工作日, counted 计入: "
                     + ", ".join(detail.get("counted", [])))
        for moved in detail.get("moved_by", []):
            kind = ("make-up working day 调休上班" if moved["kind"] == "makeup_workday"
                    else f"day off 放假 ({moved.get('name') or ''})")
            notice = moved.get("notice") or {}
            cite = ", ".join(x for x in (notice.get("title"), notice.get("doc_number")) if x)
            lines.append(f"  {moved['date']} {moved['weekday']}: {kind}"
                         + (f" — {cite}" if cite else ""))
        if detail.get("uncovered_years"):
            lines.append("no official data 无官方数据 for " + ", ".join(
                map(str, detail["uncovered_years"])) + ": Monday-Friday assumed 按周一至周五计算")
        lines.append(f"calendar 日历数据 {detail.get('calendar_version')}")
    else:
        lines.append(str(detail.get("rule_of_counting", "")))
    return lines
