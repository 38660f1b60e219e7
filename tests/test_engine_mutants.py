"""The engine's small parts pinned exactly: what the mutation run showed unpinned.

How a value reads in a message, a fact's JSON form, the message of an undetermined or
inapplicable finding, the reasons a conduct date falls outside the text's validity, the
window a text governs, Kleene conjunction, and the waiver of an in-principle rule by a
recorded exception (by rule id, by article, by item). Each assertion is on the real
output of the function, so a changed word, bound or branch fails it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from govrules import lang as expr
from govrules.base.calendar import Calendar, Quarter
from govrules.base.errors import InputError
from govrules.engine._validity_text import validity_reason
from govrules.engine.decide import decide, kleene_and, text_window
from govrules.engine.duedates import describe
from govrules.engine.evaluate import combine, evaluate, evaluate_all, evaluate_pack
from govrules.engine.findings import _conditional as conditional
from govrules.engine.findings import _lower_first as lower_first
from govrules.engine.findings import fmt, json_value
from govrules.engine.periodic import add_period
from govrules.model.pack import Pack, builtin_pack, parse_pack
from govrules.model.pack_format import BilingualText, Metadata
from govrules.model.report import Conduct, Text
from govrules.model.snapshot import parse_snapshot
from tests.conftest import CONTRACT_FILING, HEADER, demo_pack_text

Unknown = expr.Unknown
CAL = Calendar.default()


def _meta(**changes: Any) -> Metadata:
    base: dict[str, Any] = {
        "id": "demo", "version": "1", "city": {"zh": "示例市", "en": "Demo"},
        "title": {"zh": "办法", "en": "Measures"}, "issuer": {"zh": "政府", "en": "Gov"},
        "status": "in_force", "source": "demo.txt", "effective": date(2020, 1, 1)}
    return Metadata.model_validate({**base, **changes})


# -- values in messages ------------------------------------------------------------------


@pytest.mark.parametrize(("value", "zh", "en"), [
    (Unknown(frozenset({"a"})), "未知", "unknown"),
    (True, "是", "yes"),
    (False, "否", "no"),
    (Decimal("1234567"), "1,234,567", "1,234,567"),
    (Decimal("1234.50"), "1,234.5", "1,234.5"),
    (Decimal("0.25"), "0.25", "0.25"),
    (Decimal("10.10"), "10.1", "10.1"),
    ([True, Decimal("3")], "是, 3", "yes, 3"),
    ([], "", ""),
    (date(2025, 3, 1), "2025-03-01", "2025-03-01"),
    ("文本", "文本", "文本"),
])
def test_a_value_reads_the_same_in_every_message(value: object, zh: str, en: str) -> None:
    assert fmt(value, "zh") == zh
    assert fmt(value, "en") == en


def test_a_fact_keeps_its_json_form() -> None:
    assert json_value(Decimal("1000000")) == 1000000
    assert isinstance(json_value(Decimal("1000000")), int)
    assert json_value(Decimal("2.5")) == 2.5
    assert isinstance(json_value(Decimal("2.5")), float)
    assert json_value(date(2025, 1, 2)) == "2025-01-02"
    assert json_value(Quarter(2025, 3)) == "2025Q3"
    assert json_value([Decimal("1"), date(2025, 1, 2), "x"]) == [1, "2025-01-02", "x"]
    assert json_value(None) is None
    assert json_value(True) is True


@pytest.mark.parametrize(("text", "lowered"), [
    ("Not filed", "not filed"), ("SLA missing", "SLA missing"), ("X", "x"), ("", ""),
    ("already lower", "already lower"),
])
def test_an_undetermined_message_lowers_only_a_plain_first_letter(text: str,
                                                                  lowered: str) -> None:
    assert lower_first(text) == lowered


def test_the_message_of_an_undetermined_finding_is_a_condition() -> None:
    assert conditional("合同未备案。", "Contract not filed.",
                       ["contract.filed", "contract.filed_on"]) == Text(
        zh="尚无法判定:如果合同未备案,则违反本规则。取决于:contract.filed, contract.filed_on。",
        en="Undetermined: if contract not filed, the rule is breached. "
           "Deciding facts: contract.filed, contract.filed_on.")
    assert conditional("未上云.", "Not on the cloud", []) == Text(
        zh="尚无法判定:如果未上云,则违反本规则。取决于:(无)。",
        en="Undetermined: if not on the cloud, the rule is breached. "
           "Deciding facts: (none).")


# -- validity ----------------------------------------------------------------------------------


def test_the_reasons_conduct_falls_outside_the_text() -> None:
    meta = _meta(expires=date(2024, 12, 31), repealed=date(2025, 6, 1))
    day = date(2019, 5, 1)
    assert validity_reason("before", day, meta) == Text(
        zh="行为日期2019-05-01早于本办法施行日期2020-01-01:不适用本办法。",
        en="The conduct on 2019-05-01 predates the text, in force from 2020-01-01: "
           "it is not governed by it.")
    assert validity_reason("repealed", date(2025, 7, 1), meta) == Text(
        zh="行为日期2025-07-01在本办法废止(2025-06-01)之后:不适用本办法。",
        en="The conduct on 2025-07-01 is after the text was repealed on 2025-06-01: "
           "it is not governed by it.")
    assert validity_reason("after", date(2025, 1, 5), meta) == Text(
        zh="行为日期2025-01-05在本办法有效期届满(2024-12-31)之后:不适用本办法。",
        en="The conduct on 2025-01-05 is after the text lapsed on 2024-12-31: it is not "
           "governed by it.")


def test_conduct_before_the_earliest_possible_day_gives_the_reason_noted() -> None:
    note = BilingualText(zh="印发日期为最早可能日期。", en="Issued on that day at the earliest.")
    meta = _meta(effective=None, not_before=date(2021, 3, 1), not_before_reason=note)
    assert validity_reason("predates", date(2021, 1, 1), meta) == Text(
        zh="行为日期2021-01-01早于本办法可能施行的最早日期2021-03-01:不适用本办法。"
           "印发日期为最早可能日期。",
        en="The conduct on 2021-01-01 predates the earliest day the text can have been in "
           "force (2021-03-01): it is not governed by it. Issued on that day at the earliest.")
    bare = _meta(effective=None, not_before=date(2021, 3, 1))
    assert validity_reason("predates", date(2021, 1, 1), bare).zh.endswith("不适用本办法。")
    assert validity_reason("predates", date(2021, 1, 1), bare).en.endswith(
        "it is not governed by it. ")


@pytest.mark.parametrize(("changes", "window"), [
    ({}, (date(2020, 1, 1), None)),
    ({"effective": None, "not_before": date(2019, 6, 1)}, (date(2019, 6, 1), None)),
    ({"expires": date(2024, 12, 31)}, (date(2020, 1, 1), date(2024, 12, 31))),
    ({"repealed": date(2023, 3, 1)}, (date(2020, 1, 1), date(2023, 2, 28))),
    ({"expires": date(2022, 1, 1), "repealed": date(2023, 3, 1)},
     (date(2020, 1, 1), date(2022, 1, 1))),
    ({"expires": date(2024, 1, 1), "repealed": date(2023, 3, 1)},
     (date(2020, 1, 1), date(2023, 2, 28))),
])
def test_the_window_a_text_governs(changes: dict[str, Any],
                                   window: tuple[date | None, date | None]) -> None:
    assert text_window(_meta(**changes)) == window


def test_kleene_conjunction() -> None:
    a, b = Unknown(frozenset({"a"})), Unknown(frozenset({"b"}))
    assert kleene_and(True, True) is True
    assert kleene_and(True, False) is False
    assert kleene_and(False, a) is False
    assert kleene_and(a, False) is False
    assert kleene_and(True, a) is a
    assert kleene_and(a, True) is a
    both = kleene_and(a, b)
    assert isinstance(both, Unknown)
    assert both.missing == frozenset({"a", "b"})


# -- waivers by a recorded exception -------------------------------------------------------------

WAIVABLE = """
rules:
  - id: demo.2.cloud
    article: 2
    item: 1
    quote: 原则上应使用政务云
    in_principle: true
    violated_when: not deployment.government_cloud
    message: {zh: 未上云, en: Not on the cloud}
  - id: demo.2.filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    violated_when: not contract.filed
    message: {zh: 未备案, en: Not filed}
