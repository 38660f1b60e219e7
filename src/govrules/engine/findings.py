"""Findings, messages and next steps from decided statuses (:mod:`govrules.engine.decide`).

Nothing here changes a status. A violated, waived or satisfied finding carries the
rule's message; an undetermined one reads as a condition (what would breach, and which
facts decide it); a not-applicable one names the rule by its title and says why.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from govrules import lang as expr
from govrules.base.calendar import Quarter
from govrules.engine.decide import Decisions, RuleDecision
from govrules.engine.periodic import due_date
from govrules.model.compiled import CompiledRule, CompiledStep, Pack, Template
from govrules.model.report import Conduct, Finding, NextStep, RuleVersion, Text

__all__ = ["Builder", "fmt", "json_value"]

Unknown = expr.Unknown
_SHOWN: frozenset[str] = frozenset({"violated", "undetermined", "waived"})


def fmt(value: object, lang: str) -> str:
    """A value as a reader sees it in a message."""
    if isinstance(value, Unknown):
        return "未知" if lang == "zh" else "unknown"
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, Decimal):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    if isinstance(value, list):
        return ", ".join(fmt(v, lang) for v in value)
    return str(value)


def json_value(value: object) -> Any:
    """A fact value in its JSON form."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date | Quarter | expr.Span):
        return str(value)
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return value


def _lower_first(text: str) -> str:
    return text if text[1:2].isupper() else text[:1].lower() + text[1:]


def _conditional(zh: str, en: str, missing: list[str]) -> Text:
    """An undetermined finding's message (from the rule's, ``zh`` and ``en``): a
    condition, never a statement of breach."""
    facts = ", ".join(missing)
    zh_body = zh.rstrip("。.")
    en_body = en.rstrip(".")
    return Text(zh=f"尚无法判定:如果{zh_body},则违反本规则。取决于:{facts or '(无)'}。",
                en=f"Undetermined: if {_lower_first(en_body)}, the rule is breached. "
                   f"Deciding facts: {facts or '(none)'}.")


def _not_applicable(rule: CompiledRule, reason: Text | None) -> Text:
    zh = f"不适用:{rule.title.zh}。" + (reason.zh if reason else "")
    en = f"Not applicable: {rule.title.en}." + (f" {reason.en}" if reason else "")
    return Text(zh=zh, en=en)


@dataclass(frozen=True, slots=True)
class _Fixed:
    """What a rule's findings say whatever the snapshot (frozen values, shared)."""

    consequence: Text | None
    version: RuleVersion
    interpretations: tuple[str, ...]


def _fixed_of(pack: Pack, rule: CompiledRule) -> _Fixed:
    spec = rule.spec
    ids = list(spec.interpretations)  # those the rule lists, and those that name it
    for entry in pack.spec.interpretations:
        if entry.rules and rule.id in entry.rules and entry.id not in ids:
            ids.append(entry.id)
    return _Fixed(
        consequence=Text(zh=spec.consequence.zh, en=spec.consequence.en)
        if spec.consequence is not None else None,
        version=RuleVersion(pack=pack.meta.version, effective=spec.effective,
                            repealed=spec.repealed, amended_by=spec.amended_by),
        interpretations=tuple(ids))


_fixed_lock = threading.Lock()
_fixed_cache: dict[int, tuple[CompiledRule, Pack, _Fixed]] = {}


def _fixed(pack: Pack, rule: CompiledRule) -> _Fixed:
    """The fixed parts of ``rule``'s findings in ``pack`` (found once per rule version)."""
    hit = _fixed_cache.get(id(rule))  # one dict read: safe without the lock
    if hit is not None and hit[0] is rule and hit[1] is pack:
        return hit[2]
    fixed = _fixed_of(pack, rule)
    with _fixed_lock:
        if len(_fixed_cache) > 4096:
            _fixed_cache.clear()
        _fixed_cache[id(rule)] = (rule, pack, fixed)
    return fixed


@functools.lru_cache(maxsize=4096)
def _conduct(day: date | None, fact: str) -> Conduct:
    """The conduct a finding judges (frozen: one instance serves every finding)."""
    return Conduct(date=day, fact=fact)


