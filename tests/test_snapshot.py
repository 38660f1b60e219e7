"""The snapshot model: optional facts, the act/date twin rule, coded errors, the docs."""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from govrules.base.errors import InputError, SnapshotError
from govrules.base.loader import parse_document
from govrules.model.snapshot import (
    Facts,
    Snapshot,
    load_snapshot,
    parse_snapshot,
    snapshot_facts,
    snapshot_json_schema,
    snapshot_reference_markdown,
)
from govrules.model.snapshot.base import Date, Day, Flag
from govrules.model.snapshot.parse import model_at
from govrules.model.snapshot.reference import schema_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _models(model: type[BaseModel] = Snapshot) -> list[type[Facts]]:
    """Every model reachable from ``model``, once each."""
    out: list[type[Facts]] = []
    for fact in snapshot_facts().values():
        if fact.model is not None and fact.model not in out:
            assert issubclass(fact.model, Facts)
            out.append(fact.model)
    return [Snapshot, *out]


MODELS = _models()
FIELD_NAMES = sorted({name for m in MODELS for name in m.model_fields})
TWINS = [(m, flag, day) for m in MODELS for flag, day in m.twins]


def _errors(data: object, **kwargs: Any) -> list[tuple[str | None, str]]:
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(data, **kwargs)
    return [(d.path, d.code) for d in info.value.diagnostics]


# -- every fact optional ------------------------------------------------------------------


def test_every_field_is_optional_and_unknown_by_default() -> None:
    bad = []
    for model in MODELS:
        empty = model.model_validate({})
        bad += [f"{model.__name__}.{name}" for name, f in model.model_fields.items()
                if getattr(empty, name) is not None or f.is_required() or f.default is not None]
    assert not bad, f"fields that are not optional and unknown by default: {bad}"


def test_empty_snapshot_validates() -> None:
    assert parse_snapshot({}) == Snapshot()


def test_models_are_frozen_and_closed() -> None:
    bad = [m.__name__ for m in MODELS
           if m.model_config.get("frozen") is not True or m.model_config.get("extra") != "forbid"]
    assert not bad, f"models that are not frozen with extra='forbid': {bad}"


def test_frozen() -> None:
    snap = parse_snapshot({"id": "A", "contract": {"filed_on": "2025-03-05"}})
    with pytest.raises(ValidationError):
        snap.id = "B"  # type: ignore[misc]
    assert snap.contract is not None
    with pytest.raises(ValidationError):
        snap.contract.filed = False  # type: ignore[misc]
    assert hash(snap.contract.filed_on) == hash(date(2025, 3, 5))


# -- documentation of every fact ----------------------------------------------------------


FACTS = list(snapshot_facts().values())
LEAVES = [f for f in FACTS if f.model is None]


def _documentation_problems(fact: Any) -> list[str]:
    problems = []
    if not fact.description.strip():
        problems.append("no description")
    if fact.model is None and not fact.examples:
        problems.append("no example")
    for ok, want in ((fact.kind != "money" or fact.unit == "CNY", "unit CNY"),
                     (not fact.path.endswith("_months") or fact.unit == "months", "unit months"),
                     (not fact.path.endswith("_years") or fact.unit == "years", "unit years")):
        if not ok:
            problems.append(f"needs {want}, has {fact.unit!r}")
    return problems


def test_every_fact_is_described() -> None:
    assert FACTS
    bad = {f.path: p for f in FACTS if (p := _documentation_problems(f))}
    assert not bad, f"facts badly documented: {bad}"


YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def test_no_field_name_is_a_yaml_keyword() -> None:
    # YAML 1.1 reads `on:` or `no:` as a boolean key, so such a field could not be written.
    names = {name for m in MODELS for name in m.model_fields}
    assert not {n.lower() for n in names} & YAML_WORDS


def _build(model: type[BaseModel], prefix: str) -> dict[str, Any]:
    facts = snapshot_facts()
    data: dict[str, Any] = {}
    for name in model.model_fields:
        fact = facts[prefix + name]
        if fact.kind == "group":
            assert fact.model is not None
            data[name] = _build(fact.model, f"{fact.path}.")
        elif fact.kind == "records":
            assert fact.model is not None
            data[name] = [_build(fact.model, f"{fact.path}[].")]
        else:
            data[name] = fact.examples[0]
    return data


