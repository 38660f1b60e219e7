"""The Taiyuan and Jincheng packs: validity window, working-day deadlines, consequences,
combined reports, and the example project files."""

from __future__ import annotations

import copy
import itertools
import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from govrules.base.calendar import Calendar
from govrules.cli.main import main
from govrules.engine.evaluate import evaluate, evaluate_all, evaluate_pack
from govrules.model.pack import builtin_pack, parse_pack
from govrules.model.report import Finding, Report
from govrules.model.snapshot import parse_snapshot
from tests.conftest import snapshot_leaves

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def _finding(report: Report, rule: str) -> Finding:
    for finding in report.findings:
        if finding.rule == rule:
            return finding
    raise AssertionError(f"{rule} not in the report: {[f.rule for f in report.findings]}")


# -- Taiyuan: in force 2021-01-01 to 2022-12-31 (art. 21) -----------------------------------

TAIYUAN_BUILT_EARLY: dict[str, Any] = {
    "id": "TY-VALIDITY",
    "city": "taiyuan",
    "project": {"phase": "implementation", "start_date": "2020-11-01"},
    "funding": {"source": "fiscal"},
    "planning": {"project_approval": {"granted_on": "2020-12-01"}},
}


def test_taiyuan_metadata_reads_article_21() -> None:
    meta = builtin_pack("taiyuan").meta
    assert meta.issued == date(2020, 11, 27)
    assert meta.effective == date(2021, 1, 1)
    assert meta.expires == date(2022, 12, 31)
    assert meta.status == "expired"
    assert meta.doc_number == "并政办发〔2020〕44号"
    assert meta.validity_note
    assert "Art. 21" in meta.validity_note


@pytest.mark.parametrize(
    ("as_of", "in_force", "warning"),
    [
        ("2020-12-31", False, "pack-not-yet-in-force"),
        ("2021-01-01", True, None),
        ("2022-12-31", True, None),
        ("2023-01-01", False, "pack-expired"),
    ],
)
def test_taiyuan_validity_edges(as_of: str, in_force: bool, warning: str | None,
                                report_contract: dict[str, Any] | None) -> None:
    """T1: work started and approved before 2021-01-01 is not governed by the measures,
    whatever the check date; the text's own standing on as_of is still reported."""
    report = evaluate(TAIYUAN_BUILT_EARLY, city="taiyuan", as_of=as_of, include_all=True)
    if report_contract is not None:
        jsonschema.validate(report.to_json_dict(), report_contract)
    assert report.pack.in_force_on_as_of is in_force
    assert report.pack.binding is in_force
    codes = [w.code for w in report.warnings]
    if warning is None:
        assert not any(c.startswith("pack-") for c in codes)
        assert "in force" in report.pack.validity
    else:
        assert warning in codes
        assert "not" in report.pack.validity
    finding = _finding(report, "taiyuan.11.no-build-before-approval")
    assert (finding.status, finding.binding) == ("not_applicable", False)
    assert finding.conduct is not None
    assert (finding.conduct.date, finding.conduct.fact) == (date(2020, 11, 1),
                                                            "project.start_date")
    assert finding.cites is not None
    assert finding.cites.label == "第二十一条"
    assert finding.reason is not None
    assert "2021-01-01" in finding.reason.en
    assert finding.details["would_be"] == "violated"
    assert finding.title is not None
    assert finding.title.en in finding.message.en


TAIYUAN_BUILT_IN_WINDOW: dict[str, Any] = {
    **TAIYUAN_BUILT_EARLY, "id": "TY-IN-WINDOW",
    "project": {"phase": "implementation", "start_date": "2021-03-01"},
    "planning": {"project_approval": {"granted_on": "2021-04-15"}},
}


@pytest.mark.parametrize("as_of", ["2021-03-01", "2022-12-31", "2023-01-01", "2025-11-20"])
def test_taiyuan_breach_inside_the_window_binds_after_expiry(
        as_of: str, report_contract: dict[str, Any] | None) -> None:
    report = evaluate(TAIYUAN_BUILT_IN_WINDOW, city="taiyuan", as_of=as_of)
    if report_contract is not None:
        jsonschema.validate(report.to_json_dict(), report_contract)
    finding = _finding(report, "taiyuan.11.no-build-before-approval")
    assert (finding.status, finding.binding) == ("violated", True)
    assert finding.conduct is not None
    assert finding.conduct.date == date(2021, 3, 1)
    assert report.binding is True
    assert report.binding_verdict == "non_compliant"
    assert report.pack.binding is (as_of <= "2022-12-31")


