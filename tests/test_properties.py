"""Properties of evaluation over every built-in pack's worked examples.

Information monotonicity: forgetting facts may turn a decided finding undetermined, but
never into a different decision; so filling in an unknown fact never changes a decided
finding. The decision is breach (``violated``), waived breach (``waived``) or no breach:
a rule whose applicability is unknown but which cannot be violated is ``satisfied``, and
becomes ``not_applicable`` once the facts show it does not apply, which is no change of
decision. ``exceptions`` are kept: an absent list means none were recorded.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govrules.base.calendar import Calendar
from govrules.engine.evaluate import evaluate_pack
from govrules.model.pack import Pack, builtin_pack, builtin_pack_ids
from govrules.model.report import Report
from govrules.model.snapshot import parse_snapshot
from tests.conftest import snapshot_leaves

CAL = Calendar.default()
DECISION = {"violated": "breach", "waived": "waived", "satisfied": "no breach",
            "not_applicable": "no breach"}

Path = tuple[str, ...]


def _without(data: dict[str, Any], paths: set[Path]) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for path in paths:
        node = out
        for key in path[:-1]:
            node = node[key]
        node.pop(path[-1], None)
    return out


def _cases() -> list[tuple[Pack, int]]:
    return [(builtin_pack(p), i) for p in builtin_pack_ids()
            for i in range(len(builtin_pack(p).examples))]


CASES = _cases()


def _statuses(pack: Pack, data: dict[str, Any], index: int) -> tuple[Report, dict[str, str]]:
    example = pack.examples[index]
    report = evaluate_pack(pack, parse_snapshot(data), example.as_of, CAL, include_all=True)
    return report, {f.rule: f.status for f in report.findings}


@st.composite
def partial_example(draw: st.DrawFn) -> tuple[Pack, int, dict[str, Any], dict[str, Any]]:
    pack, index = draw(st.sampled_from(CASES))
    full = dict(pack.examples[index].snapshot)
    leaves = snapshot_leaves(full)
    dropped = draw(st.sets(st.sampled_from(leaves), max_size=len(leaves))) if leaves else set()
    return pack, index, full, _without(full, dropped)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partial_example())
def test_forgetting_facts_never_changes_a_decided_finding(
        case: tuple[Pack, int, dict[str, Any], dict[str, Any]]) -> None:
    pack, index, full, partial = case
    _, complete = _statuses(pack, full, index)
    report, reduced = _statuses(pack, partial, index)
    resting = _resting_on_dropped(report, snapshot_leaves(full), snapshot_leaves(partial))
    changed = {rule: (status, complete[rule]) for rule, status in reduced.items()
               if status in DECISION and DECISION[complete[rule]] != DECISION[status]
               and rule not in resting}
    assert not changed, f"{pack.id} example {index}: {changed}"


def _resting_on_dropped(report: Report, full: list[Path], partial: list[Path]) -> set[str]:
    """Rules (and exception clauses) the report said rest on a presumption about a fact
    that the fuller record gives: only these may change once the fact is supplied."""
    dropped = {".".join(p) for p in set(full) - set(partial)}
    out: set[str] = set()
    for presumption in report.presumptions:
        if any(presumption.fact == d or presumption.fact.startswith(d + ".")
               for d in dropped):
            out |= {*presumption.rules, presumption.clause.id}
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(partial_example())
def test_strictly_forgetting_facts_never_changes_a_decided_finding(
        case: tuple[Pack, int, dict[str, Any], dict[str, Any]]) -> None:
    """With strict presumptions nothing is presumed: plain monotonicity holds."""
    pack, index, full, partial = case
    as_of = pack.examples[index].as_of
    complete, reduced = (
        {f.rule: f.status for f in evaluate_pack(pack, parse_snapshot(data), as_of, CAL,
                                                 include_all=True,
                                                 strict_presumptions=True).findings}
        for data in (full, partial))
    changed = {rule: (status, complete[rule]) for rule, status in reduced.items()
               if status in DECISION and DECISION[complete[rule]] != DECISION[status]}
    assert not changed, f"{pack.id} example {index}: {changed}"


def test_a_presumption_is_announced_before_the_fact_contradicts_it() -> None:
    """A silent record presumes the secrecy exception absent and says so; supplying the
    contradicting fact changes exactly the findings the report named."""
    pack = builtin_pack("jincheng")
    silent = {"project": {"level": "municipal", "phase": "contracted"},
              "funding": {"source": "fiscal"},
              "contract": {"signed_on": "2025-09-01", "filed": False}}
    before = evaluate_pack(pack, parse_snapshot(silent), date(2025, 11, 20), CAL,
                           include_all=True)
    (presumption,) = [p for p in before.presumptions if p.fact == "project.classified"]
    assert (presumption.presumed, presumption.clause.id) == (False,
                                                             "jincheng.3.non-classified")
    assert presumption.clause.label == "第三条"
    assert "jincheng.15.contract-filed" in presumption.rules
    statuses = {f.rule: f.status for f in before.findings}
    assert statuses["jincheng.15.contract-filed"] == "violated"
    stated = copy.deepcopy(silent)
    stated["project"]["classified"] = True
    after = evaluate_pack(pack, parse_snapshot(stated), date(2025, 11, 20), CAL,
                          include_all=True)
    assert after.presumptions == []
    changed = {f.rule for f in after.findings if statuses[f.rule] != f.status}
    assert changed
    assert changed <= {*presumption.rules, presumption.clause.id}


@settings(max_examples=60, deadline=None)
@given(partial_example())
def test_reports_round_trip_through_json(
        case: tuple[Pack, int, dict[str, Any], dict[str, Any]]) -> None:
    pack, index, _, partial = case
    report, _ = _statuses(pack, partial, index)
    assert Report.model_validate_json(report.model_dump_json()) == report


@settings(max_examples=60, deadline=None)
@given(partial_example())
def test_evaluation_is_deterministic_and_leaves_input_alone(
        case: tuple[Pack, int, dict[str, Any], dict[str, Any]]) -> None:
    pack, index, _, partial = case
    before = copy.deepcopy(partial)
    snapshot = parse_snapshot(partial)
    as_of = pack.examples[index].as_of
    first = evaluate_pack(pack, snapshot, as_of, CAL, include_all=True)
    second = evaluate_pack(pack, snapshot, as_of, CAL, include_all=True)
    assert first == second
    assert partial == before
    assert snapshot == parse_snapshot(before)
