"""Findings pinned exactly: what the mutation run of ``engine/findings`` showed unpinned.

A number that rounds to a whole one, a first word that is an abbreviation, a message
ending in a letter the period-stripping must keep, the message of a rule that does not
apply, a yes/no fact in a Chinese message, and the finding's citation, presumptions and
rule version.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from govrules.engine.evaluate import evaluate
from govrules.engine.findings import _conditional as conditional
from govrules.engine.findings import _lower_first as lower_first
from govrules.engine.findings import fmt
from govrules.model.pack import Pack, parse_pack
from govrules.model.report import Text
from tests.conftest import HEADER, demo_pack_text

AS_OF = date(2025, 11, 20)


def test_a_number_rounding_to_a_whole_one_shows_no_decimal_point() -> None:
    assert fmt(Decimal("1234.001"), "en") == "1,234"
    assert fmt(Decimal("0.004"), "zh") == "0"


def test_an_abbreviation_opening_an_undetermined_message_keeps_its_capitals() -> None:
    assert lower_first("IDs missing") == "IDs missing"
    assert lower_first("Ab") == "ab"


def test_only_final_periods_are_dropped_from_an_undetermined_message() -> None:
    assert conditional("未放入X", "Not in box X", []) == Text(
        zh="尚无法判定:如果未放入X,则违反本规则。取决于:(无)。",
        en="Undetermined: if not in box X, the rule is breached. Deciding facts: (none).")


_ARTICLE_2 = ("    summary: File the contract within 5 working days; use the government cloud "
              "in principle.\n")
VERSIONED = HEADER.replace(_ARTICLE_2, _ARTICLE_2 + "    repealed: 2025-01-01\n"
                           "  - number: 2\n    label: 第二条(修订)\n"
                           "    text: 项目实施单位应在签订合同5个工作日内将合同报备案。"
                           "原则上应使用政务云。\n"
                           "    summary: Revised.\n    effective: 2025-01-01\n")

BODY = """
exceptions:
  - id: demo.1.classified
    article: 1
    quote: 本办法适用于使用财政资金的非涉密项目
    when: project.classified
    rules: [demo.2.cloud]
    message: {zh: 涉密项目不适用, en: Classified projects are outside it}
rules:
  - id: demo.2.cloud
    article: 2
    quote: 原则上应使用政务云
    title: {zh: 使用政务云, en: Use the government cloud}
    applies_when: contract.signed
    repealed: 2030-01-01
    violated_when: not deployment.government_cloud
    message: {zh: "未上云({deployment.government_cloud})", en: Not on the cloud}
  - id: demo.2.filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    conduct: contract.signed_on
    violated_when: not contract.filed
    message: {zh: 未备案, en: Not filed}
"""


def _pack() -> Pack:
    return parse_pack(demo_pack_text(BODY, VERSIONED), "demo.yaml")


def test_a_breach_finding_carries_its_presumption_version_and_a_chinese_yes_no() -> None:
    record = {"contract": {"signed": True, "signed_on": "2024-06-03", "filed": False},
              "deployment": {"government_cloud": False}}
    report = evaluate(record, pack=_pack(), as_of=AS_OF)
    by_rule = {f.rule: f for f in report.findings}
    cloud = by_rule["demo.2.cloud"]
    assert cloud.message == Text(zh="未上云(否)", en="Not on the cloud")
    assert cloud.presumed == ["demo.1.classified"]
    assert cloud.version is not None
    assert (cloud.version.effective, cloud.version.repealed) == (None, date(2030, 1, 1))
    # the article in force on the day of the conduct (2024), not on as_of
    assert by_rule["demo.2.filed"].article.label == "第二条"
    assert cloud.article.label == "第二条(修订)"


def test_an_excepted_finding_cites_the_exception_and_names_the_rule() -> None:
    record = {"project": {"classified": True}, "contract": {"signed": True},
              "deployment": {"government_cloud": False}}
    report = evaluate(record, pack=_pack(), as_of=AS_OF, include_all=True)
    cloud = next(f for f in report.findings if f.rule == "demo.2.cloud")
    assert cloud.status == "not_applicable"
    assert cloud.cites is not None
    assert (cloud.cites.number, cloud.cites.label) == (1, "第一条")
    assert cloud.message == Text(
        zh="不适用:使用政务云。涉密项目不适用",
        en="Not applicable: Use the government cloud. Classified projects are outside it")


def test_a_rule_that_does_not_apply_says_so_without_a_reason() -> None:
    record = {"project": {"classified": False}, "contract": {"signed": False}}
    report = evaluate(record, pack=_pack(), as_of=AS_OF, include_all=True)
    cloud = next(f for f in report.findings if f.rule == "demo.2.cloud")
    assert (cloud.status, cloud.reason, cloud.cites) == ("not_applicable", None, None)
    assert cloud.message == Text(zh="不适用:使用政务云。",
                                 en="Not applicable: Use the government cloud.")


UPCOMING = """
rules:
  - id: demo.2.cloud
    article: 2
    quote: 原则上应使用政务云
    applies_when: contract.signed
    violated_when: not deployment.government_cloud
    message: {zh: 未上云, en: Not on the cloud}
    next_steps:
      - action: plan-cloud
        kind: upcoming
        text: {zh: 规划上云, en: Plan the move to the cloud}
        when: project.level == 'municipal'
