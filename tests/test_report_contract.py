"""Report contracts the SPEC names, pinned through the public API.

- every report meets ``../shared/report-contract.schema.json`` (a visible skip without it);
- the missing-facts summary is ordered as the shortest path to a verdict: the fact that
  decides the most undetermined rules first, ties by name;
- next steps are ordered by due date, undated ones last;
- a periodic rule whose applicability is unknown still lists the steps its missing
  periods need;
- facts keep integers as integers in JSON (``1000000``, not ``1000000.0``).

Small packs written for each contract, so they hold whatever the built-in packs say.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import date
from typing import Any

import fastjsonschema
import jsonschema
import pytest

from govrules.base.calendar import Calendar
from govrules.engine.evaluate import evaluate_pack
from govrules.model.pack import Pack, builtin_pack, builtin_pack_ids
from govrules.model.report import Report
from govrules.model.snapshot import parse_snapshot
from tests.conftest import CONTRACT, contract_schema
from tests.conftest import run_pack as run

MakePack = Callable[[str], Pack]
CAL = Calendar.default()


# -- the schema ---------------------------------------------------------------------------------


def test_the_report_contract_is_present(report_contract: dict[str, Any]) -> None:
    assert report_contract["type"] == "object"
    assert {"findings", "next_steps", "verdict"} <= set(report_contract["required"])


@pytest.mark.parametrize("pack_id", builtin_pack_ids())
def test_every_example_report_meets_the_contract(
        pack_id: str, check_report: Callable[[Report | dict[str, Any]], None]) -> None:
    pack = builtin_pack(pack_id)
    assert pack.examples
    for example in pack.examples:
        for include_all in (False, True):
            report = evaluate_pack(pack, parse_snapshot(dict(example.snapshot)), example.as_of,
                                   CAL, include_all=include_all)
            check_report(report)
            check_report(json.loads(report.model_dump_json()))


def test_the_per_report_check_rejects_what_the_schema_rejects(
        report_contract: dict[str, Any]) -> None:
    """The fast validator the autouse fixture runs on every report is not vacuous."""
    pack = builtin_pack("guiyang")
    example = pack.examples[0]
    good = run(pack, dict(example.snapshot), str(example.as_of)).to_json_dict()
    fast = fastjsonschema.compile({**report_contract,
                                   "$schema": "http://json-schema.org/draft-07/schema#"})
    fast(good)
    jsonschema.validate(good, report_contract)
    broken = [
        {**good, "verdict": "fine"},
        {k: v for k, v in good.items() if k != "findings"},
        {**good, "findings": [{**good["findings"][0], "status": "ok"}]},
        {**good, "as_of": 20251120},
    ]
    for bad in broken:
        with pytest.raises(fastjsonschema.JsonSchemaException):
            fast(copy.deepcopy(bad))
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, report_contract)


def test_without_the_contract_the_check_skips_visibly(monkeypatch: pytest.MonkeyPatch) -> None:
    import tests.conftest as helpers

    monkeypatch.setattr(helpers, "CONTRACT", CONTRACT.with_name("absent.schema.json"))
    helpers.contract_schema.cache_clear()
    try:
        with pytest.raises(pytest.skip.Exception, match="report contract is absent"):
            helpers.validate_report({})
    finally:
        monkeypatch.undo()
        helpers.contract_schema.cache_clear()
    assert contract_schema() is not None or not CONTRACT.exists()


# -- the missing-facts summary --------------------------------------------------------------------

UNDECIDED = """
rules:
  - id: demo.2.a-budget
    article: 2
    quote: 原则上应使用政务云
    violated_when: budget.current > budget.original and deployment.government_cloud == false
    message: {zh: 甲, en: A}
  - id: demo.2.cloud-and-filing
    article: 2
    quote: 原则上应使用政务云
    violated_when: not deployment.government_cloud and not contract.filed
    message: {zh: 乙, en: B}
  - id: demo.2.filing-cloud
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    violated_when: not contract.filed and deployment.government_cloud == false
    message: {zh: 丙, en: C}
  - id: demo.2.zcloud
    article: 2
    quote: 原则上应使用政务云
    violated_when: not deployment.government_cloud
    message: {zh: 丁, en: D}
