"""How govrules reasons (SPEC "Legal reasoning"), one purpose-built snapshot per point.

The law of the time of the conduct; exceptions presumed not to apply; evidence before
arithmetic; live duties announced; 原则上 softens only its clause; undetermined reads as
a condition. Every report a test here produces is validated against the report contract.
"""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from govrules.base.calendar import Calendar
from govrules.cli.main import main
from govrules.engine.decide import decide
from govrules.engine.evaluate import evaluate, evaluate_pack
from govrules.model.pack import Pack, builtin_pack, builtin_pack_ids, load_pack, parse_pack
from govrules.model.report import Finding, Report
from govrules.model.snapshot import parse_snapshot
from tests.conftest import EMERGENCY_EXCEPTION, HEADER, demo_pack_text
from tests.test_engine import QUARTERLY

CAL = Calendar.default()


@pytest.fixture(autouse=True)
def _contract(report_contract: dict[str, Any] | None) -> None:
    global CONTRACT  # noqa: PLW0603 - the schema, loaded once per session
    CONTRACT = report_contract


CONTRACT: dict[str, Any] | None = None


def check(snapshot: dict[str, Any], city: str | None = None, *, pack: Pack | None = None,
          as_of: str = "2025-11-20", strict: bool = False) -> Report:
    """Evaluate with every finding, and validate the JSON against the report contract."""
    report = evaluate(snapshot, city=city, pack=pack, as_of=as_of, include_all=True,
                      strict_presumptions=strict)
    if CONTRACT is not None:
        jsonschema.validate(report.to_json_dict(), CONTRACT)
    return report


def finding(report: Report, rule: str) -> Finding:
    for item in report.findings:
        if item.rule == rule:
            return item
    raise AssertionError(f"{rule} not in {[f.rule for f in report.findings]}")


# -- 1. The law of the time of the conduct ----------------------------------------------------

JINCHENG_PROJECT = {"project": {"level": "municipal", "phase": "operation"},
                    "funding": {"source": "fiscal"}}


@pytest.mark.parametrize(("signed", "status"), [
    ("2019-06-03", "not_applicable"),   # J1: long before the measures
    ("2019-12-12", "not_applicable"),   # the day before art. 32's date of issue
    ("2019-12-13", "violated"),         # the first day
    ("2019-12-14", "violated"),
])
def test_jincheng_contract_filing_is_judged_on_the_signing_day(signed: str,
                                                               status: str) -> None:
    report = check({**JINCHENG_PROJECT, "contract": {"signed_on": signed, "filed": False}},
                   "jincheng")
    result = finding(report, "jincheng.15.contract-filed")
    assert result.status == status
    assert result.conduct is not None
    assert (result.conduct.date, result.conduct.fact) == (date.fromisoformat(signed),
                                                          "contract.signed_on")
    assert result.binding is (status == "violated")
    if status == "not_applicable":
        assert result.cites is not None
        assert result.cites.label == "第三十二条"
        assert result.reason is not None
        assert "2019-12-13" in result.reason.en
        assert "2019-12-13" in result.reason.zh


def test_j1_acceptance_before_the_measures_is_not_a_binding_violation() -> None:
    report = check({**JINCHENG_PROJECT,
                    "contract": {"signed_on": "2019-06-03", "filed": False},
                    "acceptance": {"completion_on": "2019-11-01", "report_filed": False}},
                   "jincheng")
    for rule in ("jincheng.15.contract-filed", "jincheng.21.report-filed"):
        assert finding(report, rule).status == "not_applicable"
    assert not [s for s in report.next_steps
                if {"jincheng.15.contract-filed", "jincheng.21.report-filed"} & set(s.because)]


EXPIRING = HEADER.replace("  status: in_force\n", "  status: in_force\n  expires: 2021-12-31\n"
                          "  validity_article: 1\n")