"""


def _pack(body: str = WAIVABLE, header: str = HEADER) -> Pack:
    return parse_pack(demo_pack_text(body, header), "demo.yaml")


def _statuses(pack: Pack, record: dict[str, Any], as_of: date = date(2025, 11, 20),
              **options: Any) -> dict[str, str]:
    return dict(decide(pack, parse_snapshot(record), as_of, **options).statuses)


@pytest.mark.parametrize("key", ["demo.2.cloud", "demo.2", "demo.2.1"])
def test_an_approved_exception_waives_by_rule_article_or_item(key: str) -> None:
    record = {"deployment": {"government_cloud": False}, "contract": {"filed": False},
              "exceptions": [{"rule": key, "reason": "特殊需要", "approved": True}]}
    assert _statuses(_pack(), record) == {"demo.2.cloud": "waived",
                                           "demo.2.filed": "violated"}


def test_an_exception_for_another_item_or_rule_waives_nothing() -> None:
    for key in ("demo.2.2", "demo.3", "demo.2.filed", "other.2"):
        record = {"deployment": {"government_cloud": False},
                  "exceptions": [{"rule": key, "reason": "r", "approved": True}]}
        assert _statuses(_pack(), record)["demo.2.cloud"] == "violated", key


def test_the_first_approved_exception_is_the_waiver_and_undecided_ones_are_named() -> None:
    record = {"deployment": {"government_cloud": False}, "exceptions": [
        {"rule": "demo.2", "reason": "r", "approved": None},
        {"rule": "demo.2.cloud", "reason": "r2", "approved": True, "reference": "REF-1"}]}
    decisions = decide(_pack(), parse_snapshot(record), date(2025, 11, 20))
    cloud = next(r for r in decisions.rules if r.rule.id == "demo.2.cloud")
    assert cloud.status == "waived"
    assert cloud.waiver is not None
    assert (cloud.waiver.index, cloud.waiver.reason, cloud.waiver.reference) == (1, "r2",
                                                                                 "REF-1")
    undecided = {"deployment": {"government_cloud": False}, "exceptions": [
        {"rule": "demo.2", "reason": "r", "approved": False},
        {"rule": "demo.2.cloud", "reason": "r", "approved": None}]}
    decisions = decide(_pack(), parse_snapshot(undecided), date(2025, 11, 20))
    cloud = next(r for r in decisions.rules if r.rule.id == "demo.2.cloud")
    assert (cloud.status, cloud.missing) == ("undetermined",
                                             frozenset({"exceptions[1].approved"}))


def test_a_rule_not_in_principle_is_never_waived() -> None:
    record = {"contract": {"filed": False},
              "exceptions": [{"rule": "demo.2.filed", "reason": "r", "approved": True}]}
    assert _statuses(_pack(), record)["demo.2.filed"] == "violated"


# -- scope and exceptions in the statuses ----------------------------------------------------------

EXCEPTED = """
scope:
  - id: demo.1.scope
    article: 1
    quote: 本办法适用于使用财政资金的非涉密项目
    applies_when: funding.source == 'fiscal'
    message: {zh: 不适用, en: Out of scope}
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
    violated_when: not deployment.government_cloud
    message: {zh: 未上云, en: Not on the cloud}