@pytest.mark.parametrize(
    ("start", "status"),
    [("2020-12-31", "not_applicable"), ("2021-01-01", "violated"),
     ("2021-01-02", "violated"), ("2022-12-30", "violated"), ("2022-12-31", "violated"),
     ("2023-01-01", "not_applicable")],
)
def test_taiyuan_conduct_on_the_edges_of_the_window(
        start: str, status: str, report_contract: dict[str, Any] | None) -> None:
    snapshot = {**TAIYUAN_BUILT_EARLY,
                "project": {"phase": "implementation", "start_date": start},
                "planning": {"project_approval": {"granted_on": "2023-03-01"}}}
    report = evaluate(snapshot, city="taiyuan", as_of="2023-06-30", include_all=True)
    if report_contract is not None:
        jsonschema.validate(report.to_json_dict(), report_contract)
    finding = _finding(report, "taiyuan.11.no-build-before-approval")
    assert finding.status == status
    assert finding.binding is (status == "violated")


@pytest.mark.parametrize(
    ("as_of", "snapshot", "code"),
    [
        ("2020-12-31", TAIYUAN_BUILT_EARLY, 0),
        ("2021-01-01", TAIYUAN_BUILT_EARLY, 0),
        ("2023-01-01", TAIYUAN_BUILT_EARLY, 0),
        ("2022-12-31", TAIYUAN_BUILT_IN_WINDOW, 1),
        ("2023-01-01", TAIYUAN_BUILT_IN_WINDOW, 1),
    ],
)
def test_taiyuan_exit_code_fails_on_binding_breaches(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], as_of: str,
        snapshot: dict[str, Any], code: int) -> None:
    path = tmp_path / "ty.json"
    path.write_text(json.dumps(snapshot, ensure_ascii=False), encoding="utf-8")
    result = main(["check", str(path), "--city", "taiyuan", "--as-of", as_of,
                   "--format", "json"])
    (out,) = json.loads(capsys.readouterr().out)
    assert result == code
    assert out["pack"]["binding"] is (as_of in ("2021-01-01", "2022-12-31"))
    breach = [f for f in out["findings"] if f["rule"] == "taiyuan.11.no-build-before-approval"]
    assert bool(breach) is (code == 1)


def test_taiyuan_in_principle_waiver_cites_the_exception() -> None:
    snapshot = {
        "project": {"platform_type": "special_business", "build_type": "new",
                    "phase": "implementation"},
        "funding": {"source": "fiscal"},
        "deployment": {"big_data_platform": False},
        "exceptions": [{"rule": "taiyuan.5.build-on-city-platform", "reason": "专网部署",
                        "approved": True, "approved_by": ["big_data_bureau"],
                        "reference": "并数据函〔2022〕5号"}],
    }
    finding = _finding(evaluate(snapshot, city="taiyuan", as_of="2022-06-30"),
                       "taiyuan.5.build-on-city-platform")
    assert finding.status == "waived"
    assert finding.in_principle
    assert finding.exception is not None
    assert finding.exception.reference == "并数据函〔2022〕5号"


def test_taiyuan_non_fiscal_platform_carries_only_the_general_duties() -> None:
    snapshot = {
        "project": {"platform_type": "special_business", "platform_class": "industry",
                    "build_type": "new", "phase": "operation"},
        "funding": {"source": "non_fiscal", "uses_public_data": True},
        "deployment": {"big_data_platform": False},
    }
    report = evaluate(snapshot, city="taiyuan", as_of="2022-06-30", include_all=True)
    statuses = {f.rule: f.status for f in report.findings}
    assert statuses["taiyuan.7.covered-platforms"] == "satisfied"
    for fiscal_only in ("taiyuan.10.review-before-approval",
                        "taiyuan.11.no-build-before-approval", "taiyuan.16.data-acceptance"):
        assert statuses[fiscal_only] == "not_applicable"
    # Art. 5 has no funding limit: a new industry platform off the city platform breaches it.
    assert statuses["taiyuan.5.build-on-city-platform"] == "violated"
    for general in ("taiyuan.4.security-planned-in-step", "taiyuan.18.om-management-system",
                    "taiyuan.17.data-use-per-rules"):
        assert statuses[general] == "undetermined"


