"""Dates a record gives only to the month (``2023-05``).

A condition over such a date is true when it is true for every day of the month, false
when it is false for every day, and otherwise undetermined, naming the date. The tests
check the closures against the oracle evaluated on every day of the month (the oracle
never sees a month): formulas the grammar below generates, and every rule of every
built-in pack on its examples with one date cut to its month.
"""

from __future__ import annotations

import calendar as pycal
import contextlib
import itertools
import json
import os
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from govrules.base.calendar import Calendar, Quarter
from govrules.base.errors import SnapshotError
from govrules.cli.main import main
from govrules.engine.decide import decide
from govrules.engine.evaluate import evaluate
from govrules.lang import Env, EvalContext, Span, Unknown, compile_expression, type_from_model
from govrules.model.pack import builtin_pack, builtin_pack_ids
from govrules.model.snapshot import Snapshot, parse_snapshot
from tests.oracle import Interpreter, State

CAL = Calendar.default()
MAY = Span.month(2023, 5, frozenset({"a"}))
EXAMPLE_CUTS = int(os.environ.get("GOVRULES_MONTH_CUTS", "3"))
"""Date facts cut to the month per pack example (each costs a month of evaluations)."""


def days(span: Span) -> list[date]:
    return [span.lo + timedelta(days=i) for i in range((span.hi - span.lo).days + 1)]


# -- 1. the value --------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "lo", "hi"), [
    ("2023-05", date(2023, 5, 1), date(2023, 5, 31)),
    ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
    ("2023-02", date(2023, 2, 1), date(2023, 2, 28)),
    ("2023-12", date(2023, 12, 1), date(2023, 12, 31)),
])
def test_a_month_is_every_day_of_it(text: str, lo: date, hi: date) -> None:
    snapshot = parse_snapshot({"contract": {"signed_on": text}})
    value = snapshot.contract.signed_on if snapshot.contract else None
    assert isinstance(value, Span)
    assert (value.lo, value.hi, str(value)) == (lo, hi, text)
    assert value.missing == frozenset({"contract.signed_on"})
    assert snapshot.contract is not None
    assert snapshot.contract.signed is True


@pytest.mark.parametrize(("op", "day", "expected"), [
    ("<", date(2023, 6, 1), True), ("<", date(2023, 5, 31), None), ("<", date(2023, 5, 1), False),
    ("<=", date(2023, 5, 31), True), ("<=", date(2023, 5, 30), None),
    ("<=", date(2023, 4, 30), False), ("<=", date(2023, 5, 1), None),
    (">", date(2023, 4, 30), True), (">", date(2023, 5, 1), None), (">", date(2023, 5, 31), False),
    (">=", date(2023, 5, 1), True), (">=", date(2023, 5, 2), None),
    (">=", date(2023, 6, 1), False), (">=", date(2023, 5, 31), None),
    ("==", date(2023, 5, 15), None), ("==", date(2023, 6, 1), False),
    ("!=", date(2023, 5, 15), None), ("!=", date(2023, 4, 30), True),
])
def test_comparisons_hold_for_every_day_or_stay_unknown(op: str, day: date,
                                                        expected: bool | None) -> None:
    fn = {"<": MAY.__lt__, "<=": MAY.__le__, ">": MAY.__gt__, ">=": MAY.__ge__,
          "==": MAY.__eq__, "!=": MAY.__ne__}[op]
    got = fn(day)
    if expected is None:
        assert isinstance(got, Unknown)
        assert got.missing == frozenset({"a"})
    else:
        assert got is expected
    per_day = {eval(f"d {op} day", {"d": d, "day": day}) for d in days(MAY)}
    assert (per_day == {expected}) if expected is not None else per_day == {True, False}


def test_a_date_on_the_left_is_compared_the_same_way() -> None:
    assert (date(2023, 6, 1) > MAY) is True
    assert isinstance(date(2023, 5, 9) >= MAY, Unknown)
    assert (date(2023, 4, 1) == MAY) is False


def test_two_months_compare_as_every_pair_of_days() -> None:
    june = Span.month(2023, 6, frozenset({"b"}))
    assert (june > MAY) is True
    assert (june <= MAY) is False
    same = Span.month(2023, 5, frozenset({"b"})) > MAY
    assert isinstance(same, Unknown)
    assert same.missing == frozenset({"a", "b"})
    again = MAY
    assert (again == MAY) is True  # one fact read twice is the same day


