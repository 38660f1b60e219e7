"""The query plan ranks missing facts by how much of the outcome each can still decide."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, computed_field

from govrules import evaluate
from govrules.base.calendar import Calendar
from govrules.base.errors import SnapshotError
from govrules.cli.main import main
from govrules.engine import queryplan
from govrules.engine._overlay import shadowed, with_fact
from govrules.engine._probes import probe_for
from govrules.io.formats.render import render_text
from govrules.model.compiled import Pack
from govrules.model.pack import builtin_pack, parse_pack
from govrules.model.report import Report
from govrules.model.snapshot import Snapshot, parse_snapshot

from .conftest import demo_pack_text
from .snapgen import RandomChooser, SnapshotGenerator


def _rule(n: int, article: int, quote: str, applies: str, violated: str, *,
          severity: str = "error") -> str:
    return f"""\
  - id: demo.{article}.r{n}
    article: {article}
    quote: {quote}
    severity: {severity}
    applies_when: "{applies}"
    violated_when: "{violated}"
    message: {{zh: 规则{n}, en: rule {n}}}
"""


# Five findings hinge on contract.signed alone; one on data.listed; one warning on
# contract.filed_on, against a fixed date.
BODY = "rules:\n" + "".join(
    _rule(n, 2, "将合同报备案", "contract.signed", "not contract.filed") for n in range(1, 6)
) + _rule(6, 3, "按季度报送执行情况", "true", "not data.listed") + _rule(
    7, 2, "签订合同5个工作日内", "true", "contract.filed_on > date('2025-03-01')",
    severity="warning")


@pytest.fixture(scope="module")
def report() -> Report:
    pack = parse_pack(demo_pack_text(BODY), "demo.yaml")
    return evaluate({"id": "q", "contract": {"filed": False}}, pack=pack,
                    as_of=date(2025, 6, 1))


def test_the_fact_that_decides_five_findings_comes_first(report: Report) -> None:
    plan = report.query_plan
    assert [item.fact for item in plan] == ["contract.signed", "data.listed",
                                            "contract.filed_on"]
    first = plan[0]
    assert [d.rule for d in first.decides] == [f"demo.2.r{n}" for n in range(1, 6)]
    assert all(d.decisive for d in first.decides)
    assert first.score == 5 * 3 * 2  # five binding errors
    assert plan[1].score == 6
    assert plan[2].score == 4
    assert [(o.value, o.status) for o in first.decides[0].outcomes] == [
        (True, "violated"), (False, "not_applicable")]


def test_a_date_fact_is_tried_at_the_boundary_its_condition_compares_with(report: Report) -> None:
    (decision,) = report.query_plan[2].decides
    assert [(o.value, o.status) for o in decision.outcomes] == [
        ("2025-03-01", "satisfied"), ("2025-03-02", "violated")]


def test_the_top_facts_become_next_steps(report: Report) -> None:
    supply = [s for s in report.next_steps if s.action == "supply-fact"]
    assert [s.because for s in supply] == [[f"demo.2.r{n}" for n in range(1, 6)],
                                           ["demo.3.r6"], ["demo.2.r7"]]
    assert supply[0].text.en.startswith("supply contract.signed: decides 5")
    assert supply[0].text.zh.startswith("补充事实 contract.signed")


def test_the_text_report_shows_the_plan_instead_of_the_flat_list(report: Report) -> None:
    text = render_text(report)
    assert "Facts to supply, most decisive first" in text
    assert "1. contract.signed  (score 30)" in text
    assert "Facts to supply (each decides the rules listed)" not in text
    assert report.missing_facts  # the JSON keeps the flat list too


def test_no_plan_when_nothing_is_undetermined() -> None:
    pack = parse_pack(demo_pack_text(BODY), "demo.yaml")
    decided = evaluate({"id": "d", "contract": {"signed": False, "filed_on": "2025-02-01"},
                        "data": {"listed": True}}, pack=pack, as_of=date(2025, 6, 1))
    assert decided.query_plan == []
    assert not [s for s in decided.next_steps if s.action == "supply-fact"]


def test_plan_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pack = tmp_path / "demo.yaml"
    pack.write_text(demo_pack_text(BODY), encoding="utf-8")
    snap = tmp_path / "q.yaml"
    snap.write_text("id: q\nas_of: 2025-06-01\ncontract: {filed: false}\n", encoding="utf-8")
    assert main(["plan", str(snap), "--policy", str(pack), "--top", "1"]) == 0
    out = capsys.readouterr().out
    assert "1. contract.signed  (score 30)" in out
    assert "data.listed" not in out
    assert main(["plan", str(snap), "--policy", str(pack), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [q["fact"] for q in data["query_plan"]] == ["contract.signed", "data.listed",
                                                       "contract.filed_on"]


def test_a_probe_is_found_once_per_pack_rule_and_fact() -> None:
    pack = parse_pack(demo_pack_text(BODY), "demo.yaml")
    rule = pack.rules_by_id["demo.2.r7"]
    probe = probe_for(pack, rule, "contract.filed_on")
    assert probe_for(pack, rule, "contract.filed_on") is probe
    assert (probe.numeric, probe.violated_reads, probe.applies_reads) == (True, True, False)
    assert [b is not None for b in probe.bounds] == [True]
    again = parse_pack(demo_pack_text(BODY), "demo.yaml")  # another pack: its own probe
    assert probe_for(again, again.rules_by_id["demo.2.r7"],
                            "contract.filed_on") is not probe


DERIVED = """\
derived:
  - name: listed
    expr: data.listed
