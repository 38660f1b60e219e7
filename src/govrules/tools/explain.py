"""Show how one rule's finding was reached on one snapshot: every condition, every value.

The explanation re-runs the rule's compiled conditions with tracing on
(:func:`govrules.lang.explain`), so it lists the value of each fact and sub-expression in
evaluation order, the derived facts the rule uses, the scope clauses, which facts were
unknown, and the finding the engine gives. It never changes how a rule is evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from govrules import lang as expr
from govrules.base.calendar import Calendar, Quarter
from govrules.base.diagnose import did_you_mean
from govrules.base.errors import Diagnostic, ExpressionError, InputError
from govrules.base.i18n import N_, _, language
from govrules.base.printable import printable
from govrules.engine.duedates import describe as describe_due
from govrules.engine.duedates import explain_due
from govrules.engine.evaluate import evaluate_pack
from govrules.io.formats.render import STATUS_WORDS
from govrules.model.dated import describe
from govrules.model.pack import CompiledRule, Pack
from govrules.model.pack_format import Deadline
from govrules.model.report import Finding
from govrules.model.snapshot import Snapshot

__all__ = ["ConditionTrace", "Explanation", "explain_rule", "show_value"]


def show_value(value: object) -> str:
    """A value as an analyst would write it: ``true``, ``'om'``, ``2025-03-01``."""
    if isinstance(value, expr.Unknown):
        return "unknown" + (f" (missing {', '.join(sorted(value.missing))})"
                            if value.missing else "")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, date | Quarter | int | float):
        return str(value)
    if isinstance(value, list):
        if any(isinstance(v, BaseModel) for v in value):
            return f"[{len(value)} item{'s' if len(value) != 1 else ''}]"
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    if isinstance(value, BaseModel):
        return f"<{type(value).__name__}>"
    return "null" if value is None else str(value)


@dataclass(frozen=True)
class ConditionTrace:
    """One condition: its text, its value, and the values of its parts."""

    label: str
    text: str
    value: str
    steps: tuple[tuple[str, str], ...]
    missing: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "text": self.text, "value": self.value,
                "steps": [{"expr": t, "value": v} for t, v in self.steps]}


def balanced(text: str) -> str:
    """``text`` with the parentheses a slice of a condition cut off put back:
    ``contract.filed_on) is known`` -> ``(contract.filed_on) is known``.

    >>> balanced("a) and (b"), balanced("not (x")
    ('(a) and (b)', 'not (x)')
    """
    depth, opened, quote = 0, 0, ""
    for ch in text:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            if depth:
                depth -= 1
            else:
                opened += 1
    return "(" * opened + text + ")" * depth


def _trace(label: str, compiled: expr.Compiled, ctx: expr.EvalContext,
           text: str | None = None) -> ConditionTrace:
    steps: list[tuple[str, str]] = []
    for part, value in expr.explain(compiled, ctx):
        step = (balanced(" ".join(part.split())), show_value(value))
        if not steps or steps[-1] != step:
            steps.append(step)
    raw = compiled.fn(ctx)
    final = show_value(raw)
    whole = " ".join((text or compiled.text).split())
    if steps and steps[-1][1] == final and len(steps[-1][0]) >= len(whole) - 2:
        steps.pop()  # the condition itself (its text may lack an outer parenthesis)
    steps = [(t, v) for t, v in steps if t not in (whole, v)]
    missing = raw.missing if isinstance(raw, expr.Unknown) else frozenset()
    return ConditionTrace(label, whole, final, tuple(steps), missing)


@dataclass(frozen=True)
class Explanation:
    """How a rule's finding on a snapshot came about."""

    rule: CompiledRule
    pack: Pack
    snapshot_id: str | None
    as_of: date
    in_force: bool
    scope: tuple[ConditionTrace, ...]
    conditions: tuple[ConditionTrace, ...]
    derived: tuple[ConditionTrace, ...]
    unknown: tuple[str, ...]
    finding: Finding
    form: dict[str, str] = field(default_factory=dict)
    due: dict[str, Any] | None = None
    """How the due date was counted (:func:`govrules.engine.duedates.explain_due`)."""

    def to_dict(self) -> dict[str, Any]:
        spec = self.rule.spec
        return {
            "rule": spec.id, "title": spec.title_both, "pack": self.pack.id,
            "pack_version": self.pack.meta.version, "snapshot_id": self.snapshot_id,
            "as_of": str(self.as_of), "in_force": self.in_force,
            "rule_dates": describe((spec.effective, spec.repealed)),
            "article": self.finding.article.model_dump(mode="json"),
            "form": self.form,
            "scope": [c.to_dict() for c in self.scope],
            "conditions": [c.to_dict() for c in self.conditions],
            "derived": [c.to_dict() for c in self.derived],
            "unknown": list(self.unknown),
            "finding": self.finding.model_dump(mode="json"),
            "due_explanation": self.due,
        }