"""


def test_a_live_duty_is_announced_for_a_rule_not_applying_yet_or_undetermined() -> None:
    pack = parse_pack(demo_pack_text(UPCOMING, HEADER), "demo.yaml")
    for record, status in (({"contract": {"signed": False}}, "not_applicable"),
                           ({"contract": {"signed": True}}, "undetermined")):
        report = evaluate({**record, "project": {"level": "municipal"}}, pack=pack,
                          as_of=AS_OF, include_all=True)
        assert [f.status for f in report.findings] == [status]
        planned = [(s.action, s.kind, s.due) for s in report.next_steps
                   if s.action != "supply-fact"]  # the query plan's step, asking for a fact
        assert planned == [("plan-cloud", "upcoming", None)], status


EXCEPTED_UPCOMING = """
exceptions:
  - id: demo.1.classified
    article: 1
    quote: 本办法适用于使用财政资金的非涉密项目
    when: project.classified
    rules: [demo.2.cloud]
    message: {zh: 涉密项目不适用, en: Classified projects are outside it}
""" + UPCOMING


def test_a_rule_taken_out_by_an_exception_announces_nothing() -> None:
    pack = parse_pack(demo_pack_text(EXCEPTED_UPCOMING, HEADER), "demo.yaml")
    report = evaluate({"project": {"classified": True, "level": "municipal"},
                       "contract": {"signed": False}}, pack=pack, as_of=AS_OF)
    assert report.next_steps == []


FILING = """
rules:
  - id: demo.2.filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    applies_when: project.level == 'municipal'
    deadline:
      after: contract.signed_on
      within: {working_days: 5}
      done_on: contract.filed_on
    message: {zh: "[as_of]{due}{as_of)", en: "Not filed (due) by {due}"}
    next_steps:
      - action: file-contract
        text: {zh: 报备合同, en: File the contract}
      - action: on-filing-day
        text: {zh: 备案当日, en: On the filing day}
        due: contract.filed_on
"""


def _filing(record: dict[str, object], as_of: date) -> list[tuple[object, ...]]:
    pack = parse_pack(demo_pack_text(FILING, HEADER), "demo.yaml")
    report = evaluate(record, pack=pack, as_of=as_of)
    return [(s.action, s.kind, s.due) for s in report.next_steps
            if s.action != "supply-fact"]


def test_a_deadline_not_yet_passed_is_announced_only_when_the_rule_applies() -> None:
    record = {"contract": {"signed_on": "2025-11-18", "filed": False}}
    assert _filing({**record, "project": {"level": "municipal"}}, AS_OF) == [
        ("file-contract", "upcoming", date(2025, 11, 25)), ("on-filing-day", "upcoming", None)]
    assert _filing(record, AS_OF) == []  # whether it applies is unknown


def test_a_step_due_on_an_unknown_date_has_no_due_date_and_literal_text_stays() -> None:
    record = {"project": {"level": "municipal"},
              "contract": {"signed_on": "2025-03-03", "filed": False}}
    assert _filing(record, AS_OF) == [("file-contract", "remedial", date(2025, 3, 10)),
                                     ("on-filing-day", "remedial", None)]
    pack = parse_pack(demo_pack_text(FILING, HEADER), "demo.yaml")
    (finding,) = evaluate(record, pack=pack, as_of=AS_OF).findings
    # text that only looks like a placeholder, even the whole text between two, stays
    assert finding.message == Text(zh="[as_of]2025-03-10{as_of)",
                                   en="Not filed (due) by 2025-03-10")


def test_a_rules_fixed_parts_are_made_once_per_pack() -> None:
    record = {"contract": {"signed": True, "signed_on": "2024-06-03", "filed": False},
              "deployment": {"government_cloud": False}}
    pack = _pack()
    first = {f.rule: f for f in evaluate(record, pack=pack, as_of=AS_OF).findings}
    again = {f.rule: f for f in evaluate(record, pack=pack, as_of=AS_OF).findings}
    assert first["demo.2.cloud"].version is again["demo.2.cloud"].version
    # the same rules in a pack of another version: their own
    other = parse_pack(demo_pack_text(BODY, VERSIONED.replace('"0.0.1"', '"0.0.2"')),
                       "demo.yaml")
    later = {f.rule: f for f in evaluate(record, pack=other, as_of=AS_OF).findings}
    assert later["demo.2.cloud"].version is not None
    assert later["demo.2.cloud"].version.pack == "0.0.2"
    assert first["demo.2.cloud"].version is not None
    assert first["demo.2.cloud"].version.pack == "0.0.1"