def test_a_recurring_duty_is_owed_only_for_periods_inside_the_validity() -> None:
    pack = parse_pack(demo_pack_text(QUARTERLY, EXPIRING), "demo.yaml")
    snapshot = {"project": {"start_date": "2021-07-01", "phase": "implementation"},
                "reports": {"quarterly_progress": []}}
    result = finding(check(snapshot, pack=pack, as_of="2022-06-30"), "demo.3.quarterly")
    assert result.status == "violated"
    assert result.details["missing"] == ["2021Q3", "2021Q4"]  # 2022 is after the expiry
    assert result.binding


FILING_RULE = """\
rules:
  - id: demo.2.filed
    article: 2
    quote: 将合同报备案
    title: {zh: 合同备案, en: Contract filed}
    deadline:
      after: contract.signed_on
      within: {working_days: 5}
      done_on: contract.filed_on
    message: {zh: 合同未按期备案, en: The contract was not filed within 5 working days}
"""


def test_an_expired_text_keeps_a_breach_inside_its_window() -> None:
    pack = parse_pack(demo_pack_text(FILING_RULE, EXPIRING), "demo.yaml")
    report = check({"contract": {"signed_on": "2021-06-01", "filed": False}}, pack=pack,
                   as_of="2024-01-01")
    result = finding(report, "demo.2.filed")
    assert (result.status, result.binding) == ("violated", True)
    assert report.pack.binding is False
    assert report.binding is True
    assert report.binding_verdict == "non_compliant"
    later = check({"contract": {"signed_on": "2022-01-03", "filed": False}}, pack=pack,
                  as_of="2024-01-01")
    assert finding(later, "demo.2.filed").status == "not_applicable"
    assert later.verdict == "not_applicable"  # the text governs none of this conduct


def test_a_draft_is_never_binding() -> None:
    report = check({"project": {"level": "municipal", "classified": False,
                                "emergency": False, "phase": "implementation"},
                    "funding": {"source": "fiscal", "fiscal_level": "municipal"},
                    "deployment": {"government_cloud": False}}, "wuhai")
    assert report.findings
    assert not any(f.binding for f in report.findings)
    assert report.binding is False


def test_shangrao_cannot_govern_conduct_before_2019() -> None:
    report = check({"project": {"level": "municipal", "classified": False,
                                "categories": ["application"], "phase": "planning"},
                    "funding": {"source": "fiscal"}}, "shangrao", as_of="2018-06-30")
    codes = [w.code for w in report.warnings]
    assert "pack-predates-text" in codes
    warning = next(w for w in report.warnings if w.code == "pack-predates-text")
    assert "饶府字〔2016〕51号" in warning.message
    assert report.pack.binding is False
    assert report.verdict == "not_applicable"
    some = next(f for f in report.findings if f.rule.startswith("shangrao.4"))
    assert some.status == "not_applicable"
    assert some.cites is not None
    assert some.cites.label == "第四十一条"


# -- amendments: a rule replaced under the same id keeps its earlier version (F11) ------------

BASE = HEADER + FILING_RULE + textwrap.dedent("""\
    examples:
      - name: filed on the fifth working day
        as_of: 2025-04-30
        snapshot: {contract: {signed_on: 2025-04-01, filed_on: 2025-04-08}}
        expect: {demo.2.filed: satisfied}
    """)
AMENDMENT = textwrap.dedent("""\
    extends: base.yaml
    amendment: {doc_number: 示例〔2025〕3号, effective: 2025-07-01, version: "0.0.2"}
    articles:
      - number: 2
        label: 第二条
        text: 项目实施单位应在签订合同3个工作日内将合同报备案。原则上应使用政务云。
        summary: File the contract within 3 working days.
    rules:
      - id: demo.2.filed
        article: 2
        quote: 将合同报备案
        title: {zh: 合同三日内备案, en: Contract filed within 3 working days}
        deadline:
          after: contract.signed_on
          within: {working_days: 3}
          done_on: contract.filed_on
        message: {zh: 合同未在3个工作日内备案, en: The contract was not filed within 3 working days}
    """)