"""


def test_missing_facts_are_ordered_by_how_many_rules_they_decide(make_pack: MakePack) -> None:
    report = run(make_pack(UNDECIDED), {})
    assert [(m.fact, m.decides) for m in report.missing_facts] == [
        ("deployment.government_cloud",
         ["demo.2.a-budget", "demo.2.cloud-and-filing", "demo.2.filing-cloud", "demo.2.zcloud"]),
        ("contract.filed", ["demo.2.cloud-and-filing", "demo.2.filing-cloud"]),
        ("budget.current", ["demo.2.a-budget"]),
        ("budget.original", ["demo.2.a-budget"]),
    ]
    data = report.to_json_dict()
    assert [m["fact"] for m in data["missing_facts"]] == [
        "deployment.government_cloud", "contract.filed", "budget.current", "budget.original"]


def test_missing_facts_leave_out_decided_rules(make_pack: MakePack) -> None:
    report = run(make_pack(UNDECIDED), {"deployment": {"government_cloud": True}})
    assert report.missing_facts == []
    report = run(make_pack(UNDECIDED), {"deployment": {"government_cloud": False}})
    assert [(m.fact, len(m.decides)) for m in report.missing_facts] == [
        ("contract.filed", 2), ("budget.current", 1), ("budget.original", 1)]


# -- next steps by due date ----------------------------------------------------------------------

DEADLINES = """
rules:
  - id: demo.2.filed-late
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    deadline:
      after: contract.signed_on
      within: {days: 30}
      done_on: contract.filed_on
      done: contract.filed
    message: {zh: 未备案, en: Not filed}
    next_steps:
      - action: z-file-contract
        text: {zh: 报备合同, en: File the contract}
  - id: demo.2.cloud
    article: 2
    quote: 原则上应使用政务云
    violated_when: not deployment.government_cloud
    message: {zh: 未上云, en: Not on the cloud}
    next_steps:
      - action: a-move-to-cloud
        text: {zh: 迁移上云, en: Move to the cloud}
      - action: m-plan-migration
        text: {zh: 制定迁移计划, en: Plan the migration}
        due: add_days(project.start_date, 10)
  - id: demo.3.started
    article: 3
    quote: 每季度过后7个工作日内报送
    deadline:
      after: project.start_date
      within: {days: 5}
      done_on: contract.filed_on
      done: contract.filed
    message: {zh: 未报送, en: Not reported}
    next_steps:
      - action: b-report
        text: {zh: 报送, en: Report}
"""


def test_next_steps_are_ordered_by_due_date_undated_last(make_pack: MakePack) -> None:
    report = run(make_pack(DEADLINES), {
        "contract": {"signed_on": "2025-01-01", "filed": False},
        "project": {"start_date": "2025-03-01"},
        "deployment": {"government_cloud": False},
    })
    steps = [(s.action, s.due) for s in report.next_steps]
    assert steps == [
        ("z-file-contract", date(2025, 1, 31)),
        ("b-report", date(2025, 3, 6)),
        ("m-plan-migration", date(2025, 3, 11)),
        ("a-move-to-cloud", None),
    ]
    assert [s["due"] for s in report.to_json_dict()["next_steps"]] == [
        "2025-01-31", "2025-03-06", "2025-03-11", None]
    assert all(s.overdue for s in report.next_steps if s.due is not None)


def test_steps_due_the_same_day_are_ordered_by_action(make_pack: MakePack) -> None:
    report = run(make_pack(DEADLINES), {
        "contract": {"signed_on": "2025-02-04", "filed": False},
        "project": {"start_date": "2025-03-01"},
        "deployment": {"government_cloud": True},
    })
    assert [(s.action, s.due) for s in report.next_steps] == [
        ("b-report", date(2025, 3, 6)), ("z-file-contract", date(2025, 3, 6))]


# -- periodic rules whose applicability is unknown ------------------------------------------------

PERIODIC_UNSURE = """
rules:
  - id: demo.3.quarterly
    article: 3
    quote: 每季度过后7个工作日内报送
    applies_when: funding.source == 'fiscal'
    periodic:
      from: project.start_date
      until: project.end_date
      records: reports.quarterly_progress
      within: {working_days: 7}
    message: {zh: "缺少季度报告:{periods}", en: "Missing quarterly reports: {periods}"}
    next_steps:
      - action: submit-quarterly
        text: {zh: 报送季度执行情况, en: Submit the quarterly report}