"""


def test_statuses_name_scope_exceptions_and_rules() -> None:
    pack = _pack(EXCEPTED)
    base = {"funding": {"source": "fiscal"}, "deployment": {"government_cloud": False}}
    assert _statuses(pack, {**base, "project": {"classified": False}}) == {
        "demo.1.scope": "satisfied", "demo.1.classified": "satisfied",
        "demo.2.cloud": "violated"}
    assert _statuses(pack, {**base, "project": {"classified": True}}) == {
        "demo.1.scope": "satisfied", "demo.1.classified": "not_applicable",
        "demo.2.cloud": "not_applicable"}
    # silent: presumed not to apply (recorded); strictly, what it would change is open
    decisions = decide(pack, parse_snapshot(base), date(2025, 11, 20))
    cloud = decisions.rules[0]
    assert (cloud.status, cloud.presumed) == ("violated", ("demo.1.classified",))
    assert decisions.statuses["demo.1.classified"] == "satisfied"
    strict = decide(pack, parse_snapshot(base), date(2025, 11, 20), strict_presumptions=True)
    assert strict.statuses["demo.1.classified"] == "undetermined"
    assert (strict.rules[0].status, strict.rules[0].missing) == (
        "undetermined", frozenset({"project.classified"}))
    assert strict.rules[0].presumed == ()
    out = {"funding": {"source": "non_fiscal"}, "deployment": {"government_cloud": False}}
    decisions = decide(pack, parse_snapshot(out), date(2025, 11, 20))
    assert decisions.scope_out
    assert decisions.statuses["demo.1.scope"] == "not_applicable"
    assert [r.status for r in decisions.rules] == ["not_applicable"]
    assert not decisions.ungoverned  # out of scope is not "no rule governs"


def test_strictly_a_satisfied_rule_stays_satisfied_whatever_the_exception() -> None:
    record = {"funding": {"source": "fiscal"}, "deployment": {"government_cloud": True}}
    strict = decide(_pack(EXCEPTED), parse_snapshot(record), date(2025, 11, 20),
                    strict_presumptions=True)
    assert (strict.rules[0].status, strict.rules[0].missing) == ("satisfied", frozenset())


def test_unknown_scope_leaves_a_breach_undetermined_with_the_scope_fact() -> None:
    decisions = decide(_pack(EXCEPTED), parse_snapshot(
        {"deployment": {"government_cloud": False}, "project": {"classified": False}}),
        date(2025, 11, 20))
    assert decisions.statuses["demo.1.scope"] == "undetermined"
    assert (decisions.rules[0].status, decisions.rules[0].missing) == (
        "undetermined", frozenset({"funding.source"}))


def test_a_text_not_yet_in_force_governs_nothing() -> None:
    header = HEADER.replace("effective: 2020-01-01", "effective: 2030-01-01")
    decisions = decide(_pack(header=header), parse_snapshot(
        {"deployment": {"government_cloud": False}, "contract": {"filed": False}}),
        date(2025, 11, 20))
    assert {r.status for r in decisions.rules} == {"not_applicable"}
    assert decisions.ungoverned
    first = decisions.rules[0]
    assert (first.binding, first.conduct, first.conduct_fact, first.would_be) == (
        False, date(2025, 11, 20), "as_of", "violated")
    assert first.reason is not None
    assert first.reason.en.startswith("The conduct on 2025-11-20 predates the text")


# -- the report built from the decisions ----------------------------------------------------------


def test_scope_and_exception_findings_in_the_full_report() -> None:
    pack = _pack(EXCEPTED)
    record = {"funding": {"source": "fiscal"}, "deployment": {"government_cloud": False}}
    report = evaluate_pack(pack, parse_snapshot(record), date(2025, 11, 20), CAL,
                           include_all=True)
    by_rule = {f.rule: f for f in report.findings}
    assert [f.rule for f in report.findings] == ["demo.1.classified", "demo.1.scope",
                                                 "demo.2.cloud"]
    scope, exc = by_rule["demo.1.scope"], by_rule["demo.1.classified"]
    assert (scope.status, scope.severity, scope.missing, scope.presumed) == (
        "satisfied", "info", [], [])
    assert (exc.status, exc.severity, exc.presumed) == ("satisfied", "info",
                                                        ["demo.1.classified"])
    assert exc.missing == ["project.classified"]
    assert [(p.fact, p.presumed, p.rules, p.clause.id, p.clause.article, p.clause.pack)
            for p in report.presumptions] == [
        ("project.classified", False, ["demo.2.cloud"], "demo.1.classified", 1, "demo")]
    assert report.presumptions[0].clause.label == "第一条"
    assert report.counts == {"violated": 1}
    assert (report.verdict, report.binding_verdict, report.binding) == (
        "non_compliant", "non_compliant", True)
    strict = evaluate_pack(pack, parse_snapshot(record), date(2025, 11, 20), CAL,
                           include_all=True, strict_presumptions=True)
    assert strict.presumptions == []
    strict_exc = next(f for f in strict.findings if f.rule == "demo.1.classified")
    assert (strict_exc.status, strict_exc.presumed) == ("undetermined", [])
    assert strict.verdict == "undetermined"
    shown = evaluate_pack(pack, parse_snapshot(record), date(2025, 11, 20), CAL,
                          strict_presumptions=True)
    assert [f.rule for f in shown.findings] == ["demo.1.classified", "demo.2.cloud"]


def test_out_of_scope_lists_the_clause_and_no_steps() -> None:
    pack = _pack(EXCEPTED)
    record = {"funding": {"source": "non_fiscal"}, "deployment": {"government_cloud": False},
              "project": {"classified": False}}
    report = evaluate_pack(pack, parse_snapshot(record), date(2025, 11, 20), CAL)
    assert report.verdict == "not_applicable"
    assert [(f.rule, f.status) for f in report.findings] == [("demo.1.scope",
                                                              "not_applicable")]
    assert report.next_steps == []
    assert report.presumptions == []


def test_an_exception_naming_a_strict_rule_is_warned_about() -> None:
    record = {"contract": {"filed": False}, "deployment": {"government_cloud": True},
              "exceptions": [{"rule": "demo.2.cloud", "reason": "r", "approved": False},
                             {"rule": "demo.2.filed", "reason": "r", "approved": True}]}
    report = evaluate_pack(_pack(), parse_snapshot(record), date(2025, 11, 20), CAL)
    assert [(w.code, w.message) for w in report.warnings] == [(
        "exception-not-allowed",
        "exceptions[1] names demo.2.filed, which the text does not make an in-principle "
        "rule: it cannot waive it")]


def test_years_without_calendar_data_are_warned_about_one_by_one_up_to_ten() -> None:
    pack = _pack(CONTRACT_FILING)
    one = evaluate_pack(pack, parse_snapshot({"contract": {"signed_on": "2090-03-02"}}),
                        date(2090, 6, 1), CAL)
    assert [(w.code, w.message) for w in one.warnings] == [(
        "calendar-year-missing",
        "no official working-day data for 2090: Monday-Friday assumed (add the State "
        "Council schedule for that year to the calendar data)")]


def test_combined_verdicts_take_the_worst() -> None:
    pack = _pack()
    bad = {"deployment": {"government_cloud": False}, "contract": {"filed": True}}
    good = {"deployment": {"government_cloud": True}, "contract": {"filed": True}}
    open_ = {"deployment": {"government_cloud": True}}
    reports = [evaluate_pack(pack, parse_snapshot(r), date(2025, 11, 20), CAL)
               for r in (good, open_, bad)]
    assert [r.verdict for r in reports] == ["compliant", "undetermined", "non_compliant"]
    snap = parse_snapshot(good)
    assert combine(snap, date(2025, 11, 20), reports).verdict == "non_compliant"
    assert combine(snap, date(2025, 11, 20), reports[:2]).verdict == "undetermined"
    assert combine(snap, date(2025, 11, 20), reports[:1]).verdict == "compliant"
    assert combine(snap, date(2025, 11, 20), []).verdict == "not_applicable"
    assert combine(snap, date(2025, 11, 20), reports[1:]).binding_verdict == "non_compliant"


# -- the public entry points ------------------------------------------------------------


def test_evaluate_reads_the_city_and_date_from_the_snapshot_or_the_arguments(
        tmp_path: Path) -> None:
    record = {"id": "p1", "city": "guiyang", "as_of": "2025-06-30",
              "project": {"classified": True}}
    report = evaluate(record)
    assert (report.pack.id, report.as_of, report.verdict) == ("guiyang", date(2025, 6, 30),
                                                             "not_applicable")
    assert evaluate(record, as_of="2025-07-01").as_of == date(2025, 7, 1)
    assert evaluate(record, as_of=date(2025, 7, 2)).as_of == date(2025, 7, 2)
    assert evaluate({**record, "city": None}, "wuhai").pack.id == "wuhai"
    path = tmp_path / "p1.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    from_file = evaluate(path)
    assert from_file.receipt is not None
    assert from_file.receipt.snapshot.source == str(path)
    assert from_file.receipt.snapshot.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert evaluate(record).receipt.snapshot.sha256 is None  # type: ignore[union-attr]
    assert evaluate(str(path)).pack.id == "guiyang"
    pack_file = tmp_path / "demo.yaml"
    pack_file.write_text(demo_pack_text(WAIVABLE), encoding="utf-8")
    assert evaluate(record, pack=pack_file).pack.id == "demo"
    assert evaluate(record, pack=str(pack_file)).pack.id == "demo"
    assert evaluate(record, pack=_pack()).pack.id == "demo"


def test_evaluate_refuses_what_it_cannot_read() -> None:
    with pytest.raises(InputError) as no_city:
        evaluate({"id": "p1"}, as_of="2025-01-01")
    assert [(d.code, d.hint) for d in no_city.value.diagnostics] == [
        ("no-city", "pass city=... or set `city` in the snapshot")]
    with pytest.raises(InputError) as bad:
        evaluate({"id": "p1"}, "guiyang", as_of="2025-13-01")
    (problem,) = bad.value.diagnostics
    assert (problem.code, problem.hint) == ("bad-date", "use YYYY-MM-DD")
    assert problem.message.startswith("as_of '2025-13-01': ")
    with pytest.raises(InputError) as far:
        evaluate({"id": "p1"}, "guiyang", as_of=date(3500, 1, 1))
    assert far.value.diagnostics[0].code == "bad-date"
    with pytest.raises(InputError) as wrong:
        evaluate(42, "guiyang")  # type: ignore[arg-type]
    assert [(d.code, d.message, d.hint) for d in wrong.value.diagnostics] == [
        ("snapshot-type", "cannot read a snapshot from int",
         "pass a Snapshot, a dict, or a file path")]


def test_evaluate_all_checks_one_snapshot_under_each_pack() -> None:
    record = {"id": "p1", "project": {"classified": True}}
    combined = evaluate_all(record, [builtin_pack("guiyang"), builtin_pack("wuhai")],
                            as_of="2025-06-30")
    assert [r.pack.id for r in combined.reports] == ["guiyang", "wuhai"]
    assert {r.as_of for r in combined.reports} == {date(2025, 6, 30)}
    assert combined.snapshot_id == "p1"
    assert combined.as_of == date(2025, 6, 30)


# -- a finding's parts ---------------------------------------------------------------------------

DETAILED = """
interpretations:
  - id: demo.2.cloud-reading
    article: 2
    quote: 原则上应使用政务云
    reading: {zh: 原则上即一般情况, en: In principle means as a rule}
    alternative: {zh: 另一种理解, en: Another reading}
    rules: [demo.2.cloud]
  - id: demo.2.other-reading
    article: 2
    quote: 原则上应使用政务云
    reading: {zh: 另一条, en: Another}
    alternative: {zh: 另一种理解, en: Another reading}
    rules: [demo.2.filed]
