"""The engine: scope, Kleene outcomes, deadlines, periodic reports, waivers, validity."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

import pytest

from govrules.base.calendar import Calendar
from govrules.engine.evaluate import evaluate, evaluate_all
from govrules.model.pack import Pack, builtin_pack
from govrules.model.report import Finding, Report
from tests.conftest import CONTRACT_FILING
from tests.conftest import run_pack as run

MakePack = Callable[[str], Pack]
CAL = Calendar.default()

SCOPE_AND_CLOUD = """
scope:
  - id: demo.1.scope
    article: 1
    quote: 本办法适用于使用财政资金的非涉密项目
    applies_when: funding.source == 'fiscal' and not project.classified
    message: {zh: 不适用, en: Out of scope}
rules:
  - id: demo.2.cloud
    article: 2
    quote: 原则上应使用政务云
    in_principle: true
    violated_when: not deployment.government_cloud
    message: {zh: 未使用政务云, en: "Not on the government cloud ({deployment.government_cloud})"}
    next_steps:
      - action: move-to-cloud
        text: {zh: 迁移上云, en: Move to the government cloud}
        responsible: 项目实施单位
"""

QUARTERLY = """
rules:
  - id: demo.3.quarterly
    article: 3
    quote: 每季度过后7个工作日内报送
    periodic:
      from: project.start_date
      until: project.end_date
      ongoing_when: project.phase == 'implementation'
      records: reports.quarterly_progress
      within: {working_days: 7}
    message: {zh: "缺少季度报告:{periods}", en: "Missing quarterly reports: {periods}"}
    next_steps:
      - action: submit-quarterly
        text: {zh: 报送季度执行情况, en: Submit the quarterly report}