def test_number_spans_follow_interval_arithmetic() -> None:
    span = Span(Decimal(2), Decimal(5), frozenset({"n"}))
    assert (span + 1).lo == 3
    assert (10 - span).hi == 8
    product = span * -2
    assert (product.lo, product.hi) == (-10, -4)
    assert isinstance(1 / Span(Decimal(-1), Decimal(1)), Unknown)
    assert abs(Span(Decimal(-3), Decimal(1))).hi == 3
    assert Span.of(date(2023, 5, 1), date(2023, 5, 1)) == date(2023, 5, 1)


def test_a_span_cannot_be_empty() -> None:
    with pytest.raises(ValueError, match="empty span"):
        Span(date(2023, 5, 2), date(2023, 5, 1))


# -- 2. formulas: closures against the oracle on every day ------------------------------------


class Rec(BaseModel):
    a: date | None = None
    b: date | None = None
    n: int | None = None


ENV = Env(type_from_model(Rec))
AS_OF = date(2024, 1, 10)

DATE_TERMS = st.sampled_from([
    "a", "add_days(a, {k})", "add_months(a, {k})", "add_years(a, 1)",
    "working_days_after(a, {w})", "max(a, b)", "min(a, date('2023-05-17'))",
    "quarter_start(quarter_of(a))", "year_end(a)",
])
OTHER = st.sampled_from([
    "date('2023-05-01')", "date('2023-05-16')", "date('2023-05-31')", "date('2023-06-01')",
    "date('2023-06-09')", "date('2023-07-01')", "b", "as_of",
])
NUMBER_TERMS = st.sampled_from([
    "days_between(a, b)", "months_between(a, date('2023-11-15'))", "year(a)",
    "days_between(date('2023-04-20'), a) + n", "n - months_between(b, a)",
])


@st.composite
def formulas(draw: st.DrawFn) -> str:
    """One comparison where the month ``a`` occurs once, or a Kleene mix of them."""
    def one() -> str:
        if draw(st.booleans()):
            left = draw(DATE_TERMS).format(k=draw(st.integers(-40, 40)),
                                           w=draw(st.integers(1, 12)))
            right = draw(OTHER)
        else:
            left = draw(NUMBER_TERMS)
            right = str(draw(st.integers(-5, 40)))
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
        return f"{left} {op} {right}"

    first = one()
    if draw(st.booleans()):
        return first
    joiner = draw(st.sampled_from(["and", "or"]))
    return f"({first}) {joiner} not ({one()})"


def _oracle(text: str, record: Rec) -> Any:
    compiled = compile_expression(text, ENV)
    return Interpreter(ENV).value(compiled.node, State(EvalContext(record, AS_OF, CAL)), {})