@pytest.fixture
def amended(tmp_path: Path) -> Pack:
    (tmp_path / "base.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "amend.yaml").write_text(AMENDMENT, encoding="utf-8")
    return load_pack(tmp_path / "amend.yaml")


@pytest.mark.parametrize(("signed", "filed", "status", "version_from"), [
    ("2025-04-01", "2025-04-08", "satisfied", None),      # the old 5 days govern
    ("2025-06-30", "2025-07-04", "satisfied", None),      # the day before the amendment
    ("2025-07-01", "2025-07-07", "violated", "2025-07-01"),  # 4 working days > 3
    ("2025-07-01", "2025-07-04", "satisfied", "2025-07-01"),
])
def test_a_replaced_rule_keeps_its_earlier_version_for_earlier_conduct(
        amended: Pack, signed: str, filed: str, status: str, version_from: str | None) -> None:
    report = check({"contract": {"signed_on": signed, "filed_on": filed}}, pack=amended)
    result = finding(report, "demo.2.filed")
    assert result.status == status
    assert result.version is not None
    assert str(result.version.effective) == str(version_from)
    assert (result.version.amended_by is not None) is (version_from is not None)


def test_the_base_packs_examples_still_pass_under_the_amendment(amended: Pack,
                                                                tmp_path: Path) -> None:
    assert main(["test", str(tmp_path / "amend.yaml")]) == 0
    assert main(["lint", str(tmp_path / "amend.yaml")]) == 0


# -- 2. Exceptions are presumed not to apply; scope must be shown --------------------------------

SHANGRAO_SILENT = {"project": {"level": "municipal", "kind": "construction",
                               "phase": "implementation"},
                   "funding": {"source": "fiscal"},
                   "security": {"graded_protection": {"applied": False}}}


def test_a_silent_record_gets_decided_findings_and_the_presumptions() -> None:
    """S3: no categories, nothing on secrecy: the 6(5) breach is decided."""
    report = check(SHANGRAO_SILENT, "shangrao")
    assert finding(report, "shangrao.6.5.graded-protection").status == "violated"
    presumed = {(p.clause.id, p.fact): p for p in report.presumptions}
    assert set(presumed) == {("shangrao.2.excluded-items", "project.categories"),
                             ("shangrao.38.non-classified", "project.classified")}
    secrecy = presumed["shangrao.38.non-classified", "project.classified"]
    assert secrecy.presumed is False
    assert secrecy.clause.label == "第三十八条"
    assert "shangrao.6.5.graded-protection" in secrecy.rules
    assert finding(report, "shangrao.6.5.graded-protection").missing == []
    assert "shangrao.38.non-classified" in finding(report,
                                                   "shangrao.6.5.graded-protection").presumed


def test_a_record_that_states_the_exception_is_outside() -> None:
    report = check({**SHANGRAO_SILENT, "project": {**SHANGRAO_SILENT["project"],
                                                   "classified": True}}, "shangrao")
    assert report.verdict == "not_applicable"
    assert finding(report, "shangrao.38.non-classified").status == "not_applicable"
    assert report.presumptions == []
    excluded = check({**SHANGRAO_SILENT, "project": {
        **SHANGRAO_SILENT["project"], "classified": False,
        "categories": ["office_equipment", "civil_works"]}}, "shangrao")
    assert excluded.verdict == "not_applicable"


def test_strict_presumptions_leave_what_the_exception_would_change_undetermined() -> None:
    report = check(SHANGRAO_SILENT, "shangrao", strict=True)
    result = finding(report, "shangrao.6.5.graded-protection")
    assert result.status == "undetermined"
    assert {"project.classified", "project.categories"} <= set(result.missing)
    assert report.presumptions == []


def test_wuhai_emergency_exception_art_22() -> None:
    base: dict[str, Any] = {"project": {"level": "municipal", "classified": False,
                                        "phase": "implementation"},
            "funding": {"source": "fiscal", "fiscal_level": "municipal"},
            "deployment": {"government_cloud": False}}
    silent = check(base, "wuhai")
    assert silent.verdict != "not_applicable"
    assert {p.fact for p in silent.presumptions} == {"project.disaster_emergency"}
    stated = check({**base, "project": {**base["project"], "emergency": True,
                                        "disaster_emergency": True}}, "wuhai")
    assert stated.verdict == "not_applicable"
    assert finding(stated, "wuhai.22.non-emergency").status == "not_applicable"


def test_unknown_scope_is_still_undetermined() -> None:
    report = check({"project": {"phase": "implementation"},
                    "security": {"graded_protection": {"applied": False}}}, "shangrao")
    assert finding(report, "shangrao.2.municipal-fiscal").status == "undetermined"
    assert finding(report, "shangrao.6.5.graded-protection").status == "undetermined"


@pytest.mark.parametrize("fmt", ["text", "markdown", "sarif", "junit", "json"])
def test_presumptions_appear_in_every_output_format(
        fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"id": "S3", "city": "shangrao", **SHANGRAO_SILENT}),
                    encoding="utf-8")
    marker = {"text": "Presumed (the record is silent", "json": '"presumed": false',
              "markdown": "presumed (the record is silent", "junit": 'name="presumption"',
              "sarif": '"presumptions"'}[fmt]
    main(["check", str(path), "--as-of", "2025-11-20", "--format", fmt, "-q"])
    out = capsys.readouterr().out
    assert marker in out
    assert "project.classified" in out
    main(["check", str(path), "--as-of", "2025-11-20", "--format", fmt, "-q",
          "--strict-presumptions"])
    strict = capsys.readouterr().out
    if fmt == "json":
        assert json.loads(strict)[0]["presumptions"] == []
    else:
        assert marker not in strict


