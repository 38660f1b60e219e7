"""The query plan: missing facts ranked by how much they can still change the outcome.

For each fact an undetermined finding is missing, the plan sets the fact to candidate
values (true and false for a yes/no fact, each allowed value of a choice, the boundary a
condition compares a date or amount with, and the day or cent past it) and evaluates the
rule's conditions (scope, ``applies_when``, ``violated_when`` or the deadline) with the
other facts as they are. A fact *decides* a finding when some value alone turns it into
violated, satisfied or not applicable. Its score adds each finding's weight (severity:
error 3, warning 2, info 1; doubled when binding): the full weight for a finding it
decides, a share for one it only helps decide. The top facts become next steps.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, get_args

from pydantic import BaseModel

from govrules import expr
from govrules.audit_model import FactOutcome, QueryDecision, QueryItem
from govrules.calendar import Calendar
from govrules.errors import ExpressionError
from govrules.expr import nodes
from govrules.report import NextStep, Text

if TYPE_CHECKING:
    from govrules.compiled import CompiledRule, Pack
    from govrules.report import Finding, Report
    from govrules.snapshot import Snapshot

Status = Literal["violated", "satisfied", "not_applicable", "undetermined"]

__all__ = ["SEVERITY_WEIGHT", "TOP_STEPS", "plan_queries", "supply_steps", "with_fact"]

SEVERITY_WEIGHT = {"error": 3.0, "warning": 2.0, "info": 1.0}
TOP_STEPS = 3
"""How many of the top facts become ``supply-fact`` next steps."""

_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?")


def _parts(path: str) -> list[tuple[str, int | None]]:
    out: list[tuple[str, int | None]] = []
    for piece in path.split("."):
        match = _PART.fullmatch(piece)
        if match is None:
            raise ValueError(f"not a fact path: {path!r}")
        out.append((match.group(1), int(match.group(2)) if match.group(2) else None))
    return out


def _model_class(model: BaseModel, name: str) -> type[BaseModel] | None:
    info = type(model).model_fields.get(name)
    if info is None:
        return None
    stack: list[Any] = [info.annotation]
    while stack:
        typ = stack.pop()
        if isinstance(typ, type) and issubclass(typ, BaseModel):
            return typ
        stack.extend(get_args(typ))
    return None


def with_fact(model: BaseModel, path: str, value: Any) -> BaseModel:
    """A copy of ``model`` with the fact at ``path`` (``a.b``, ``a.items[2].c``) set."""
    parts = _parts(path)

    def put(obj: BaseModel, rest: list[tuple[str, int | None]]) -> BaseModel:
        (name, index), tail = rest[0], rest[1:]
        if name not in type(obj).model_fields:
            raise ValueError(f"no field {name!r}")
        current = getattr(obj, name)
        if index is not None:
            items = list(current or [])
            if index >= len(items) or not isinstance(items[index], BaseModel) or not tail:
                raise ValueError(f"no item {index} of {name!r}")
            items[index] = put(items[index], tail)
            return obj.model_copy(update={name: items})
        if not tail:
            return obj.model_copy(update={name: value})
        if current is None:
            cls = _model_class(obj, name)
            if cls is None:
                raise ValueError(f"{name!r} is not a record")
            current = cls.model_construct()
        return obj.model_copy(update={name: put(current, tail)})

    return put(model, parts)


def _type_of(root: expr.Object, path: str) -> expr.Type | None:
    typ: expr.Type = root
    for name, index in _parts(path):
        if not isinstance(typ, expr.Object):
            return None
        found = typ.fields.get(name)
        if found is None:
            return None
        typ = found
        if index is not None:
            if not isinstance(typ, expr.ListOf):
                return None
            typ = typ.item
    return typ


def _conditions(pack: Pack, rule: CompiledRule) -> Iterator[expr.Compiled]:
    yield from (c.applies for c in pack.scope)
    yield rule.applies
    if rule.violated is not None:
        yield rule.violated
    for name in sorted(rule.applies.uses | (rule.violated.uses if rule.violated else set())):
        derived = pack.env.derived.get(name)
        if derived is not None:
            yield derived.compiled


def _boundaries(pack: Pack, rule: CompiledRule, fact: str, ctx: expr.EvalContext
                ) -> list[Any]:
    """Values a condition compares ``fact`` with (evaluated on the snapshot)."""
    plain = re.sub(r"\[\d+\]", "", fact)
    found: list[Any] = []
    for compiled in _conditions(pack, rule):
        stack: list[nodes.Node] = [compiled.node]
        while stack:
            node = stack.pop()
            stack.extend(nodes.children(node))
            if not isinstance(node, nodes.Compare) or node.op in ("in", "not in"):
                continue
            for mine, other in ((node.left, node.right), (node.right, node.left)):
                if isinstance(mine, nodes.Path) and ".".join(mine.parts) == plain:
                    value = _value_of(compiled.text[other.start:other.end], pack, ctx)
                    if value is not None and value not in found:
                        found.append(value)
    return found


def _value_of(text: str, pack: Pack, ctx: expr.EvalContext) -> Any:
    try:
        compiled = expr.compile_expression(text, pack.env, expect=None)
    except ExpressionError:
        return None
    value = compiled.fn(ctx)
    return value if isinstance(value, date | Decimal | int) and not isinstance(
        value, bool) else None


def _candidates(pack: Pack, rule: CompiledRule, fact: str, ctx: expr.EvalContext
                ) -> list[Any]:
    typ = _type_of(pack.env.root, fact)
    if typ is expr.Bool:
        return [True, False]
    if isinstance(typ, expr.String):
        return sorted(typ.choices) if typ.choices else []
    if typ is expr.Date or typ is expr.Number:
        out: list[Any] = []
        for bound in _boundaries(pack, rule, fact, ctx):
            step: Any = timedelta(days=1) if isinstance(bound, date) else Decimal("0.01")
            for value in (bound, bound + step):
                if value not in out:
                    out.append(value)
        return out
    return []


def _status(pack: Pack, rule: CompiledRule, ctx: expr.EvalContext) -> Status:
    value: object = True
    for scope in pack.scope:
        value = expr.kleene_and(value, scope.applies.fn(ctx))
    applies = expr.kleene_and(value, rule.applies.fn(ctx))
    if applies is False:
        return "not_applicable"
    if rule.violated is None:
        return "undetermined"
    outcome = expr.kleene_and(applies, rule.violated.fn(ctx))
    if outcome is True:
        return "violated"
    if outcome is False:
        return "satisfied"
    return "undetermined"


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date):
        return str(value)
    return value


def _weight(finding: Finding, binding: bool) -> float:
    return SEVERITY_WEIGHT.get(finding.severity, 1.0) * (2.0 if binding else 1.0)


def plan_queries(report: Report, pack: Pack, snapshot: Snapshot, calendar: Calendar
                 ) -> list[QueryItem]:
    """The report's missing facts, ranked; empty when nothing is undetermined."""
    undetermined = [f for f in report.findings if f.status == "undetermined" and f.missing]
    if not undetermined:
        return []
    base = expr.EvalContext(root=snapshot, as_of=report.as_of, calendar=calendar)
    per_fact: dict[str, list[tuple[QueryDecision, float]]] = {}
    for finding in undetermined:
        binding = bool(getattr(finding, "binding", report.binding))
        weight = _weight(finding, binding)
        rule = pack.rules_by_id.get(finding.rule)
        for fact in finding.missing:
            outcomes: list[FactOutcome] = []
            if rule is not None and rule.periodic is None:
                for value in _candidates(pack, rule, fact, base):
                    try:
                        changed = with_fact(snapshot, fact, value)
                    except ValueError:
                        continue
                    ctx = expr.EvalContext(root=changed, as_of=report.as_of, calendar=calendar)
                    outcomes.append(FactOutcome(value=_json(value),
                                                status=_status(pack, rule, ctx)))
            decisive = any(o.status != "undetermined" for o in outcomes)
            share = weight if decisive else weight / max(len(finding.missing), 1)
            per_fact.setdefault(fact, []).append((QueryDecision(
                rule=finding.rule, severity=finding.severity, binding=binding,
                decisive=decisive, outcomes=outcomes), share))
    ranked = sorted(per_fact.items(), key=lambda kv: (
        -sum(s for _, s in kv[1]), -sum(d.decisive for d, _ in kv[1]), kv[0]))
    plan: list[QueryItem] = []
    for rank, (fact, decisions) in enumerate(ranked, 1):
        score = round(sum(s for _, s in decisions), 3)
        decided = sum(d.decisive for d, _ in decisions)
        plan.append(QueryItem(
            rank=rank, fact=fact, score=score, decides=[d for d, _ in decisions],
            text={"zh": f"补充事实 {fact}：可判定 {decided} 项、影响 {len(decisions)} 项未定结论",
                  "en": f"supply {fact}: decides {decided} and bears on {len(decisions)} "
                        f"undetermined finding{'s' if len(decisions) != 1 else ''}"}))
    return plan


def supply_steps(report: Report, plan: list[QueryItem], top: int = TOP_STEPS
                 ) -> list[NextStep]:
    """Next steps asking for the top facts of the plan."""
    by_rule = {f.rule: f for f in report.findings}
    steps: list[NextStep] = []
    for item in plan[:top]:
        first = by_rule.get(item.decides[0].rule)
        if first is None:
            continue
        steps.append(NextStep(
            action="supply-fact", kind="upcoming",
            text=Text(zh=item.text.zh, en=item.text.en), responsible=None, recipient=None,
            due=None, overdue=None, article=first.article,
            because=[d.rule for d in item.decides]))
    return steps
