"""The decision step's short path for plain rules decides what the full path decides.

A rule with one timeless version, judged on ``as_of`` and not periodic, skips the steps
of the law of the time (conduct date, version, validity window) while ``as_of`` is inside
the text's validity. Forcing every rule down the full path must change no decision, on
each built-in pack's worked examples and on generated snapshots, with presumptions
recorded and strictly.
"""

from __future__ import annotations

import pytest

from govrules.base.calendar import Calendar
from govrules.engine import decide as decide_module
from govrules.engine.decide import decide
from govrules.model.compiled import CompiledRule
from govrules.model.pack import builtin_pack, builtin_pack_ids
from tests.conftest import generated_cases

CAL = Calendar.default()


@pytest.mark.parametrize("pack_id", builtin_pack_ids())
@pytest.mark.parametrize("strict", [False, True])
def test_the_short_path_decides_as_the_full_one(pack_id: str, strict: bool,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    pack = builtin_pack(pack_id)
    plain = [r.id for r in pack.rules if r.plain]
    assert plain, "no rule of the pack takes the short path"
    cases = generated_cases(pack, 150, seed=17)
    short = [decide(pack, s, d, calendar=CAL, strict_presumptions=strict) for s, d in cases]
    forced: list[str] = []

    def full_path(rule: CompiledRule, env: object) -> object:
        forced.append(rule.id)
        return decide_module._judge_dated(rule, env)  # type: ignore[arg-type]

    monkeypatch.setattr(decide_module, "_judge_plain", full_path)
    for (snapshot, as_of), fast in zip(cases, short, strict=True):
        full = decide(pack, snapshot, as_of, calendar=CAL, strict_presumptions=strict)
        for a, b in zip(fast.rules, full.rules, strict=True):
            assert a == b, (a.rule.id, as_of)
            assert a.rule is b.rule, (a.rule.id, as_of)
    assert set(plain) & set(forced), "the full path was never forced on a plain rule"


def test_which_rules_are_plain() -> None:
    """Amended, periodic and conduct-dated rules keep the full path."""
    rules = [r for p in builtin_pack_ids() for r in builtin_pack(p).rules]
    full = [r for r in rules
            if r.earlier or r.periodic is not None or r.conduct_fact is not None]
    assert full
    assert not any(r.plain for r in full)
    assert any(r.plain for r in rules)