def test_taiyuan_undetermined_lists_the_deciding_facts() -> None:
    snapshot = {"project": {"phase": "implementation"}, "funding": {"source": "fiscal"},
                "planning": {"project_approval": {"granted_on": "2022-03-01"}}}
    finding = _finding(evaluate(snapshot, city="taiyuan", as_of="2022-06-30"),
                       "taiyuan.11.no-build-before-approval")
    assert finding.status == "undetermined"
    # whether work started before approval, and whether before the measures took effect
    assert finding.missing == ["construction.started_on", "project.start_date"]
    assert finding.message.en.startswith("Undetermined: if work started")
    assert "project.start_date" in finding.message.en


def test_taiyuan_upcoming_acceptance_steps_before_acceptance() -> None:
    snapshot = {"project": {"phase": "trial_run"}, "funding": {"source": "fiscal"},
                "construction": {"completed_on": "2022-05-31"}}
    report = evaluate(snapshot, city="taiyuan", as_of="2022-06-30")
    upcoming = {s.action for s in report.next_steps if s.kind == "upcoming"}
    assert {"hold-completion-acceptance", "request-data-acceptance",
            "add-data-to-public-resources"} <= upcoming
    step = next(s for s in report.next_steps if s.action == "request-data-acceptance")
    assert (step.responsible, step.recipient) == ("项目实施单位", "市大数据应用局")


# -- Jincheng: contract filed within 5 working days (art. 15) --------------------------------

def _jincheng_contract(as_of: str, **contract: Any) -> Report:
    snapshot = {"project": {"level": "municipal", "classified": False,
                            "phase": "implementation"},
                "funding": {"source": "fiscal"},
                "contract": {"signed_on": "2025-09-30", **contract}}
    return evaluate(snapshot, city="jincheng", as_of=as_of, include_all=True)


def test_jincheng_metadata() -> None:
    meta = builtin_pack("jincheng").meta
    assert meta.issued == meta.effective == date(2019, 12, 13)
    assert meta.status == "in_force"
    assert meta.expires is None
    assert meta.doc_number == "晋市政办〔2019〕44号"
    assert meta.validity_note
    assert "Art. 32" in meta.validity_note


def test_jincheng_contract_due_date_skips_national_day() -> None:
    # 10-01..10-08 are holidays, 10-11 (Saturday) a make-up working day: 10-09, 10-10, 10-11,
    # 10-13, 10-14 are the five working days after the signing day.
    report = _jincheng_contract("2025-10-14", filed=False)
    finding = _finding(report, "jincheng.15.contract-filed")
    assert finding.status == "satisfied"
    assert finding.due == date(2025, 10, 14)
    steps = [s for s in report.next_steps if s.action == "file-contract"]
    assert len(steps) == 1
    step = steps[0]
    assert step.kind == "upcoming"
    assert step.due == date(2025, 10, 14)
    assert step.overdue is False
    assert (step.responsible, step.recipient) == ("项目实施单位", "市大数据应用局")
    assert step.because == ["jincheng.15.contract-filed"]


def test_jincheng_contract_overdue_the_next_day() -> None:
    report = _jincheng_contract("2025-10-15", filed=False)
    finding = _finding(report, "jincheng.15.contract-filed")
    assert finding.status == "violated"
    assert finding.due == date(2025, 10, 14)
    assert "2025-10-14" in finding.message.zh
    assert "2025-10-14" in finding.message.en
    step = next(s for s in report.next_steps if s.action == "file-contract")
    assert step.kind == "remedial"
    assert step.due == date(2025, 10, 14)
    assert step.overdue is True


def test_jincheng_late_filing_is_violated_but_not_asked_for_again() -> None:
    report = _jincheng_contract("2025-11-20", filed_on="2025-10-15")
    finding = _finding(report, "jincheng.15.contract-filed")
    assert finding.status == "violated"
    assert finding.due == date(2025, 10, 14)
    assert not [s for s in report.next_steps if s.action == "file-contract"]