def test_a_snapshot_made_of_every_example_validates() -> None:
    data = _build(Snapshot, "")
    snap = parse_snapshot(data)
    dumped = snap.model_dump(exclude_none=True)
    for fact in LEAVES:
        if "[]" not in fact.path:
            value: Any = dumped
            for part in fact.path.split("."):
                value = value[part]
            assert value is not None, fact.path


# -- the act/date twin rule ---------------------------------------------------------------


def test_twins_are_found_by_name() -> None:
    from govrules.model.snapshot import Contract

    assert ("filed", "filed_on") in Contract.twins
    assert ("signed", "signed_on") in Contract.twins
    assert all(day == f"{flag}_on" for _, flag, day in TWINS)
    assert len(TWINS) > 40


@pytest.mark.parametrize(("model", "flag", "day"), TWINS,
                         ids=[f"{m.__name__}.{f}" for m, f, _ in TWINS])
def test_twin_rule(model: type[Facts], flag: str, day: str) -> None:
    assert model.model_fields[flag].annotation == Flag | None
    assert model.model_fields[day].annotation in (Date | None, Day | None)
    done = model.model_validate({day: "2025-03-05"})
    assert getattr(done, flag) is True
    assert flag in done.model_fields_set
    assert model.model_validate({flag: True, day: "2025-03-05"}) == done
    assert getattr(model.model_validate({flag: False}), flag) is False
    assert getattr(model.model_validate({flag: True}), day) is None
    with pytest.raises(ValidationError) as info:
        model.model_validate({flag: False, day: "2025-03-05"})
    (error,) = info.value.errors()
    assert error["type"] == "flag_contradicts_date"
    assert error["loc"] == (flag,)


def test_twin_conflict_is_reported_on_the_flag_with_the_other_errors() -> None:
    data = {"budget": {"original": "lots", "adjustments": [
        {"plan_resubmitted": False, "plan_resubmitted_on": "2025-08-01"}]}}
    assert _errors(data) == [
        ("budget.adjustments[0].plan_resubmitted", "snapshot-conflict"),
        ("budget.original", "snapshot-type"),
    ]


def test_input_is_not_mutated() -> None:
    data = {"contract": {"filed_on": "2025-03-05"}}
    parse_snapshot(data)
    assert data == {"contract": {"filed_on": "2025-03-05"}}


# -- values -------------------------------------------------------------------------------


def test_money_and_quantities_are_exact() -> None:
    snap = parse_snapshot({
        "budget": {"original": "1.2亿元", "current": 500.5,
                   "adjustments": [{"amount": "-80万元"}]},
        "service": {"term_months": "36", "free_om_years": 2.5},
    })
    assert snap.budget is not None
    assert snap.service is not None
    assert snap.budget.original == Decimal(120000000)
    assert snap.budget.current == Decimal("500.5")
    assert snap.budget.adjustments is not None
    assert snap.budget.adjustments[0].amount == Decimal(-800000)
    assert snap.service.term_months == Decimal(36)
    assert snap.service.free_om_years == Decimal("2.5")
    assert isinstance(snap.service.free_om_years, Decimal)


def test_dates_and_quarters() -> None:
    snap = parse_snapshot({"as_of": date(2025, 11, 20),
                           "reports": {"quarterly_progress": [
                               {"period": "2025Q3", "submitted_on": "2025-10-11"},
                               {"period": "2025年第四季度"}]}})
    assert snap.as_of == date(2025, 11, 20)
    assert snap.reports is not None
    assert snap.reports.quarterly_progress is not None
    first, second = snap.reports.quarterly_progress
    assert str(first.period) == "2025Q3"
    assert first.submitted is True
    assert str(second.period) == "2025Q4"
    assert second.submitted is None
    assert snap.model_dump(mode="json")["reports"]["quarterly_progress"][0]["period"] == "2025Q3"


