"""Decisions pinned exactly: what the mutation run of ``engine/decide`` showed unpinned.

Every field of a :class:`RuleDecision` where the report reads it: the waiver's approval,
the value ``applies`` had, the reason and citation of an exception, the presumptions a
rule out of application does not record, conduct before the text began (as_of cited),
binding force when the conduct date is unknown, conduct known only to the month, a rule
in two versions, the calendar and the backend :func:`decide` uses.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from govrules import lang as expr
from govrules.base.calendar import Calendar
from govrules.engine.backends import get_backend
from govrules.engine.decide import RuleDecision, decide, decide_in
from govrules.model.pack import Pack, parse_pack
from govrules.model.report import RecordedExceptionRef, Text
from govrules.model.snapshot import parse_snapshot
from tests.conftest import CONTRACT_FILING, EMERGENCY_EXCEPTION, HEADER, demo_pack_text

AS_OF = date(2025, 11, 20)
QUOTE_2 = "项目实施单位应在签订合同5个工作日内将合同报备案"


def _pack(body: str, header: str = HEADER) -> Pack:
    return parse_pack(demo_pack_text(body, header), "demo.yaml")


def _with(header: str = HEADER, **lines: str) -> str:
    """The header with its ``effective:`` line replaced by ``lines`` (key: value)."""
    text = "".join(f"  {key}: {value}\n" for key, value in lines.items())
    return header.replace("  effective: 2020-01-01\n", text)


def _rule(pack: Pack, record: dict[str, Any], rule: str, as_of: date = AS_OF,
          **options: Any) -> RuleDecision:
    decisions = decide(pack, parse_snapshot(record), as_of, **options)
    return next(r for r in decisions.rules if r.rule.id == rule)


CLOUD = """
  - id: demo.2.cloud
    article: 2
    quote: 原则上应使用政务云
    in_principle: true
    applies_when: contract.signed
    violated_when: not deployment.government_cloud
    message: {zh: 未上云, en: Not on the cloud}
"""


def test_the_waiver_carries_the_approval_after_exceptions_for_other_rules() -> None:
    record = {"contract": {"signed": True}, "deployment": {"government_cloud": False},
              "exceptions": [
                  {"rule": "demo.3", "reason": "另一条", "approved": True},
                  {"rule": "demo.2.cloud", "reason": "专网", "approved": True,
                   "approved_on": "2025-01-20", "approved_by": ["big_data_bureau"],
                   "reference": "示字〔2025〕3号"}]}
    cloud = _rule(_pack("rules:" + CLOUD), record, "demo.2.cloud")
    assert cloud.status == "waived"
    assert cloud.waiver == RecordedExceptionRef(
        index=1, reason="专网", approved_by=["big_data_bureau"], approved_on=date(2025, 1, 20),
        reference="示字〔2025〕3号")


def test_a_decision_keeps_the_value_applies_had() -> None:
    pack = _pack("rules:" + CLOUD)
    off = _rule(pack, {"contract": {"signed": False}}, "demo.2.cloud")
    assert (off.status, off.applies) == ("not_applicable", False)
    assert off.applies is False
    unsure = _rule(pack, {"deployment": {"government_cloud": False}}, "demo.2.cloud")
    assert unsure.status == "undetermined"
    assert isinstance(unsure.applies, expr.Unknown)
    assert unsure.applies.missing == frozenset({"contract.signed"})
    breach = _rule(pack, {"contract": {"signed": True},
                          "deployment": {"government_cloud": False}}, "demo.2.cloud")
    assert (breach.status, breach.applies) == ("violated", True)
    assert breach.applies is True


EXCEPTION = """
exceptions:
  - id: demo.1.classified
    article: 1
    quote: 本办法适用于使用财政资金的非涉密项目
    when: project.classified
    rules: [demo.2.cloud]
    message: {zh: 涉密项目不适用, en: Classified projects are outside it}