def _find(pack: Pack, rule_id: str) -> CompiledRule:
    rule = pack.rules_by_id.get(rule_id)
    if rule is None:
        raise InputError(Diagnostic("unknown-rule", _("no rule {rule!r} in pack {pack!r}").format(
                                        rule=rule_id, pack=pack.id),
                                    hint=did_you_mean(rule_id, pack.rules_by_id)
                                    or _("govrules show PACK lists the rules")))
    return rule


def _periodic_form(rule: CompiledRule, finding: Finding, ctx: expr.EvalContext,
                   conditions: list[ConditionTrace]) -> dict[str, str]:
    """A periodic rule's form, and the traces of its dates (added to ``conditions``)."""
    periodic, spec = rule.periodic, rule.spec.periodic
    assert periodic is not None
    assert spec is not None
    form = {"period": spec.period, "records": periodic.records_path,
            "within": f"{periodic.amount} {periodic.unit.replace('_', ' ')}"
            if periodic.unit else _("by the end of the following period")}
    conditions.append(_trace("from", periodic.start, ctx))
    if periodic.until is not None:
        conditions.append(_trace("until", periodic.until, ctx))
    if periodic.ongoing is not None:
        conditions.append(_trace("ongoing_when", periodic.ongoing, ctx))
    for key in ("missing", "late", "upcoming"):
        if finding.details.get(key):
            form[f"{key} periods"] = ", ".join(map(str, finding.details[key]))
    return form


def explain_rule(pack: Pack, snapshot: Snapshot, rule_id: str, as_of: date,
                 calendar: Calendar | None = None) -> Explanation:
    """Explain the finding of rule ``rule_id`` of ``pack`` on ``snapshot`` at ``as_of``."""
    cal = calendar or Calendar.default()
    rule = _find(pack, rule_id)
    report = evaluate_pack(pack, snapshot, as_of, cal, include_all=True)
    finding = next(f for f in report.findings if f.rule == rule_id)
    ctx = expr.EvalContext(root=snapshot, as_of=as_of, calendar=cal)
    scope = tuple(_trace(c.spec.id, c.applies, ctx) for c in pack.scope) + tuple(
        _trace(_("{id} (exception; presumed false when unknown)").format(id=e.spec.id),
               e.when, ctx)
        for e in pack.exceptions if e.covers(rule.id))
    spec = rule.spec
    conditions = [_trace("applies_when", rule.applies, ctx)]
    form: dict[str, str] = {}
    if spec.violated_when is not None and rule.violated is not None:
        conditions.append(_trace("violated_when", rule.violated, ctx))
    elif spec.deadline is not None:
        deadline = spec.deadline
        form = {"after": deadline.after, "within": f"{deadline.within.amount} "
                f"{deadline.within.unit.replace('_', ' ')}", "done_on": deadline.done_on,
                "done": deadline.done or _("(the twin of done_on)")}
        conditions += _deadline_terms(pack, deadline, rule, ctx, form)
    elif spec.periodic is not None and rule.periodic is not None:
        form = _periodic_form(rule, finding, ctx, conditions)
    uses = set(rule.applies.uses) | (set(rule.violated.uses) if rule.violated else set())
    derived = tuple(_trace(name, pack.env.derived[name].compiled, ctx)
                    for name in sorted(uses) if name in pack.env.derived)
    unknown = sorted(set(finding.missing).union(*(t.missing for t in (*scope, *conditions))))
    due = (explain_due(rule, pack, snapshot, cal, as_of=as_of, due=finding.due)
           if finding.due is not None else None)
    return Explanation(rule, pack, snapshot.id, as_of, rule.in_force_on(as_of), scope,
                       tuple(conditions), derived, tuple(unknown), finding, form, due)


