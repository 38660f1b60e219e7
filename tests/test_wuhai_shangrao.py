"""The Wuhai (draft) and Shangrao packs: the example project under both, working-day and
quarter-end deadlines, in-principle waivers, draft status, and the combined report."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from govrules.base.calendar import Calendar
from govrules.cli.main import main
from govrules.engine.evaluate import evaluate, evaluate_all
from govrules.io.formats.render import render_text
from govrules.lang import Env, EvalContext, compile_expression, type_from_model
from govrules.model.pack import builtin_pack, builtin_pack_ids
from govrules.model.report import Finding, NextStep, Report
from govrules.model.snapshot import Snapshot

ROOT = Path(__file__).resolve().parents[1]
SHANGRAO_EXAMPLE = ROOT / "examples" / "shangrao-project.yaml"
WUHAI_EXAMPLE = ROOT / "examples" / "wuhai-project.yaml"
AS_OF = date(2025, 11, 20)


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _finding(report: Report, rule: str) -> Finding:
    for finding in report.findings:
        if finding.rule == rule:
            return finding
    raise AssertionError(f"{rule} not in the report: {[f.rule for f in report.findings]}")


def _steps(report: Report, action: str) -> list[NextStep]:
    return [s for s in report.next_steps if s.action == action]


@pytest.fixture(scope="module")
def shangrao_report() -> Report:
    return evaluate(SHANGRAO_EXAMPLE, city="shangrao", include_all=True)


# -- the calendar fact the Q3 deadline rests on ---------------------------------------------


def test_q3_2025_report_is_due_after_the_national_day_holiday() -> None:
    """7 working days after 2025-09-30: 1-8 Oct are off, Sat 11 Oct is a make-up working day."""
    calendar = Calendar.default()
    holiday = [date(2025, 10, d) for d in range(1, 9)]
    assert not any(calendar.is_working_day(d) for d in holiday)
    assert calendar.is_working_day(date(2025, 10, 11))  # 调休上班 (a Saturday)
    assert not calendar.is_working_day(date(2025, 10, 12))  # an ordinary Sunday
    counted = [date(2025, 10, 9), date(2025, 10, 10), date(2025, 10, 11), date(2025, 10, 13),
               date(2025, 10, 14), date(2025, 10, 15), date(2025, 10, 16)]
    assert all(calendar.is_working_day(d) for d in counted)
    assert calendar.add_working_days(date(2025, 9, 30), 7) == date(2025, 10, 16)


# -- Shangrao: the example project --------------------------------------------------------


def test_shangrao_example_is_non_compliant_and_binding(shangrao_report: Report) -> None:
    assert shangrao_report.verdict == "non_compliant"
    assert shangrao_report.binding is True
    assert shangrao_report.pack.status == "in_force"
    assert shangrao_report.pack.effective is None
    # and its findings on articles encoded only in part say so (encoding-gap)
    assert [w.code for w in shangrao_report.warnings] == ["pack-effective-date-unknown",
                                                          "encoding-gap"]
    violated = {f.rule for f in shangrao_report.findings if f.status == "violated"}
    assert violated == {
        "shangrao.6.3.service-term",
        "shangrao.7.free-om-3-years",
        "shangrao.15.no-unilateral-change",
        "shangrao.15.approved-changes",
        "shangrao.16.quarterly-progress",
        "shangrao.18.trial-run-one-month",
    }


def test_four_year_service_term(shangrao_report: Report) -> None:
    finding = _finding(shangrao_report, "shangrao.6.3.service-term")
    assert finding.status == "violated"
    assert finding.in_principle is True
    assert finding.article.number == 6
    assert finding.article.item == 3
    assert finding.facts["service.term_months"] == 48
    assert "48个月" in finding.message.zh
    (step,) = _steps(shangrao_report, "shorten-service-term")
    assert step.kind == "remedial"
    assert step.because == ["shangrao.6.3.service-term"]
    assert step.responsible == "市直各部门"
    assert step.recipient == "市大数据发展管理局"


def test_two_years_free_om_cannot_be_waived(shangrao_report: Report) -> None:
    finding = _finding(shangrao_report, "shangrao.7.free-om-3-years")
    assert finding.status == "violated"
    assert finding.in_principle is False
    assert finding.facts["service.free_om_years"] == 2
    (step,) = _steps(shangrao_report, "extend-free-om")
    assert step.kind == "remedial"
    assert step.article.number == 7

    data = _load(SHANGRAO_EXAMPLE)
    data["exceptions"].append({"rule": "shangrao.7.free-om-3-years", "reason": "财政紧张",
                               "approved": True, "approved_by": ["big_data_bureau"]})
    report = evaluate(data, city="shangrao")
    assert _finding(report, "shangrao.7.free-om-3-years").status == "violated"
    assert "exception-not-allowed" in {w.code for w in report.warnings}


def test_change_without_written_approval_of_both_bureaus(shangrao_report: Report) -> None:
    finding = _finding(shangrao_report, "shangrao.15.approved-changes")
    assert finding.status == "violated"
    assert finding.in_principle is False  # 须…经批准后才能实施 is mandatory (S1)
    assert _finding(shangrao_report, "shangrao.15.no-unilateral-change").in_principle
    (step,) = _steps(shangrao_report, "seek-change-approval")
    assert step.kind == "remedial"
    assert step.responsible == "项目主管单位"
    assert step.recipient == "市大数据发展管理局、市财政局"


def _with_adjustment(**approval: Any) -> dict[str, Any]:
    data = _load(SHANGRAO_EXAMPLE)
    data["budget"]["adjustments"][0]["approval"] = approval
    data["budget"]["adjustments"][0]["application_to"] = ["big_data_bureau", "finance_bureau"]
    return data


@pytest.mark.parametrize(
    ("approval", "status"),
    [
        ({"granted_on": "2025-06-03", "by": ["big_data_bureau", "finance_bureau"], "written": True},
         "satisfied"),
        ({"granted_on": "2025-06-03", "by": ["big_data_bureau"], "written": True}, "violated"),
        ({"granted_on": "2025-06-03", "by": ["finance_bureau"], "written": True}, "violated"),
        ({"granted": False}, "violated"),
        # a written application to both bureaus gives the written form
        ({"granted_on": "2025-06-03", "by": ["big_data_bureau", "finance_bureau"]}, "satisfied"),
        # approved by both, but put into effect before the approval
        ({"granted_on": "2025-06-20", "by": ["big_data_bureau", "finance_bureau"], "written": True},
         "violated"),
    ],
)
def test_change_approval_needs_both_bureaus_before_implementation(
        approval: dict[str, Any], status: str) -> None:
    report = evaluate(_with_adjustment(**approval), city="shangrao", include_all=True)
    assert _finding(report, "shangrao.15.approved-changes").status == status


@pytest.mark.parametrize("named", ["shangrao.15", "shangrao.15.no-unilateral-change",
                                   "shangrao.15.approved-changes"])
def test_a_waiver_covers_the_in_principle_ban_never_the_approval_route(named: str) -> None:
    """S1: an approved exception waives 原则上不得自行调整, never 须…经批准后才能实施."""
    data = _load(SHANGRAO_EXAMPLE)
    data["exceptions"].append({"rule": named, "reason": "市政府专题会议同意",
                               "approved": True, "approved_by": ["city_government"],
                               "approved_on": "2025-06-05", "reference": "专题会议纪要〔2025〕9号"})
    report = evaluate(data, city="shangrao")
    ban = _finding(report, "shangrao.15.no-unilateral-change")
    if named == "shangrao.15.approved-changes":
        assert ban.status == "violated"
        assert "exception-not-allowed" in {w.code for w in report.warnings}
    else:
        assert ban.status == "waived"
        assert ban.exception is not None
        assert ban.exception.reference == "专题会议纪要〔2025〕9号"
        assert ban.exception.approved_by == ["city_government"]
    mandatory = _finding(report, "shangrao.15.approved-changes")
    assert (mandatory.status, mandatory.exception) == ("violated", None)
    assert _steps(report, "seek-change-approval")
    assert report.verdict == "non_compliant"


def test_the_review_snapshot_of_s1_is_not_waived() -> None:
    """The review's sr-change-waived: 200万元 carried out with no application and approval
    refused, an exception approved afterwards by the leading group."""
    snapshot = {
        "id": "SR-CHANGE-WAIVED", "city": "shangrao", "as_of": "2025-11-20",
        "project": {"level": "municipal", "kind": "construction", "categories": ["application"],
                    "classified": False, "emergency": False, "phase": "implementation"},
        "funding": {"source": "fiscal"},
        "budget": {"original": "800万元", "adjustments": [
            {"decided_on": "2025-06-01", "amount": "200万元", "content_changed": True,
             "application_submitted": False, "approval": {"granted": False},
             "implemented_on": "2025-06-10"}]},
        "exceptions": [{"rule": "shangrao.15.no-unilateral-change", "reason": "确需调整",
                        "approved": True, "approved_by": ["leading_group"],
                        "approved_on": "2025-07-01"}],
    }
    report = evaluate(snapshot)
    assert _finding(report, "shangrao.15.no-unilateral-change").status == "waived"
    assert _finding(report, "shangrao.15.approved-changes").status == "violated"


def test_twenty_day_trial_run(shangrao_report: Report) -> None:
    finding = _finding(shangrao_report, "shangrao.18.trial-run-one-month")
    assert finding.status == "violated"
    assert finding.facts["trial_run.started_on"] == "2025-10-01"
    assert finding.facts["trial_run.ended_on"] == "2025-10-20"
    (step,) = _steps(shangrao_report, "extend-trial-run")
    assert step.kind == "remedial"
    assert step.responsible == "项目建设单位"
    assert _finding(shangrao_report, "shangrao.18.evaluation-signed").status == "satisfied"


@pytest.mark.parametrize(
    ("signed_by", "supervision_engaged", "status"),
    [
        (["construction_unit", "winning_bidder", "supervisor"], True, "satisfied"),
        (["construction_unit", "winning_bidder"], True, "violated"),
        (["construction_unit", "supervisor"], True, "violated"),
        (["winning_bidder", "supervisor"], True, "violated"),
        (["construction_unit", "winning_bidder"], None, "undetermined"),
        (["construction_unit", "winning_bidder"], False, "satisfied"),
    ],
)
def test_three_party_signature(signed_by: list[str], supervision_engaged: bool | None,
                               status: str) -> None:
    data = _load(SHANGRAO_EXAMPLE)
    data["trial_run"]["signed_by"] = signed_by
    if supervision_engaged is None:
        del data["service"]["supervision_engaged"]
    else:
        data["service"]["supervision_engaged"] = supervision_engaged
    report = evaluate(data, city="shangrao", include_all=True)
    assert _finding(report, "shangrao.18.evaluation-signed").status == status


def test_missing_q3_report_due_after_the_holiday_and_overdue(shangrao_report: Report) -> None:
    finding = _finding(shangrao_report, "shangrao.16.quarterly-progress")
    assert finding.status == "violated"
    assert finding.details["periods"] == ["2025Q1", "2025Q2", "2025Q3", "2025Q4"]
    assert finding.details["missing"] == ["2025Q3"]
    assert finding.details["late"] == []
    assert "2025Q3" in finding.message.zh
    assert "2025Q3" in finding.message.en

    q3_due = Calendar.default().add_working_days(date(2025, 9, 30), 7)
    assert q3_due == date(2025, 10, 16)
    steps = _steps(shangrao_report, "submit-quarterly-progress")
    remedial = [s for s in steps if s.kind == "remedial"]
    assert len(remedial) == 1
    (q3,) = remedial
    assert q3.text.zh.endswith("(2025Q3)")
    assert q3.due == q3_due
    assert q3.overdue is True
    assert q3.responsible == "项目主管单位"
    assert q3.recipient == "市大数据发展管理局"
    upcoming = [s for s in steps if s.kind == "upcoming"]
    assert [(s.text.en[-7:-1], s.due, s.overdue) for s in upcoming] == [
        ("2025Q4", Calendar.default().add_working_days(date(2025, 12, 31), 7), False)]


def test_q3_report_on_the_due_date_is_on_time_and_a_day_later_is_late() -> None:
    for submitted, status, late in (("2025-10-16", "satisfied", []),
                                    ("2025-10-17", "violated", ["2025Q3"])):
        data = _load(SHANGRAO_EXAMPLE)
        data["reports"]["quarterly_progress"].append(
            {"period": "2025Q3", "submitted_on": submitted, "submitted_to": ["big_data_bureau"]})
        finding = _finding(evaluate(data, city="shangrao", include_all=True),
                           "shangrao.16.quarterly-progress")
        assert finding.status == status
        assert finding.details["late"] == late


def test_quarterly_reports_only_for_six_months_or_more() -> None:
    for months, status in ((6, "violated"), (5, "not_applicable")):
        data = _load(SHANGRAO_EXAMPLE)
        data["project"]["implementation_months"] = months
        report = evaluate(data, city="shangrao", include_all=True)
        assert _finding(report, "shangrao.16.quarterly-progress").status == status


def test_fund_use_is_due_at_quarter_end(shangrao_report: Report) -> None:
    assert _finding(shangrao_report, "shangrao.25.fund-use-quarterly").status == "satisfied"
    (q4,) = _steps(shangrao_report, "submit-fund-use")
    assert (q4.kind, q4.due, q4.overdue) == ("upcoming", date(2025, 12, 31), False)
    data = _load(SHANGRAO_EXAMPLE)
    data["reports"]["fund_use"][2]["submitted_on"] = "2025-10-01"
    finding = _finding(evaluate(data, city="shangrao"), "shangrao.25.fund-use-quarterly")
    assert finding.status == "violated"
    assert finding.details["late"] == ["2025Q3"]


def test_cloud_carve_out_and_approved_exception() -> None:
    data = _load(SHANGRAO_EXAMPLE)
    report = evaluate(data, city="shangrao", include_all=True)
    # 条线业务特殊需要: the text's own carve-out, so the duty does not arise
    assert _finding(report, "shangrao.4.government-cloud").status == "not_applicable"

    data["deployment"]["cloud_exception"] = "none"
    report = evaluate(data, city="shangrao", include_all=True)
    finding = _finding(report, "shangrao.4.government-cloud")
    assert finding.status == "waived"  # the example's approval, named by rule id
    assert finding.exception is not None
    assert finding.exception.reference == "饶数据函〔2024〕21号"

    data["exceptions"] = []
    report = evaluate(data, city="shangrao", include_all=True)
    assert _finding(report, "shangrao.4.government-cloud").status == "violated"

    del data["deployment"]["cloud_exception"]
    finding = _finding(evaluate(data, city="shangrao"), "shangrao.4.government-cloud")
    assert finding.status == "undetermined"
    assert "deployment.cloud_exception" in finding.missing


def test_exactly_the_in_principle_provisions_can_be_waived() -> None:
    shangrao = builtin_pack("shangrao")
    assert {r.id for r in shangrao.rules if r.spec.in_principle} == {
        "shangrao.4.government-cloud",
        "shangrao.4.data-sharing-platform",
        "shangrao.4.migrate-existing",
        "shangrao.6.3.service-term",
        "shangrao.6.4.supervision",
        "shangrao.15.no-unilateral-change",
    }
    wuhai = builtin_pack("wuhai")
    assert {r.id for r in wuhai.rules if r.spec.in_principle} == {
        "wuhai.4.no-new-public-app",
        "wuhai.10.district-no-platforms",
    }
    for pack in (shangrao, wuhai):
        for rule in pack.rules:
            if "原则上" in rule.spec.quote:
                assert rule.spec.in_principle, rule.id
            if rule.spec.in_principle:
                assert "原则上" in pack.articles[rule.spec.article].text, rule.id


def test_shangrao_metadata_records_the_repeal() -> None:
    meta = builtin_pack("shangrao").meta
    assert meta.status == "in_force"
    assert meta.effective is None
    assert meta.validity_note
    assert "自公布之日起施行" in meta.validity_note
    (old,) = meta.supersedes
    assert old.doc_number == "饶府字〔2016〕51号"
    assert old.issued == date(2016, 10, 14)


@pytest.mark.parametrize(
    ("categories", "in_scope"),
    [
        (["application"], True),
        (["office_equipment", "application"], True),
        (["office_equipment"], False),
        (["civil_works", "decoration", "specialised_equipment"], False),
    ],
)
def test_shangrao_scope_excludes_piecemeal_purchases_and_works(categories: list[str],
                                                               in_scope: bool) -> None:
    data = _load(SHANGRAO_EXAMPLE)
    data["project"]["categories"] = categories
    report = evaluate(data, city="shangrao", include_all=True)
    expected = "satisfied" if in_scope else "not_applicable"
    assert _finding(report, "shangrao.2.excluded-items").status == expected
    assert (report.verdict == "not_applicable") is not in_scope


# -- Wuhai: a draft ------------------------------------------------------------------------


def test_wuhai_metadata_is_a_draft() -> None:
    meta = builtin_pack("wuhai").meta
    assert meta.status == "draft"
    assert meta.effective is None
    assert meta.issued is None
    assert meta.comment_period is not None
    assert (meta.comment_period.start, meta.comment_period.end) == (date(2023, 9, 7),
                                                                    date(2023, 10, 7))


def test_same_snapshot_under_wuhai_reports_draft_status() -> None:
    report = evaluate(SHANGRAO_EXAMPLE, city="wuhai")
    assert report.binding is False
    assert report.pack.binding is False
    assert report.pack.status == "draft"
    assert report.pack.in_force_on_as_of is False
    assert "pack-draft" in {w.code for w in report.warnings}
    # what the draft would require is still shown, marked as not binding
    assert report.verdict == "non_compliant"
    errors = {f.rule for f in report.findings
              if f.status == "violated" and f.severity == "error"}
    assert "wuhai.4.government-cloud" in errors
    text = render_text(report)
    assert "NOT BINDING" in text
    assert "DRAFT" in text


def test_cli_exit_codes_for_the_draft(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["check", str(SHANGRAO_EXAMPLE), "--city", "wuhai"]
    assert main(base) == 0
    assert "NOT BINDING" in capsys.readouterr().out
    assert main([*base, "--fail-on-nonbinding"]) == 1
    capsys.readouterr()
    assert main([*base, "--format", "json"]) == 0
    (payload,) = json.loads(capsys.readouterr().out)
    assert payload["pack"]["binding"] is False
    assert payload["binding"] is False
    # the binding Shangrao pack fails by default on the same file
    assert main(["check", str(SHANGRAO_EXAMPLE), "--city", "shangrao"]) == 1
    capsys.readouterr()


def test_cli_json_for_the_draft(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(WUHAI_EXAMPLE), "--format", "json"]) == 0
    (payload,) = json.loads(capsys.readouterr().out)
    assert payload["pack"]["id"] == "wuhai"
    assert payload["pack"]["binding"] is False
    assert payload["pack"]["status"] == "draft"
    assert "pack-draft" in {w["code"] for w in payload["warnings"]}
    violated = {f["rule"] for f in payload["findings"] if f["status"] == "violated"}
    assert {"wuhai.4.no-new-public-app", "wuhai.4.city-brain",
            "wuhai.15.catalogue-before-acceptance", "wuhai.19.crypto-assessment"} <= violated
    assert main(["check", str(WUHAI_EXAMPLE), "--fail-on-nonbinding"]) == 1
    capsys.readouterr()


def test_wuhai_example_violates_several_articles() -> None:
    report = evaluate(WUHAI_EXAMPLE)
    articles = {f.article.number for f in report.findings if f.status == "violated"}
    assert {4, 15, 19} <= articles
    catalogue = _finding(report, "wuhai.15.catalogue-before-acceptance")
    assert catalogue.facts["data.catalogue_reviewed_on"] == "2025-09-12"
    assert catalogue.facts["acceptance.completion_on"] == "2025-08-15"


def test_wuhai_public_app_exception_waives_only_the_in_principle_sentence() -> None:
    data = _load(WUHAI_EXAMPLE)
    data["exceptions"] = [{"rule": "wuhai.4", "reason": "经市大数据中心同意由本部门建设",
                           "approved": True, "approved_by": ["big_data_center"],
                           "approved_on": "2024-02-01"}]
    report = evaluate(data)
    assert _finding(report, "wuhai.4.no-new-public-app").status == "waived"
    assert _finding(report, "wuhai.4.city-brain").status == "violated"


@pytest.mark.parametrize(
    ("funding", "level", "status"),
    [
        ({"source": "fiscal", "fiscal_level": "municipal"}, "municipal", "satisfied"),
        ({"source": "fiscal", "fiscal_level": "provincial"}, "municipal", "satisfied"),
        ({"source": "non_fiscal", "own_income": True}, "municipal", "satisfied"),
        ({"source": "fiscal", "fiscal_level": "district"}, "district", "satisfied"),
        ({"source": "non_fiscal", "own_income": False}, "municipal", "not_applicable"),
        ({"source": "fiscal", "fiscal_level": "district", "own_income": False}, "municipal",
         "not_applicable"),
        ({"source": "fiscal", "fiscal_level": "district"}, "municipal", "undetermined"),
    ],
)
def test_wuhai_covered_units(funding: dict[str, Any], level: str, status: str) -> None:
    data = _load(WUHAI_EXAMPLE)
    data["funding"] = funding
    data["project"]["level"] = level
    report = evaluate(data, include_all=True)
    assert _finding(report, "wuhai.2.covered-units").status == status


@pytest.mark.parametrize(("field", "rule"), [("classified", "wuhai.21.non-classified"),
                                             ("disaster_emergency", "wuhai.22.non-emergency")])
def test_wuhai_exclusions(field: str, rule: str) -> None:
    data = _load(WUHAI_EXAMPLE)
    data["project"][field] = True
    if field == "disaster_emergency":
        data["project"]["emergency"] = True  # a disaster emergency is an urgent project
    report = evaluate(data)
    assert report.verdict == "not_applicable"
    assert _finding(report, rule).status == "not_applicable"
    assert report.next_steps == []


# -- all packs together --------------------------------------------------------------------


def _worst(verdicts: list[str]) -> str:
    order = ["non_compliant", "undetermined", "compliant", "not_applicable"]
    return next((v for v in order if v in verdicts), "not_applicable")


def test_combined_report_over_every_pack() -> None:
    ids = builtin_pack_ids()
    assert {"wuhai", "shangrao"} <= set(ids)
    combined = evaluate_all(SHANGRAO_EXAMPLE, [builtin_pack(c) for c in ids])
    assert [r.pack.id for r in combined.reports] == ids
    assert all(r.as_of == AS_OF and r.snapshot_id == "SR-2024-031" for r in combined.reports)
    by_id = {r.pack.id: r for r in combined.reports}
    assert by_id["wuhai"].binding is False
    assert by_id["shangrao"].binding is True
    assert combined.verdict == _worst([r.verdict for r in combined.reports])
    assert combined.binding_verdict == _worst([r.verdict for r in combined.reports if r.binding])
    assert combined.binding_verdict == "non_compliant"  # Shangrao binds and is breached


def test_binding_verdict_ignores_the_wuhai_draft() -> None:
    """Paid from the unit's own income: outside every fiscal-funds pack, inside Wuhai's draft."""
    snapshot: dict[str, Any] = {
        "id": "OWN-INCOME",
        "as_of": "2025-11-20",
        "project": {"level": "municipal", "kind": "construction", "classified": False,
                    "emergency": False, "categories": ["application"],
                    "phase": "operation"},
        "funding": {"source": "non_fiscal", "own_income": True},
        "deployment": {"government_cloud": False},
    }
    combined = evaluate_all(snapshot, [builtin_pack(c) for c in builtin_pack_ids()])
    by_id = {r.pack.id: r for r in combined.reports}
    assert by_id["wuhai"].verdict == "non_compliant"
    assert not by_id["wuhai"].binding
    assert by_id["shangrao"].verdict == "not_applicable"
    assert by_id["guiyang"].verdict == "not_applicable"
    assert combined.verdict == "non_compliant"
    assert combined.binding_verdict == _worst(
        [r.verdict for r in combined.reports if r.binding])
    assert combined.binding_verdict != "non_compliant" or any(
        r.binding and r.verdict == "non_compliant" for r in combined.reports)


# -- year_end(), added for Shangrao 23 ------------------------------------------------------


@pytest.mark.parametrize(("day", "end"), [("2025-01-01", date(2025, 12, 31)),
                                          ("2024-02-29", date(2024, 12, 31)),
                                          ("2025-12-31", date(2025, 12, 31))])
def test_year_end_function(day: str, end: date) -> None:
    compiled = compile_expression(f"year_end(date('{day}'))", Env(type_from_model(Snapshot)),
                                  expect=None)
    ctx = EvalContext(root=Snapshot(), as_of=AS_OF, calendar=Calendar.default())
    assert compiled.fn(ctx) == end


def test_yearly_om_assessment_steps() -> None:
    snapshot: dict[str, Any] = {
        "project": {"level": "municipal", "kind": "om", "classified": False,
                    "categories": ["application"], "phase": "operation",
                    "start_date": "2023-01-01"},
        "funding": {"source": "fiscal"},
        "operation": {"om_assessments": [{"year": 2024, "reported_on": "2025-01-05"}]},
    }
    report = evaluate(snapshot, city="shangrao", as_of="2025-11-20")
    assert _finding(report, "shangrao.23.annual-om-assessment").status == "violated"
    (step,) = _steps(report, "report-om-assessment")
    assert (step.kind, step.due, step.overdue) == ("remedial", date(2024, 12, 31), True)

    fixed = copy.deepcopy(snapshot)
    fixed["operation"]["om_assessments"] = [{"year": 2024, "reported_on": "2024-12-30"}]
    report = evaluate(fixed, city="shangrao", as_of="2025-11-20", include_all=True)
    assert _finding(report, "shangrao.23.annual-om-assessment").status == "satisfied"
    (step,) = _steps(report, "report-om-assessment")
    assert (step.kind, step.due, step.overdue) == ("upcoming", date(2025, 12, 31), False)


def test_change_applied_for_but_not_yet_carried_out_is_not_a_breach() -> None:
    data = _load(SHANGRAO_EXAMPLE)
    adjustment = data["budget"]["adjustments"][0]
    del adjustment["implemented_on"]
    adjustment["implemented"] = False
    adjustment["approval"] = {"granted": False}
    data["construction"]["content_changed"] = False
    report = evaluate(data, city="shangrao", include_all=True)
    assert _finding(report, "shangrao.15.approved-changes").status == "satisfied"
    (step,) = _steps(report, "await-change-approval")
    assert step.kind == "upcoming"
    assert step.recipient == "市大数据发展管理局、市财政局"