rules:
"""


def test_an_excepted_rule_gives_the_exception_s_message_and_article() -> None:
    cloud = _rule(_pack(EXCEPTION + CLOUD), {"project": {"classified": True},
                                             "contract": {"signed": True}}, "demo.2.cloud")
    assert (cloud.status, cloud.binding) == ("not_applicable", True)
    assert cloud.reason == Text(zh="涉密项目不适用", en="Classified projects are outside it")
    assert cloud.cites is not None
    assert (cloud.cites.number, cloud.cites.label, cloud.cites.quote) == (
        1, "第一条", "本办法适用于使用财政资金的非涉密项目")


def test_a_rule_that_does_not_apply_presumes_nothing_of_a_silent_exception() -> None:
    pack = _pack(EXCEPTION + CLOUD)
    off = _rule(pack, {"contract": {"signed": False}}, "demo.2.cloud")
    assert (off.status, off.presumed) == ("not_applicable", ())
    on = _rule(pack, {"contract": {"signed": True}, "deployment": {"government_cloud": False}},
               "demo.2.cloud")
    assert (on.status, on.presumed) == ("violated", ("demo.1.classified",))


def test_decide_in_presumes_silent_exceptions_unless_told_to_be_strict() -> None:
    pack = _pack(EXCEPTION + CLOUD)
    snapshot = parse_snapshot({"contract": {"signed": True},
                               "deployment": {"government_cloud": False}})
    ctx = expr.EvalContext(root=snapshot, as_of=AS_OF, calendar=Calendar.default())
    decider = get_backend("native").decider(pack, ctx)
    (cloud,) = decide_in(pack, snapshot, ctx, decider).rules
    assert (cloud.status, cloud.presumed) == ("violated", ("demo.1.classified",))
    (strict,) = decide_in(pack, snapshot, ctx, decider, strict_presumptions=True).rules
    assert (strict.status, strict.missing) == ("undetermined",
                                               frozenset({"project.classified"}))


TWO_SCOPES = """
scope:
  - id: demo.1.fiscal
    article: 1
    quote: 本办法适用于使用财政资金的非涉密项目
    applies_when: funding.source == 'fiscal'
    message: {zh: 非财政资金, en: Not fiscal}
  - id: demo.1.open
    article: 1
    quote: 本办法适用于使用财政资金的非涉密项目
    applies_when: not project.classified
    message: {zh: 涉密, en: Classified}
rules:
  - id: demo.2.cloud
    article: 2
    quote: 原则上应使用政务云
    violated_when: not deployment.government_cloud
    message: {zh: 未上云, en: Not on the cloud}
"""


def test_every_scope_clause_counts_not_only_the_last() -> None:
    record = {"project": {"classified": False}, "deployment": {"government_cloud": False}}
    cloud = _rule(_pack(TWO_SCOPES), record, "demo.2.cloud")
    assert (cloud.status, cloud.missing) == ("undetermined", frozenset({"funding.source"}))


# -- conduct before the text began: as_of is the day judged -------------------------------------

UNDATED_FILING = CONTRACT_FILING + """
  - id: demo.3.quarterly
    article: 3
    quote: 每季度过后7个工作日内报送
    periodic:
      from: project.start_date
      records: reports.quarterly_progress
      within: {working_days: 7}
    message: {zh: "缺{periods}", en: "Missing {periods}"}