rules:
""" + _rule(1, 2, "将合同报备案", "contract.signed", "listed") + _rule(
    2, 3, "按季度报送执行情况", "true", "listed")


def test_a_derived_fact_that_reads_the_fact_tried_is_computed_again() -> None:
    # Trying contract.signed for rule 1 computes ``listed`` on the snapshot (unknown);
    # trying data.listed must compute it again, for rule 1 and rule 2 alike.
    pack = parse_pack(demo_pack_text(DERIVED), "demo.yaml")
    report = evaluate({"id": "d"}, pack=pack, as_of=date(2025, 6, 1))
    item = next(i for i in report.query_plan if i.fact == "data.listed")
    decision = next(d for d in item.decides if d.rule == "demo.3.r2")
    assert [(o.value, o.status) for o in decision.outcomes] == [
        (True, "violated"), (False, "satisfied")]


class _Item(BaseModel):
    amount: int | None = None
    note: str | None = None


class _Record(BaseModel):
    name: str | None = None
    items: list[_Item] = []
    inner: _Item | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def size(self) -> int:
        return len(self.items)


@pytest.mark.parametrize(("path", "reads"), [
    ("name", [("name",), ("items",), ("size",)]),
    ("inner.amount", [("inner", "amount"), ("inner", "note"), ("name",)]),
    ("items[1].amount", [("items", 1, "amount"), ("items", 0, "amount"), ("size",)]),
    ("items[5].amount", [("items", 0, "amount"), ("size",)]),
])
def test_a_shadowed_record_reads_as_the_overlay_does(path: str,
                                                     reads: list[tuple[Any, ...]]) -> None:
    record = _Record(name="a", items=[_Item(amount=1), _Item(amount=2, note="x")],
                     inner=None)

    def read(root: Any, steps: tuple[Any, ...]) -> Any:
        for step in steps:
            root = root[step] if isinstance(step, int) else getattr(root, step, None)
        return root

    overlay, shadow = with_fact(record, path, 9), shadowed(record, path, 9)
    for steps in reads:
        assert read(shadow, steps) == read(overlay, steps), steps
    assert record.items[1].amount == 2  # the record itself is left as it was


def test_an_outcome_is_made_once_per_value_of_each_type_and_status() -> None:
    assert queryplan._outcome(True, "violated") is queryplan._outcome(True, "violated")
    assert queryplan._outcome(True, "violated") is not queryplan._outcome(True, "satisfied")
    one = queryplan._outcome(1, "violated")  # equal to True, but written 1
    assert type(one.value) is int
    assert json.loads(queryplan._outcome(-0.0, "violated").model_dump_json())["value"] == 0
    assert str(queryplan._outcome(-0.0, "satisfied").value) == "-0.0"
    assert str(queryplan._outcome(0.0, "satisfied").value) == "0.0"


def _generated(pack: Pack, *, seed: int, count: int) -> Iterator[tuple[Snapshot, date]]:
    """Generated snapshots of ``pack`` (those that read: some generated data does not)."""
    generator, chooser = SnapshotGenerator(pack), RandomChooser(seed)
    for _ in range(count):
        data, as_of = generator.generate(chooser)
        try:
            snap = parse_snapshot(data, model=pack.snapshot_model)
        except SnapshotError:
            continue
        yield snap, as_of


@pytest.mark.parametrize("city", ["guiyang", "wuhai"])
def test_the_plan_is_the_same_with_the_decision_steps_values_or_without(city: str) -> None:
    pack = builtin_pack(city)
    planned = 0
    for snap, as_of in _generated(pack, seed=3, count=40):
        report = evaluate(snap, pack=pack, as_of=as_of)
        alone = queryplan.plan_queries(report, pack, snap, Calendar.default().tracking())
        assert report.query_plan == alone
        planned += bool(alone)
    assert planned


SCOPED = """\
scope:
  - id: demo.1.scope
    article: 1
    quote: 本办法适用于使用财政资金的非涉密项目
    applies_when: not project.classified
    message: {zh: 不适用, en: Out of scope}