# -- 3. Evidence before arithmetic ---------------------------------------------------------------

SHANGRAO_RUNNING = {"project": {"level": "municipal", "kind": "construction",
                                "categories": ["application"], "classified": False,
                                "phase": "implementation", "implementation_months": 12},
                    "funding": {"source": "fiscal"}}


def test_a_late_report_is_late_even_with_the_start_unknown() -> None:
    report = check({**SHANGRAO_RUNNING, "reports": {"quarterly_progress": [
        {"period": "2025Q2", "submitted_on": "2025-08-20"}]}}, "shangrao")
    result = finding(report, "shangrao.16.quarterly-progress")
    assert result.status == "violated"
    assert "2025Q2" in result.details["late"]


def test_a_contract_date_proves_the_quarters_owed() -> None:
    report = check({**SHANGRAO_RUNNING, "contract": {"signed_on": "2025-04-10"},
                    "reports": {"quarterly_progress": [
                        {"period": "2025Q2", "submitted_on": "2025-07-05"}]}}, "shangrao")
    result = finding(report, "shangrao.16.quarterly-progress")
    assert result.status == "violated"
    assert result.details["missing"] == ["2025Q3"]


def test_s2_duration_from_the_dates_when_the_field_is_absent() -> None:
    snapshot = {"project": {"level": "municipal", "kind": "construction",
                            "categories": ["application"], "classified": False,
                            "emergency": False, "phase": "implementation",
                            "start_date": "2025-01-15", "planned_end_date": "2026-01-14"},
                "funding": {"source": "fiscal"},
                "reports": {"quarterly_progress": [
                    {"period": "2025Q1", "submitted_on": "2025-04-09"}]}}
    result = finding(check(snapshot, "shangrao"), "shangrao.16.quarterly-progress")
    assert result.status == "violated"
    assert result.details["missing"] == ["2025Q2", "2025Q3"]
    short = {**snapshot, "project": {**snapshot["project"], "planned_end_date": "2025-06-30"}}
    assert finding(check(short, "shangrao"), "shangrao.16.quarterly-progress").status == \
        "not_applicable"