"""


def test_before_the_text_begins_nothing_is_governed_and_as_of_is_cited() -> None:
    pack = _pack(UNDATED_FILING, _with(effective="2030-01-01", validity_article="1"))
    record = {"contract": {"filed": False}, "project": {"start_date": "2025-01-01"},
              "reports": {"quarterly_progress": []}}
    reason = Text(zh="行为日期2025-11-20早于本办法施行日期2030-01-01:不适用本办法。",
                  en="The conduct on 2025-11-20 predates the text, in force from 2030-01-01: "
                     "it is not governed by it.")
    for rule, would_be in (("demo.2.contract-filed", "undetermined"),
                           ("demo.3.quarterly", "satisfied")):
        decision = _rule(pack, record, rule)
        assert (decision.status, decision.binding, decision.conduct, decision.conduct_fact,
                decision.reason, decision.would_be) == (
            "not_applicable", False, AS_OF, "as_of", reason, would_be), rule
        assert decision.applies is False
        assert decision.cites is not None
        assert (decision.cites.number, decision.cites.label) == (1, "第一条")
        assert decision.rule is pack.rules_by_id[rule]


def test_before_the_earliest_day_an_undated_text_can_be_in_force() -> None:
    pack = _pack(UNDATED_FILING, _with(not_before="2030-01-01"))
    decision = _rule(pack, {"contract": {"filed": False}}, "demo.2.contract-filed")
    assert (decision.status, decision.conduct, decision.conduct_fact, decision.cites) == (
        "not_applicable", AS_OF, "as_of", None)
    assert decision.reason is not None
    assert decision.reason.en == ("The conduct on 2025-11-20 predates the earliest day the "
                                  "text can have been in force (2030-01-01): it is not "
                                  "governed by it. ")


# -- binding force when the conduct date is unknown ----------------------------------------------


def test_an_unknown_conduct_binds_as_the_text_does_and_a_recurring_duty_always() -> None:
    record = {"contract": {"filed": False}, "project": {"start_date": "2021-01-01"},
              "reports": {"quarterly_progress": []}}
    lapsed = _pack(UNDATED_FILING, _with(effective="2020-01-01", expires="2021-12-31"))
    filing = _rule(lapsed, record, "demo.2.contract-filed", as_of=date(2024, 1, 10))
    assert (filing.status, filing.binding, filing.conduct) == ("undetermined", False, None)
    quarterly = _rule(lapsed, record, "demo.3.quarterly", as_of=date(2024, 1, 10))
    assert (quarterly.status, quarterly.binding, quarterly.conduct_fact) == (
        "violated", True, None)
    in_force = _pack(UNDATED_FILING)
    filing = _rule(in_force, record, "demo.2.contract-filed")
    assert (filing.status, filing.binding) == ("undetermined", True)


def test_a_recurring_duty_is_owed_only_inside_the_text_s_window() -> None:
    pack = _pack(UNDATED_FILING, _with(effective="2020-01-01", expires="2021-12-31"))
    record = {"project": {"start_date": "2021-07-01"}, "reports": {"quarterly_progress": []}}
    quarterly = _rule(pack, record, "demo.3.quarterly", as_of=date(2023, 1, 20))
    assert quarterly.periods is not None
    assert [str(q) for q in quarterly.periods.missing] == ["2021Q3", "2021Q4"]
    filed = {"project": {"start_date": "2021-07-01"}, "reports": {"quarterly_progress": [
        {"period": "2021Q3", "submitted_on": "2021-10-11"},
        {"period": "2021Q4", "submitted_on": "2022-01-10"}]}}
    satisfied = _rule(pack, filed, "demo.3.quarterly", as_of=date(2023, 1, 20))
    assert satisfied.status == "satisfied"
    assert satisfied.periods is not None
    assert [str(q) for q in satisfied.periods.periods] == ["2021Q3", "2021Q4"]


WAIVABLE_DATED = """
rules:
  - id: demo.2.cloud
    article: 2
    quote: 原则上应使用政务云
    in_principle: true
    conduct: contract.signed_on
    violated_when: not deployment.government_cloud
    message: {zh: 未上云, en: Not on the cloud}
"""


def test_an_unknown_conduct_date_leaves_a_waiver_or_an_open_question_undetermined() -> None:
    pack = _pack(WAIVABLE_DATED, _with(effective="2020-01-01", expires="2030-06-30"))
    waived = {"deployment": {"government_cloud": False},
              "exceptions": [{"rule": "demo.2.cloud", "reason": "r", "approved": True}]}
    cloud = _rule(pack, waived, "demo.2.cloud")
    assert (cloud.status, cloud.waiver, cloud.missing) == (
        "undetermined", None, frozenset({"contract.signed_on"}))
    cloud = _rule(pack, {}, "demo.2.cloud")
    assert (cloud.status, cloud.missing) == (
        "undetermined", frozenset({"contract.signed_on", "deployment.government_cloud"}))


# -- a rule in two versions --------------------------------------------------------------------

VERSIONS = """
rules:
  - id: demo.2.filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    repealed: 2024-01-15
    conduct: contract.signed_on
    violated_when: not contract.filed
    message: {zh: 未备案, en: Not filed}
  - id: demo.2.filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    effective: 2024-01-15
    conduct: contract.signed_on
    violated_when: not contract.filed and not deployment.government_cloud
    message: {zh: 未备案, en: Not filed}