"""


def finding(report: Report, rule: str) -> Finding:
    return next(f for f in report.findings if f.rule == rule)


IN_SCOPE = {"funding": {"source": "fiscal"}, "project": {"classified": False}}


class TestScopeAndKleene:
    @pytest.mark.parametrize(
        ("deployment", "status"),
        [({"government_cloud": False}, "violated"),
         ({"government_cloud": True}, "satisfied"),
         ({}, "undetermined")],
        ids=["false-violates", "true-satisfies", "unknown-undetermined"],
    )
    def test_outcome_follows_the_fact(self, make_pack: MakePack, deployment: dict[str, bool],
                                      status: str) -> None:
        report = run(make_pack(SCOPE_AND_CLOUD), {**IN_SCOPE, "deployment": deployment})
        assert finding(report, "demo.2.cloud").status == status

    def test_undetermined_lists_exactly_the_missing_fact(self, make_pack: MakePack) -> None:
        report = run(make_pack(SCOPE_AND_CLOUD), IN_SCOPE)
        assert finding(report, "demo.2.cloud").missing == ["deployment.government_cloud"]
        assert report.verdict == "undetermined"
        assert [m.fact for m in report.missing_facts] == ["deployment.government_cloud"]
        assert report.missing_facts[0].decides == ["demo.2.cloud"]

    def test_out_of_scope_is_not_applicable_citing_the_scope_article(
            self, make_pack: MakePack) -> None:
        snapshot = {"funding": {"source": "non_fiscal"},
                    "deployment": {"government_cloud": False}}
        report = run(make_pack(SCOPE_AND_CLOUD), snapshot, include_all=False)
        assert report.verdict == "not_applicable"
        assert [f.rule for f in report.findings] == ["demo.1.scope"]
        assert report.findings[0].article.number == 1
        assert report.next_steps == []

    def test_unknown_scope_makes_a_would_be_violation_undetermined(
            self, make_pack: MakePack) -> None:
        report = run(make_pack(SCOPE_AND_CLOUD), {"deployment": {"government_cloud": False}})
        cloud = finding(report, "demo.2.cloud")
        assert cloud.status == "undetermined"
        assert set(cloud.missing) == {"funding.source", "project.classified"}
        assert report.verdict == "undetermined"

    def test_unknown_scope_with_a_satisfied_rule_is_satisfied(self, make_pack: MakePack) -> None:
        report = run(make_pack(SCOPE_AND_CLOUD), {"deployment": {"government_cloud": True}})
        assert finding(report, "demo.2.cloud").status == "satisfied"

    def test_message_interpolates_facts(self, make_pack: MakePack) -> None:
        report = run(make_pack(SCOPE_AND_CLOUD), {**IN_SCOPE, "deployment":
                                                  {"government_cloud": False}})
        assert finding(report, "demo.2.cloud").message.en == "Not on the government cloud (no)"

    def test_default_findings_hide_satisfied_and_not_applicable(
            self, make_pack: MakePack) -> None:
        report = run(make_pack(SCOPE_AND_CLOUD), {**IN_SCOPE, "deployment":
                                                  {"government_cloud": True}}, include_all=False)
        assert report.findings == []
        assert report.verdict == "compliant"
        assert report.counts == {"satisfied": 1}


class TestWaivers:
    EXCEPTION: ClassVar[dict[str, Any]] = {
        "rule": "demo.2.cloud", "reason": "条线业务特殊需要", "approved": True,
        "approved_by": ["big_data_bureau"], "approved_on": "2025-01-05",
        "reference": "示数函〔2025〕1号"}

    def test_approved_exception_waives_an_in_principle_rule(self, make_pack: MakePack) -> None:
        report = run(make_pack(SCOPE_AND_CLOUD), {**IN_SCOPE, "deployment": {
            "government_cloud": False}, "exceptions": [self.EXCEPTION]})
        cloud = finding(report, "demo.2.cloud")
        assert cloud.status == "waived"
        assert cloud.exception is not None
        assert cloud.exception.reference == "示数函〔2025〕1号"
        assert report.verdict == "compliant"
        assert report.next_steps == []

    def test_exception_may_name_the_article(self, make_pack: MakePack) -> None:
        exc = {**self.EXCEPTION, "rule": "demo.2"}
        report = run(make_pack(SCOPE_AND_CLOUD), {**IN_SCOPE, "deployment": {
            "government_cloud": False}, "exceptions": [exc]})
        assert finding(report, "demo.2.cloud").status == "waived"

    @pytest.mark.parametrize(("approved", "status"), [(False, "violated"), (None, "undetermined")],
                             ids=["refused", "pending"])
    def test_unapproved_exception_does_not_waive(self, make_pack: MakePack,
                                                 approved: bool | None, status: str) -> None:
        exc = {k: v for k, v in self.EXCEPTION.items() if k not in {"approved", "approved_on"}}
        if approved is not None:
            exc["approved"] = approved
        report = run(make_pack(SCOPE_AND_CLOUD), {**IN_SCOPE, "deployment": {
            "government_cloud": False}, "exceptions": [exc]})
        cloud = finding(report, "demo.2.cloud")
        assert cloud.status == status
        if status == "undetermined":
            assert cloud.missing == ["exceptions[0].approved"]

    def test_exception_to_a_strict_rule_is_ignored_with_a_warning(
            self, make_pack: MakePack) -> None:
        pack = make_pack(SCOPE_AND_CLOUD.replace("in_principle: true", "in_principle: false"))
        report = run(pack, {**IN_SCOPE, "deployment": {"government_cloud": False},
                            "exceptions": [self.EXCEPTION]})
        assert finding(report, "demo.2.cloud").status == "violated"
        assert [w.code for w in report.warnings] == ["exception-not-allowed"]


class TestDeadlines:
    @pytest.mark.parametrize(
        ("contract", "as_of", "status", "due"),
        [
            ({"signed_on": "2025-09-30", "filed_on": "2025-10-14"}, "2025-11-20", "satisfied",
             "2025-10-14"),
            ({"signed_on": "2025-09-30", "filed_on": "2025-10-15"}, "2025-11-20", "violated",
             "2025-10-14"),
            ({"signed_on": "2025-09-30", "filed": False}, "2025-10-14", "satisfied", "2025-10-14"),
            ({"signed_on": "2025-09-30", "filed": False}, "2025-10-15", "violated", "2025-10-14"),
            ({"signed_on": "2025-09-30"}, "2025-10-15", "undetermined", "2025-10-14"),
            ({"signed_on": "2025-09-30"}, "2025-10-10", "satisfied", "2025-10-14"),
            ({"signed_on": "2025-09-30", "filed": True}, "2025-10-20", "undetermined",
             "2025-10-14"),
        ],
        ids=["on-time", "late", "pending-last-day", "overdue", "unknown-after-due",
             "unknown-before-due", "filed-date-unknown"],
    )
    def test_golden_week_deadline(self, make_pack: MakePack, contract: dict[str, Any],
                                  as_of: str, status: str, due: str) -> None:
        report = run(make_pack(CONTRACT_FILING), {"contract": contract}, as_of)
        result = finding(report, "demo.2.contract-filed")
        assert result.status == status
        assert str(result.due) == due

    def test_overdue_gives_a_remedial_step_with_its_due_date(self, make_pack: MakePack) -> None:
        report = run(make_pack(CONTRACT_FILING),
                     {"contract": {"signed_on": "2025-09-30", "filed": False}}, "2025-10-20")
        (step,) = report.next_steps
        assert (step.kind, str(step.due), step.overdue) == ("remedial", "2025-10-14", True)
        assert step.because == ["demo.2.contract-filed"]
        assert finding(report, "demo.2.contract-filed").message.en == \
            "Contract not filed by 2025-10-14"

    def test_pending_gives_an_upcoming_step(self, make_pack: MakePack) -> None:
        report = run(make_pack(CONTRACT_FILING),
                     {"contract": {"signed_on": "2025-09-30"}}, "2025-10-09")
        (step,) = report.next_steps
        assert (step.kind, str(step.due), step.overdue) == ("upcoming", "2025-10-14", False)

    def test_unknown_trigger_is_undetermined(self, make_pack: MakePack) -> None:
        report = run(make_pack(CONTRACT_FILING), {"contract": {"filed": False}})
        result = finding(report, "demo.2.contract-filed")
        assert result.status == "undetermined"
        assert "contract.signed_on" in result.missing

    def test_year_without_calendar_data_warns(self, make_pack: MakePack) -> None:
        report = run(make_pack(CONTRACT_FILING),
                     {"contract": {"signed_on": "2031-09-30", "filed": False}}, "2031-12-01")
        assert "calendar-year-missing" in [w.code for w in report.warnings]
        assert str(finding(report, "demo.2.contract-filed").due) == "2031-10-07"


class TestPeriodic:
    def test_every_quarter_gets_a_due_date_and_missing_ones_are_flagged(
            self, make_pack: MakePack) -> None:
        snapshot = {"project": {"start_date": "2025-01-10", "phase": "implementation"},
                    "reports": {"quarterly_progress": [
            {"period": "2025Q1", "submitted_on": "2025-04-09"},
            {"period": "2025Q2", "submitted_on": "2025-07-15"},
        ]}}
        report = run(make_pack(QUARTERLY), snapshot, "2025-11-20")
        result = finding(report, "demo.3.quarterly")
        assert result.status == "violated"
        assert result.details["late"] == ["2025Q2"]
        assert result.details["missing"] == ["2025Q3"]
        steps = {(s.kind, s.text.en, str(s.due), s.overdue) for s in report.next_steps}
        # Q3 ends 09-30: Oct 1-8 are off and Sat Oct 11 is a make-up working day, so the 7th
        # working day after is Thu Oct 16.
        assert ("remedial", "Submit the quarterly report (2025Q3)", "2025-10-16", True) in steps
        assert ("upcoming", "Submit the quarterly report (2025Q4)", "2026-01-12", False) in steps
        assert result.message.en == "Missing quarterly reports: 2025Q3, 2025Q2"

    def test_unknown_end_of_a_project_not_known_to_be_running_is_undetermined(
            self, make_pack: MakePack) -> None:
        snapshot = {"project": {"start_date": "2025-01-10"},
                    "reports": {"quarterly_progress": [
                        {"period": "2025Q1", "submitted_on": "2025-04-09"}]}}
        result = finding(run(make_pack(QUARTERLY), snapshot), "demo.3.quarterly")
        assert result.status == "undetermined"
        assert result.missing == ["project.end_date", "project.phase"]

    def test_unknown_report_list_is_undetermined(self, make_pack: MakePack) -> None:
        report = run(make_pack(QUARTERLY), {"project": {"start_date": "2025-01-10",
                                                        "phase": "implementation"}})
        result = finding(report, "demo.3.quarterly")
        assert (result.status, result.missing) == ("undetermined", ["reports.quarterly_progress"])

    def test_ended_project_owes_no_further_quarters(self, make_pack: MakePack) -> None:
        snapshot = {"project": {"start_date": "2025-01-10", "end_date": "2025-03-31"},
                    "reports": {"quarterly_progress": [
                        {"period": "2025Q1", "submitted_on": "2025-04-09"}]}}
        assert finding(run(make_pack(QUARTERLY), snapshot), "demo.3.quarterly").status == \
            "satisfied"


class TestValidity:
    TAIYUAN_LIKE = """
    rules:
      - id: demo.2.cloud
        article: 2
        quote: 原则上应使用政务云
        violated_when: not deployment.government_cloud
        message: {zh: 未使用政务云, en: Not on the cloud}
    """

    def pack(self, make_pack: MakePack, **meta: str) -> Pack:
        from govrules.model.pack import parse_pack
        from tests.conftest import HEADER, demo_pack_text

        header = HEADER
        for key, value in meta.items():
            header = header.replace("  status: in_force\n",
                                    f"  status: in_force\n  {key}: {value}\n")
        if meta.get("status"):
            header = header.replace("  status: in_force\n", "")
        return parse_pack(demo_pack_text(self.TAIYUAN_LIKE, header), "demo.yaml")

    @pytest.mark.parametrize(
        ("as_of", "in_force"),
        [("2019-12-31", False), ("2020-01-01", True), ("2021-12-31", True), ("2022-01-01", False)],
        ids=["day-before", "first-day", "last-day", "day-after"],
    )
    def test_validity_window_edges(self, make_pack: MakePack, as_of: str,
                                   in_force: bool) -> None:
        pack = self.pack(make_pack, expires="2021-12-31")
        report = run(pack, {"deployment": {"government_cloud": False}}, as_of)
        assert report.pack.in_force_on_as_of is in_force
        assert report.binding is in_force
        result = finding(report, "demo.2.cloud")
        # The state on as_of is the conduct: outside the window the text does not govern
        # it, and the finding says what it would have required.
        if in_force:
            assert (result.status, result.binding) == ("violated", True)
        else:
            assert (result.status, result.binding) == ("not_applicable", False)
            assert result.details["would_be"] == "violated"
            assert result.reason is not None
            assert as_of in result.reason.en
        assert bool(report.warnings) is not in_force

    def test_draft_is_never_binding(self, make_pack: MakePack) -> None:
        pack = self.pack(make_pack, status="draft",
                         comment_period="{from: 2023-09-07, to: 2023-10-07}")
        report = run(pack, {"deployment": {"government_cloud": False}})
        assert (report.binding, report.pack.status) == (False, "draft")
        assert report.warnings[0].code == "pack-draft"

    def test_unknown_effective_date_is_in_force_with_a_warning(self) -> None:
        report = evaluate({}, city="guiyang", as_of="2025-01-01")
        assert report.binding
        assert "pack-effective-date-unknown" in [w.code for w in report.warnings]


class TestApi:
    def test_evaluate_accepts_dict_path_and_model(self) -> None:
        path = "examples/guiyang-violations.yaml"
        from govrules.model.snapshot import load_snapshot

        by_path = evaluate(path, city="guiyang")
        by_model = evaluate(load_snapshot(path), city="guiyang")
        # The same report; only the receipt knows the file (and its bytes' hash).
        assert by_path.model_copy(update={"receipt": None}) == \
            by_model.model_copy(update={"receipt": None})
        assert by_path.receipt
        assert by_model.receipt
        assert by_path.receipt.snapshot.canonical_sha256 == \
            by_model.receipt.snapshot.canonical_sha256
        assert by_path.receipt.snapshot.source == path
        assert by_path.receipt.snapshot.sha256
        assert by_model.receipt.snapshot.sha256 is None
        assert by_path.verdict == "non_compliant"
        assert by_path.as_of == date(2025, 11, 20)  # from the snapshot

    def test_as_of_argument_overrides_the_snapshot(self) -> None:
        report = evaluate("examples/guiyang-violations.yaml", as_of="2026-01-05")
        assert report.as_of == date(2026, 1, 5)

    def test_evaluation_is_deterministic_and_does_not_mutate_input(self) -> None:
        data = {"project": {"kind": "purchased_service", "classified": False},
                "funding": {"source": "fiscal", "fiscal_level": "municipal"},
                "deployment": {"government_cloud": False}}
        before = repr(data)
        first = evaluate(data, city="guiyang", as_of="2025-11-20")
        second = evaluate(data, city="guiyang", as_of="2025-11-20")
        assert first == second
        assert repr(data) == before

    def test_combined_report_takes_the_worst_verdict(self, make_pack: MakePack) -> None:
        demo = make_pack(SCOPE_AND_CLOUD)
        combined = evaluate_all({**IN_SCOPE, "deployment": {"government_cloud": True}},
                                [demo, builtin_pack("guiyang")], as_of="2025-11-20")
        assert [r.pack.id for r in combined.reports] == ["demo", "guiyang"]
        assert combined.reports[0].verdict == "compliant"
        assert combined.verdict == combined.reports[1].verdict

    def test_packs_are_compiled_once(self) -> None:
        assert builtin_pack("guiyang") is builtin_pack("guiyang")