rules:
  - id: demo.2.cloud
    article: 2
    quote: 原则上应使用政务云
    title: {zh: 使用政务云, en: Use the government cloud}
    severity: warning
    in_principle: true
    interpretations: [demo.2.own-reading]
    effective: 2021-01-01
    amended_by: 示例修订
    violated_when: not deployment.government_cloud
    message: {zh: 未上云, en: "Not on the cloud ({deployment.government_cloud})"}
    consequence: {zh: 责令整改, en: Ordered to correct}
  - id: demo.2.filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    violated_when: not contract.filed
    message: {zh: 未备案, en: Not filed}
"""


def test_a_finding_carries_the_rule_s_parts() -> None:
    pack = parse_pack(demo_pack_text(DETAILED), "demo.yaml")
    record = {"deployment": {"government_cloud": False}, "contract": {"filed": True}}
    report = evaluate_pack(pack, parse_snapshot(record), date(2025, 11, 20), CAL,
                           include_all=True)
    cloud = next(f for f in report.findings if f.rule == "demo.2.cloud")
    assert (cloud.status, cloud.severity, cloud.in_principle, cloud.binding) == (
        "violated", "warning", True, True)
    assert cloud.consequence == Text(zh="责令整改", en="Ordered to correct")
    assert cloud.message.en == "Not on the cloud (no)"
    assert cloud.message.zh == "未上云"
    assert cloud.title == Text(zh="使用政务云", en="Use the government cloud")
    assert cloud.interpretations == ["demo.2.own-reading", "demo.2.cloud-reading"]
    assert cloud.version is not None
    assert (cloud.version.pack, cloud.version.effective, cloud.version.repealed,
            cloud.version.amended_by) == ("0.0.1", date(2021, 1, 1), None, "示例修订")
    assert cloud.facts == {"deployment.government_cloud": False}
    assert cloud.conduct == Conduct(date=date(2025, 11, 20), fact="as_of")
    assert (cloud.reason, cloud.cites, cloud.exception, cloud.due) == (None, None, None, None)
    assert cloud.article.number == 2
    filed = next(f for f in report.findings if f.rule == "demo.2.filed")
    assert (filed.status, filed.severity, filed.in_principle, filed.consequence) == (
        "satisfied", "error", False, None)
    assert filed.interpretations == ["demo.2.other-reading"]
    assert filed.facts == {"contract.filed": True}


# -- conduct dated outside the text ---------------------------------------------------------------


def _dated_pack(validity: str) -> Pack:
    header = HEADER.replace("  effective: 2020-01-01\n", validity)
    return parse_pack(demo_pack_text(CONTRACT_FILING, header), "demo.yaml")


def _contract_rule(pack: Pack, signed: str, as_of: date = date(2025, 11, 20)) -> Any:
    record = {"contract": {"signed_on": signed, "filed": False}}
    return decide(pack, parse_snapshot(record), as_of).rules[0]


def test_conduct_on_the_day_of_repeal_is_outside_the_text() -> None:
    pack = _dated_pack("  effective: 2020-01-01\n  repealed: 2024-01-01\n")
    on_the_day = _contract_rule(pack, "2024-01-01")
    assert (on_the_day.status, on_the_day.binding, on_the_day.would_be) == (
        "not_applicable", False, "violated")
    assert on_the_day.reason.en == ("The conduct on 2024-01-01 is after the text was repealed "
                                    "on 2024-01-01: it is not governed by it.")
    day_before = _contract_rule(pack, "2023-12-29")
    assert (day_before.status, day_before.binding, day_before.reason) == ("violated", True,
                                                                          None)
    assert (day_before.conduct, day_before.conduct_fact) == (date(2023, 12, 29),
                                                             "contract.signed_on")


def test_conduct_after_the_text_lapsed_or_before_it_began() -> None:
    pack = _dated_pack("  effective: 2020-01-01\n  expires: 2023-06-30\n")
    lapsed = _contract_rule(pack, "2023-07-03")
    assert lapsed.reason.en == ("The conduct on 2023-07-03 is after the text lapsed on "
                                "2023-06-30: it is not governed by it.")
    assert lapsed.conduct == date(2023, 7, 3)
    early = _contract_rule(pack, "2019-12-02")
    assert early.reason.en.startswith("The conduct on 2019-12-02 predates the text, in force "
                                      "from 2020-01-01")
    undated = _dated_pack("  not_before: 2020-03-01\n")
    before = _contract_rule(undated, "2020-02-03")
    assert before.reason.en.startswith("The conduct on 2020-02-03 predates the earliest day "
                                       "the text can have been in force (2020-03-01)")


CONDUCT_DATED = """
rules:
  - id: demo.2.filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    conduct: contract.signed_on
    violated_when: not contract.filed
    message: {zh: 未备案, en: Not filed}