"""


def test_with_two_versions_an_unknown_conduct_date_matters_even_in_an_undated_text() -> None:
    pack = _pack(VERSIONS, _with())
    assert len(pack.rules_by_id["demo.2.filed"].all_versions) == 2
    rule = _rule(pack, {"contract": {"filed": False}, "deployment": {"government_cloud": False}},
                 "demo.2.filed")
    assert (rule.status, rule.missing) == ("undetermined", frozenset({"contract.signed_on"}))


LATER_RULE = """
rules:
  - id: demo.2.filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    effective: 2026-01-01
    conduct: contract.signed_on
    violated_when: not contract.filed
    message: {zh: 未备案, en: Not filed}
"""


def test_a_rule_not_yet_in_force_with_an_unknown_conduct_date_is_still_judged() -> None:
    pack = _pack(LATER_RULE)
    rule = _rule(pack, {"contract": {"filed": False}}, "demo.2.filed")
    assert rule.rule is pack.rules_by_id["demo.2.filed"]
    assert (rule.status, rule.missing) == ("undetermined", frozenset({"contract.signed_on"}))
    dated = _rule(pack, {"contract": {"filed": False, "signed_on": "2025-03-03"}},
                  "demo.2.filed")
    assert (dated.status, dated.conduct, dated.binding) == ("not_applicable",
                                                            date(2025, 3, 3), False)


# -- conduct known only to the month -------------------------------------------------------------

MONTHLY = """
rules:
  - id: demo.2.filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    conduct: contract.signed_on
    violated_when: not contract.filed
    message: {zh: 未备案, en: Not filed}
"""


@pytest.fixture(scope="module")
def repealed() -> Pack:
    return _pack(MONTHLY, _with(effective="2020-01-01", repealed="2024-12-15"))


def _monthly(pack: Pack, month: str) -> RuleDecision:
    return _rule(pack, {"contract": {"filed": False, "signed_on": month}}, "demo.2.filed")


def test_a_month_inside_the_text_is_judged_but_no_day_is_shown(repealed: Pack) -> None:
    inside = _monthly(repealed, "2024-06")
    assert (inside.status, inside.conduct, inside.conduct_fact, inside.binding,
            inside.reason) == ("violated", None, "contract.signed_on", True, None)


def test_a_month_across_the_repeal_is_undetermined(repealed: Pack) -> None:
    across = _monthly(repealed, "2024-12")
    assert (across.status, across.missing, across.conduct, across.reason) == (
        "undetermined", frozenset({"contract.signed_on"}), None, None)


def test_a_month_outside_the_text_is_named_in_the_reason(repealed: Pack) -> None:
    after = _monthly(repealed, "2025-02")
    assert (after.status, after.conduct, after.would_be, after.binding) == (
        "not_applicable", None, "violated", False)
    assert after.reason == Text(
        zh="行为日期2025-02在本办法废止(2024-12-15)之后:不适用本办法。",
        en="The conduct on 2025-02 is after the text was repealed on 2024-12-15: it is not "
           "governed by it.")
    before = _monthly(repealed, "2019-11")
    assert before.reason is not None
    assert before.reason.en == ("The conduct on 2019-11 predates the text, in force from "
                                "2020-01-01: it is not governed by it.")


def test_a_month_across_two_versions_of_the_rule_is_undetermined() -> None:
    pack = _pack(VERSIONS)  # the second version from 2024-01-15

    def month(signed_on: str, cloud: bool = True) -> RuleDecision:
        return _rule(pack, {"contract": {"filed": False, "signed_on": signed_on},
                            "deployment": {"government_cloud": cloud}}, "demo.2.filed")

    across = month("2024-01", cloud=False)
    assert (across.status, across.missing, across.conduct) == (
        "undetermined", frozenset({"contract.signed_on"}), None)
    first, second = month("2023-12"), month("2024-02")
    assert (first.status, first.conduct, first.rule.spec.repealed) == (
        "violated", None, date(2024, 1, 15))
    assert (second.status, second.conduct, second.rule.spec.effective) == (
        "satisfied", None, date(2024, 1, 15))


# -- the calendar and the backend -----------------------------------------------------------------


def test_decide_counts_working_days_on_the_calendar_it_is_given() -> None:
    pack = _pack(CONTRACT_FILING)
    record = parse_snapshot({"contract": {"signed_on": "2025-09-26", "filed": True,
                                          "filed_on": "2025-10-09"}})
    (official,) = decide(pack, record, AS_OF).rules
    assert official.status == "satisfied"  # National Day is not counted: due 2025-10-10
    plain = Calendar.load(builtin=False)  # Monday to Friday: due 2025-10-03
    (late,) = decide(pack, record, AS_OF, calendar=plain).rules
    assert late.status == "violated"


def test_decide_hands_the_pack_to_its_backend() -> None:
    pack = _pack(CONTRACT_FILING)
    record = parse_snapshot({"contract": {"signed_on": "2025-09-26", "filed": False}})
    (rule,) = decide(pack, record, AS_OF, backend="durable").rules
    assert (rule.status, rule.conduct) == ("violated", date(2025, 9, 26))


PACK_WIDE = """
exceptions:
  - id: demo.1.classified
    article: 1
    quote: 本办法适用于使用财政资金的非涉密项目
    when: project.classified
    message: {zh: 涉密项目不适用, en: Classified projects are outside it}
