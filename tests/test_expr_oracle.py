"""The compiled closures compute exactly what the reference interpreter computes.

``tests/oracle.py`` walks the syntax tree with the language's semantics and shares no
evaluation code with the compiler. Both are run on:

- every compiled expression of every built-in pack (conditions, derived facts, dates,
  message placeholders) on generated snapshots and the packs' examples;
- Hypothesis-generated formulas over a small model, with constants on either side of a
  comparison and values at the comparison's boundary (``5 < n`` at ``n = 5``), dates
  around month ends, unknown facts, lists and quantifiers.

Same value, same missing facts, same calendar years noted.
"""

from __future__ import annotations

import operator
import os
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from govrules.base.calendar import Calendar, Quarter
from govrules.base.errors import ExpressionError, SnapshotError
from govrules.lang import Compiled, Env, EvalContext, Unknown, compile_expression, type_from_model
from govrules.model.pack import Pack, builtin_pack, builtin_pack_ids
from govrules.model.snapshot import Snapshot, parse_snapshot
from tests.oracle import Interpreter, State
from tests.snapgen import RandomChooser, SnapshotGenerator, pack_conditions

CAL = Calendar.default()
PACK_SNAPSHOTS = int(os.environ.get("GOVRULES_ORACLE_SNAPSHOTS", "250"))
"""Generated snapshots per pack (``make mutate`` lowers it to keep each mutant's run short)."""
FORMULAS = int(os.environ.get("GOVRULES_ORACLE_FORMULAS", "1500"))
"""Generated formulas (``make mutate`` lowers it too)."""


def key(value: Any) -> Any:
    """A value with its missing facts, comparable across implementations."""
    if isinstance(value, Unknown):
        return ("unknown", sorted(value.missing))
    if isinstance(value, list):
        return [key(v) for v in value]
    return (type(value).__name__ if isinstance(value, bool) else "value", value)


def both(compiled: Compiled, root: Any, as_of: date, env: Env) -> tuple[Any, Any]:
    """(closures, oracle) values of ``compiled``, each with the calendar years it noted."""
    ctx = EvalContext(root, as_of, CAL)
    fast = compiled.fn(ctx)
    octx = EvalContext(root, as_of, CAL)
    slow = Interpreter(env).value(compiled.node, State(octx), {})
    return (key(fast), sorted(ctx.uncovered_years)), (key(slow), sorted(octx.uncovered_years))


# -- 1. every expression of every built-in pack ------------------------------------------------


def _snapshots(pack: Pack, count: int) -> Iterator[tuple[Snapshot, date]]:
    for example_case in pack.examples:
        yield parse_snapshot(dict(example_case.snapshot)), example_case.as_of
    generator, chooser = SnapshotGenerator(pack, CAL), RandomChooser(11)
    made = 0
    while made < count:
        data, as_of = generator.generate(chooser)
        try:
            yield parse_snapshot(data), as_of
        except SnapshotError:
            continue
        made += 1


@pytest.mark.parametrize("pack_id", builtin_pack_ids())
def test_closures_equal_the_oracle_on_every_pack_expression(pack_id: str) -> None:
    pack = builtin_pack(pack_id)
    conditions = list(pack_conditions(pack))
    assert conditions
    for snapshot, as_of in _snapshots(pack, PACK_SNAPSHOTS):
        for compiled in conditions:
            fast, slow = both(compiled, snapshot, as_of, pack.env)
            assert fast == slow, (compiled.text, snapshot, as_of)


# -- 2. generated formulas ----------------------------------------------------------------------


class Item(BaseModel):
    x: Decimal | None = None
    ok: bool | None = None
    on: date | None = None


class Facts(BaseModel):
    a: bool | None = None
    b: bool | None = None
    n: Decimal | None = None
    m: int | None = None
    d: date | None = None
    q: Quarter | None = None
    kind: str | None = None
    tags: list[str] | None = None
    items: list[Item] | None = None


ENV = Env(type_from_model(Facts))
AS_OF = date(2025, 6, 30)
ORDER = ["<", "<=", ">", ">=", "==", "!="]
NUMBERS = ["n", "m", "5", "0", "2.5", "n + 1", "m - n", "-n", "n * 2", "n / m", "m / 2",
           "10%", "abs(n)", "min(n, m)", "max(n, 5)", "len(tags)", "count(i in items: i.ok)",
           "sum(i in items: i.x)", "max(i in items: i.x)"]
DATES = ["d", "as_of", "date('2025-06-30')", "date('2025-07-01')", "add_days(d, 1)",
         "add_months(d, 1)", "add_years(d, -1)", "working_days_after(d, 5)", "year_end(d)",
         "quarter_start(q)", "min(d, as_of)", "max(i in items: i.on)"]
QUARTERS = ["q", "quarter('2025Q2')", "quarter_of(d)", "next_quarter(q)"]
VALUES = {
    "n": [None, Decimal(0), Decimal(4), Decimal(5), Decimal(6), Decimal("2.5"), Decimal(-5)],
    "m": [None, 0, 2, 5],
    "d": [None, date(2025, 6, 29), date(2025, 6, 30), date(2025, 7, 1), date(2024, 2, 29),
          date(2025, 1, 31), date(2025, 5, 30)],
    "q": [None, Quarter(2025, 2), Quarter(2025, 3)],
    "kind": [None, "new", "upgrade"],
}