@dataclass
class Builder:
    """Renders the findings and steps of one :class:`Decisions`."""

    decisions: Decisions
    steps: list[NextStep] = field(default_factory=list)

    @property
    def ctx(self) -> expr.EvalContext:
        return self.decisions.ctx

    @property
    def as_of(self) -> date:
        return self.decisions.as_of

    def value(self, compiled: expr.Compiled) -> object:
        return compiled.fn(self.ctx)

    def render(self, template: Template, lang: str, specials: dict[str, str]) -> str:
        out: list[str] = []
        for part in template.parts:
            if not isinstance(part, str):
                out.append(fmt(self.value(part), lang))
                continue
            special = part[1:-1] if part.startswith("{") and part.endswith("}") else None
            if special in specials:
                out.append(specials[special])
            elif special in template.specials:
                out.append(fmt(Unknown(frozenset()), lang))  # e.g. {due} of an unknown date
            else:
                out.append(part)
        return "".join(out)

    def message(self, rule: CompiledRule, specials: dict[str, str]) -> Text:
        return Text(zh=self.render(rule.message_zh, "zh", specials),
                    en=self.render(rule.message_en, "en", specials))

    def facts_of(self, rule: CompiledRule) -> dict[str, Any]:
        facts: dict[str, Any] = {}
        for path, getter in rule.fact_getters:
            value = getter.fn(self.ctx)
            if not isinstance(value, Unknown):
                facts[path] = json_value(value)
        return facts

    # -- findings -------------------------------------------------------------------------

    def due_of(self, rule: CompiledRule) -> date | None:
        due = self.value(rule.due) if rule.due is not None else None
        return due if isinstance(due, date) else None

    def finding(self, d: RuleDecision, full: bool) -> Finding | None:
        """The finding of ``d``; None when a default report does not show it."""
        self.add_steps(d)
        if not full and d.status not in _SHOWN:
            return None
        rule = d.rule
        due = self.due_of(rule)
        specials = {"as_of": str(self.as_of)}
        if due is not None:
            specials["due"] = str(due)
        details: dict[str, Any] = {}
        if d.periods is not None:
            details.update(d.periods.details())
            specials["periods"] = ", ".join(details["missing"] + details["late"])
        if d.would_be is not None:
            details["would_be"] = d.would_be
        missing = expr.summarise_missing(d.missing)
        message: Text
        if d.status == "not_applicable":
            message = _not_applicable(rule, d.reason)
        elif d.status == "undetermined":
            message = _conditional(self.render(rule.message_zh, "zh", specials),
                                   self.render(rule.message_en, "en", specials), missing)
        else:
            message = self.message(rule, specials)
        return self.make(d, message, missing, due, details)

    def make(self, d: RuleDecision, message: Text, missing: list[str], due: date | None,
             details: dict[str, Any]) -> Finding:
        rule = d.rule
        spec = rule.spec
        fixed = _fixed(self.decisions.pack, rule)
        day = d.conduct or self.as_of
        conduct = _conduct(d.conduct, d.conduct_fact) if d.conduct_fact else None
        return Finding(
            rule=spec.id, status=d.status, severity=spec.severity,
            article=rule.citation_on(day), message=message,
            facts=self.facts_of(rule) if d.status != "not_applicable" else {},
            missing=missing, in_principle=spec.in_principle, exception=d.waiver,
            consequence=fixed.consequence, due=due, details=details, binding=d.binding,
            version=fixed.version, conduct=conduct, title=rule.title,
            interpretations=fixed.interpretations, reason=d.reason, cites=d.cites,
            presumed=list(d.presumed))

    # -- next steps -----------------------------------------------------------------------

    def add_steps(self, d: RuleDecision) -> None:
        """The steps a decided rule asks for (none when the text does not govern it)."""
        rule = d.rule
        if d.reason is not None or self.decisions.scope_out:
            return
        if d.periods is not None and d.applies is not False:
            self.periodic_steps(d)
        if d.status == "satisfied" and rule.due is not None and d.applies is True:
            self.pending(rule, self.due_of(rule))
        if d.status in {"not_applicable", "satisfied", "undetermined"}:
            # A live duty is announced even when an earlier period is undetermined.
            self.upcoming(rule)
        elif d.status == "violated" and rule.periodic is None:
            self.remedial(rule, self.due_of(rule))

    def periodic_steps(self, d: RuleDecision) -> None:
        rule, periods = d.rule, d.periods
        assert rule.periodic is not None
        assert periods is not None
        for step in rule.next_steps:
            for quarter in periods.missing:
                self.add_step(rule, step, "remedial", due_date(rule.periodic, quarter, self.ctx),
                              suffix=f" ({quarter})")
            for quarter in periods.upcoming:
                self.add_step(rule, step, "upcoming", due_date(rule.periodic, quarter, self.ctx),
                              suffix=f" ({quarter})")

    def add_step(self, rule: CompiledRule, step: CompiledStep, kind: str, due: date | None,
                 suffix: str = "") -> None:
        if step.due is not None:
            value = self.value(step.due)
            due = value if isinstance(value, date) else None
        spec = step.spec
        self.steps.append(NextStep(
            action=spec.action, kind="remedial" if kind == "remedial" else "upcoming",
            text=Text(zh=spec.text.zh + suffix, en=spec.text.en + suffix),
            responsible=spec.responsible, recipient=spec.recipient, due=due,
            overdue=(self.as_of > due) if due is not None else None,
            article=rule.citation_on(self.as_of), because=[rule.id]))

    def remedial(self, rule: CompiledRule, due: date | None) -> None:
        for step in rule.next_steps:
            if step.spec.kind == "remedial" and self.remedial_wanted(step):
                self.add_step(rule, step, "remedial", due)

    def remedial_wanted(self, step: CompiledStep) -> bool:
        """A remedial step's optional `when` leaves it out only when known false (e.g. an
        act done late cannot be done again)."""
        return step.when is None or self.value(step.when) is not False

    def pending(self, rule: CompiledRule, due: date | None) -> None:
        """A deadline not yet passed and not yet met: its remedial steps are upcoming."""
        if due is None or rule.pending is None or self.value(rule.pending) is not True:
            return
        for step in rule.next_steps:
            if step.spec.kind == "remedial" and self.remedial_wanted(step):
                self.add_step(rule, step, "upcoming", due)

    def upcoming(self, rule: CompiledRule) -> None:
        for step in rule.next_steps:
            if step.spec.kind == "upcoming" and step.when is not None \
                    and self.value(step.when) is True:
                self.add_step(rule, step, "upcoming", None)
