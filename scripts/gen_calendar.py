"""Write ``src/govrules/data/calendar-cn.yaml`` from the ``chinese_calendar`` package.

A one-off: the shipped file is the source of truth and analysts extend it by hand (or
with an extra file, see ``GOVRULES_CALENDAR``). The shipped file also cites, for each year
and for the days another notice fixed, the State Council notice (``notice:``), which this
script does not write: after a regeneration, carry the citations over from the previous
file (``tests/test_calendar_sources.py`` fails on a year without its notice). Rerun only
to regenerate the whole file from a newer ``chinese_calendar`` release, then review the
diff against the State Council notices. Needs ``pip install chinesecalendar`` in the
running environment; govrules itself never imports it.

    python scripts/gen_calendar.py [OUTPUT]
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from itertools import groupby
from pathlib import Path

from chinese_calendar import constants  # type: ignore[import-not-found]

VERSION = "cn-2026.1"
FIRST_YEAR, LAST_YEAR = 2004, 2026
OUTPUT = Path(__file__).resolve().parent.parent / "src/govrules/data/calendar-cn.yaml"

NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

HEADER = f"""\
# The official PRC working-day schedule: public holidays and make-up working days.
#
# Source: the State Council General Office notices on public holiday arrangements
# (国务院办公厅关于YYYY年部分节假日安排的通知), {FIRST_YEAR}-{LAST_YEAR}, as collected by
# the chinese_calendar package; generated once by scripts/gen_calendar.py.
#
# How a day is counted: in a year listed here, a day is a working day when it is
# Monday to Friday and not in a holiday range, or when it is a make-up working day.
# A year not listed falls back to Monday to Friday, and reports say so.
#
# To add a year: when the State Council publishes next year's notice (usually in
# November), add a block under `years:` keyed by the calendar year of the dates
# (a make-up day on 31 December belongs to that December's year), list each block of
# days off as a range (weekends inside the block included), list the make-up working
# days (调休上班), and bump `version`. Or put the new years in a separate file of the
# same shape and name it in the GOVRULES_CALENDAR environment variable.
"""


def _bridgeable(last: date, day: date) -> bool:
    """Whether only ordinary weekend days lie between ``last`` and ``day``."""
    gap = [last + timedelta(days=k) for k in range(1, (day - last).days)]
    return all(d.weekday() >= 5 and d not in constants.workdays for d in gap)


def _ranges(days: list[date]) -> list[tuple[str, date, date]]:
    """Dates with the same holiday name as (name, first, last) ranges.

    The package leaves out some weekend days inside a block (2015's Dragon Boat
    Festival, 20-22 June); such gaps are bridged, which changes no working day.
    """
    out: list[tuple[str, date, date]] = []
    for day in days:
        name = str(constants.holidays[day])
        if out and out[-1][0] == name and _bridgeable(out[-1][2], day):
            out[-1] = (name, out[-1][1], day)
        else:
            out.append((name, day, day))
    return out


def render() -> str:
    lines = [HEADER, f'version: "{VERSION}"',
             'source: "State Council General Office notices on public holiday arrangements '
             f'(国务院办公厅关于…节假日安排的通知), {FIRST_YEAR}–{LAST_YEAR}"', "years:"]
    holidays = sorted(d for d in constants.holidays if FIRST_YEAR <= d.year <= LAST_YEAR)
    workdays = sorted(d for d in constants.workdays if FIRST_YEAR <= d.year <= LAST_YEAR)
    by_year = {y: list(g) for y, g in groupby(holidays, key=lambda d: d.year)}
    make_up = {y: list(g) for y, g in groupby(workdays, key=lambda d: d.year)}
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        lines += [f"  {year}:", "    holidays:"]
        for name, first, last in _ranges(by_year.get(year, [])):
            label = f"{NAMES_ZH[name]} {name}".replace('"', '\\"')
            lines.append(f'      - {{name: "{label}", from: {first}, to: {last}}}')
        days = ", ".join(str(d) for d in make_up.get(year, []))
        lines.append(f"    workdays: [{days}]")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else OUTPUT
    text = render()
    make_up_2025 = [str(d) for d in sorted(constants.workdays) if d.year == 2025]
    expected = ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]
    if make_up_2025 != expected:
        raise SystemExit(f"unexpected 2025 make-up days {make_up_2025}: check the package")
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} ({VERSION})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