@pytest.mark.parametrize(("amount", "within", "over"), [
    (None, "violated", "undetermined"),        # size unknown: a breach of art. 15 either way
    ("30万元", "violated", "satisfied"),
    ("80万元", "satisfied", "violated"),
])
def test_guiyang_15_neither_explanation_nor_resubmission_breaches_whatever_the_size(
        amount: str | None, within: str, over: str) -> None:
    adjustment: dict[str, Any] = {"decided_on": "2025-06-01", "explanation_filed": False,
                                  "plan_resubmitted": False}
    if amount is not None:
        adjustment["amount"] = amount
    report = check({"project": {"kind": "purchased_service", "classified": False},
                    "funding": {"source": "fiscal", "fiscal_level": "municipal"},
                    "budget": {"original": "500万元", "adjustments": [adjustment]}}, "guiyang")
    assert finding(report, "guiyang.15.within-10pct").status == within
    assert finding(report, "guiyang.15.over-10pct").status == over


# -- 4. Live duties are announced -----------------------------------------------------------------

def test_an_undetermined_earlier_quarter_keeps_the_next_quarters_step() -> None:
    report = check(SHANGRAO_RUNNING, "shangrao", as_of="2025-11-20")
    result = finding(report, "shangrao.16.quarterly-progress")
    assert result.status == "undetermined"
    assert "project.start_date" in result.missing
    steps = [s for s in report.next_steps if s.action == "submit-quarterly-progress"]
    assert [(s.kind, s.due) for s in steps] == [("upcoming", date(2026, 1, 12))]
    assert "2025Q4" in steps[0].text.en


def test_a_yearly_duty_announces_every_year() -> None:
    snapshot = {"project": {"kind": "purchased_service", "classified": False,
                            "phase": "operation"},
                "funding": {"source": "fiscal", "fiscal_level": "municipal"},
                "contract": {"signed_on": "2022-03-01"},
                "security": {"assessments": [
                    {"kind": "security_test", "performed_on": "2025-02-10", "reported": True},
                    {"kind": "risk_assessment", "performed_on": "2025-02-10",
                     "reported": True}]}}
    later = {**snapshot, "security": {"assessments": [
        *snapshot["security"]["assessments"],
        {"kind": "security_test", "performed_on": "2026-02-20", "reported": True},
        {"kind": "risk_assessment", "performed_on": "2026-02-20", "reported": True}]}}
    for as_of, record, due in (("2025-11-20", snapshot, date(2026, 3, 1)),
                               ("2026-01-15", snapshot, date(2026, 3, 1)),
                               ("2026-11-20", later, date(2027, 3, 1))):
        report = check(record, "guiyang", as_of=as_of)
        steps = [s for s in report.next_steps if s.action == "security-assessment"
                 and s.kind == "upcoming"]
        assert [s.due for s in steps] == [due], as_of


def test_g3_the_yearly_assessment_ends_with_the_service() -> None:
    snapshot = {"id": "GY-SEC-ENDED", "city": "guiyang",
                "project": {"kind": "purchased_service", "classified": False,
                            "phase": "completed", "start_date": "2022-03-01",
                            "end_date": "2023-06-30"},
                "funding": {"source": "fiscal", "fiscal_level": "municipal"},
                "contract": {"signed_on": "2022-03-01"},
                "security": {"emergency_plan": True, "assessments": [
                    {"kind": "security_test", "performed_on": "2023-03-01",
                     "reported_on": "2023-03-10", "reported_to": ["big_data_bureau"]},
                    {"kind": "risk_assessment", "performed_on": "2023-03-01",
                     "reported_on": "2023-03-10", "reported_to": ["big_data_bureau"]}]}}
    report = check(snapshot, as_of="2025-11-20")
    assert finding(report, "guiyang.25.annual-security-assessment").status == "satisfied"
    assert not [s for s in report.next_steps if s.action == "security-assessment"]
    lapsed = {**snapshot, "security": {"assessments": [
        {"kind": "security_test", "performed_on": "2022-05-01", "reported": True},
        {"kind": "risk_assessment", "performed_on": "2022-05-01", "reported": True}]}}
    assert finding(check(lapsed, as_of="2025-11-20"),
                   "guiyang.25.annual-security-assessment").status == "violated"


