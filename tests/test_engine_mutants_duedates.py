"""Explained due dates pinned exactly: what the mutation run of ``engine/duedates`` showed
unpinned.

The explanation of each kind of period (working days, calendar days, months, years, a
quarter's end), the article version cited on the evaluation date, the event compiled
once per pack and rule, the steps that get an explanation and the ones that keep theirs,
and the text of an explanation without its day lists.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from govrules.base.calendar import Calendar, Quarter
from govrules.engine.duedates import _after, describe, explain_due, explain_step_due, explain_steps
from govrules.engine.evaluate import evaluate_pack
from govrules.model.pack import Pack, parse_pack
from govrules.model.report import NextStep, Report
from govrules.model.snapshot import Snapshot, parse_snapshot
from tests.conftest import HEADER, demo_pack_text

CAL = Calendar.default()

_ARTICLE_2 = ("    summary: File the contract within 5 working days; use the government cloud "
              "in principle.\n")
VERSIONED = HEADER.replace(_ARTICLE_2, _ARTICLE_2 + "    repealed: 2025-01-01\n"
                           "  - number: 2\n    label: 第二条(修订)\n"
                           "    text: 项目实施单位应在签订合同5个工作日内将合同报备案。"
                           "原则上应使用政务云。\n"
                           "    summary: Revised.\n    effective: 2025-01-01\n")
"""The demo header with article 2 in two versions: 第二条 to 2024, 第二条(修订) from 2025."""

QUOTE_2 = "项目实施单位应在签订合同5个工作日内将合同报备案"
QUOTE_3 = "每季度过后7个工作日内报送"


def _deadline(rule: str, after: str, within: str) -> str:
    return f"""
  - id: demo.2.{rule}
    article: 2
    quote: {QUOTE_2}
    deadline:
      after: "{after}"
      within: {within}
      done_on: contract.filed_on
    message: {{zh: "未按期({{due}})", en: "Late ({{due}})"}}
    next_steps:
      - action: {rule}
        text: {{zh: 办理, en: Act}}
"""


BODY = "rules:" + "".join([
    _deadline("filed", "contract.signed_on", "{working_days: 5}"),
    _deadline("one", "contract.signed_on", "{working_days: 1}"),
    _deadline("days", "min(working_days_after(contract.signed_on, 1), as_of)", "{days: 30}"),
    _deadline("months", "contract.signed_on", "{months: 1}"),
    _deadline("years", "contract.signed_on", "{years: 1}"),
]) + f"""
  - id: demo.3.quarterly
    article: 3
    quote: {QUOTE_3}
    periodic:
      from: project.start_date
      until: project.end_date
      records: reports.quarterly_progress
      within: {{working_days: 7}}
    message: {{zh: "缺{{periods}}", en: "Missing {{periods}}"}}
    next_steps:
      - action: quarterly
        text: {{zh: 报送, en: Report}}