"""


def test_an_unknown_conduct_date_leaves_a_breach_undetermined_only_where_it_matters() -> None:
    record = parse_snapshot({"contract": {"filed": False}})
    bounded = parse_pack(demo_pack_text(CONDUCT_DATED, HEADER.replace(
        "  effective: 2020-01-01\n", "  effective: 2020-01-01\n  expires: 2030-06-30\n")),
        "demo.yaml")
    rule = decide(bounded, record, date(2025, 11, 20)).rules[0]
    assert (rule.status, rule.missing, rule.conduct, rule.conduct_fact) == (
        "undetermined", frozenset({"contract.signed_on"}), None, "contract.signed_on")
    unbounded = parse_pack(demo_pack_text(CONDUCT_DATED, HEADER.replace(
        "  effective: 2020-01-01\n", "")), "demo.yaml")
    rule = decide(unbounded, record, date(2025, 11, 20)).rules[0]
    assert (rule.status, rule.missing) == ("violated", frozenset())
    dated = decide(bounded, parse_snapshot({"contract": {"filed": False,
                                                         "signed_on": "2025-03-03"}}),
                   date(2025, 11, 20)).rules[0]
    assert (dated.status, dated.conduct, dated.binding) == ("violated", date(2025, 3, 3), True)


# -- periods ---------------------------------------------------------------------------------------


def test_a_period_is_added_in_its_unit() -> None:
    ctx = expr.EvalContext(root=parse_snapshot({}), as_of=date(2025, 1, 1), calendar=CAL)
    start = date(2025, 1, 31)
    assert add_period(start, "days", 1, ctx) == date(2025, 2, 1)
    assert add_period(start, "months", 1, ctx) == date(2025, 2, 28)
    assert add_period(start, "years", 1, ctx) == date(2026, 1, 31)
    # the Spring Festival holiday of 2025 runs to 02-04; the National Day one to 10-08
    assert add_period(start, "working_days", 1, ctx) == date(2025, 2, 5)
    assert add_period(date(2025, 9, 30), "working_days", 1, ctx) == date(2025, 10, 9)
    with pytest.raises(ValueError, match=r"^unknown period unit 'weeks'$"):
        add_period(start, "weeks", 1, ctx)


# -- which rules bind ---------------------------------------------------------------------------


def _rules(pack: Pack, record: dict[str, Any], as_of: date = date(2025, 11, 20)) -> list[Any]:
    return list(decide(pack, parse_snapshot(record), as_of).rules)


BREACH = {"deployment": {"government_cloud": False}, "contract": {"filed": False,
                                                                   "signed_on": "2025-03-03"}}


def test_nothing_in_a_draft_binds() -> None:
    header = HEADER.replace("  status: in_force\n", "  status: draft\n  comment_period: "
                            "{from: 2023-09-07, to: 2023-10-07}\n")
    draft = _pack(header=header)
    assert [(r.rule.id, r.status, r.binding) for r in _rules(draft, BREACH)] == [
        ("demo.2.cloud", "violated", False), ("demo.2.filed", "violated", False)]
    dated = parse_pack(demo_pack_text(CONDUCT_DATED, header), "demo.yaml")
    assert [(r.status, r.binding) for r in _rules(dated, BREACH)] == [("violated", False)]
    excepted = parse_pack(demo_pack_text(EXCEPTED, header), "demo.yaml")
    record = {**BREACH, "funding": {"source": "fiscal"}, "project": {"classified": True}}
    assert [(r.status, r.binding) for r in _rules(excepted, record)] == [
        ("not_applicable", False)]
    out = {**BREACH, "funding": {"source": "non_fiscal"}}
    assert [(r.status, r.binding) for r in _rules(excepted, out)] == [("not_applicable", False)]
    in_force = parse_pack(demo_pack_text(EXCEPTED), "demo.yaml")
    assert [(r.status, r.binding) for r in _rules(in_force, out)] == [("not_applicable", True)]
    assert [(r.status, r.binding) for r in _rules(in_force, record)] == [
        ("not_applicable", True)]


def test_after_the_text_lapsed_an_undated_breach_does_not_bind_a_dated_one_does() -> None:
    header = HEADER.replace("  effective: 2020-01-01\n",
                            "  effective: 2020-01-01\n  expires: 2024-12-31\n")
    undated = _pack(header=header)
    (cloud, _filed) = _rules(undated, BREACH)
    assert (cloud.status, cloud.binding, cloud.conduct) == ("not_applicable", False,
                                                            date(2025, 11, 20))
    dated = parse_pack(demo_pack_text(CONDUCT_DATED, header), "demo.yaml")
    (rule,) = _rules(dated, {"contract": {"filed": False, "signed_on": "2024-06-03"}})
    assert (rule.status, rule.binding, rule.conduct, rule.conduct_fact) == (
        "violated", True, date(2024, 6, 3), "contract.signed_on")


VERSIONED = """
rules:
  - id: demo.2.filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    conduct: contract.signed_on
    effective: 2023-01-01
    violated_when: not contract.filed
    message: {zh: 未备案, en: Not filed}