def test_remedial_step_when_drops_the_step_only_when_known_false() -> None:
    pack = parse_pack(_MINI_PACK.replace("applies_when: acceptance.completion",
                                         "applies_when: 'true'")
                      .replace("kind: upcoming\n        when: project.phase == 'implementation'",
                               "when: not data.catalogue_reviewed"))
    def actions(snapshot: dict[str, Any]) -> list[tuple[str, str]]:
        report = evaluate(snapshot, pack=pack, as_of="2025-01-01")
        return [(s.action, s.kind) for s in report.next_steps]
    assert actions({"data": {"catalogue_compiled": False}}) == [("compile-catalogue", "remedial")]
    assert actions({"data": {"catalogue_compiled": False, "catalogue_reviewed": False}}) == [
        ("compile-catalogue", "remedial")]
    assert actions({"data": {"catalogue_compiled": False, "catalogue_reviewed": True}}) == []


@pytest.mark.parametrize(("filed_on", "status"),
                         [("2025-10-14", "satisfied"), ("2025-10-15", "violated")])
def test_jincheng_contract_filed_on_either_side_of_the_deadline(filed_on: str,
                                                               status: str) -> None:
    report = evaluate(
        {"project": {"level": "municipal", "classified": False, "phase": "implementation"},
         "funding": {"source": "fiscal"},
         "contract": {"signed_on": "2025-09-30", "filed_on": filed_on}},
        city="jincheng", as_of="2025-11-20", include_all=True)
    assert _finding(report, "jincheng.15.contract-filed").status == status


def test_jincheng_unrecorded_filing_is_undetermined_with_its_facts() -> None:
    finding = _finding(_jincheng_contract("2025-11-20"), "jincheng.15.contract-filed")
    assert finding.status == "undetermined"
    assert set(finding.missing) == {"contract.filed", "contract.filed_on"}


def test_jincheng_unknown_due_date_is_rendered_as_unknown() -> None:
    report = evaluate({"project": {"level": "municipal", "classified": False,
                                   "phase": "implementation"},
                       "funding": {"source": "fiscal"}}, city="jincheng", as_of="2025-11-20")
    finding = _finding(report, "jincheng.15.contract-filed")
    assert finding.status == "undetermined"
    assert "{due}" not in finding.message.zh
    assert "{due}" not in finding.message.en
    assert "未知" in finding.message.zh
    assert "unknown" in finding.message.en


# -- Jincheng: acceptance report within 7 working days, and its consequence (art. 21) ---------

def test_jincheng_unfiled_acceptance_report_states_the_consequence() -> None:
    snapshot = {"project": {"level": "municipal", "classified": False, "phase": "operation"},
                "funding": {"source": "fiscal"},
                "acceptance": {"completion_on": "2025-10-31", "report_filed": False}}
    report = evaluate(snapshot, city="jincheng", as_of="2025-11-20")
    finding = _finding(report, "jincheng.21.report-filed")
    assert finding.status == "violated"
    assert finding.due == date(2025, 11, 11)
    assert finding.consequence is not None
    assert "后续建设资金和运行维护费用" in finding.consequence.zh
    assert "财政不再列入预算" in finding.consequence.zh
    assert "budget" in finding.consequence.en
    assert finding.article.label == "第二十一条"
    step = next(s for s in report.next_steps if s.action == "file-acceptance-report")
    assert step.due == date(2025, 11, 11)
    assert step.overdue is True
    dumped = report.to_json_dict()
    as_json = next(f for f in dumped["findings"] if f["rule"] == "jincheng.21.report-filed")
    assert as_json["consequence"]["zh"] == finding.consequence.zh


def test_jincheng_out_of_scope_cites_article_3() -> None:
    report = evaluate({"project": {"level": "county", "classified": False},
                       "funding": {"source": "fiscal"}}, city="jincheng", as_of="2025-11-20")
    assert report.verdict == "not_applicable"
    shown = {f.rule: f for f in report.findings}
    assert shown["jincheng.3.municipal-level"].status == "not_applicable"
    assert shown["jincheng.3.municipal-level"].article.number == 3
    assert not report.next_steps


# -- One snapshot, three packs ---------------------------------------------------------------

COMBINED: dict[str, Any] = {
    "id": "JC-2025-COMBINED",
    "city": "jincheng",
    "project": {"name": "晋城市城市运行数据中台", "level": "municipal", "kind": "construction",
                "classified": False, "phase": "implementation", "start_date": "2025-05-06"},
    "funding": {"source": "fiscal", "fiscal_level": "municipal",
                "mode": "government_investment"},
    "planning": {"technical_review": {"granted_on": "2025-03-20"},
                 "project_approval": {"granted_on": "2025-04-10"}},
    "contract": {"signed_on": "2025-04-30", "filed_on": "2025-05-14"},
}