# -- 6. Undetermined reads as a condition; not applicable names the rule ---------------------------

def test_undetermined_and_not_applicable_messages() -> None:
    report = check({"project": {"kind": "purchased_service", "classified": False,
                                "phase": "planning"},
                    "funding": {"source": "fiscal", "fiscal_level": "municipal"},
                    "inspection": {"inspected": True}}, "guiyang")
    open_ = finding(report, "guiyang.31.truthful-information")
    assert open_.status == "undetermined"
    assert open_.message.en.startswith("Undetermined: if ")
    assert "the rule is breached" in open_.message.en
    assert open_.message.zh.startswith("尚无法判定:如果")
    for fact in open_.missing:
        assert fact in open_.message.en
        assert fact in open_.message.zh
    off = next(f for f in report.findings if f.status == "not_applicable"
               and f.title is not None)
    assert off.title is not None
    assert off.message.en.startswith(f"Not applicable: {off.title.en}")
    assert off.message.zh.startswith(f"不适用:{off.title.zh}")
    assert "unknown" not in off.message.en


# -- 8. decide() is what evaluate() uses ----------------------------------------------------------

@pytest.mark.parametrize("pack_id", builtin_pack_ids())
def test_decide_gives_the_statuses_of_every_report(pack_id: str) -> None:
    pack = builtin_pack(pack_id)
    for example in pack.examples:
        snapshot = parse_snapshot(example.snapshot)
        report = evaluate_pack(pack, snapshot, example.as_of, CAL, include_all=True)
        statuses = decide(pack, snapshot, example.as_of, calendar=CAL).statuses
        assert {f.rule: f.status for f in report.findings} == dict(statuses), example.name


# -- 9. interpretations ------------------------------------------------------------------------

def test_a_finding_lists_the_interpretations_its_rule_rests_on() -> None:
    body = """
    rules:
      - id: demo.2.cloud
        article: 2
        quote: 原则上应使用政务云
        title: {zh: 使用政务云, en: On the cloud}
        in_principle: true
        interpretations: [demo-cloud-reading]
        violated_when: not deployment.government_cloud
        message: {zh: 未使用政务云, en: Not on the cloud}
    """
    pack = parse_pack(demo_pack_text(body), "demo.yaml")
    report = check({"deployment": {"government_cloud": False}}, pack=pack)
    assert finding(report, "demo.2.cloud").interpretations == ["demo-cloud-reading"]


# -- the durable backend decides the same conditions --------------------------------------------

@pytest.mark.parametrize("signed", ["2025-06-30", "2025-07-01"])
def test_durable_agrees_on_both_versions_of_an_amended_rule(amended: Pack, signed: str) -> None:
    pytest.importorskip("durable")
    snapshot = parse_snapshot({"contract": {"signed_on": signed, "filed_on": "2025-07-07"}})
    native = evaluate_pack(amended, snapshot, date(2025, 11, 20), CAL, include_all=True)
    durable = evaluate_pack(amended, snapshot, date(2025, 11, 20), CAL, include_all=True,
                            backend="durable")
    assert durable.findings == native.findings
    assert finding(native, "demo.2.filed").status == (
        "satisfied" if signed == "2025-06-30" else "violated")


@pytest.mark.parametrize("strict", [False, True])
def test_durable_agrees_on_exceptions_and_presumptions(strict: bool) -> None:
    pytest.importorskip("durable")
    pack = builtin_pack("shangrao")
    snapshot = parse_snapshot(SHANGRAO_SILENT)
    native, durable = (evaluate_pack(pack, snapshot, date(2025, 11, 20), CAL, include_all=True,
                                     backend=b, strict_presumptions=strict)
                       for b in ("native", "durable"))
    assert (durable.findings, durable.presumptions) == (native.findings, native.presumptions)