rules:
""" + CLOUD


def test_an_exception_for_the_whole_text_takes_the_project_out_without_a_reason_per_rule(
        ) -> None:
    decisions = decide(_pack(PACK_WIDE), parse_snapshot({"project": {"classified": True},
                                                          "contract": {"signed": True}}), AS_OF)
    assert decisions.scope_out
    (cloud,) = decisions.rules
    assert (cloud.status, cloud.binding, cloud.reason, cloud.cites, cloud.applies) == (
        "not_applicable", True, None, None, False)


# -- a waiver beside a silent exception, on the short and the full path --------------------------

SILENT_EXCEPTION = EMERGENCY_EXCEPTION + "rules:" + CLOUD


@pytest.mark.parametrize("dated", [False, True], ids=["on-as-of", "dated"])
def test_a_waiver_is_kept_beside_a_presumed_exception(dated: bool) -> None:
    """The record is silent on the emergency exception (presumed not to apply, recorded)
    and an approved recorded exception waives the in-principle breach."""
    body = SILENT_EXCEPTION.replace(
        "    in_principle: true\n",
        "    in_principle: true\n    conduct: contract.signed_on\n" if dated else
        "    in_principle: true\n")
    record: dict[str, Any] = {
        "contract": {"signed": True}, "deployment": {"government_cloud": False},
        "exceptions": [{"rule": "demo.2.cloud", "reason": "专网", "approved": True}]}
    if dated:
        record["contract"]["signed_on"] = "2025-03-01"
    cloud = _rule(_pack(body), record, "demo.2.cloud")
    assert (cloud.status, cloud.presumed) == ("waived", ("demo.1.emergency",))
    assert cloud.waiver == RecordedExceptionRef(index=0, reason="专网", approved_by=[])
    assert (cloud.conduct, cloud.conduct_fact) == (
        (date(2025, 3, 1), "contract.signed_on") if dated else (AS_OF, "as_of"))


def test_what_of_the_law_of_the_time_can_matter_is_set_with_the_rule() -> None:
    cloud = _pack("rules:" + CLOUD).rule("demo.2.cloud")
    assert (cloud.timeless, cloud.plain) == (True, True)
    amended = _pack(VERSIONS).rule("demo.2.filed")
    assert amended.earlier
    assert (amended.timeless, amended.plain) == (False, False)
    dated = _pack(WAIVABLE_DATED).rule("demo.2.cloud")
    assert (dated.timeless, dated.plain) == (True, False)