def test_combined_report_across_three_packs() -> None:
    packs = [builtin_pack(c) for c in ("guiyang", "taiyuan", "jincheng")]
    combined = evaluate_all(COMBINED, packs, as_of="2025-11-20")
    assert [r.pack.id for r in combined.reports] == ["guiyang", "taiyuan", "jincheng"]
    by_id = {r.pack.id: r for r in combined.reports}

    # Guiyang covers only purchased services: out of scope, not a list of violations.
    assert by_id["guiyang"].verdict == "not_applicable"
    assert by_id["guiyang"].binding is True
    assert all(f.status == "not_applicable" for f in by_id["guiyang"].findings)

    # Taiyuan's measures expired on 2022-12-31: the state on 2025-11-20 is conduct after
    # they lapsed; only the procurement, whose date is not recorded, might have fallen
    # inside their window, so that finding alone is undetermined and names the date.
    taiyuan = by_id["taiyuan"]
    assert taiyuan.binding is False
    assert taiyuan.pack.in_force_on_as_of is False
    assert "pack-expired" in {w.code for w in taiyuan.warnings}
    assert taiyuan.verdict == "undetermined"
    (open_finding,) = taiyuan.findings
    assert open_finding.rule == "taiyuan.14.procure-per-review"
    assert "procurement.bid_result_on" in open_finding.missing

    # Jincheng: the contract signed before May Day was filed late (due 2025-05-12).
    jincheng = by_id["jincheng"]
    assert jincheng.binding is True
    assert jincheng.verdict == "non_compliant"
    late = _finding(jincheng, "jincheng.15.contract-filed")
    assert late.status == "violated"
    assert late.due == date(2025, 5, 12)

    assert combined.verdict == "non_compliant"
    assert combined.binding_verdict == "non_compliant"
    assert combined.snapshot_id == "JC-2025-COMBINED"
    assert all(r.snapshot_id == "JC-2025-COMBINED" for r in combined.reports)
    assert all(r.as_of == date(2025, 11, 20) for r in combined.reports)


def test_combined_verdict_is_the_worst_while_taiyuan_binds() -> None:
    packs = [builtin_pack(c) for c in ("guiyang", "taiyuan", "jincheng")]
    snapshot = {**COMBINED, "contract": {"signed_on": "2022-04-29", "filed_on": "2022-05-06"}}
    combined = evaluate_all(snapshot, packs, as_of="2022-06-30")
    verdicts = {r.pack.id: r.verdict for r in combined.reports}
    assert verdicts["guiyang"] == "not_applicable"
    assert {verdicts["taiyuan"], verdicts["jincheng"]} == {"undetermined"}
    assert all(r.binding for r in combined.reports)
    assert combined.verdict == combined.binding_verdict == "undetermined"


# -- Upcoming steps of rules that do not apply yet (engine) ------------------------------------

_MINI_PACK = """
pack: {id: mini, version: "1", city: {zh: 某市, en: Some}, title: {zh: 办法, en: Measures},
       issuer: {zh: 某局, en: Bureau}, status: in_force, source: none.txt}
articles:
  - {number: 1, label: 第一条, text: 项目验收前应编制数据目录。, summary: Catalogue first.}
rules:
  - id: mini.1.catalogue
    article: 1
    quote: 项目验收前应编制数据目录
    applies_when: acceptance.completion
    violated_when: not data.catalogue_compiled
    message: {zh: 未编制数据目录。, en: No catalogue.}
    next_steps:
      - action: compile-catalogue
        kind: upcoming
        when: project.phase == 'implementation'
        text: {zh: 验收前编制数据目录, en: Compile the catalogue before acceptance}
"""


def test_upcoming_step_of_a_rule_that_does_not_apply_yet() -> None:
    pack = parse_pack(_MINI_PACK)
    report = evaluate({"project": {"phase": "implementation"},
                       "acceptance": {"completion": False}}, pack=pack, as_of="2025-01-01")
    assert [(s.action, s.kind) for s in report.next_steps] == [("compile-catalogue", "upcoming")]


