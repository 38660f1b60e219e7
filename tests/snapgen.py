"""Generate project snapshots for a pack, generically from the snapshot model.

Used by the differential test (through Hypothesis) and by the engine benchmark (through
a seeded ``random.Random``): both supply a :class:`Chooser`. Snapshots hold only the
facts the pack reads, each present or absent (unknown), with values biased toward what
its conditions mention:

- numbers harvested from the conditions (``10%``, ``3``), and amounts of money that are
  exact multiples of one base amount (an adjustment of exactly 10% of the budget);
- dates around one anchor date (often the eve of a public holiday or a make-up working
  day): the anchor plus a few days, the working-day and month offsets the conditions
  use, and the date literals they mention; ``as_of`` comes from the same pool, so
  deadlines land just before, on and just after the evaluation date;
- enumeration values, and text literals the conditions compare with.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from govrules.base.calendar import Calendar, Quarter, add_months, add_years
from govrules.lang import Compiled
from govrules.lang._nodes import Call, Node, NumberLit, StringLit, children
from govrules.model.pack import Pack
from govrules.model.snapshot import Snapshot, snapshot_facts
from govrules.model.snapshot.base import Facts

__all__ = ["Chooser", "RandomChooser", "SnapshotGenerator", "pack_conditions"]

T = TypeVar("T")


class Chooser(Protocol):
    def choice(self, options: Sequence[T]) -> T: ...

    def chance(self, percent: int) -> bool: ...


class RandomChooser:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def choice(self, options: Sequence[T]) -> T:
        return options[self.rng.randrange(len(options))]

    def chance(self, percent: int) -> bool:
        return self.rng.randrange(100) < percent


_FACTS = snapshot_facts()
_KIND = {path.replace("[]", ""): fact for path, fact in _FACTS.items()}
_BASES = [Decimal(v) for v in ("1000000", "5000000", "3000000", "12000000", "800000")]


def pack_conditions(pack: Pack) -> Iterator[Compiled]:
    """Every compiled expression of a pack (conditions, dates, templates, derived facts)."""
    for clause in pack.scope:
        yield clause.applies
    for derived in pack.env.derived.values():
        yield derived.compiled
    for rule in pack.rules:
        yield from (c for c in (rule.applies, rule.violated, rule.due, rule.pending)
                    if c is not None)
        if rule.periodic is not None:
            p = rule.periodic
            yield from (c for c in (p.start, p.until, p.ongoing, p.records) if c is not None)
        for step in rule.next_steps:
            yield from (c for c in (step.when, step.due) if c is not None)
        for template in (rule.message_zh, rule.message_en):
            yield from (c for c in template.parts if isinstance(c, Compiled))


def _walk(node: Node) -> Iterator[Node]:
    yield node
    for child in children(node):
        yield from _walk(child)


def _special_days(calendar: Calendar) -> list[date]:
    """Eves of public holidays and make-up working days, 2023-2026 (and a few plain days)."""
    out: list[date] = [date(2025, 6, 30), date(2024, 12, 31), date(2027, 3, 1)]
    day = date(2023, 1, 1)
    while day < date(2027, 1, 1):
        weekday = day.weekday() < 5
        if calendar.is_working_day(day) != weekday:
            out.append(day - timedelta(days=1))
        day += timedelta(days=1)
    return sorted(set(out))


@dataclass
class _Pools:
    dates: list[date]
    money: list[Decimal]
    quarters: list[Quarter]


class SnapshotGenerator:
    """Snapshots for one pack; ``generate`` gives ``(snapshot data, as_of)``."""

    def __init__(self, pack: Pack, calendar: Calendar | None = None) -> None:
        self.pack = pack
        self.calendar = calendar or Calendar.default()
        nodes = [n for c in pack_conditions(pack) for n in _walk(c.node)]
        facts = {f for c in pack_conditions(pack) for f in c.facts}
        numbers = {n.value for n in nodes if isinstance(n, NumberLit)}
        self.ratios = sorted(v for v in numbers if 0 < v < 1)
        self.counts = sorted({int(v) for v in numbers if v == v.to_integral_value()
                              and 0 <= v <= 60} | {0, 1, 2})
        self.texts = sorted({n.value for n in nodes if isinstance(n, StringLit)})
        self.literal_dates = sorted({date.fromisoformat(a.value) for n in nodes
                                     if isinstance(n, Call) and n.name == "date"
                                     for a in n.args if isinstance(a, StringLit)})
        self.wanted = {p for f in facts for p in _prefixes(f)}
        for rule in pack.rules:  # periodic records are read field by field by the engine
            if rule.periodic is not None:
                self.wanted |= _prefixes(rule.periodic.records_path)
        self.anchors = _special_days(self.calendar) + self.literal_dates
        self.exception_rules = [r.id for r in pack.rules if r.spec.in_principle]

    def _pools(self, anchor: date, base: Decimal) -> _Pools:
        offsets = {0, 1, -1, 2, -2, 7, -7, 30, -30, 90, -90, 400, -400}
        days = {anchor + timedelta(days=o) for o in offsets}
        for n in self.counts:
            if n:
                days.add(self.calendar.add_working_days(anchor, n))
                days.add(self.calendar.add_working_days(anchor, -n))
                days.add(add_months(anchor, n))
                days.add(add_months(anchor, -n))
                if n <= 5:
                    days.add(add_years(anchor, n))
                    days.add(add_years(anchor, -n))
        days |= {d + timedelta(days=o) for d in self.literal_dates for o in (-1, 0, 1)}
        money = {base, Decimal(0), base / 2, base * 2}
        for r in self.ratios:
            money |= {base * r, base * r + 1, base * r - 1, -(base * r), -(base * r) - 1}
        ordered = sorted(days)
        return _Pools(ordered, sorted(money), sorted({Quarter.of(d) for d in ordered},
                                                     key=lambda q: (q.year, q.q)))

    def generate(self, chooser: Chooser) -> tuple[dict[str, Any], date]:
        anchor = chooser.choice(self.anchors)
        pools = self._pools(anchor, chooser.choice(_BASES))
        as_of = chooser.choice(pools.dates)
        data = self._group(Snapshot, "", chooser, pools)
        data["id"] = "GEN"
        if self.exception_rules and chooser.chance(25):
            data["exceptions"] = [{"rule": chooser.choice(self.exception_rules),
                                   **({"approved": chooser.choice([True, False])}
                                      if chooser.chance(70) else {})}]
        return data, as_of

    def _group(self, model: type[BaseModel], prefix: str, chooser: Chooser,
               pools: _Pools) -> dict[str, Any]:
        out: dict[str, Any] = {}
        twins = dict(model.twins) if issubclass(model, Facts) else {}
        dated = set(twins.values())
        for name in model.model_fields:
            path = prefix + name
            if path not in self.wanted or name in dated:
                continue
            if name in twins and twins[name] and (twins[name] in model.model_fields):
                self._twin(out, name, twins[name], chooser, pools)
            elif chooser.chance(85):
                out[name] = self._value(path, chooser, pools)
        for flag, day in twins.items():  # a date wanted whose flag is not
            if prefix + day in self.wanted and prefix + flag not in self.wanted \
                    and chooser.chance(60):
                out[day] = chooser.choice(pools.dates).isoformat()
        return out

    def _twin(self, out: dict[str, Any], flag: str, day: str, chooser: Chooser,
              pools: _Pools) -> None:
        state = chooser.choice(["absent", "false", "true", "dated", "dated"])
        if state == "false":
            out[flag] = False
        elif state == "true":
            out[flag] = True
        elif state == "dated":
            out[day] = chooser.choice(pools.dates).isoformat()
            if chooser.chance(30):
                out[flag] = True

    def _value(self, path: str, chooser: Chooser, pools: _Pools) -> Any:
        fact = _KIND[path]
        kind = fact.kind
        if kind == "group":
            assert fact.model is not None
            return self._group(fact.model, path + ".", chooser, pools)
        if kind == "records":
            assert fact.model is not None
            return [self._group(fact.model, path + ".", chooser, pools)
                    for _ in range(chooser.choice([0, 1, 1, 2, 3]))]
        if kind == "list":
            if fact.item == "enum":
                return [v for v in fact.values if chooser.chance(60 if v in self.texts else 25)]
            return [self._scalar(fact.item or "text", fact.values, chooser, pools)
                    for _ in range(chooser.choice([0, 1, 2]))]
        return self._scalar(kind, fact.values, chooser, pools)

    def _scalar(self, kind: str, values: Sequence[Any], chooser: Chooser,
                pools: _Pools) -> Any:
        if kind == "bool":
            return chooser.choice([True, False])
        if kind == "date":
            return chooser.choice(pools.dates).isoformat()
        if kind == "money":
            return str(chooser.choice(pools.money))
        if kind == "integer" and chooser.chance(50):
            return chooser.choice(pools.dates).year
        if kind in ("number", "integer"):
            value = chooser.choice([*self.counts, 1, 3, 5])
            if kind == "number" and chooser.chance(20):
                return str(Decimal(value) + Decimal("0.5"))
            return value
        if kind == "enum":
            preferred = [v for v in values if v in self.texts]
            return chooser.choice(preferred if preferred and chooser.chance(80) else values)
        if kind == "quarter":
            return str(chooser.choice(pools.quarters))
        return chooser.choice([*(t for t in self.texts if t), "x"])


def _prefixes(path: str) -> set[str]:
    parts = path.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