rules:
""" + _rule(1, 2, "将合同报备案", "contract.signed", "not contract.filed")


def test_a_fact_the_scope_reads_takes_the_project_out_when_tried() -> None:
    # contract.signed (tried first) leaves the scope as the snapshot has it; the
    # classified flag, tried next, changes it
    pack = parse_pack(demo_pack_text(SCOPED), "demo.yaml")
    report = evaluate({"id": "s", "contract": {"filed": False}}, pack=pack,
                      as_of=date(2025, 6, 1))
    tried = {i.fact: [(o.value, o.status) for o in i.decides[-1].outcomes]
             for i in report.query_plan}
    assert tried["contract.signed"] == [(True, "undetermined"), (False, "not_applicable")]
    assert tried["project.classified"] == [(True, "not_applicable"), (False, "undetermined")]


def test_a_plan_entry_says_what_the_fact_decides_and_bears_on(report: Report) -> None:
    signed = next(i for i in report.query_plan if i.fact == "contract.signed")
    assert signed.text.en == "supply contract.signed: decides 5 and bears on 5 " \
                             "undetermined findings"
    assert signed.text.zh == "补充事实 contract.signed：可判定 5 项、影响 5 项未定结论"
    one = next(i for i in report.query_plan if len(i.decides) == 1)
    assert one.text.en.endswith(" undetermined finding")
    assert queryplan._text("a.b", 1, 2) is queryplan._text("a.b", 1, 2)


@pytest.mark.parametrize("city", ["guiyang", "jincheng", "shangrao", "taiyuan", "wuhai"])
def test_a_report_for_the_line_form_writes_the_same_line(city: str) -> None:
    # detail="line" ranks the facts without every value's outcome; what the line says,
    # the supply-fact steps and the receipt's outcome hash included, must not change
    pack = builtin_pack(city)
    ranked = 0
    for snap, as_of in _generated(pack, seed=11, count=40):
        full = evaluate(snap, pack=pack, as_of=as_of)
        line = evaluate(snap, pack=pack, as_of=as_of, detail="line")
        assert line.to_line_json() == full.to_line_json()
        assert line.next_steps == full.next_steps
        assert line.receipt is not None
        assert full.receipt is not None
        assert line.receipt.outcome_sha256 == full.receipt.outcome_sha256
        assert (line.detail, line.query_plan) == ("line", [])
        calendar = Calendar.default().tracking()
        facts = queryplan.rank_facts(full, pack, snap, calendar)
        assert facts == queryplan.ranked(full.query_plan)
        ranked += bool(facts)
    assert ranked


def test_ranking_stops_at_the_first_value_that_decides(
        monkeypatch: pytest.MonkeyPatch) -> None:
    pack = builtin_pack("guiyang")
    tried = every = ranked_calls = planned_calls = 0
    calls = {"rank": 0, "plan": 0}
    counting = "plan"
    original = queryplan._Trial.status

    def counted(self: queryplan._Trial, *args: Any) -> Any:
        calls[counting] += 1
        return original(self, *args)

    monkeypatch.setattr(queryplan._Trial, "status", counted)
    for snap, as_of in _generated(pack, seed=5, count=30):
        report = evaluate(snap, pack=pack, as_of=as_of)
        trial = queryplan._Trial(pack, snap, as_of, Calendar.default(), queryplan.Known())
        for item in report.query_plan:
            for decision in item.decides:
                rule = pack.rules_by_id.get(decision.rule)  # None: a scope clause
                statuses = []
                for _value, status in trial.tries(rule, item.fact):
                    statuses.append(status)
                    if status != "undetermined":
                        break
                assert statuses == [o.status for o in decision.outcomes[:len(statuses)]]
                assert (statuses[-1:] not in ([], ["undetermined"])) == decision.decisive
                tried, every = tried + len(statuses), every + len(decision.outcomes)
        calls["plan"] = 0
        queryplan.plan_queries(report, pack, snap, Calendar.default())
        plan_calls, counting = calls["plan"], "rank"
        ranking = queryplan.rank_facts(report, pack, snap, Calendar.default())
        counting = "plan"
        assert ranking == queryplan.ranked(report.query_plan)
        assert calls["rank"] <= plan_calls
        ranked_calls, planned_calls = ranked_calls + calls["rank"], planned_calls + plan_calls
        calls["rank"] = 0
    assert tried < every  # the point: fewer trials than the full plan's
    assert ranked_calls < planned_calls  # and the ranking makes only those