WRONG = [
    ({"as_of": 20250101}, "as_of", "snapshot-type"),
    ({"as_of": "2025-02-30"}, "as_of", "snapshot-type"),
    ({"as_of": "next week"}, "as_of", "snapshot-type"),
    ({"as_of": datetime(2025, 1, 1, 10, 0)}, "as_of", "snapshot-type"),
    ({"city": "Guiyang"}, "city", "snapshot-value"),
    ({"id": 17}, "id", "snapshot-type"),
    ({"project": "x"}, "project", "snapshot-type"),
    ({"project": {"name": ""}}, "project.name", "snapshot-value"),
    ({"project": {"level": "City"}}, "project.level", "snapshot-value"),
    ({"project": {"kind": ["om"]}}, "project.kind", "snapshot-type"),
    ({"project": {"classified": "yes"}}, "project.classified", "snapshot-type"),
    ({"project": {"classified": 1}}, "project.classified", "snapshot-type"),
    ({"project": {"categories": ["application", "apps"]}}, "project.categories[1]",
     "snapshot-value"),
    ({"budget": {"adjustments": [{}, {"amount": "lots"}]}}, "budget.adjustments[1].amount",
     "snapshot-type"),
    ({"budget": {"adjustments": {"amount": 1}}}, "budget.adjustments", "snapshot-type"),
    ({"service": {"term_months": -1}}, "service.term_months", "snapshot-value"),
    ({"service": {"term_months": "three"}}, "service.term_months", "snapshot-type"),
    ({"security": {"graded_protection": {"level": 7}}}, "security.graded_protection.level",
     "snapshot-value"),
    ({"security": {"emergency_drills": ["2025-09-18", "soon"]}}, "security.emergency_drills[1]",
     "snapshot-type"),
    ({"reports": {"fund_use": [{"period": "2025Q5"}]}}, "reports.fund_use[0].period",
     "snapshot-type"),
    ({"operation": {"om_assessments": [{"year": "2025"}]}}, "operation.om_assessments[0].year",
     "snapshot-type"),
    ({"exceptions": [{"approved_by": ["mayor"]}]}, "exceptions[0].approved_by[0]",
     "snapshot-value"),
    ({"budget": {7: 1}}, "budget[7]", "snapshot-type"),
]


@pytest.mark.parametrize(("data", "path", "code"), WRONG, ids=[str(w[1]) for w in WRONG])
def test_wrong_values_name_the_path_and_code(data: dict[str, Any], path: str, code: str) -> None:
    assert _errors(data) == [(path, code)]


def test_messages_say_what_was_expected() -> None:
    with pytest.raises(SnapshotError) as info:
        parse_snapshot({"as_of": 20250101, "project": {"level": "municiple"}})
    by_path = {d.path: d for d in info.value.diagnostics}
    assert "expected a date (YYYY-MM-DD)" in by_path["as_of"].message
    level = by_path["project.level"]
    assert "'municipal'" in level.message
    assert "'county'" in level.message
    assert level.hint == "did you mean 'municipal'?"


def test_all_errors_are_collected_in_one_error() -> None:
    errors = _errors({"as_of": "x", "budget": {"orignal": 1, "current": "y"},
                      "project": {"phase": "done"}})
    assert sorted(errors) == [("as_of", "snapshot-type"), ("budget.current", "snapshot-type"),
                              ("budget.orignal", "snapshot-unknown-field"),
                              ("project.phase", "snapshot-value")]


@pytest.mark.parametrize("data", [[1, 2], "id: x", 7, None], ids=repr)
def test_top_level_must_be_a_mapping(data: object) -> None:
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(data, file="p.yaml")
    (diag,) = info.value.diagnostics
    assert diag.code == "snapshot-type"
    assert diag.span is not None
    assert diag.span.file == "p.yaml"
    assert "mapping" in diag.message


def test_a_snapshot_passes_through() -> None:
    snap = Snapshot(id="x")
    assert parse_snapshot(snap) is snap


# -- unknown fields and places ------------------------------------------------------------

YAML_TEXT = """\
id: GY-1
city: guiyang
budget:
  orignal: 500万元
  adjustments:
    - amount: 80万元
      explanation_filed_on: 2025-07-18
      plan_resubmited: false
contrct:
  filed_on: 2025-03-05
"""