"""


def test_conduct_before_a_rule_took_effect_is_not_governed_by_it() -> None:
    pack = parse_pack(demo_pack_text(VERSIONED), "demo.yaml")
    (early,) = _rules(pack, {"contract": {"filed": False, "signed_on": "2022-06-01"}})
    assert (early.status, early.binding, early.conduct, early.conduct_fact) == (
        "not_applicable", False, date(2022, 6, 1), "contract.signed_on")
    assert early.reason == Text(
        zh="该规则在行为日期2022-06-01不在施行中(见修订)。",
        en="The rule was not in force on the day of the conduct, 2022-06-01 (see the "
           "amendments).")
    (late,) = _rules(pack, {"contract": {"filed": False, "signed_on": "2023-01-02"}})
    assert (late.status, late.binding, late.reason) == ("violated", True, None)
    (unknown,) = _rules(pack, {"contract": {"filed": False}})
    assert (unknown.status, unknown.missing) == ("undetermined",
                                                 frozenset({"contract.signed_on"}))


# -- messages ---------------------------------------------------------------------------

MESSAGES = """
rules:
  - id: demo.2.contract-filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    title: {zh: 合同备案, en: Contract filing}
    deadline:
      after: contract.signed_on
      within: {working_days: 5}
      done_on: contract.filed_on
    message: {zh: "应于{due}前备案(截至{as_of})", en: "Due by {due} (as of {as_of})"}