# -- exception clauses in the pack format ---------------------------------------------------------

EXCEPTION_BODY = EMERGENCY_EXCEPTION + """
rules:
  - id: demo.2.cloud
    article: 2
    quote: 原则上应使用政务云
    title: {zh: 使用政务云, en: On the cloud}
    in_principle: true
    violated_when: not deployment.government_cloud
    message: {zh: 未使用政务云, en: Not on the cloud}
  - id: demo.2.filed
    article: 2
    quote: 将合同报备案
    title: {zh: 合同备案, en: Contract filed}
    violated_when: not contract.filed
    message: {zh: 未备案, en: Not filed}
"""


def test_an_exception_takes_out_only_the_rules_it_names() -> None:
    pack = parse_pack(demo_pack_text(EXCEPTION_BODY), "demo.yaml")
    record = {"deployment": {"government_cloud": False}, "contract": {"filed": False}}
    stated = check({**record, "project": {"emergency": True}}, pack=pack)
    assert finding(stated, "demo.2.cloud").status == "not_applicable"
    assert finding(stated, "demo.2.cloud").cites is not None
    assert finding(stated, "demo.2.filed").status == "violated"
    assert stated.verdict == "non_compliant"
    silent = check(record, pack=pack)
    assert finding(silent, "demo.2.cloud").status == "violated"
    (presumption,) = silent.presumptions
    assert (presumption.fact, presumption.presumed, presumption.rules) == (
        "project.emergency", False, ["demo.2.cloud"])


def test_a_pack_exception_must_name_rules_it_has_and_say_what_it_presumes(
        tmp_path: Path) -> None:
    from govrules.tools.lint import lint_file

    bad = EXCEPTION_BODY.replace("rules: [demo.2.cloud]", "rules: [demo.2.clod]")
    path = tmp_path / "bad.yaml"
    path.write_text(demo_pack_text(bad), encoding="utf-8")
    codes = [d.code for d in lint_file(path).diagnostics]
    assert "pack-unknown-rule" in codes
    vague = EXCEPTION_BODY.replace("when: project.emergency",
                                   "when: \"'civil_works' in project.categories\"")
    path.write_text(demo_pack_text(vague), encoding="utf-8")
    assert "lint-presume-missing" in [d.code for d in lint_file(path).diagnostics]
    stated = vague.replace("    rules: [demo.2.cloud]\n",
                           "    rules: [demo.2.cloud]\n    presume: {project.categories: none}\n")
    path.write_text(demo_pack_text(stated), encoding="utf-8")
    assert "lint-presume-missing" not in [d.code for d in lint_file(path).diagnostics]


def test_an_undetermined_yearly_duty_still_announces_this_years_step() -> None:
    report = check({"project": {"kind": "purchased_service", "classified": False,
                                "phase": "operation"},
                    "funding": {"source": "fiscal", "fiscal_level": "municipal"},
                    "contract": {"signed_on": "2022-03-01"}}, "guiyang")
    assert finding(report, "guiyang.25.annual-security-assessment").status == "undetermined"
    steps = [s for s in report.next_steps if s.action == "security-assessment"]
    assert [(s.kind, s.due) for s in steps] == [("upcoming", date(2026, 3, 1))]


@pytest.mark.parametrize(("started", "status"), [("2019-12-12", "not_applicable"),
                                                 ("2019-12-13", "violated")])
def test_jincheng_building_before_approval_is_judged_on_the_start_day(started: str,
                                                                     status: str) -> None:
    report = check({"project": {"level": "municipal", "phase": "implementation",
                                "start_date": started},
                    "funding": {"source": "fiscal"},
                    "planning": {"project_approval": {"granted_on": "2020-03-01"}}},
                   "jincheng")
    assert finding(report, "jincheng.9.no-build-before-approval").status == status