def test_unknown_fields_get_did_you_mean_and_line_col() -> None:
    document = parse_document(YAML_TEXT, "gy.yaml")
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(document.data, document=document)
    got = [(d.code, d.path, d.span and (d.span.file, d.span.line, d.span.col), d.hint)
           for d in info.value.diagnostics]
    assert got == [
        ("snapshot-unknown-field", "budget.orignal", ("gy.yaml", 4, 12),
         "did you mean 'original'?"),
        ("snapshot-unknown-field", "budget.adjustments[0].plan_resubmited", ("gy.yaml", 8, 24),
         "did you mean 'plan_resubmitted'?"),
        ("snapshot-unknown-field", "contrct", ("gy.yaml", 10, 3), "did you mean 'contract'?"),
    ]
    assert str(info.value.diagnostics[0]).startswith("gy.yaml:4:12: snapshot-unknown-field:")


def test_unknown_field_without_close_match_points_to_the_docs() -> None:
    with pytest.raises(SnapshotError) as info:
        parse_snapshot({"security": {"firewall_vendor": "x"}})
    (diag,) = info.value.diagnostics
    assert diag.path == "security.firewall_vendor"
    assert diag.hint is not None
    assert "docs/snapshot.md" in diag.hint


def test_model_at() -> None:
    from govrules.model.snapshot import BudgetAdjustment, Security

    assert model_at(()) is Snapshot
    assert model_at(("budget", "adjustments", 0)) is BudgetAdjustment
    assert model_at(("security",)) is Security
    assert model_at(("budget", "original")) is None
    assert model_at(("nope",)) is None


def test_load_yaml_and_json_files(tmp_path: Path) -> None:
    good = tmp_path / "s.json"
    good.write_text(json.dumps({"id": "J", "budget": {"original": 1234.5}}), encoding="utf-8")
    snap = load_snapshot(good)
    assert snap.budget is not None
    assert snap.budget.original == Decimal("1234.5")

    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "budget": {"original": "lots"},\n  "city": "Guiyang"\n}\n',
                   encoding="utf-8")
    with pytest.raises(SnapshotError) as info:
        load_snapshot(bad)
    diags = info.value.diagnostics
    assert [(d.code, d.path) for d in diags] == [("snapshot-type", "budget.original"),
                                                 ("snapshot-value", "city")]
    # JSON keeps no positions for values: the file and the path, never a made-up line.
    assert all(d.span is not None and d.span.file == str(bad) and d.span.line is None
               for d in diags)
    assert f"{bad}: at budget.original: snapshot-type" in str(diags[0])

    yaml_file = tmp_path / "s.yaml"
    yaml_file.write_text(YAML_TEXT, encoding="utf-8")
    with pytest.raises(SnapshotError) as yinfo:
        load_snapshot(yaml_file)
    assert yinfo.value.diagnostics[0].span is not None
    assert yinfo.value.diagnostics[0].span.line == 4

    with pytest.raises(InputError):
        load_snapshot(tmp_path / "missing.yaml")


@settings(max_examples=200, deadline=None)
@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from([*FIELD_NAMES, "budgt", "orignal"]), children,
                      max_size=4),
    max_leaves=12,
))
def test_arbitrary_input_raises_only_snapshot_errors(data: object) -> None:
    codes: set[str] = set()
    try:
        parse_snapshot(data)
    except SnapshotError as exc:
        codes = {d.code for d in exc.diagnostics}
    assert all(code.startswith("snapshot-") for code in codes)


# -- examples, schema and the committed docs ----------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_validate_against_model_and_schema(path: Path) -> None:
    snap = load_snapshot(path)
    assert snap.id
    assert snap.city
    assert snap.as_of
    document = parse_document(path.read_text(encoding="utf-8"), str(path))
    as_json = json.loads(json.dumps(document.data, default=str, ensure_ascii=False))
    validator = jsonschema.Draft202012Validator(snapshot_json_schema())
    validator.validate(as_json)
    dumped = snap.model_dump(mode="json", exclude_none=True)
    validator.validate(dumped)
    assert parse_snapshot(json.loads(json.dumps(dumped))) == snap


def test_required_examples_exist() -> None:
    names = {p.name for p in EXAMPLES}
    assert {"guiyang-violations.yaml", "shangrao-project.yaml", "compliant.yaml"} <= names


def test_schema_rejects_unknown_fields_and_carries_units() -> None:
    schema = snapshot_json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert schema["additionalProperties"] is False
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({"budgt": {}})
    budget = schema["$defs"]["Budget"]["properties"]["original"]
    assert budget["unit"] == "CNY"
    assert validator.is_valid({"budget": {"original": "500万元"}, "as_of": "2025-01-01"})