def _deadline_terms(pack: Pack, deadline: Deadline, rule: CompiledRule,
                    ctx: expr.EvalContext, form: dict[str, str]) -> list[ConditionTrace]:
    """A deadline in its own terms: the event, the due date, the act and its date, and
    whether it is late or overdue on ``as_of`` (not the condition generated from them)."""
    done = deadline.done or (deadline.done_on.removesuffix("_on")
                             if deadline.done_on.endswith("_on") else None)
    traces: list[ConditionTrace] = []
    values: dict[str, object] = {}
    for key, label, text, expect in (("after", N_("event (after)"), deadline.after, expr.Date),
                                     ("done_on", N_("done on"), deadline.done_on, expr.Date),
                                     ("done", N_("done"), done, expr.Bool)):
        if text is None:
            continue
        try:
            compiled = expr.compile_expression(text, pack.env, expect=expect)
        except ExpressionError:
            continue
        trace = _trace(_(label), compiled, ctx)
        traces.append(trace)
        values[key] = compiled.fn(ctx)
    due = rule.due.fn(ctx) if rule.due is not None else None
    if rule.due is not None:
        traces.insert(1, _trace(_("due date"), rule.due, ctx))
    done_on, was_done = values.get("done_on"), values.get("done")
    if isinstance(due, date) and isinstance(done_on, date):
        form[_("late")] = (_("yes: done {done}, due {due}") if done_on > due
                           else _("no: done {done}, due {due}")).format(done=done_on, due=due)
    elif (isinstance(due, date) and was_done is False) or (
            isinstance(due, date) and isinstance(was_done, expr.Unknown)):
        state = _("not done") if was_done is False else _("not recorded as done")
        answer = _("yes") if ctx.as_of > due else _("no")
        form[_("overdue on {date}").format(date=ctx.as_of)] = _(
            "{answer}: {state}, due {due}").format(answer=answer, state=state, due=due)
    return traces


def render_explanation(ex: Explanation) -> str:
    """The explanation as text for a terminal."""
    lines = _heading(ex)
    if ex.form:
        lines += ["", _("form")] + [f"  {k}: {v}" for k, v in ex.form.items()]
    lines += _trace_sections(ex)
    if ex.due is not None:
        lines += ["", _("due date"), *(f"  {line}" for line in describe_due(ex.due))]
    lines += _result(ex)
    return "\n".join(lines) + "\n"


def _heading(ex: Explanation) -> list[str]:
    """The rule, its article, its quote, what was evaluated and whether the rule was in
    force."""
    spec = ex.rule.spec
    return [
        f"{spec.id}" + (f" — {spec.title_both}" if spec.title else ""),
        _article_line(ex.finding),
        f"「{spec.quote}」",
        _("pack {id} v{version} · snapshot {snapshot} · as of {as_of}").format(
            id=ex.pack.id, version=ex.pack.meta.version,
            snapshot=printable(ex.snapshot_id or _("(no id)")), as_of=ex.as_of),
        _("rule in force on {as_of}: {answer} (rule dates: {dates})").format(
            as_of=ex.as_of, answer=_("yes") if ex.in_force else _("no"),
            dates=describe((spec.effective, spec.repealed))),
    ]


def _article_line(finding: Finding) -> str:
    """The article's label, title, chapter, version and amending act."""
    article = finding.article
    version = describe((article.effective, article.repealed))
    return (f"{article.label}" + (f" {article.title}" if article.title else "")
            + (f" · {article.chapter}" if article.chapter else "")
            + ("  " + _("(version {version})").format(version=version)
               if version != "always" else "")
            + (_(", amended by {act}").format(act=article.amended_by) if article.amended_by
               else ""))


def _trace_sections(ex: Explanation) -> list[str]:
    """The scope clauses, the conditions and the derived facts, each value under its
    text."""
    lines: list[str] = []
    for title, traces in ((_("scope and exceptions"), ex.scope),
                          (_("conditions"), ex.conditions),
                          (_("derived facts used"), ex.derived)):
        if not traces:
            continue
        lines += ["", title]
        for trace in traces:
            lines.append(f"  {trace.label}: {trace.text}")
            lines.append(f"    = {trace.value}")
            lines += [f"      {text} = {value}" for text, value in trace.steps]
    return lines


def _result(ex: Explanation) -> list[str]:
    """The unknown facts, the status with its due date, the message in both languages
    (the chosen one first) and the reason."""
    finding = ex.finding
    status = _(STATUS_WORDS[finding.status]) if finding.status in STATUS_WORDS else finding.status
    first, second = ((finding.message.zh, finding.message.en) if language() == "zh" else
                     (finding.message.en, finding.message.zh))
    lines = ["", _("unknown facts: {facts}").format(
                 facts=", ".join(ex.unknown) if ex.unknown else _("none")),
             "", _("RESULT: {status}").format(status=status)
             + (" " + _("(due {date})").format(date=finding.due) if finding.due else ""),
             f"  {first}", f"  {second}"]
    if finding.details.get("reason"):
        lines.append("  " + _("reason: {reason}").format(reason=finding.details["reason"]))
    return lines