"""


def test_a_message_fills_its_placeholders_and_states_its_status() -> None:
    pack = parse_pack(demo_pack_text(MESSAGES), "demo.yaml")
    late = evaluate_pack(pack, parse_snapshot({"contract": {"signed_on": "2025-03-03",
                                                            "filed": False}}),
                         date(2025, 11, 20), CAL, include_all=True)
    (finding,) = late.findings
    assert finding.status == "violated"
    assert finding.message == Text(zh="应于2025-03-10前备案(截至2025-11-20)",
                                   en="Due by 2025-03-10 (as of 2025-11-20)")
    assert finding.due == date(2025, 3, 10)
    open_ = evaluate_pack(pack, parse_snapshot({}), date(2025, 11, 20), CAL, include_all=True)
    (undecided,) = open_.findings
    assert undecided.status == "undetermined"
    assert undecided.due is None
    assert undecided.message.en == (
        "Undetermined: if due by unknown (as of 2025-11-20), the rule is breached. "
        "Deciding facts: contract.filed, contract.filed_on, contract.signed_on.")
    assert undecided.message.zh == (
        "尚无法判定:如果应于未知前备案(截至2025-11-20),则违反本规则。"
        "取决于:contract.filed, contract.filed_on, contract.signed_on。")
    on_time = evaluate_pack(pack, parse_snapshot(
        {"contract": {"signed_on": "2025-03-03", "filed_on": "2025-03-04"}}),
        date(2025, 11, 20), CAL, include_all=True)
    assert [f.status for f in on_time.findings] == ["satisfied"]
    assert evaluate_pack(pack, parse_snapshot({"contract": {"signed_on": "2025-03-03",
                                                            "filed_on": "2025-03-04"}}),
                         date(2025, 11, 20), CAL).findings == []


def test_the_message_of_a_rule_that_does_not_apply_names_it() -> None:
    header = HEADER.replace("  effective: 2020-01-01\n", "  effective: 2030-01-01\n")
    pack = parse_pack(demo_pack_text(MESSAGES, header), "demo.yaml")
    report = evaluate_pack(pack, parse_snapshot({"contract": {"signed_on": "2025-03-03",
                                                              "filed": False}}),
                           date(2025, 11, 20), CAL, include_all=True)
    (finding,) = report.findings
    assert finding.status == "not_applicable"
    assert finding.message.en.startswith("Not applicable: Contract filing. The conduct on "
                                         "2025-03-03 predates the text")
    assert finding.message.zh.startswith("不适用:合同备案。行为日期2025-03-03早于本办法施行日期")
    assert finding.details == {"would_be": "violated"}
    assert finding.facts == {}


# -- a due date explained as text -------------------------------------------------------------


def test_a_due_date_explanation_reads_as_lines() -> None:
    detail = {
        "due": "2025-10-10", "rule": "demo.2.contract-filed", "article": {"label": "第二条"},
        "event": {"fact": "contract.signed_on", "date": "2025-09-29"}, "working_days": 5,
        "counted": ["2025-09-30", "2025-10-09"],
        "moved_by": [
            {"date": "2025-10-01", "weekday": "Wed 周三", "kind": "holiday", "name": "国庆节",
             "notice": {"title": "国务院办公厅通知", "doc_number": "国办发明电〔2024〕12号"}},
            {"date": "2025-10-11", "weekday": "Sat 周六", "kind": "makeup_workday",
             "notice": {"title": "国务院办公厅通知"}},
            {"date": "2025-10-02", "weekday": "Thu 周四", "kind": "holiday"}],
        "uncovered_years": [2090, 2091], "calendar_version": "cn-2026.1"}
    assert describe(detail) == [
        "due date 截止日 2025-10-10 — rule 规则 demo.2.contract-filed (第二条)",
        "event 起算事件: contract.signed_on = 2025-09-29; the start day is not counted "
        "起算日不计入",
        "5 working days 个工作日, counted 计入: 2025-09-30, 2025-10-09",
        "  2025-10-01 Wed 周三: day off 放假 (国庆节) — 国务院办公厅通知, 国办发明电〔2024〕12号",
        "  2025-10-11 Sat 周六: make-up working day 调休上班 — 国务院办公厅通知",
        "  2025-10-02 Thu 周四: day off 放假 ()",
        "no official data 无官方数据 for 2090, 2091: Monday-Friday assumed 按周一至周五计算",
        "calendar 日历数据 cn-2026.1"]
    months = {"due": "2025-04-30", "rule": "demo.3.report", "article": {"label": "第三条"},
              "event": {"fact": "contract.signed_on", "date": "2025-03-31"},
              "rule_of_counting": "one month after: the same day of the month, or its end"}
    assert describe(months) == [
        "due date 截止日 2025-04-30 — rule 规则 demo.3.report (第三条)",
        "event 起算事件: contract.signed_on = 2025-03-31; the start day is not counted "
        "起算日不计入",
        "one month after: the same day of the month, or its end"]
    assert describe({}) == [
        "due date 截止日 None — rule 规则 None (None)",
        "event 起算事件: None = None; the start day is not counted 起算日不计入", ""]


LONG_COUNT = """
rules:
  - id: demo.2.contract-filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    deadline:
      after: contract.signed_on
      within: {working_days: %d}
      done_on: contract.filed_on
    message: {zh: 未备案, en: Not filed}
