"""Generated condition functions compute exactly what the closures compute.

Every compiled expression of every built-in pack (conditions, derived facts, dates,
message placeholders) is evaluated both ways on generated snapshots: same value, same
missing facts, same calendar years noted.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from benchmarks.snapgen import RandomChooser, SnapshotGenerator, pack_conditions

from govrules.calendar import Calendar
from govrules.errors import SnapshotError
from govrules.expr import EvalContext, Unknown, codegen, compile_expression
from govrules.pack import Pack, builtin_pack, builtin_pack_ids, parse_pack
from govrules.snapshot import Snapshot, parse_snapshot
from tests.conftest import REPO

CAL = Calendar.default()


def _closure_pack(pack_id: str, monkeypatch: pytest.MonkeyPatch) -> Pack:
    with monkeypatch.context() as patch:
        patch.setattr(codegen, "ENABLED", False)
        return parse_pack((REPO / "policies" / f"{pack_id}.yaml").read_text(encoding="utf-8"))


def _snapshots(pack: Pack, count: int) -> Iterator[tuple[Snapshot, date]]:
    generator, chooser = SnapshotGenerator(pack, CAL), RandomChooser(11)
    made = 0
    while made < count:
        data, as_of = generator.generate(chooser)
        try:
            yield parse_snapshot(data), as_of
        except SnapshotError:
            continue
        made += 1


def _key(value: Any) -> Any:
    return ("unknown", sorted(value.missing)) if isinstance(value, Unknown) else value


@pytest.mark.parametrize("pack_id", builtin_pack_ids())
def test_generated_functions_equal_the_closures(pack_id: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = builtin_pack(pack_id), _closure_pack(pack_id, monkeypatch)
    pairs = list(zip(pack_conditions(fast), pack_conditions(slow), strict=True))
    assert all(a.text == b.text for a, b in pairs)
    assert any(a.fn.__name__ == "condition" for a, _ in pairs)
    assert not any(b.fn.__name__ == "condition" for _, b in pairs)
    for snapshot, as_of in [*_snapshots(fast, 300),
                            *((parse_snapshot(dict(e.snapshot)), e.as_of) for e in fast.examples)]:
        ctx_a, ctx_b = EvalContext(snapshot, as_of, CAL), EvalContext(snapshot, as_of, CAL)
        for a, b in pairs:
            assert _key(a.fn(ctx_a)) == _key(b.fn(ctx_b)), a.text
        assert ctx_a.uncovered_years == ctx_b.uncovered_years


def test_identical_conditions_share_one_function() -> None:
    pack = builtin_pack("guiyang")
    text = "not planning.department_plan_filed"
    assert compile_expression(text, pack.env).fn is compile_expression(text, pack.env).fn


def test_conditions_too_deep_for_python_keep_their_closures() -> None:
    pack = builtin_pack("guiyang")
    depth = 24  # more nested loops than Python compiles in one function
    text = "a0.content_changed"
    for i in reversed(range(depth)):
        text = f"any(a{i} in budget.adjustments: {text} or a{i}.implemented)"
    compiled = compile_expression(text, pack.env)
    assert compiled.fn.__name__ != "condition"
    snapshot = parse_snapshot({"budget": {"adjustments": [{"content_changed": True}]}})
    assert compiled.fn(EvalContext(snapshot, date(2025, 1, 1), CAL)) is True


def test_float_facts_are_read_as_decimals() -> None:
    from pydantic import BaseModel

    from govrules.expr import Env, type_from_model

    class Row(BaseModel):
        x: float | None = None

    class Root(BaseModel):
        rows: list[Row] | None = None
        y: float | None = None

    env = Env(type_from_model(Root))
    for text, data, want in [
        ("y == 0.1", {"y": 0.1}, True),
        ("y > 1", {"y": float("nan")}, ("unknown", ["y"])),
        ("any(r in rows: r.x == 0.1)", {"rows": [{"x": 0.1}]}, True),
        ("any(r in rows: r.x > 1)", {"rows": [{"x": float("inf")}]}, ("unknown", [])),
    ]:
        fast = compile_expression(text, env)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(codegen, "ENABLED", False)
            slow = compile_expression(text, env)
        root = Root.model_validate(data)
        ctx = EvalContext(root, date(2025, 1, 1))
        assert _key(fast.fn(ctx)) == _key(slow.fn(ctx)) == want, text
