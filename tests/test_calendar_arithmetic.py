"""Period arithmetic pinned: one month arithmetic (``calendar.add_months``/``add_years``),
the condition functions tied to it, quarters at their edges, working days counted
backwards through years without data, and the calendar loader's diagnostics."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter

from govrules.base.calendar import Calendar, Quarter, YearSchedule, add_months, add_years
from govrules.base.errors import CalendarError
from govrules.lang import BUILTINS, Env, EvalContext, Unknown, compile_expression, type_from_model

CAL = Calendar.default()
ANY_DAY = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
SHIFT = st.integers(min_value=-30_000, max_value=30_000)


def _oracle(day: date, **shift: int) -> date | None:
    try:
        return day + relativedelta(**shift)  # type: ignore[arg-type]
    except (ValueError, OverflowError):
        return None


def _ours(adder: object, day: date, n: int) -> date | None:
    try:
        return adder(day, n)  # type: ignore[operator]
    except (ValueError, OverflowError):
        return None


# -- one month arithmetic, checked against dateutil ------------------------------------------


@settings(max_examples=2000, deadline=None)
@given(ANY_DAY, SHIFT)
def test_add_months_is_relativedelta(day: date, n: int) -> None:
    assert _ours(add_months, day, n) == _oracle(day, months=n)


@settings(max_examples=2000, deadline=None)
@given(ANY_DAY, st.integers(min_value=-10_000, max_value=10_000))
def test_add_years_is_relativedelta(day: date, n: int) -> None:
    assert _ours(add_years, day, n) == _oracle(day, years=n)


@pytest.mark.parametrize(("day", "n", "want"), [
    (date(1, 1, 31), 1, date(1, 2, 28)),
    (date(1, 3, 31), -2, date(1, 1, 31)),
    (date(9999, 12, 31), 0, date(9999, 12, 31)),
    (date(9999, 11, 30), 1, date(9999, 12, 30)),
    (date(2024, 3, 31), -1, date(2024, 2, 29)),
    (date(2025, 12, 15), 1, date(2026, 1, 15)),
    (date(2025, 1, 15), -1, date(2024, 12, 15)),
    (date(2025, 1, 15), 12, date(2026, 1, 15)),
])
def test_add_months_at_the_edges(day: date, n: int, want: date) -> None:
    assert add_months(day, n) == want


@pytest.mark.parametrize(("day", "n"), [(date(1, 1, 1), -1), (date(9999, 12, 1), 1)])
def test_add_months_out_of_range_is_a_value_error(day: date, n: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        add_months(day, n)


@pytest.mark.parametrize(("day", "n", "want"), [
    (date(2024, 2, 29), 1, date(2025, 2, 28)),
    (date(2024, 2, 29), 4, date(2028, 2, 29)),
    (date(2024, 2, 28), 1, date(2025, 2, 28)),
    (date(2023, 3, 1), 1, date(2024, 3, 1)),
    (date(1, 1, 1), 9998, date(9999, 1, 1)),
])
def test_add_years_at_the_edges(day: date, n: int, want: date) -> None:
    assert add_years(day, n) == want


# -- the condition functions are the calendar's --------------------------------------------------


class _Facts(BaseModel):
    d: date | None = None
    n: int | None = None


ENV = Env(type_from_model(_Facts))


@settings(max_examples=400, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.integers(min_value=-1200, max_value=1200))
def test_condition_functions_use_the_calendar_arithmetic(day: date, n: int) -> None:
    ctx = EvalContext(_Facts(d=day, n=n), date(2025, 1, 1), CAL)
    assert compile_expression("add_months(d, n)", ENV, expect=None).fn(ctx) == add_months(day, n)
    assert compile_expression("add_years(d, n)", ENV, expect=None).fn(ctx) == add_years(day, n)


def test_condition_functions_out_of_range_are_unknown() -> None:
    ctx = EvalContext(_Facts(d=date(9999, 12, 1), n=1), date(2025, 1, 1), CAL)
    for text in ("add_months(d, n)", "add_years(d, n)"):
        value = compile_expression(text, ENV, expect=None).fn(ctx)
        assert isinstance(value, Unknown)
        assert value.missing == frozenset()


def test_the_function_table_is_immutable_and_replaced_not_edited() -> None:
    with pytest.raises(TypeError):
        BUILTINS["add_months"] = BUILTINS["add_days"]  # type: ignore[index]
    table = BUILTINS.replace(
        BUILTINS["add_days"].__class__(**{**_fields(BUILTINS["add_days"]), "name": "add_months"}))
    assert table["add_months"].impl is BUILTINS["add_days"].impl
    assert BUILTINS["add_months"].impl is not BUILTINS["add_days"].impl
    assert len(table) == len(BUILTINS)
    env = Env(ENV.root, functions=table)
    ctx = EvalContext(_Facts(d=date(2025, 1, 31), n=1), date(2025, 1, 1), CAL)
    assert compile_expression("add_months(d, n)", env, expect=None).fn(ctx) == date(2025, 2, 1)
    assert compile_expression("add_months(d, n)", ENV, expect=None).fn(ctx) == date(2025, 2, 28)
    derived = env.with_derived("later", compile_expression("add_months(d, n)", env, expect=None))
    assert derived.functions is table


def test_a_function_table_names_each_function_once() -> None:
    with pytest.raises(ValueError, match="listed twice"):
        type(BUILTINS)([BUILTINS["abs"], BUILTINS["abs"]])
    assert "add_months" in repr(BUILTINS)


def _fields(function: object) -> dict[str, object]:
    return {name: getattr(function, name) for name in function.__dataclass_fields__}  # type: ignore[attr-defined]


# -- quarters at their edges -------------------------------------------------------------------


@pytest.mark.parametrize("q", [1, 2, 3, 4])
def test_previous_and_next_quarter(q: int) -> None:
    quarter = Quarter(2025, q)
    assert quarter.previous().next() == quarter
    assert quarter.next().previous() == quarter
    assert quarter.previous().end + timedelta(days=1) == quarter.start
    assert quarter.next().start - timedelta(days=1) == quarter.end
    assert quarter.previous() == (Quarter(2024, 4) if q == 1 else Quarter(2025, q - 1))


@pytest.mark.parametrize(("year", "q"), [(2025, 0), (2025, 5), (0, 1), (10000, 1), (-1, 2)])
def test_no_such_quarter(year: int, q: int) -> None:
    with pytest.raises(ValueError, match=f"no such quarter: year {year}, quarter {q}"):
        Quarter(year, q)


@pytest.mark.parametrize(("year", "q"), [(1, 1), (9999, 4)])
def test_the_first_and_last_quarters_exist(year: int, q: int) -> None:
    assert str(Quarter(year, q)) == f"{year:04d}Q{q}"


def test_a_quarter_field_takes_text_or_a_quarter_only() -> None:
    adapter = TypeAdapter(Quarter)
    assert adapter.validate_python(Quarter(2025, 3)) == Quarter(2025, 3)
    assert adapter.validate_python("2025Q3") == Quarter(2025, 3)
    with pytest.raises(ValueError, match="a quarter must be a string like '2025Q3', not int"):
        adapter.validate_python(20253)
    assert adapter.dump_python(Quarter(2025, 3)) == "2025Q3"
    assert adapter.dump_python(Quarter(2025, 3), mode="json") == "2025Q3"
    assert adapter.json_schema()["examples"] == ["2025Q3"]


# -- working days counted backwards through years without data ----------------------------------


def test_counting_backwards_notes_the_years_passed_through() -> None:
    uncovered: set[int] = set()
    start = date(2031, 1, 10)
    back = CAL.add_working_days(start, -300, uncovered)
    assert back.year == 2029
    assert uncovered == {2029, 2030, 2031}
    uncovered.clear()
    CAL.add_working_days(date(2031, 1, 10), -3, uncovered)
    assert uncovered == {2031}


def test_counting_backwards_into_a_year_without_data_from_one_with_data() -> None:
    uncovered: set[int] = set()
    first_data_year = min(CAL.years)
    CAL.add_working_days(date(first_data_year, 1, 20), -30, uncovered)
    assert uncovered == {first_data_year - 1}


def test_working_days_between_notes_nothing_for_an_empty_span() -> None:
    uncovered: set[int] = set()
    assert CAL.working_days_between(date(2035, 3, 3), date(2035, 3, 3), uncovered) == 0
    assert uncovered == set()
    assert CAL.working_days_between(date(2035, 3, 10), date(2035, 3, 3), uncovered) == -5
    assert uncovered == {2035}


def test_a_calendar_without_data() -> None:
    bare = Calendar({}, "none")
    assert repr(bare) == "Calendar(version='none', years=none)"
    assert repr(Calendar({2025: YearSchedule(), 2027: YearSchedule()}, "v")) == \
        "Calendar(version='v', years=2025..2027)"
    assert bare.add_working_days(date(2025, 1, 3), 1) == date(2025, 1, 6)  # Friday to Monday
    assert bare.add_working_days(date(2025, 1, 6), -1) == date(2025, 1, 3)


def test_a_weekend_make_up_day_counts_and_a_weekday_holiday_does_not() -> None:
    cal = Calendar({2025: YearSchedule(holidays=frozenset({date(2025, 1, 6)}),
                                       workdays=frozenset({date(2025, 1, 4)}))}, "t")
    assert cal.add_working_days(date(2025, 1, 3), 1) == date(2025, 1, 4)
    assert cal.add_working_days(date(2025, 1, 3), 2) == date(2025, 1, 7)
    assert cal.add_working_days(date(2025, 1, 7), -1) == date(2025, 1, 4)
    assert cal.working_days_between(date(2025, 1, 3), date(2025, 1, 7)) == 2


@pytest.mark.parametrize(("schedules", "message"), [
    ({2025: YearSchedule(holidays=frozenset({date(2024, 12, 31)}))},
     "2024-12-31 is listed under year 2025"),
    ({2025: YearSchedule(workdays=frozenset({date(2026, 1, 1)}))},
     "2026-01-01 is listed under year 2025"),
    ({2025: YearSchedule(holidays=frozenset({date(2025, 1, 4), date(2025, 1, 5)}),
                         workdays=frozenset({date(2025, 1, 5), date(2025, 1, 4)}))},
     "2025-01-04 is both off and on"),
])
def test_the_constructor_names_the_bad_day(schedules: dict[int, YearSchedule],
                                          message: str) -> None:
    with pytest.raises(ValueError, match=f"^{message}$"):
        Calendar(schedules, "t")


# -- the loader's diagnostics -----------------------------------------------------------------


def _problems(tmp_path: Path, text: str) -> list[tuple[str, str, str | None, str | None]]:
    path = tmp_path / "cal.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CalendarError) as err:
        Calendar.load([path], builtin=False)
    return [(d.code, d.message, d.path, d.hint) for d in err.value.diagnostics]


def test_a_quoted_date_gets_a_hint(tmp_path: Path) -> None:
    problems = _problems(tmp_path, 'version: "v"\nyears:\n  2031:\n    workdays: ["2031-01-04"]\n')
    assert problems == [("calendar-invalid", "Input should be a valid date",
                         "years.2031.workdays[0]", "write dates as YYYY-MM-DD, unquoted")]


def test_other_structure_errors_get_pydantic_messages_and_no_hint(tmp_path: Path) -> None:
    problems = _problems(tmp_path, 'version: "v"\nyears: {2031: {extra: 1}}\n')
    assert problems == [("calendar-invalid", "Extra inputs are not permitted",
                         "years.2031.extra", None)]


def test_every_date_problem_is_reported_with_its_place(tmp_path: Path) -> None:
    problems = _problems(tmp_path, """\