"""


def test_a_periodic_rule_of_unknown_applicability_lists_its_steps(make_pack: MakePack) -> None:
    snapshot = {"project": {"start_date": "2025-01-15", "end_date": "2025-12-31"},
                "reports": {"quarterly_progress": [{"period": "2025Q1",
                                                    "submitted_on": "2025-04-03"}]}}
    report = run(make_pack(PERIODIC_UNSURE), snapshot, "2025-11-20")
    (finding,) = [f for f in report.findings if f.rule == "demo.3.quarterly"]
    assert finding.status == "undetermined"
    assert "funding.source" in finding.missing
    steps = [(s.kind, s.text.en, s.due) for s in report.next_steps]
    assert ("remedial", "Submit the quarterly report (2025Q2)", date(2025, 7, 9)) in steps
    assert ("remedial", "Submit the quarterly report (2025Q3)", date(2025, 10, 16)) in steps
    assert any(kind == "upcoming" and "2025Q4" in text for kind, text, _ in steps)
    assert not any("2025Q1" in text for _, text, _ in steps)
    known_out = run(make_pack(PERIODIC_UNSURE), {**snapshot, "funding": {"source": "non_fiscal"}},
                    "2025-11-20")
    assert known_out.next_steps == []


# -- integers stay integers --------------------------------------------------------------------

AMOUNTS = """
rules:
  - id: demo.3.over-budget
    article: 3
    quote: 项目应按季度报送执行情况
    violated_when: budget.current > budget.original
    message: {zh: "超出预算 {budget.original}", en: "Over the budget of {budget.original}"}
"""


def test_integer_facts_stay_integers_in_json(make_pack: MakePack) -> None:
    report = run(make_pack(AMOUNTS), {"budget": {"original": 1000000, "current": 1000001}})
    (finding,) = [f for f in report.findings if f.rule == "demo.3.over-budget"]
    assert finding.status == "violated"
    data = report.to_json_dict()
    (facts,) = [f["facts"] for f in data["findings"] if f["rule"] == "demo.3.over-budget"]
    assert facts["budget.original"] == 1000000
    assert type(facts["budget.original"]) is int
    assert type(facts["budget.current"]) is int
    text = report.model_dump_json()
    assert '"budget.original":1000000,' in text or '"budget.original":1000000}' in text
    assert "1000000.0" not in text


def test_fractions_stay_fractions_in_json(make_pack: MakePack) -> None:
    report = run(make_pack(AMOUNTS), {"budget": {"original": "1000000.5",
                                                 "current": "1000000.75"}})
    data = report.to_json_dict()
    (facts,) = [f["facts"] for f in data["findings"] if f["rule"] == "demo.3.over-budget"]
    assert facts["budget.original"] == 1000000.5
    assert facts["budget.current"] == 1000000.75


# -- keys that say nothing ---------------------------------------------------------------------

_QUIET_FINDING_KEYS = {"in_principle", "exception", "consequence", "due", "details",
                       "interpretations", "reason", "cites", "presumed", "gap"}


@pytest.mark.parametrize("pack_id", builtin_pack_ids())
def test_the_json_leaves_out_keys_that_say_nothing_and_reading_puts_them_back(
        pack_id: str) -> None:
    pack = builtin_pack(pack_id)
    for example in pack.examples:
        report = evaluate_pack(pack, parse_snapshot(dict(example.snapshot)), example.as_of,
                               CAL, include_all=True)
        data = json.loads(report.model_dump_json())
        for finding, item in zip(report.findings, data["findings"], strict=True):
            for key in _QUIET_FINDING_KEYS:
                value = getattr(finding, key)
                said = value is not None and value is not False and value not in ([], {})
                assert (key in item) == said, (finding.rule, key, value)
            # the contract's keys, null or empty as they are
            assert {"facts", "missing"} <= item.keys()
            assert {"item", "chapter", "quote"} <= item["article"].keys()
        for step, item in zip(report.next_steps, data["next_steps"], strict=True):
            assert ("due_explanation" in item) == (step.due_explanation is not None)
            assert {"due", "overdue", "recipient", "responsible"} <= item.keys()
        assert Report.model_validate(data) == report