def comparisons() -> st.SearchStrategy[str]:
    def pair(pool: list[str]) -> st.SearchStrategy[str]:
        return st.tuples(st.sampled_from(pool), st.sampled_from(ORDER), st.sampled_from(pool)) \
            .map(lambda t: f"{t[0]} {t[1]} {t[2]}")

    others = st.sampled_from([
        "a", "b", "n is known", "d is unknown", "kind in ['new', 'upgrade']",
        "kind not in ['new']", "'x' in tags", "'y' not in tags", "kind == 'new'",
        "'new' == kind", "any(i in items: i.ok)", "all(i in items: i.x > 0)",
        "any(i in items: 5 <= i.x)", "all(i in items: i.on is known and i.on < as_of)",
        "any(i in items: i.ok and i.x == n)", "n in [0, 5, m]", "m in [n]", "[n, 1] == [5, 1]",
        "days_between(d, as_of) > 30", "months_between(d, as_of) >= 1", "year(d) == 2025",
    ])
    return st.one_of(pair(NUMBERS), pair(DATES), pair(QUARTERS), others)


def formulas() -> st.SearchStrategy[str]:
    return st.recursive(
        comparisons(),
        lambda inner: st.one_of(
            st.tuples(inner, inner).map(lambda p: f"({p[0]} and {p[1]})"),
            st.tuples(inner, inner).map(lambda p: f"({p[0]} or {p[1]})"),
            inner.map(lambda p: f"not ({p})"),
        ),
        max_leaves=5,
    )


def facts() -> st.SearchStrategy[Facts]:
    item = st.builds(Item, x=st.sampled_from(VALUES["n"]), ok=st.sampled_from([True, False, None]),
                     on=st.sampled_from(VALUES["d"]))
    return st.builds(
        Facts, a=st.sampled_from([True, False, None]), b=st.sampled_from([True, False, None]),
        n=st.sampled_from(VALUES["n"]), m=st.sampled_from(VALUES["m"]),
        d=st.sampled_from(VALUES["d"]), q=st.sampled_from(VALUES["q"]),
        kind=st.sampled_from(VALUES["kind"]),
        tags=st.one_of(st.none(), st.lists(st.sampled_from(["x", "z"]), max_size=2)),
        items=st.one_of(st.none(), st.lists(item, max_size=3)))


def _compiles(text: str) -> Compiled | None:
    try:
        return compile_expression(text, ENV)
    except ExpressionError:  # e.g. 'n / m' folded to a division by zero: not a formula
        return None


@settings(max_examples=FORMULAS, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(formulas(), facts())
@example("5 < n", Facts(n=Decimal(5)))
@example("5 <= n", Facts(n=Decimal(5)))
@example("5 > n", Facts(n=Decimal(5)))
@example("5 >= n", Facts(n=Decimal(5)))
@example("date('2025-06-30') < d", Facts(d=date(2025, 6, 30)))
@example("quarter('2025Q2') >= q", Facts(q=Quarter(2025, 2)))
def test_closures_equal_the_oracle_on_generated_formulas(text: str, facts: Facts) -> None:
    compiled = _compiles(text)
    if compiled is None:
        return
    fast, slow = both(compiled, facts, AS_OF, ENV)
    assert fast == slow, text


# -- 3. constants on the left, at the boundary: the values themselves ----------------------------

PY = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
      "==": operator.eq, "!=": operator.ne}


@pytest.mark.parametrize("op", ORDER)
@pytest.mark.parametrize("value", [4, 5, 6])
def test_a_constant_on_the_left_compares_as_written(op: str, value: int) -> None:
    facts_ = Facts(n=Decimal(value), m=value)
    for text, want in [(f"5 {op} n", PY[op](5, value)), (f"n {op} 5", PY[op](value, 5)),
                       (f"5 {op} m", PY[op](5, value)), (f"m {op} 5", PY[op](value, 5)),
                       (f"5 {op} n + 0", PY[op](5, value)),
                       (f"date('2025-06-0{value}') {op} d", PY[op](value, 5)),
                       (f"2 + 3 {op} m", PY[op](5, value))]:
        day = Facts(d=date(2025, 6, 5), n=facts_.n, m=facts_.m)
        got = compile_expression(text, ENV).fn(EvalContext(day, AS_OF, CAL))
        assert got is want, text


def test_float_facts_are_read_as_decimals_by_both() -> None:
    class Row(BaseModel):
        x: float | None = None

    class Root(BaseModel):
        rows: list[Row] | None = None
        y: float | None = None

    env = Env(type_from_model(Root))
    for text, data, want in [
        ("y == 0.1", {"y": 0.1}, ("bool", True)),
        ("y > 1", {"y": float("nan")}, ("unknown", ["y"])),
        ("any(r in rows: r.x == 0.1)", {"rows": [{"x": 0.1}]}, ("bool", True)),
        ("any(r in rows: r.x > 1)", {"rows": [{"x": float("inf")}]}, ("unknown", [])),
    ]:
        compiled = compile_expression(text, env)
        fast, slow = both(compiled, Root.model_validate(data), AS_OF, env)
        assert fast == slow == (want, []), text
