"""``govrules portfolio``, ``check --format html|ics``, the xlsx reader, import cost."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from govrules.base.errors import GovrulesError
from govrules.cli.main import main
from govrules.io.xlsx_records import read_xlsx
from tests.service.conftest import EXAMPLES

GUIYANG = str(EXAMPLES / "guiyang-violations.yaml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_portfolio_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "p.sqlite3")
    code, out, _ = run(capsys, "portfolio", "--db", db, "add", GUIYANG,
                       str(EXAMPLES / "wuhai-project.yaml"))
    assert code == 0
    assert "evaluation 1 guiyang non_compliant (3 dated)" in out
    code, out, _ = run(capsys, "portfolio", "--db", db, "due", "--on", "2025-11-20",
                       "--days", "45", "--format", "json")
    assert [(d["project"], d["due"]) for d in json.loads(out)] == [
        ("GY-2025-JT-017", "2025-12-31")]
    code, out, _ = run(capsys, "portfolio", "--db", db, "overdue", "--on", "2026-03-01",
                       "--city", "guiyang")
    assert out.count("GY-2025-JT-017") == 2
    code, out, _ = run(capsys, "portfolio", "--db", db, "evaluate", "GY-2025-JT-017",
                       "--as-of", "2026-01-15")
    assert json.loads(out)[0]["as_of"] == "2026-01-15"
    code, out, _ = run(capsys, "portfolio", "--db", db, "changes", "GY-2025-JT-017",
                       "--format", "json")
    change = json.loads(out)[0]
    assert change["previous"]["as_of"] == "2025-11-20"
    assert change["as_of"] == "2026-01-15"
    code, out, _ = run(capsys, "portfolio", "--db", db, "history", "GY-2025-JT-017")
    assert out.count("guiyang v") == 2
    code, out, _ = run(capsys, "portfolio", "--db", db, "replay", "1")
    assert code == 0
    assert json.loads(out)["verified"] is True
    code, out, _ = run(capsys, "portfolio", "--db", db, "ics")
    assert out.startswith("BEGIN:VCALENDAR")
    assert "[GY-2025-JT-017]" in out
    code, _, err = run(capsys, "portfolio", "--db", db, "history", "nobody")
    assert code == 2
    assert "unknown-project" in err


def test_portfolio_add_reports_a_bad_file_located(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: b\ncity: guiyang\nproject:\n  kind: spaceship\n", encoding="utf-8")
    code, _, err = run(capsys, "portfolio", "--db", str(tmp_path / "p.db"), "add", str(bad))
    assert code == 2
    assert f"{bad}:4" in err


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.external: list[str] = []
        self.svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.svgs += tag == "svg"
        for key, value in attrs:
            if key in ("src", "href") and value and "://" in value:
                self.external.append(value)


def test_html_report_is_self_contained(tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.html"
    assert main(["check", GUIYANG, "--format", "html", "-o", str(out), "-q"]) == 1
    text = out.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(text)
    assert parser.external == []
    assert parser.svgs == 1
    assert "不合规" in text
    assert "guiyang.12.bid-result-filed" in text
    assert text.count('<g class="item') == 3


def test_ics_export(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", GUIYANG, "--format", "ics", "-q")
    assert code == 1
    lines = out.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2] == "END:VCALENDAR"
    assert out.count("BEGIN:VEVENT") == 3
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert "DTSTART;VALUE=DATE:20251231" in out
    main(["check", GUIYANG, "--format", "ics", "-q"])
    assert capsys.readouterr().out == out  # the same report, the same bytes


def _book(rows: list[list[object]]) -> io.BytesIO:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "登记表"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_xlsx_reads_typed_cells() -> None:
    rows = list(read_xlsx(_book([
        ["id", "city", "as_of", "budget.original", "procurement.bid_result_filed",
         "project.owner"],
        ["A", "guiyang", datetime(2025, 11, 20), 5000000, "是", None],
        [None, None, None, None, None, None],
        ["B", "wuhai", date(2025, 1, 2), 12.5, True, "乙局"]]), "reg.xlsx"))
    assert [str(span) for span, _ in rows] == ["reg.xlsx!登记表:2", "reg.xlsx!登记表:4"]
    first, second = (value for _, value in rows)
    assert first == {"id": "A", "city": "guiyang", "as_of": "2025-11-20",
                     "budget": {"original": 5000000},
                     "procurement": {"bid_result_filed": True}}
    assert isinstance(second, dict)
    assert str(second["budget"]["original"]) == "12.5"


def test_xlsx_errors_are_located() -> None:
    rows = list(read_xlsx(_book([["id", "as_of", "budget.orignal"],
                                 ["A", datetime(2025, 1, 1, 9, 30), 1]]), "reg.xlsx"))
    (_, error), = rows
    assert isinstance(error, GovrulesError)
    codes = {(d.code, d.span.col if d.span else None) for d in error.diagnostics}
    assert ("xlsx-unknown-column", 3) in codes
    broken = list(read_xlsx(io.BytesIO(b"not a zip"), "x.xlsx"))
    assert isinstance(broken[0][1], GovrulesError)
    assert broken[0][1].code == "xlsx-unreadable"


def test_import_govrules_loads_no_service_dependency() -> None:
    code = ("import sys, govrules, govrules.cli.main; bad = [m for m in ('starlette', 'uvicorn', "
            "'sqlalchemy', 'alembic', 'openpyxl', 'multipart') if m in sys.modules]; "
            "print(bad)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"


def test_a_duty_done_late_is_on_the_timeline_but_not_in_the_calendar(
        capsys: pytest.CaptureFixture[str]) -> None:
    from govrules import evaluate
    from govrules.io.formats.timeline import due_items, timeline_svg

    report = evaluate(EXAMPLES / "jincheng-project.yaml")
    states = {(i.rule, i.state) for i in due_items(report)}
    assert ("jincheng.15.contract-filed", "late") in states
    assert ("jincheng.21.report-filed", "overdue") in states
    assert 'class="item late" data-rule="jincheng.15.contract-filed"' in timeline_svg(report)
    _, out, _ = run(capsys, "check", str(EXAMPLES / "jincheng-project.yaml"), "--format",
                    "ics", "-q")
    out = out.replace("\r\n ", "")  # unfolded
    assert "jincheng.21.report-filed" in out
    assert "jincheng.15.contract-filed" not in out