version: "v"
years:
  2031:
    holidays:
      - {name: a, from: 2030-12-31, to: 2031-01-02}
      - {name: b, from: 2031-02-05, to: 2031-02-01}
      - {name: c, from: 2031-03-01}
    workdays: [2032-01-01, 2031-03-01]
""")
    assert problems == [
        ("calendar-date-outside-year", "2030-12-31 is not in 2031", "years.2031.holidays[0].from",
         None),
        ("calendar-range-reversed", "the range ends (2031-02-01) before it starts (2031-02-05)",
         "years.2031.holidays[1].to", None),
        ("calendar-date-outside-year", "2032-01-01 is not in 2031", "years.2031.workdays[0]",
         None),
        ("calendar-conflict",
         "2031-03-01 is listed both as a holiday and as a make-up working day",
         "years.2031.workdays[1]", None),
    ]


def test_a_holiday_range_covers_every_day_from_first_to_last(tmp_path: Path) -> None:
    path = tmp_path / "cal.yaml"
    path.write_text('version: " mine "\nyears:\n  2031:\n    holidays:\n'
                    '      - {name: a, from: 2031-02-03, to: 2031-02-05}\n  2032:\n',
                    encoding="utf-8")
    cal = Calendar.load([path], builtin=False)
    assert cal.version == "mine"
    assert cal.years == {2031, 2032}
    assert [cal.is_working_day(date(2031, 2, d)) for d in range(2, 8)] == \
        [False, False, False, False, True, True]  # 2 Feb 2031 is a Sunday


# -- what the mutation run showed unpinned ---------------------------------------------------------


def test_the_years_noted_start_the_day_after_and_end_the_day_before() -> None:
    """2030 and later have no official data in the shipped calendar."""
    cases = [
        (lambda u: CAL.add_working_days(date(2030, 12, 31), 1, u), {2031}),
        (lambda u: CAL.add_working_days(date(2030, 12, 30), 3, u), {2030, 2031}),
        (lambda u: CAL.add_working_days(date(2030, 12, 31), -1, u), {2030}),
        (lambda u: CAL.add_working_days(date(2031, 1, 2), -1, u), {2031}),
        (lambda u: CAL.working_days_between(date(2031, 1, 1), date(2031, 1, 5), u), {2031}),
        (lambda u: CAL.working_days_between(date(2030, 12, 30), date(2031, 1, 3), u),
         {2030, 2031}),
    ]
    assert max(CAL.years) < 2030
    for count, want in cases:
        uncovered: set[int] = set()
        count(uncovered)
        assert uncovered == want


def test_a_long_run_of_holidays_is_counted_through() -> None:
    """A holiday block longer than the first guess of the search (two days per working
    day, plus sixteen) is crossed, forwards and backwards."""
    off = frozenset(date(2025, 3, 1) + timedelta(days=k) for k in range(90))
    cal = Calendar({2025: YearSchedule(holidays=off)}, "long")
    assert cal.add_working_days(date(2025, 2, 28), 1) == date(2025, 5, 30)
    assert cal.add_working_days(date(2025, 2, 28), 3) == date(2025, 6, 3)
    assert cal.add_working_days(date(2025, 5, 30), -1) == date(2025, 2, 28)
    assert cal.add_working_days(date(2025, 6, 3), -3) == date(2025, 2, 28)
    assert cal.working_days_between(date(2025, 2, 28), date(2025, 5, 30)) == 1


def test_a_weekend_holiday_changes_nothing() -> None:
    cal = Calendar({2025: YearSchedule(holidays=frozenset({date(2025, 1, 4), date(2025, 1, 5)}))},
                   "t")
    assert cal.add_working_days(date(2025, 1, 3), 1) == date(2025, 1, 6)
    assert cal.working_days_between(date(2025, 1, 1), date(2025, 1, 10)) == 7


def test_the_constructor_names_the_earliest_day_both_off_and_on() -> None:
    schedules = {2025: YearSchedule(holidays=frozenset({date(2025, 1, 3), date(2025, 1, 5)}),
                                    workdays=frozenset({date(2025, 1, 5)}))}
    with pytest.raises(ValueError, match=r"^2025-01-05 is both off and on$"):
        Calendar(schedules, "t")


def test_a_calendar_from_no_file_is_plain_monday_to_friday() -> None:
    cal = Calendar.load([], builtin=False)
    assert cal.version == "mon-fri"
    assert cal.years == frozenset()


def test_a_holiday_ending_in_another_year_is_placed_at_its_end(tmp_path: Path) -> None:
    problems = _problems(tmp_path, 'version: "v"\nyears:\n  2031:\n    holidays:\n'
                         '      - {name: a, from: 2031-12-30, to: 2032-01-02}\n')
    assert problems == [("calendar-date-outside-year", "2032-01-02 is not in 2031",
                         "years.2031.holidays[0].to", None)]