"""


def _pack() -> Pack:
    return parse_pack(demo_pack_text(BODY, VERSIONED), "demo.yaml")


def _snapshot(signed_on: str = "2025-01-31") -> Snapshot:
    return parse_snapshot({
        "contract": {"signed": True, "signed_on": signed_on, "filed": False},
        "project": {"start_date": "2025-07-01", "end_date": "2026-06-30"},
        "reports": {"quarterly_progress": []}})


def _explain(pack: Pack, rule: str, due: date, *, as_of: date = date(2025, 3, 1),
             snapshot: Snapshot | None = None, period: Quarter | None = None
             ) -> dict[str, Any] | None:
    return explain_due(pack.rules_by_id[rule], pack, snapshot or _snapshot(), CAL, as_of=as_of,
                       due=due, period=period)


REVISED = {"label": "第二条(修订)", "item": None, "quote": QUOTE_2}
SIGNED = {"fact": "contract.signed_on", "date": "2025-01-31"}


def test_calendar_day_month_and_year_periods_are_explained_by_their_rule_of_counting() -> None:
    pack = _pack()
    month_end = ("a month or year period ends on the corresponding day, or that month's last "
                 "day when there is none 按月/年计算的期间到对应日届满，无对应日的为月末")
    assert _explain(pack, "demo.2.months", date(2025, 2, 28)) == {
        "rule": "demo.2.months", "article": REVISED, "event": SIGNED, "start": "2025-01-31",
        "start_excluded": True, "months": 1, "due": "2025-02-28",
        "rule_of_counting": month_end}
    assert _explain(pack, "demo.2.years", date(2026, 1, 31)) == {
        "rule": "demo.2.years", "article": REVISED, "event": SIGNED, "start": "2025-01-31",
        "start_excluded": True, "years": 1, "due": "2026-01-31",
        "rule_of_counting": month_end}
    # the event is the first working day after signing (the Spring Festival ends on
    # 2025-02-04), earlier than as_of; the days are counted from it
    event = "min(working_days_after(contract.signed_on, 1), as_of)"
    assert _explain(pack, "demo.2.days", date(2025, 3, 7)) == {
        "rule": "demo.2.days", "article": REVISED, "event": {"fact": event, "date": "2025-02-05"},
        "start": "2025-02-05", "start_excluded": True, "days": 30, "due": "2025-03-07",
        "rule_of_counting": "calendar days 自然日"}
    # on a plain Monday-to-Friday calendar that working day is Monday 2025-02-03
    plain = explain_due(pack.rules_by_id["demo.2.days"], pack, _snapshot(),
                        Calendar.load(builtin=False), as_of=date(2025, 3, 1),
                        due=date(2025, 3, 5))
    assert plain is not None
    assert (plain["event"]["date"], plain["due"]) == ("2025-02-03", "2025-03-05")
    # as_of earlier than that working day: the event is as_of itself
    assert _explain(pack, "demo.2.days", date(2025, 3, 3), as_of=date(2025, 2, 1)) == {
        "rule": "demo.2.days", "article": REVISED, "event": {"fact": event, "date": "2025-02-01"},
        "start": "2025-02-01", "start_excluded": True, "days": 30, "due": "2025-03-03",
        "rule_of_counting": "calendar days 自然日"}


def test_working_days_are_explained_day_by_day_and_only_for_the_rule_s_own_due_date() -> None:
    pack = _pack()
    detail = _explain(pack, "demo.2.filed", date(2025, 2, 10))
    assert detail is not None
    assert {k: detail[k] for k in ("rule", "article", "event", "start", "start_excluded",
                                   "working_days", "due", "counted")} == {
        "rule": "demo.2.filed", "article": REVISED, "event": SIGNED, "start": "2025-01-31",
        "start_excluded": True, "working_days": 5, "due": "2025-02-10",
        "counted": ["2025-02-05", "2025-02-06", "2025-02-07", "2025-02-08", "2025-02-10"]}
    assert "rule_of_counting" not in detail
    one = _explain(pack, "demo.2.one", date(2025, 2, 5))
    assert one is not None
    assert (one["working_days"], one["counted"], one["due"]) == (1, ["2025-02-05"],
                                                                 "2025-02-05")
    # a due date the rule's period does not give is not explained
    assert _explain(pack, "demo.2.filed", date(2025, 2, 11)) is None
    assert _explain(pack, "demo.2.one", date(2025, 2, 6)) is None


def test_the_article_cited_is_the_version_in_force_on_the_evaluation_date() -> None:
    pack = _pack()
    detail = _explain(pack, "demo.2.months", date(2024, 6, 30), as_of=date(2024, 7, 10),
                      snapshot=_snapshot("2024-05-31"))
    assert detail is not None
    assert detail["article"] == {"label": "第二条", "item": None, "quote": QUOTE_2}
    assert detail["event"] == {"fact": "contract.signed_on", "date": "2024-05-31"}


def test_a_quarter_s_report_is_counted_from_the_quarter_s_end() -> None:
    pack = _pack()
    detail = _explain(pack, "demo.3.quarterly", date(2025, 10, 16), as_of=date(2025, 10, 20),
                      period=Quarter(2025, 3))
    assert detail is not None
    assert {k: detail[k] for k in ("rule", "article", "event", "start", "working_days",
                                   "due", "counted")} == {
        "rule": "demo.3.quarterly", "article": {"label": "第三条", "item": None, "quote": QUOTE_3},
        "event": {"fact": "end of 2025Q3 季度末", "date": "2025-09-30"}, "start": "2025-09-30",
        "working_days": 7, "due": "2025-10-16",
        "counted": ["2025-10-09", "2025-10-10", "2025-10-11", "2025-10-13", "2025-10-14",
                    "2025-10-15", "2025-10-16"]}
    assert _explain(pack, "demo.3.quarterly", date(2025, 10, 17), period=Quarter(2025, 3)) is None
    assert _explain(pack, "demo.3.quarterly", date(2025, 10, 16)) is None  # no period given


def _report(pack: Pack, as_of: date = date(2025, 10, 20)) -> Report:
    return evaluate_pack(pack, _snapshot("2025-09-26"), as_of, CAL, include_all=True)


def _step(report: Report, action: str) -> NextStep:
    return next(s for s in report.next_steps if s.action == action)


def test_a_step_is_explained_from_its_one_rule_and_the_period_in_its_text() -> None:
    pack = _pack()
    report = _report(pack)
    snapshot, as_of = _snapshot("2025-09-26"), report.as_of
    quarterly = _step(report, "quarterly")
    assert quarterly.text.en == "Report (2025Q3)"
    detail = explain_step_due(quarterly, pack, snapshot, CAL, as_of)
    assert detail is not None
    assert (detail["event"], detail["due"]) == (
        {"fact": "end of 2025Q3 季度末", "date": "2025-09-30"}, "2025-10-16")
    filed = _step(report, "filed")
    detail = explain_step_due(filed, pack, snapshot, CAL, as_of)
    assert detail is not None
    assert (detail["article"]["label"], detail["due"]) == ("第二条(修订)", "2025-10-10")
    # a step owed to two rules, or to none the pack knows, has no single count
    twice = filed.model_copy(update={"because": ["demo.2.filed", "demo.2.filed"]})
    assert explain_step_due(twice, pack, snapshot, CAL, as_of) is None
    foreign = filed.model_copy(update={"because": ["demo.9.other"]})
    assert explain_step_due(foreign, pack, snapshot, CAL, as_of) is None
    assert explain_step_due(filed.model_copy(update={"due": None}), pack, snapshot, CAL,
                            as_of) is None


def test_explained_steps_are_replaced_and_the_others_kept_as_they_are() -> None:
    pack = _pack()
    report = _report(pack, as_of=date(2025, 1, 10))
    snapshot = _snapshot("2025-09-26")
    filed = _step(report, "filed")
    kept = filed.model_copy(update={"because": ["demo.9.other"],
                                    "due_explanation": {"from": "elsewhere"}})
    bare = filed.model_copy(update={"due_explanation": None})
    steps = explain_steps(report.model_copy(update={"next_steps": [bare, kept]}), pack,
                          snapshot, CAL)
    assert steps is not None
    first, second = steps
    assert first.due_explanation is not None
    # the article in force on the report's as_of (2025-01-10): the revised one
    assert first.due_explanation["article"]["label"] == "第二条(修订)"
    assert first.model_copy(update={"due_explanation": None}) == bare
    assert second == kept
    assert second.due_explanation == {"from": "elsewhere"}
    # nothing to explain: no change at all
    assert explain_steps(report.model_copy(update={"next_steps": [kept]}), pack, snapshot,
                         CAL) is None
    assert explain_steps(report.model_copy(update={"next_steps": []}), pack, snapshot,
                         CAL) is None


def test_the_event_is_compiled_once_per_pack_and_rule() -> None:
    first, second = _pack(), _pack()
    rule = first.rules_by_id["demo.2.filed"]
    compiled = _after(first, rule)
    assert compiled is not None
    assert compiled.text.strip() == "contract.signed_on"
    assert _after(first, rule) is compiled
    other = _after(second, second.rules_by_id["demo.2.filed"])
    assert other is not None
    assert other is not compiled
    assert _after(first, rule) is compiled
    days = _after(first, first.rules_by_id["demo.2.days"])
    assert days is not None
    assert days.text.strip() == "min(working_days_after(contract.signed_on, 1), as_of)"
    assert _after(first, first.rules_by_id["demo.3.quarterly"]) is None  # not a deadline


def test_an_event_the_pack_cannot_compile_explains_nothing() -> None:
    body = ("derived:\n  - name: signed_day\n    type: date\n    expr: contract.signed_on\n"
            "rules:" + _deadline("derived", "signed_day", "{working_days: 5}"))
    derived = parse_pack(demo_pack_text(body, VERSIONED), "demo.yaml")
    rule = derived.rules_by_id["demo.2.derived"]
    assert _explain(derived, "demo.2.derived", date(2025, 2, 10)) is not None
    plain = _pack()  # no derived fact `signed_day`: the event does not compile there
    assert _after(plain, rule) is None
    assert explain_due(rule, plain, _snapshot(), CAL, as_of=date(2025, 3, 1),
                       due=date(2025, 2, 10)) is None


def test_an_explanation_without_its_day_lists_still_reads() -> None:
    detail = {"due": "2025-10-10", "rule": "demo.2.filed", "article": {"label": "第二条"},
              "event": {"fact": "contract.signed_on", "date": "2025-09-26"},
              "working_days": 5, "calendar_version": "cn-test"}
    assert describe(detail) == [
        "due date 截止日 2025-10-10 — rule 规则 demo.2.filed (第二条)",
        "event 起算事件: contract.signed_on = 2025-09-26; the start day is not counted "
        "起算日不计入",
        "5 working days 个工作日, counted 计入: ",
        "calendar 日历数据 cn-test"]