def test_upcoming_step_not_shown_out_of_scope_or_when_when_is_false() -> None:
    pack = parse_pack(_MINI_PACK)
    report = evaluate({"project": {"phase": "operation"}, "acceptance": {"completion": False}},
                      pack=pack, as_of="2025-01-01")
    assert report.next_steps == []


def test_guiyang_catalogue_step_is_upcoming_before_acceptance() -> None:
    report = evaluate({"project": {"kind": "purchased_service", "classified": False,
                                   "phase": "implementation"},
                       "funding": {"source": "fiscal", "fiscal_level": "municipal"},
                       "contract": {"signed_on": "2025-01-20"}},
                      city="guiyang", as_of="2025-11-20")
    assert ("compile-data-catalogue", "upcoming") in {(s.action, s.kind)
                                                      for s in report.next_steps}


# -- The example project files ----------------------------------------------------------------

@pytest.mark.parametrize(("name", "city", "as_of"), [
    ("taiyuan-project.yaml", "taiyuan", "2021-06-30"),
    ("jincheng-project.yaml", "jincheng", "2025-11-20"),
])
def test_example_projects_break_at_least_two_articles(name: str, city: str, as_of: str) -> None:
    report = evaluate(EXAMPLES / name, as_of=as_of)
    assert report.pack.id == city
    assert report.binding is True
    assert report.verdict == "non_compliant"
    violated = {f.article.number for f in report.findings if f.status == "violated"}
    assert len(violated) >= 2


def test_example_projects_check_from_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(EXAMPLES / "taiyuan-project.yaml"), "--city", "taiyuan",
                 "--as-of", "2021-06-30"]) == 1
    assert main(["check", str(EXAMPLES / "jincheng-project.yaml"), "--city", "jincheng"]) == 1
    # After the measures lapsed, the breaches committed in 2021 still bind.
    assert main(["check", str(EXAMPLES / "taiyuan-project.yaml"), "--city", "taiyuan",
                 "--as-of", "2023-06-30"]) == 1
    capsys.readouterr()


# -- Information monotonicity, exhaustively over small forgettings ------------------------------

def _forget(data: dict[str, Any], paths: tuple[tuple[str, ...], ...]) -> dict[str, Any]:
    out = copy.deepcopy(data)
    for path in paths:
        node = out
        for key in path[:-1]:
            node = node[key]
        node.pop(path[-1], None)
    return out


@pytest.mark.parametrize("pack_id", ["taiyuan", "jincheng"])
def test_forgetting_one_or_two_facts_never_changes_a_decision(pack_id: str) -> None:
    """Every example, every single fact and every pair of facts forgotten: a decided finding
    may become undetermined, never a different decision."""
    pack = builtin_pack(pack_id)
    calendar = Calendar.default()
    decided = {"violated", "satisfied", "not_applicable", "waived"}
    problems: list[str] = []
    for example in pack.examples:
        full = dict(example.snapshot)
        complete = {f.rule: f.status for f in evaluate_pack(
            pack, parse_snapshot(full), example.as_of, calendar, include_all=True).findings}
        leaves = snapshot_leaves(full)
        for size in (1, 2):
            for dropped in itertools.combinations(leaves, size):
                reduced = evaluate_pack(pack, parse_snapshot(_forget(full, dropped)),
                                        example.as_of, calendar, include_all=True)
                named = {dotted for p in reduced.presumptions
                         if any(p.fact == ".".join(d) for d in dropped)
                         for dotted in (*p.rules, p.clause.id)}
                problems.extend(
                    f"{example.name}: without {dropped}: {f.rule} {complete[f.rule]} -> {f.status}"
                    for f in reduced.findings
                    if f.status in decided and f.status != complete[f.rule]
                    and f.rule not in named)  # the report said it rested on a presumption
    assert not problems, "\n".join(problems[:20])


def test_taiyuan_declared_project_is_told_to_get_the_review_first() -> None:
    report = evaluate({"project": {"phase": "declared"}, "funding": {"source": "fiscal"}},
                      city="taiyuan", as_of="2022-03-01")
    steps = [(s.action, s.kind, s.recipient) for s in report.next_steps]
    assert ("obtain-review-opinion", "upcoming", "市大数据应用局") in steps
    assert _finding(evaluate({"project": {"phase": "declared"}, "funding": {"source": "fiscal"}},
                             city="taiyuan", as_of="2022-03-01", include_all=True),
                    "taiyuan.10.review-before-approval").status == "not_applicable"
