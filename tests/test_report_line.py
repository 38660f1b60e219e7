"""The line form of a report (``Report.to_line_json``, the default of ``--format jsonl``):
the report contract's keys and every finding with its quote, without the full form's tables
and explanations, nor what the rest of the line already says; reading a line gives back the
findings and next steps of the full report."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from benchmarks.records import write_records

import govrules
from govrules import Report, evaluate
from govrules.base.calendar import Calendar
from govrules.engine.evaluate import evaluate_pack
from govrules.model.pack import builtin_pack, builtin_pack_ids, parse_pack
from govrules.model.report import CombinedReport, RuleVersion
from tests.conftest import REPO, cli, demo_pack_text, generated_cases
from tests.test_engine_mutants_findings import BODY, VERSIONED
from tests.test_report_articles import example_reports

CAL = Calendar.default()


def _reports(include_all: bool) -> list[Report]:
    out = example_reports(include_all)
    for pack_id in builtin_pack_ids():
        pack = builtin_pack(pack_id)
        out += [evaluate_pack(pack, snapshot, as_of, CAL, include_all=include_all)
                for snapshot, as_of in generated_cases(pack, 12, seed=7)]
    return out


REPORTS = {flag: _reports(flag) for flag in (False, True)}


def _without_full_only(report: Report) -> dict[str, Any]:
    """The report as Python data, less what only the full form carries."""
    data = report.model_dump(exclude={"articles", "query_plan", "detail"})
    for finding in data["findings"]:
        finding["title"] = None
        finding["consequence"] = None
        for key in ("article", "cites"):
            if finding.get(key) is not None:
                finding[key].update(title=None, summary=None)
    for step in data["next_steps"]:
        step.pop("due_explanation", None)
        step["article"].update(title=None, summary=None)
    return data


@pytest.mark.parametrize("include_all", [False, True], ids=["default", "audit"])
def test_every_line_meets_the_contract_and_reads_back(
        include_all: bool, report_contract: dict[str, Any] | None) -> None:
    for report in REPORTS[include_all]:
        text = report.to_line_json()
        assert "\n" not in text
        data = json.loads(text)
        if report_contract is not None:
            jsonschema.validate(data, report_contract)
        assert data["detail"] == "line"
        assert "articles" not in data
        assert "query_plan" not in data
        for finding, out in zip(report.findings, data["findings"], strict=True):
            assert out["article"]["quote"] == finding.article.quote
            assert out["article"]["chapter"] == finding.article.chapter
            assert out["article"]["item"] == finding.article.item
            assert out["message"] == finding.message.model_dump()
            assert out["missing"] == finding.missing
        back = Report.model_validate_json(text)
        assert back.detail == "line"
        assert _without_full_only(back) == _without_full_only(report)
        assert back.to_line_json() == text


def test_a_step_keeps_its_quote_unless_a_finding_quotes_the_same_item() -> None:
    kept = left_out = 0
    for report in REPORTS[False] + REPORTS[True]:
        data = json.loads(report.to_line_json())
        quoted: dict[tuple[Any, ...], tuple[Any, ...]] = {}
        for f in report.findings:
            quoted.setdefault((f.article.pack, f.article.number, f.article.item),
                              (f.article.chapter, f.article.quote))
        for step, out in zip(report.next_steps, data["next_steps"], strict=True):
            ref = step.article
            if quoted.get((ref.pack, ref.number, ref.item)) == (ref.chapter, ref.quote):
                assert "quote" not in out["article"]
                assert "chapter" not in out["article"]
                left_out += 1
            else:
                assert out["article"]["quote"] == ref.quote
                kept += 1
    assert kept, (kept, left_out)
    assert left_out, (kept, left_out)


def test_only_what_the_line_already_says_is_left_out_of_a_finding() -> None:
    seen = {"version": 0, "conduct": 0, "binding": 0}
    dated = evaluate({"contract": {"signed": True, "signed_on": "2024-06-03", "filed": False},
                      "deployment": {"government_cloud": False}},
                     pack=parse_pack(demo_pack_text(BODY, VERSIONED), "demo.yaml"),
                     as_of=date(2025, 11, 20), include_all=True)
    for report in [*REPORTS[True], dated]:
        data = json.loads(report.to_line_json())
        for finding, out in zip(report.findings, data["findings"], strict=True):
            version = finding.version
            if version is not None and (version.effective or version.repealed
                                        or version.pack != report.pack.version):
                assert out["version"]["pack"] == version.pack
                assert "repealed" not in out["version"] or version.repealed
                seen["version"] += 1
            elif version is not None:
                assert "version" not in out
            conduct = finding.conduct
            if conduct is not None and (conduct.fact != "as_of"
                                        or conduct.date != report.as_of):
                assert out["conduct"]["fact"] == conduct.fact
                seen["conduct"] += 1
            if not finding.binding:
                assert out["binding"] is False
                seen["binding"] += 1
    assert all(seen.values()), seen


def test_a_rule_version_writes_its_dates_only_when_dated() -> None:
    for report in REPORTS[True]:
        for finding in json.loads(report.model_dump_json())["findings"]:
            if finding["version"] is not None:
                assert None not in finding["version"].values()
    assert RuleVersion(pack="1.0.0").model_dump(mode="json") == {"pack": "1.0.0"}
    dated = RuleVersion(pack="1.0.0", repealed=date(2030, 1, 1))
    assert dated.model_dump(mode="json") == {"pack": "1.0.0", "repealed": "2030-01-01"}
    assert RuleVersion.model_validate(dated.model_dump(mode="json")) == dated


def test_combined_lines_say_line_in_each_report(report_contract: dict[str, Any] | None) -> None:
    combined = govrules.evaluate_all(REPO / "examples" / "guiyang-violations.yaml",
                                     [builtin_pack(p) for p in builtin_pack_ids()],
                                     as_of=date(2025, 11, 20))
    assert isinstance(combined, CombinedReport)
    data = json.loads(combined.to_line_json())
    assert [r["detail"] for r in data["reports"]] == ["line"] * len(combined.reports)
    if report_contract is not None:
        for report in data["reports"]:
            jsonschema.validate(report, report_contract)
    back = CombinedReport.model_validate_json(combined.to_line_json())
    assert [_without_full_only(r) for r in back.reports] == \
        [_without_full_only(r) for r in combined.reports]


def test_the_line_is_much_smaller_than_the_full_form() -> None:
    reports = REPORTS[False]
    line = sum(len(r.to_line_json().encode()) for r in reports)
    full = sum(len(r.model_dump_json().encode()) for r in reports)
    assert line < 0.7 * full, (line, full)


# -- the CLI ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def records(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("line") / "records.jsonl"
    write_records(path, 12)  # the benchmark corpus: every city, some bad records
    return path


@pytest.mark.parametrize(("args", "line"), [
    (("--format", "jsonl"), True),
    (("--format", "jsonl", "--detail", "full"), False),
    (("--format", "json"), False),
    (("--format", "json", "--detail", "line"), True),
], ids=["jsonl", "jsonl-full", "json", "json-line"])
def test_the_cli_writes_the_form_asked_for(capsys: pytest.CaptureFixture[str], records: Path,
                                           args: tuple[str, ...], line: bool,
                                           report_contract: dict[str, Any] | None) -> None:
    code, out, _ = cli(capsys, "check", str(records), "-q", *args)
    assert code in (0, 1)
    items = json.loads(out) if "json" in args and "jsonl" not in args else \
        [json.loads(text) for text in out.splitlines()]
    reports = [i for i in items if "errors" not in i]
    assert reports
    for report in reports:
        assert ("detail" in report) is line
        assert ("articles" in report) is not line
        assert report["source"]
        if report_contract is not None:
            jsonschema.validate(report, report_contract)


def test_a_line_only_run_writes_what_a_full_run_writes(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    # alone, jsonl makes reports for the line form only (no query plan); beside text,
    # which shows the plan, the reports are full: the lines must be the same
    path = tmp_path / "records.jsonl"
    write_records(path, 60)  # every city (test_batch runs the same with workers)
    code, alone, _ = cli(capsys, "check", str(path), "-q", "--format", "jsonl")
    beside = tmp_path / "beside.jsonl"
    code_beside, _, _ = cli(capsys, "check", str(path), "-q",
                            "--format", f"jsonl:{beside}", "--format", "text")
    assert code == code_beside
    assert alone == beside.read_text(encoding="utf-8")
    assert '"query_plan"' not in alone
    assert '"supply-fact"' in alone


def test_a_bad_detail_is_a_usage_error(capsys: pytest.CaptureFixture[str],
                                       records: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        cli(capsys, "check", str(records), "--format", "jsonl", "--detail", "short")
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--detail" in err
    assert "short" in err


def test_a_line_replays_and_a_changed_line_does_not(capsys: pytest.CaptureFixture[str],
                                                    records: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "out.jsonl"
    code, _, _ = cli(capsys, "check", str(records), "-q",
                     "--format", "jsonl", "-o", str(out_file))
    assert code in (0, 1)
    lines = out_file.read_text(encoding="utf-8").splitlines()
    reports = [r for r in map(json.loads, lines) if "errors" not in r]
    assert govrules.replay(out_file).same
    target = next(r for r in reports if r.get("findings"))
    target["findings"][0]["status"] = ("satisfied" if target["findings"][0]["status"]
                                       != "satisfied" else "violated")
    result = govrules.replay(target)
    assert not result.same
    assert any(d.kind == "finding" for r in result.reports for d in r.differences)