"""


def _year_warnings(working_days: int) -> list[str]:
    pack = parse_pack(demo_pack_text(LONG_COUNT % working_days), "demo.yaml")
    report = evaluate_pack(pack, parse_snapshot({"contract": {"signed_on": "2080-01-02"}}),
                           date(2095, 1, 1), CAL)
    return [w.message for w in report.warnings if w.code == "calendar-year-missing"]


def test_more_than_ten_years_without_data_are_one_warning() -> None:
    assert _year_warnings(3000) == [
        "no official working-day data for 12 years (2080 to 2091): Monday-Friday assumed "
        "/ 12 个年份无官方工作日数据,按周一至周五计算"]
    ten = _year_warnings(2550)
    assert len(ten) == 10
    assert ten[0] == ("no official working-day data for 2080: Monday-Friday assumed (add the "
                      "State Council schedule for that year to the calendar data)")
    assert ten[-1].startswith("no official working-day data for 2089:")


# -- next steps ------------------------------------------------------------------------------------

STEPS = """
rules:
  - id: demo.2.contract-filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    deadline:
      after: contract.signed_on
      within: {working_days: 5}
      done_on: contract.filed_on
      done: contract.filed
    message: {zh: 未备案, en: Not filed}
    next_steps:
      - action: file-contract
        text: {zh: 报备合同, en: File the contract}
        responsible: 项目实施单位
        recipient: 市大数据局
      - action: explain-delay
        text: {zh: 说明延误, en: Explain the delay}
        when: contract.signed_on < as_of
      - action: skip-when-false
        text: {zh: 不需要, en: Not needed}
        when: contract.filed_on is known
      - action: keep-records
        kind: upcoming
        text: {zh: 保存记录, en: Keep the records}
        when: contract.signed_on is known
      - action: never-upcoming
        kind: upcoming
        text: {zh: 不显示, en: Not shown}
        when: contract.signed_on is unknown
      - action: fixed-date
        text: {zh: 固定日期, en: On a fixed date}
        due: add_days(contract.signed_on, 1)
"""


def _steps(record: dict[str, Any], as_of: date) -> list[tuple[Any, ...]]:
    pack = parse_pack(demo_pack_text(STEPS), "demo.yaml")
    report = evaluate_pack(pack, parse_snapshot(record), as_of, CAL)
    return [(s.action, s.kind, s.due, s.overdue, s.because, s.text.en) for s in report.next_steps]


def test_a_breach_asks_for_its_remedial_steps_with_due_dates() -> None:
    late = {"contract": {"signed_on": "2025-03-03", "filed": False}}
    assert _steps(late, date(2025, 11, 20)) == [
        ("fixed-date", "remedial", date(2025, 3, 4), True, ["demo.2.contract-filed"],
         "On a fixed date"),
        ("explain-delay", "remedial", date(2025, 3, 10), True, ["demo.2.contract-filed"],
         "Explain the delay"),
        ("file-contract", "remedial", date(2025, 3, 10), True, ["demo.2.contract-filed"],
         "File the contract")]
    pack = parse_pack(demo_pack_text(STEPS), "demo.yaml")
    step = next(s for s in evaluate_pack(pack, parse_snapshot(late), date(2025, 11, 20),
                                         CAL).next_steps if s.action == "file-contract")
    assert (step.responsible, step.recipient, step.article.number) == (
        "项目实施单位", "市大数据局", 2)


def test_a_deadline_not_yet_passed_makes_its_steps_upcoming() -> None:
    pending = {"contract": {"signed_on": "2025-03-03", "filed": False}}
    assert _steps(pending, date(2025, 3, 5)) == [
        ("fixed-date", "upcoming", date(2025, 3, 4), True, ["demo.2.contract-filed"],
         "On a fixed date"),
        ("explain-delay", "upcoming", date(2025, 3, 10), False, ["demo.2.contract-filed"],
         "Explain the delay"),
        ("file-contract", "upcoming", date(2025, 3, 10), False, ["demo.2.contract-filed"],
         "File the contract"),
        ("keep-records", "upcoming", None, None, ["demo.2.contract-filed"],
         "Keep the records")]
    on_the_day = _steps(pending, date(2025, 3, 10))
    assert [(a, k, o) for a, k, _d, o, _b, _t in on_the_day][1:3] == [
        ("explain-delay", "upcoming", False), ("file-contract", "upcoming", False)]
    done = {"contract": {"signed_on": "2025-03-03", "filed": True,
                         "filed_on": "2025-03-04"}}
    assert _steps(done, date(2025, 3, 5)) == [
        ("keep-records", "upcoming", None, None, ["demo.2.contract-filed"],
         "Keep the records")]
