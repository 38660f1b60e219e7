"""Article texts once per report: the JSON form says each cited article's title and
summary (and the full text a reason cites) once, in ``articles``; findings keep their
quotes; reading the JSON gives back the same report."""

from __future__ import annotations

import json
from datetime import date

from govrules import Report, evaluate
from govrules.base.calendar import Calendar
from govrules.model.pack import builtin_pack, builtin_pack_ids
from tests.conftest import REPO

CAL = Calendar.default()


def example_reports(include_all: bool = True) -> list[Report]:
    """The Guiyang example and every pack's own examples."""
    out = [evaluate(REPO / "examples" / "guiyang-violations.yaml", city="guiyang",
                    include_all=include_all)]
    for pack_id in builtin_pack_ids():
        pack = builtin_pack(pack_id)
        for example in pack.examples:
            out.append(evaluate(dict(example.snapshot), pack=pack, as_of=example.as_of,
                                calendar=CAL, include_all=include_all))
    return out


def _reports() -> list[Report]:
    out = example_reports()
    # Conduct before the text: reasons cite the validity article's full text.
    out.append(evaluate({"project": {"level": "municipal", "classified": False,
                                     "categories": ["application"], "phase": "planning"},
                         "funding": {"source": "fiscal"}}, city="shangrao",
                        as_of=date(2018, 6, 30), include_all=True))
    return out


def test_each_summary_is_said_once_and_findings_keep_their_quotes() -> None:
    for report in _reports():
        data = json.loads(report.model_dump_json())
        cited = {(f.article.pack, f.article.number): f.article for f in report.findings}
        for (pack, number), ref in cited.items():
            entry = data["articles"][f"{pack}.{number}"]
            assert entry.get("summary") == ref.summary
            assert entry.get("title") == ref.title
        for finding, out in zip(report.findings, data["findings"], strict=True):
            assert out["article"]["quote"] == finding.article.quote
            assert "summary" not in out["article"]
            assert "title" not in out["article"]
            assert "chapter" in out["article"]  # the report contract requires it there
        assert not any("summary" in s["article"] for s in data["next_steps"])


def test_the_full_text_a_reason_cites_is_said_once() -> None:
    report = _reports()[-1]
    cites = [f.cites for f in report.findings if f.cites is not None]
    assert cites, "conduct before the text cites its validity article"
    data = report.to_json_dict()
    full = cites[0].quote
    assert full
    assert data["articles"][f"{cites[0].pack}.{cites[0].number}"]["text"] == full
    assert json.dumps(data, ensure_ascii=False).count(full) == 1


def test_reading_the_json_gives_the_same_report() -> None:
    for report in _reports():
        assert Report.model_validate_json(report.model_dump_json()) == report
        assert Report.model_validate(report.to_json_dict()) == report
        again = Report.model_validate(report.to_json_dict())
        assert [f.article.summary for f in again.findings] == \
            [f.article.summary for f in report.findings]
