"""Output formats: SARIF against the official schema, JUnit, JSON Lines, JSON, Markdown."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from govrules.cli.main import main
from govrules.model.report import CombinedReport, Report
from tests.conftest import EXAMPLE, cli, demo_pack_text, lines, snapshot

DATA = Path(__file__).parent / "data"
SCHEMAS = ["sarif-schema-2.1.0.json", "sarif-2.1.0-rtm.5.json"]


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Records of every kind, run from ``tmp_path`` so SARIF paths are relative."""
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "projects"
    root.mkdir()
    (root / "a.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    waived = EXAMPLE.read_text(encoding="utf-8").replace("id: GY-2025-JT-017", "id: W-1")
    waived += ("\nexceptions:\n  - rule: guiyang.17.custom-software-ip\n    approved: true\n"
               "    reason: 平台型产品\n    approved_by: [big_data_bureau]\n")
    (root / "b-waived.yaml").write_text(waived, encoding="utf-8")
    (root / "c-bad.yaml").write_text("budget:\n  original: lots\n", encoding="utf-8")
    (root / "d.jsonl").write_text(
        "\n".join([json.dumps(snapshot(1)), "{oops", json.dumps(snapshot(2))]) + "\n",
        encoding="utf-8")
    (root / "e.csv").write_text("id,city,as_of,budget.original\nC1,guiyang,2025-06-30,100\n",
                                encoding="utf-8")
    return root


def _sarif(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = cli(capsys, "check", *args, "--format", "sarif")
    log: dict[str, Any] = json.loads(out)
    return code, log


class TestSarif:
    @pytest.mark.parametrize("schema_file", SCHEMAS)
    def test_validates_against_the_sarif_schema(
            self, capsys: pytest.CaptureFixture[str], inputs: Path, schema_file: str) -> None:
        schema = json.loads((DATA / schema_file).read_text(encoding="utf-8"))
        code, log = _sarif(capsys, "projects", "--city", "guiyang")
        assert code == 2
        validator = jsonschema.Draft4Validator(
            schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        assert errors == []

    def test_what_code_scanning_needs(self, capsys: pytest.CaptureFixture[str],
                                      inputs: Path) -> None:
        _, log = _sarif(capsys, "projects", "--city", "guiyang")
        (run,) = log["runs"]
        rules = run["tool"]["driver"]["rules"]
        assert run["tool"]["driver"]["name"] == "govrules"
        assert len({r["id"] for r in rules}) == len(rules)
        for result in run["results"]:
            rule = rules[result["ruleIndex"]]
            assert rule["id"] == result["ruleId"]
            assert result["message"]["text"]
            assert result["level"] in {"error", "warning", "note", "none"}
            (location,) = result["locations"]
            physical = location["physicalLocation"]
            assert physical["artifactLocation"]["uri"].startswith("projects/")
            assert physical["region"]["startLine"] >= 1
            assert result["partialFingerprints"]
        for rule in rules:
            assert rule["shortDescription"]["text"]
            assert rule["help"]["text"]
        assert run["invocations"][0]["exitCode"] == 2

    def test_a_finding_points_at_its_article_and_field(
            self, capsys: pytest.CaptureFixture[str], inputs: Path) -> None:
        _, log = _sarif(capsys, "projects/a.yaml", "--city", "guiyang")
        (run,) = log["runs"]
        result = next(r for r in run["results"] if r["ruleId"] == "guiyang.15.over-10pct")
        assert result["level"] == "error"
        assert "kind" not in result  # SARIF's default kind: fail
        text = EXAMPLE.read_text(encoding="utf-8").splitlines()
        line = next(n for n, t in enumerate(text, 1) if t.strip().startswith("original:"))
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] == line
        rule = run["tool"]["driver"]["rules"][result["ruleIndex"]]
        help_text = rule["help"]["text"]
        assert "第十五条" in help_text
        assert "若调整内容超过原项目预算10%的,需业主单位重新编报项目方案和预算" in help_text
        assert "resubmit" in help_text  # the English summary
        assert rule["defaultConfiguration"]["level"] == "error"

    def test_statuses_map_to_levels_and_suppressions(
            self, capsys: pytest.CaptureFixture[str], inputs: Path) -> None:
        _, log = _sarif(capsys, "projects/b-waived.yaml", "--city", "guiyang")
        results = log["runs"][0]["results"]
        waived = next(r for r in results if r["ruleId"] == "guiyang.17.custom-software-ip")
        assert waived["suppressions"][0]["kind"] == "external"
        assert "平台型产品" in waived["suppressions"][0]["justification"]
        undetermined = [r for r in results if r.get("kind") == "open"]
        assert undetermined
        assert all(r["level"] == "none" for r in undetermined)
        assert all("supply" in r["message"]["text"] for r in undetermined)

    def test_all_findings_adds_passes(self, capsys: pytest.CaptureFixture[str],
                                      inputs: Path) -> None:
        _, log = _sarif(capsys, "projects/a.yaml", "--all-findings")
        kinds = {r.get("kind", "fail") for r in log["runs"][0]["results"]}
        assert kinds == {"fail", "open", "pass", "notApplicable"}
        schema = json.loads((DATA / SCHEMAS[0]).read_text(encoding="utf-8"))
        jsonschema.validate(log, schema)

    def test_input_errors_are_results_at_their_place(
            self, capsys: pytest.CaptureFixture[str], inputs: Path) -> None:
        _, log = _sarif(capsys, "projects", "--city", "guiyang")
        results = log["runs"][0]["results"]
        bad = next(r for r in results if r["ruleId"] == "snapshot-type")
        location = bad["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == "projects/c-bad.yaml"
        assert location["region"] == {"startLine": 2, "startColumn": 13}
        syntax = next(r for r in results if r["ruleId"] == "json-syntax")
        assert syntax["locations"][0]["physicalLocation"]["region"]["startLine"] == 2

    def test_nonbinding_violations_are_notes(self, capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
        pack = tmp_path / "draft.yaml"
        pack.write_text(demo_pack_text("""
            rules:
              - id: demo.2.cloud
                article: 2
                quote: 原则上应使用政务云
                violated_when: not deployment.government_cloud
                message: {zh: 未上云, en: Not on the cloud}
            """).replace("  status: in_force\n", "  status: draft\n  comment_period: "
                         "{from: 2023-09-07, to: 2023-10-07}\n"), encoding="utf-8")
        snap = tmp_path / "s.yaml"
        snap.write_text("deployment: {government_cloud: false}\n", encoding="utf-8")
        code, log = _sarif(capsys, str(snap), "--policy", str(pack), "--as-of", "2025-01-01")
        assert code == 0
        (result,) = log["runs"][0]["results"]
        assert result["level"] == "note"
        assert result["properties"]["binding"] is False


class TestJunit:
    def test_parses_with_a_case_per_record_and_rule(
            self, capsys: pytest.CaptureFixture[str], inputs: Path) -> None:
        code, out, _ = cli(capsys, "check", "projects", "--city", "guiyang", "--format",
                           "junit")
        assert code == 2
        root = ET.fromstring(out)
        assert root.tag == "testsuites"
        suites = root.findall("testsuite")
        assert len(suites) == 7  # one per record: 2 yaml + 1 bad yaml + 3 jsonl + 1 csv
        example = next(s for s in suites if s.get("name") == "GY-2025-JT-017 [guiyang]")
        cases = example.findall("testcase")
        assert len(cases) == int(example.get("tests", "0")) > 20
        failures = [c for c in cases if c.find("failure") is not None]
        assert len(failures) == int(example.get("failures", "0")) == 6
        assert {c.get("name") for c in failures} >= {"guiyang.15.over-10pct"}
        skipped = [c for c in cases if c.find("skipped") is not None]
        assert len(skipped) == int(example.get("skipped", "0")) > 0
        failure = next(c for c in failures if c.get("name") == "guiyang.15.over-10pct")
        element = failure.find("failure")
        assert element is not None
        assert "第十五条" in (element.get("message") or "")
        errors = [s for s in suites if s.get("errors") == "1"]
        assert {s.get("name") for s in errors} == {"projects/c-bad.yaml", "projects/d.jsonl:2"}

    def test_waived_rules_pass(self, capsys: pytest.CaptureFixture[str], inputs: Path) -> None:
        _, out, _ = cli(capsys, "check", "projects/b-waived.yaml", "--city", "guiyang",
                        "--format", "junit")
        case = next(c for c in ET.fromstring(out).iter("testcase")
                    if c.get("name") == "guiyang.17.custom-software-ip")
        assert case.find("failure") is None
        assert case.find("skipped") is None
        out_element = case.find("system-out")
        assert out_element is not None
        assert "waived" in (out_element.text or "")


class TestJson:
    def test_jsonl_round_trips_into_the_report_model(
            self, capsys: pytest.CaptureFixture[str], inputs: Path) -> None:
        _, out, _ = cli(capsys, "check", "projects", "--city", "guiyang", "--format", "jsonl")
        items = lines(out)
        assert len(items) == 7
        reports = [item for item in items if "errors" not in item]
        assert len(reports) == 5
        for item in reports:
            body = {k: v for k, v in item.items() if k != "source"}
            assert body["detail"] == "line"
            assert json.loads(Report.model_validate(body).to_line_json()) == body
        for item in items:
            assert item["source"].startswith("projects")
        _, out, _ = cli(capsys, "check", "projects", "--city", "guiyang", "--format", "jsonl",
                        "--detail", "full")
        for item in lines(out):
            if "errors" not in item:
                body = {k: v for k, v in item.items() if k != "source"}
                assert Report.model_validate(body).to_json_dict() == body

    def test_jsonl_combined_reports(self, capsys: pytest.CaptureFixture[str],
                                    inputs: Path) -> None:
        _, out, _ = cli(capsys, "check", "projects/e.csv", "--city", "all",
                        "--format", "jsonl")
        (item,) = lines(out)
        body = {k: v for k, v in item.items() if k != "source"}
        combined = CombinedReport.model_validate(body)
        assert "guiyang" in {r.pack.id for r in combined.reports}
        assert item["source"] == "projects/e.csv:2"

    def test_one_shape_whatever_the_number_of_inputs(
            self, capsys: pytest.CaptureFixture[str], inputs: Path) -> None:
        """F4: an array of records, each a report with its ``source``, for one document,
        one stream file or several files alike; the counts go to stderr."""
        _, out, err = cli(capsys, "check", "projects/d.jsonl", "--city", "guiyang",
                          "--format", "json")
        items = json.loads(out)
        assert [i.get("source") for i in items] == [
            "projects/d.jsonl:1", "projects/d.jsonl:2", "projects/d.jsonl:3"]
        assert ["verdict" in i for i in items] == [True, False, True]
        assert items[1]["errors"][0]["code"] == "json-syntax"
        assert "3 records" in err
        _, one, _ = cli(capsys, "check", "projects/a.yaml", "--format", "json")
        _, two, _ = cli(capsys, "check", "projects/a.yaml", "projects/b-waived.yaml",
                        "--format", "json")
        first, both = json.loads(one), json.loads(two)
        assert [i["source"] for i in first] == ["projects/a.yaml"]
        assert [i["source"] for i in both] == ["projects/a.yaml", "projects/b-waived.yaml"]
        assert both[0] == first[0]  # the same item, alone or beside another
        assert set(both[1]) == set(first[0])
        _, empty, _ = cli(capsys, "check", "projects/a.yaml", "--policy", "nope.yaml",
                          "--format", "json")
        assert empty == ""  # a bad pack stops the run before any output

    def test_json_output_file(self, capsys: pytest.CaptureFixture[str], inputs: Path) -> None:
        code, out, _ = cli(capsys, "check", "projects/a.yaml", "--format", "json",
                           "--output", "out.json")
        assert (code, out) == (1, "")
        assert json.loads(Path("out.json").read_text(encoding="utf-8"))[0]["verdict"] \
            == "non_compliant"


class TestMarkdownAndText:
    def test_markdown_summary(self, capsys: pytest.CaptureFixture[str], inputs: Path) -> None:
        code, out, _ = cli(capsys, "check", "projects", "--city", "guiyang", "--format",
                           "markdown")
        assert code == 2
        assert out.startswith("## govrules check")
        assert "| 7 | 5 |" in out  # records, checked
        assert "### Top violations" in out
        assert "`guiyang.15.over-10pct`" in out
        assert "第十五条 项目调整" in out
        assert "「若调整内容超过原项目预算10%的" in out
        assert "#### ✗ non-compliant · `GY-2025-JT-017` · `projects/a.yaml`" in out
        assert "### Errors" in out
        assert "projects/c-bad.yaml:2:13: snapshot-type" in out

    def test_markdown_stops_before_a_comment_overflows(
            self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        path = tmp_path / "many.jsonl"
        path.write_text("\n".join(json.dumps(snapshot(n)) for n in range(400)) + "\n",
                        encoding="utf-8")
        _, out, _ = cli(capsys, "check", str(path), "--city", "guiyang", "--format",
                        "markdown")
        assert len(out) < 60_000
        assert "more records not shown" in out

    def test_text_heads_each_record_with_its_place(
            self, capsys: pytest.CaptureFixture[str], inputs: Path) -> None:
        code, out, err = cli(capsys, "check", "projects/d.jsonl", "--city", "guiyang")
        assert code == 2
        assert "=== projects/d.jsonl:1 ===" in out
        assert "=== projects/d.jsonl:3 ===" in out
        assert err.splitlines()[0].startswith("projects/d.jsonl:2:")
        assert err.splitlines()[-1].startswith("govrules: 3 records: 2 checked")

    def test_single_file_text_has_no_heading(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = cli(capsys, "check", str(EXAMPLE))
        assert code == 1
        assert out.startswith("贵阳市")


def test_every_format_is_accepted() -> None:
    from govrules.io.formats import FORMATS

    assert set(FORMATS) == {"text", "json", "jsonl", "sarif", "junit", "markdown", "html", "ics",
                            "concise", "github", "xlsx"}
    with pytest.raises(SystemExit):
        main(["check", str(EXAMPLE), "--format", "xml"])