@settings(max_examples=int(os.environ.get("GOVRULES_MONTH_FORMULAS", "400")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(text=formulas(), b=st.sampled_from([date(2023, 5, 20), date(2023, 6, 3), None]),
       n=st.sampled_from([0, 3, None]))
def test_closures_agree_with_the_oracle_on_every_day_of_the_month(
        text: str, b: date | None, n: int | None) -> None:
    month = Span.month(2023, 5, frozenset({"a"}))
    record = Rec.model_construct(a=month, b=b, n=n)  # type: ignore[arg-type]
    got = compile_expression(text, ENV).fn(EvalContext(record, AS_OF, CAL))
    per_day = [_oracle(text, Rec(a=d, b=b, n=n)) for d in days(month)]
    if got is True or got is False:  # sound: never decided against one of the days
        assert per_day == [got] * len(per_day), (text, got)
        return
    assert isinstance(got, Unknown), (text, got)
    decided = [v for v in per_day if not isinstance(v, Unknown)]
    if decided and len(set(decided)) == 2:
        assert "a" in got.missing  # the exact day would decide
    single = " and " not in text and " or " not in text
    gappy = "working_days_after" in text and ("==" in text or "!=" in text)
    if single and not gappy and len(decided) == len(per_day):
        # one comparison, the month read once, monotone functions with gapless images:
        # every day agreeing means the span agrees too
        assert len(set(decided)) == 2, (text, got, set(decided))


def test_membership_and_folds_take_every_day() -> None:
    env = Env(type_from_model(Snapshot))
    snapshot = parse_snapshot({"security": {"emergency_drills": ["2024-02", "2024-03-05"]}})
    ctx = EvalContext(snapshot, AS_OF, CAL)

    def run(text: str) -> Any:
        return compile_expression(text, env).fn(ctx)

    assert run("date('2024-03-05') in security.emergency_drills") is True
    maybe = run("date('2024-02-10') in security.emergency_drills")
    assert isinstance(maybe, Unknown)
    assert maybe.missing == frozenset({"security.emergency_drills[0]"})
    assert run("date('2024-04-01') in security.emergency_drills") is False
    assert run("min(d in security.emergency_drills: d) < date('2024-03-01')") is True
    assert run("max(d in security.emergency_drills: d) > date('2024-03-10')") is False
    assert isinstance(run("min(d in security.emergency_drills: d) > date('2024-02-15')"), Unknown)
    assert run("any(d in security.emergency_drills: d >= date('2024-02-01'))") is True


@pytest.mark.parametrize("name", ["months_between", "days_between"])
def test_the_between_functions_are_monotone_as_the_lifting_assumes(name: str) -> None:
    from govrules.base.calendar import days_between, months_between
    fn = {"months_between": months_between, "days_between": days_between}[name]
    start = date(2023, 1, 25)
    span = [start + timedelta(days=i) for i in range(70)]
    for a, b in itertools.product(span[::3], span[::2]):
        later = b + timedelta(days=1)
        assert fn(a, later) >= fn(a, b)  # rises with the second date
        assert fn(a + timedelta(days=1), b) <= fn(a, b)  # falls with the first


# -- 3. every rule of every pack, one date of each example cut to its month --------------------


def _dates(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], date]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key != "as_of":
                yield from _dates(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _dates(value, (*path, i))
    elif isinstance(data, date):
        yield path, data
    elif isinstance(data, str) and len(data) == 10 and data[4] == "-" and data[7] == "-":
        with contextlib.suppress(ValueError):
            yield path, date.fromisoformat(data)


def _put(data: Any, path: tuple[Any, ...], value: object) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {**data, head: _put(data[head], rest, value)}
    out = list(data)
    out[head] = _put(out[head], rest, value)
    return out


OUTCOME = {"satisfied": "no breach", "not_applicable": "no breach", "violated": "breach",
           "waived": "waived", "undetermined": "undetermined"}
"""What a status says about a breach: satisfied and not applicable both say none (a rule
whose applicability is unknown but that nothing breaches is satisfied, on a month as on
a missing fact)."""


def _statuses(pack_id: str, data: Any, as_of: date) -> dict[str, str]:
    pack = builtin_pack(pack_id)
    decisions = decide(pack, parse_snapshot(data, model=pack.snapshot_model), as_of,
                       calendar=CAL)
    return {r.rule.id: r.status for r in decisions.rules}


@pytest.mark.parametrize("pack_id", builtin_pack_ids())
def test_every_rule_is_sound_on_a_date_known_only_to_the_month(pack_id: str) -> None:
    pack = builtin_pack(pack_id)
    exact = cut = 0
    for case in pack.examples:
        data = json.loads(json.dumps(dict(case.snapshot), default=str))
        for path, day in list(_dates(data))[:EXAMPLE_CUTS]:
            month = f"{day.year:04d}-{day.month:02d}"
            try:
                coarse = _statuses(pack_id, _put(data, path, month), case.as_of)
            except SnapshotError:  # an exact day only (an exception's approval)
                assert path[0] == "exceptions"
                continue
            last = pycal.monthrange(day.year, day.month)[1]
            per_day = [_statuses(pack_id, _put(data, path, date(day.year, day.month, d)
                                               .isoformat()), case.as_of)
                       for d in range(1, last + 1)]
            for rule, status in coarse.items():
                seen = {OUTCOME[statuses[rule]] for statuses in per_day}
                if status != "undetermined":
                    assert seen == {OUTCOME[status]}, (case.name, path, rule, status, seen)
                    exact += 1
                elif len(seen) == 1 and "undetermined" not in seen:
                    cut += 1  # undetermined although every day agrees: a correlated read
    assert exact > 0
    assert cut <= exact // 20 + 5, f"{cut} rules lost to the month's width (vs {exact} decided)"


# -- 4. end to end --------------------------------------------------------------------------

JINCHENG = {"city": "jincheng", "as_of": "2025-11-20",
            "project": {"level": "municipal", "phase": "operation", "classified": False},
            "funding": {"source": "fiscal"}}


@pytest.mark.parametrize(("signed", "filed", "status"), [
    ("2019-06", None, "not_applicable"),   # every day of it precedes the measures (J1)
    ("2019-12", None, "undetermined"),     # the measures took effect on 2019-12-13
    ("2025-05", "2025-06-20", "violated"),  # late whichever day it was signed
    ("2025-05", "2025-05-30", "undetermined"),  # on time if signed after about 23 May
    ("2025-05", None, "violated"),
])
def test_a_filing_deadline_from_a_month(signed: str, filed: str | None, status: str,
                                        report_contract: dict[str, Any] | None) -> None:
    contract: dict[str, Any] = {"signed_on": signed}
    contract.update({"filed_on": filed} if filed else {"filed": False})
    report = evaluate({**JINCHENG, "contract": contract}, include_all=True)
    finding = next(f for f in report.findings if f.rule == "jincheng.15.contract-filed")
    assert finding.status == status
    if status == "undetermined":
        assert "contract.signed_on" in finding.missing
    if status == "not_applicable":  # the month itself is named, no day is made up
        assert finding.reason is not None
        assert "2019-06" in finding.reason.en
        assert "2019-06" in finding.reason.zh
        assert finding.conduct is not None
        assert finding.conduct.date is None
    if report_contract is not None:
        jsonschema.validate(report.to_json_dict(), report_contract)


def test_a_quarterly_report_dated_to_the_month_it_may_be_late_in(
        report_contract: dict[str, Any] | None) -> None:
    snapshot = {"city": "shangrao", "as_of": "2025-11-20",
                "project": {"level": "municipal", "kind": "construction", "phase": "implementation",
                            "categories": ["application"], "classified": False,
                            "start_date": "2025-04", "implementation_months": 12},
                "funding": {"source": "fiscal"},
                "reports": {"quarterly_progress": [
                    {"period": "2025Q2", "submitted_on": "2025-07",
                     "submitted_to": ["big_data_bureau"]},
                    {"period": "2025Q3", "submitted_on": "2025-10-14",
                     "submitted_to": ["big_data_bureau"]}]}}
    report = evaluate(snapshot, include_all=True)
    finding = next(f for f in report.findings if f.rule == "shangrao.16.quarterly-progress")
    assert finding.status == "undetermined"  # due 2025-07-09: July holds days on time and late
    assert "reports.quarterly_progress[0].submitted_on" in finding.missing
    on_time = json.loads(json.dumps(snapshot))
    on_time["reports"]["quarterly_progress"][0]["submitted_on"] = "2025-07-08"
    assert next(f for f in evaluate(on_time, include_all=True).findings
                if f.rule == "shangrao.16.quarterly-progress").status == "satisfied"
    if report_contract is not None:
        jsonschema.validate(report.to_json_dict(), report_contract)


def test_the_cli_reads_a_month_and_shows_it(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    record = tmp_path / "jc.yaml"
    record.write_text("city: jincheng\nas_of: 2025-11-20\nproject: {level: municipal, "
                      "phase: operation, classified: false}\nfunding: {source: fiscal}\n"
                      "contract: {signed_on: 2025-05, filed: false}\n", encoding="utf-8")
    assert main(["check", str(record), "--format", "json", "--all-findings"]) == 1
    (report,) = json.loads(capsys.readouterr().out)  # one report per record read
    finding = next(f for f in report["findings"] if f["rule"] == "jincheng.15.contract-filed")
    assert finding["status"] == "violated"
    assert finding["facts"]["contract.signed_on"] == "2025-05"


def test_a_bad_month_is_a_located_error(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    record = tmp_path / "bad.yaml"
    record.write_text("city: jincheng\nas_of: 2025-11-20\ncontract:\n  signed_on: 2025-13\n",
                      encoding="utf-8")
    assert main(["check", str(record)]) == 2
    err = capsys.readouterr().err
    assert "bad.yaml:4" in err
    assert "no such month" in err


def test_the_evaluation_date_must_be_a_day() -> None:
    with pytest.raises(SnapshotError) as caught:
        parse_snapshot({"as_of": "2025-11"})
    assert caught.value.diagnostics[0].path == "as_of"


def test_a_month_survives_the_json_round_trip() -> None:
    snapshot = parse_snapshot({"contract": {"signed_on": "2023-05"},
                               "security": {"assessments": [{"performed_on": "2024-06"}]}})
    text = snapshot.model_dump_json(exclude_none=True)
    assert '"signed_on":"2023-05"' in text
    again = Snapshot.model_validate_json(text)
    assert again.contract is not None
    assert isinstance(again.contract.signed_on, Span)
    assert again.security is not None
    assert again.security.assessments is not None
    assert again.security.assessments[0].performed_on is not None
    span = again.security.assessments[0].performed_on
    assert isinstance(span, Span)
    assert span.missing == {"security.assessments[0].performed_on"}
    assert again == snapshot


def test_quarter_functions_of_a_month_stay_exact() -> None:
    env = Env(type_from_model(Snapshot))
    snapshot = parse_snapshot({"project": {"start_date": "2025-05"}})
    ctx = EvalContext(snapshot, AS_OF, CAL)
    value = compile_expression("quarter_of(project.start_date)", env, expect=None).fn(ctx)
    assert value == Quarter(2025, 2)
    assert compile_expression("year(project.start_date) == 2025", env).fn(ctx) is True