def test_committed_docs_are_current() -> None:
    hint = "regenerate with: python -m govrules.model.snapshot"
    md = (ROOT / "docs" / "snapshot.md").read_text(encoding="utf-8")
    assert md == snapshot_reference_markdown(), hint
    schema = (ROOT / "docs" / "snapshot.schema.json").read_text(encoding="utf-8")
    assert schema == schema_text(), hint


def test_reference_lists_every_fact() -> None:
    md = snapshot_reference_markdown()
    for fact in FACTS:
        top_group = fact.model is not None and "." not in fact.path
        assert (f"## `{fact.path}`" if top_group else f"| `{fact.path}` |") in md


# -- the vocabulary itself: names rules are written against must not change ---------------

VOCABULARY = {
    "id": "text", "city": "text", "as_of": "date", "exceptions": "records",
    "project.name": "text", "project.owner": "text", "project.level": "enum",
    "project.kind": "enum", "project.build_type": "enum", "project.services": "list",
    "project.categories": "list", "project.platform_type": "enum", "project.classified": "bool",
    "project.emergency": "bool", "project.cross_department": "bool", "project.phase": "enum",
    "project.start_date": "date", "project.planned_end_date": "date", "project.end_date": "date",
    "project.implementation_months": "number", "project.public_app": "bool",
    "project.self_built": "bool",
    "funding.source": "enum", "funding.fiscal_level": "enum", "funding.own_income": "bool",
    "funding.superior_funds": "bool", "funding.uses_public_data": "bool",
    "budget.original": "money", "budget.current": "money",
    "budget.annual_plan_submitted_on": "date", "budget.preliminary_review": "group",
    "budget.reported_to_bureau": "bool", "budget.reported_to_bureau_on": "date",
    "budget.adjustments": "records", "budget.adjustments[].amount": "money",
    "budget.adjustments[].reason": "enum", "budget.adjustments[].content_changed": "bool",
    "budget.adjustments[].explanation_filed": "bool",
    "budget.adjustments[].explanation_filed_on": "date",
    "budget.adjustments[].plan_resubmitted": "bool",
    "budget.adjustments[].plan_resubmitted_on": "date",
    "budget.adjustments[].application_submitted": "bool",
    "budget.adjustments[].application_submitted_on": "date",
    "budget.adjustments[].approval": "group", "budget.adjustments[].approval.granted": "bool",
    "budget.adjustments[].implemented_on": "date",
    "planning.department_plan_filed": "bool", "planning.department_plan_filed_on": "date",
    "planning.in_annual_plan": "bool", "planning.plan_submitted": "bool",
    "planning.plan_submitted_on": "date", "planning.proposal_submitted": "bool",
    "planning.feasibility_study_submitted": "bool", "planning.preliminary_design_submitted": "bool",
    "planning.investment_estimate_submitted_on": "date",
    "planning.technical_review.granted": "bool", "planning.technical_review.granted_on": "date",
    "planning.technical_review.by": "list", "planning.technical_review.written": "bool",
    "planning.technical_review.reference": "text", "planning.expert_review": "group",
    "planning.project_approval.granted_on": "date", "planning.budget_review": "group",
    "planning.in_project_library": "bool",
    "procurement.bid_result_on": "date", "procurement.bid_result_filed": "bool",
    "procurement.bid_result_filed_on": "date", "procurement.follows_approved_plan": "bool",
    "procurement.competitive": "bool",
    "contract.signed": "bool", "contract.signed_on": "date", "contract.filed": "bool",
    "contract.filed_on": "date", "contract.ip_agreement_written": "bool",
    "contract.ip_owner": "enum", "contract.custom_software": "bool", "contract.terminated": "bool",
    "contract.terminated_on": "date", "contract.termination_reported_to": "list",
    "contract.termination_reported_on": "date",
    "service.term_months": "number", "service.repurchased": "bool",
    "service.free_om_years": "number", "service.quantitative_indicators": "bool",
    "service.supervision_engaged": "bool", "service.declared_separately": "bool",
    "service.om_estimate_basis": "bool", "service.sharing_and_security_planned": "bool",
    "construction.started_on": "date", "construction.built_before_approval": "bool",
    "construction.disguised_packaging": "bool", "construction.content_changed": "bool",
    "construction.investment_changed": "bool", "construction.delay_months": "number",
    "construction.delay_reported": "bool", "construction.delay_reported_on": "date",
    "construction.abnormal_termination": "bool", "construction.termination_reported": "bool",
    "construction.termination_reported_on": "date", "construction.reported_to": "list",
    "deployment.government_cloud": "bool", "deployment.cloud_exception": "enum",
    "deployment.data_sharing_platform": "bool", "deployment.city_brain": "bool",
    "deployment.self_built_data_center": "bool", "deployment.big_data_platform": "bool",
    "deployment.city_cloud_platform": "bool", "deployment.interconnected": "bool",
    "deployment.existing_app_standard_interface": "bool", "deployment.migrated_to_cloud": "bool",
    "data.shares_data": "bool", "data.catalogue_compiled": "bool",
    "data.catalogue_compiled_on": "date", "data.catalogue_reviewed": "bool",
    "data.catalogue_reviewed_on": "date", "data.catalogue_in_platform": "bool",
    "data.classified_graded": "bool", "data.confidentiality_reviewed": "bool",
    "data.sensitive": "bool", "data.desensitised": "bool", "data.shared_or_opened": "bool",
    "data.responsibility_list": "bool", "data.standard_interface": "bool",
    "data.in_public_resources": "bool", "data.landed": "bool",
    "security.graded_protection.level": "integer", "security.graded_protection.filed": "bool",
    "security.graded_protection.filed_on": "date", "security.cryptography_compliant": "bool",
    "security.crypto_assessment": "bool", "security.crypto_assessment_on": "date",
    "security.assessments[].kind": "enum", "security.assessments[].reported": "bool",
    "security.assessments[].reported_on": "date", "security.assessments[].reported_to": "list",
    "security.emergency_plan": "bool", "security.emergency_drills": "list",
    "security.secure_controllable": "bool", "security.incidents[].reported_on": "date",
    "reports.quarterly_progress[].period": "quarter",
    "reports.quarterly_progress[].submitted": "bool",
    "reports.quarterly_progress[].submitted_on": "date", "reports.fund_use": "records",
    "trial_run.started_on": "date", "trial_run.ended_on": "date",
    "trial_run.evaluation_opinion": "bool", "trial_run.evaluation_opinion_on": "date",
    "trial_run.signed_by": "list",
    "acceptance.pre_review": "bool", "acceptance.pre_review_on": "date",
    "acceptance.preliminary": "bool", "acceptance.preliminary_on": "date",
    "acceptance.preliminary_minutes": "bool", "acceptance.application_on": "date",
    "acceptance.completion": "bool", "acceptance.completion_on": "date",
    "acceptance.joint": "bool", "acceptance.technical": "bool", "acceptance.technical_on": "date",
    "acceptance.report_filed": "bool", "acceptance.report_filed_on": "date",
    "acceptance.documents_archived": "bool", "acceptance.documents_archived_on": "date",
    "acceptance.data_acceptance": "bool", "acceptance.data_acceptance_on": "date",
    "operation.om_assessments[].year": "integer", "operation.om_assessments[].reported": "bool",
    "operation.om_assessments[].reported_on": "date", "operation.evaluation": "bool",
    "operation.evaluation_on": "date", "operation.om_management_system": "bool",
    "rectification.ordered": "bool", "rectification.ordered_on": "date",
    "rectification.completed": "bool", "rectification.completed_on": "date",
    "rectification.result_reported": "bool", "rectification.result_reported_on": "date",
    "exceptions[].rule": "text", "exceptions[].reason": "text", "exceptions[].approved": "bool",
    "exceptions[].approved_by": "list", "exceptions[].approved_on": "date",
    "exceptions[].reference": "text",
}


def test_vocabulary_is_stable() -> None:
    facts = snapshot_facts()
    removed = [path for path in VOCABULARY if path not in facts]
    changed = {path: (kind, facts[path].kind) for path, kind in VOCABULARY.items()
               if path in facts and facts[path].kind != kind}
    assert not removed, f"facts removed or renamed: {removed}"
    assert not changed, f"facts whose kind changed (was, now): {changed}"
