"""The command line: exit codes, formats, and bad input reported without a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from govrules.cli.main import main
from govrules.model.report import Report
from tests.conftest import REPO, demo_pack_text

EXAMPLE = str(REPO / "examples" / "guiyang-violations.yaml")


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


class TestCheck:
    def test_violations_exit_1_with_a_readable_report(
            self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = cli(capsys, "check", EXAMPLE, "--city", "guiyang")
        assert code == 1
        assert "VERDICT: NON-COMPLIANT" in out
        assert "第十五条 项目调整" in out
        assert "「若调整内容超过原项目预算10%的,需业主单位重新编报项目方案和预算」" in out
        assert "guiyang.15.over-10pct" in out

    def test_json_output_meets_the_report_contract(
            self, capsys: pytest.CaptureFixture[str],
            report_contract: dict[str, Any]) -> None:
        code, out, _ = cli(capsys, "check", EXAMPLE, "--city", "guiyang", "--format", "json")
        assert code == 1
        (data,) = json.loads(out)  # one record: an array of one (F4)
        assert data.pop("source") == EXAMPLE
        jsonschema.validate(data, report_contract)
        assert Report.model_validate(data).to_json_dict() == data

    def test_compliant_exits_0(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        snap = write(tmp_path, "ok.yaml", "project: {classified: true}\n")
        code, out, _ = cli(capsys, "check", snap, "--city", "guiyang", "--as-of", "2025-01-01")
        assert code == 0
        assert "NOT APPLICABLE" in out

    def test_fail_on_never(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, _, _ = cli(capsys, "check", EXAMPLE, "--city", "guiyang", "--fail-on", "never")
        assert code == 0

    def test_city_from_the_snapshot(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = cli(capsys, "check", EXAMPLE)
        assert code == 1
        assert "pack guiyang" in out

    def test_output_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        target = tmp_path / "report.json"
        code, out, _ = cli(capsys, "check", EXAMPLE, "--format", "json", "-o", str(target))
        assert (code, out) == (1, "")
        assert json.loads(target.read_text(encoding="utf-8"))[0]["verdict"] == "non_compliant"

    def test_policy_path(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        pack = write(tmp_path, "demo.yaml", demo_pack_text("""
            rules:
              - id: demo.2.cloud
                article: 2
                quote: 原则上应使用政务云
                violated_when: not deployment.government_cloud
                message: {zh: 未上云, en: Not on the cloud}
            """))
        snap = write(tmp_path, "s.yaml", "deployment: {government_cloud: false}\n")
        code, out, _ = cli(capsys, "check", snap, "--policy", pack, "--as-of", "2025-01-01",
                           "--format", "json")
        assert code == 1
        assert json.loads(out)[0]["findings"][0]["rule"] == "demo.2.cloud"

    def test_nonbinding_violations_fail_only_when_asked(
            self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        pack = write(tmp_path, "draft.yaml", demo_pack_text("""
            rules:
              - id: demo.2.cloud
                article: 2
                quote: 原则上应使用政务云
                violated_when: not deployment.government_cloud
                message: {zh: 未上云, en: Not on the cloud}
            """).replace("  status: in_force\n",
                         "  status: draft\n  comment_period: {from: 2023-09-07, to: 2023-10-07}\n"))
        snap = write(tmp_path, "s.yaml", "deployment: {government_cloud: false}\n")
        args = ("check", snap, "--policy", pack, "--as-of", "2025-01-01")
        code, out, _ = cli(capsys, *args)
        assert code == 0
        assert "NOT BINDING" in out
        assert cli(capsys, *args, "--fail-on-nonbinding")[0] == 1

    def test_several_cities_give_a_combined_report(
            self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = cli(capsys, "check", EXAMPLE, "--city", "all", "--format", "json")
        (data,) = json.loads(out)
        assert code == 1
        assert {r["pack"]["id"] for r in data["reports"]} >= {"guiyang"}
        assert data["verdict"] == "non_compliant"


class TestBadInput:
    """Each bad input: a message naming the place, exit 2, no traceback."""

    @pytest.mark.parametrize(
        ("name", "text", "expected"),
        [
            ("bad.json", '{"project": {"kind": "om",}}', "bad.json:1:27: json-syntax"),
            ("bad.yaml", "project:\n  kind: [om\n", "bad.yaml:3:1: yaml-syntax"),
            ("type.yaml", "budget:\n  original: lots\n", "type.yaml:2:13: snapshot-type"),
            ("date.yaml", "as_of: 2025-13-01\n", "date.yaml:1:8: yaml-value"),
            ("list.yaml", "- 1\n- 2\n", "list.yaml:1:1: snapshot-type"),
            ("kind.yaml", "project:\n  kind: servce\n", "kind.yaml:2:9: snapshot-value"),
        ],
        ids=["json-syntax", "yaml-syntax", "wrong-type", "impossible-date", "not-a-mapping",
             "bad-choice"],
    )
    def test_malformed_snapshot(self, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                name: str, text: str, expected: str) -> None:
        path = write(tmp_path, name, text)
        status, out, err = cli(capsys, "check", path, "--city", "guiyang")
        assert status == 2
        assert out == ""
        assert err.startswith(str(tmp_path / expected))

    def test_unknown_field_has_a_suggestion(self, capsys: pytest.CaptureFixture[str],
                                            tmp_path: Path) -> None:
        path = write(tmp_path, "s.yaml", "budget:\n  orignal: 5\n")
        _, _, err = cli(capsys, "check", path, "--city", "guiyang")
        assert "did you mean 'original'" in err
        assert "s.yaml:2:" in err

    def test_unknown_city(self, capsys: pytest.CaptureFixture[str]) -> None:
        status, _, err = cli(capsys, "check", EXAMPLE, "--city", "guiyng")
        assert status == 2
        assert "unknown-city" in err
        assert "did you mean 'guiyang'" in err

    def test_missing_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        status, _, err = cli(capsys, "check", str(tmp_path / "nope.yaml"), "--city", "guiyang")
        assert status == 2
        assert "nope.yaml: file-not-found" in err

    def test_bad_expression_in_a_pack_points_at_the_token(
            self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        pack = write(tmp_path, "demo.yaml", demo_pack_text("""
            rules:
              - id: demo.2.cloud
                article: 2
                quote: 原则上应使用政务云
                violated_when: not deployment.goverment_cloud
                message: {zh: 未上云, en: Not on the cloud}
            """))
        status, _, err = cli(capsys, "check", EXAMPLE, "--policy", pack)
        assert status == 2
        line = next(n for n, text in enumerate(Path(pack).read_text().splitlines(), 1)
                    if "goverment_cloud" in text)
        col = Path(pack).read_text().splitlines()[line - 1].index("deployment") + 1
        assert f"demo.yaml:{line}:{col}: expr-unknown-fact" in err
        assert "did you mean 'deployment.government_cloud'" in err

    def test_every_error_in_a_pack_is_reported(self, capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
        pack = write(tmp_path, "demo.yaml", demo_pack_text("""
            rules:
              - id: demo.2.a
                article: 2
                quote: 不在原文中的话
                violated_when: project.kind == 'constructoin'
                message: {zh: 甲, en: A}
              - id: demo.9.b
                article: 9
                quote: 原则上应使用政务云
                violated_when: budget.original > date('2025-01-01')
                message: {zh: 乙, en: B}
            """))
        status, _, err = cli(capsys, "check", EXAMPLE, "--policy", pack)
        assert status == 2
        for code in ("pack-quote-not-in-article", "expr-bad-value", "pack-unknown-article",
                     "expr-type"):
            assert code in err

    def test_bad_as_of(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as exc:
            main(["check", EXAMPLE, "--as-of", "2025-02-30"])
        assert exc.value.code == 2
        assert "not a date" in capsys.readouterr().err

    def test_batch_keeps_going_and_accounts_for_every_file(
            self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        bad = write(tmp_path, "bad.yaml", "budget: [\n")
        status, out, err = cli(capsys, "check", EXAMPLE, bad, "--format", "json")
        assert status == 2
        results = json.loads(out)
        assert len(results) == 2  # one item per record, and nothing else (F4)
        assert results[0]["verdict"] == "non_compliant"
        assert results[1]["source"] == bad
        assert "errors" in results[1]
        assert "2 records: 1 checked" in err
        assert "bad.yaml" in err


class TestOtherCommands:
    @pytest.mark.parametrize("what", ["snapshot", "pack", "report", "record"])
    def test_schema(self, capsys: pytest.CaptureFixture[str], what: str) -> None:
        code, out, _ = cli(capsys, "schema", what)
        assert code == 0
        schema = json.loads(out)
        assert schema["$id"] == f"urn:govrules:schema:{'pack-files' if what == 'pack' else what}"
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema.get("type") == "object" or "oneOf" in schema or "$ref" in schema

    def test_schema_policy_is_refused_where_it_means_nothing(
            self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, err = cli(capsys, "schema", "report", "--policy", "policies/guiyang.yaml")
        assert code == 2
        assert out == ""
        assert "bad-option" in err
        assert "schema snapshot --policy" in err

    def test_snapshot_schema_matches_the_committed_docs(
            self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = cli(capsys, "schema", "snapshot")
        committed = json.loads((REPO / "docs" / "snapshot.schema.json").read_text("utf-8"))
        assert code == 0
        assert json.loads(out) == committed

    def test_packs_lists_the_built_in_packs(self, capsys: pytest.CaptureFixture[str]) -> None:
        code, out, _ = cli(capsys, "packs")
        assert code == 0
        rows = {line.split()[0]: line.split()[1] for line in out.splitlines()}
        assert rows == {"guiyang": "in_force", "jincheng": "in_force", "shangrao": "in_force",
                        "taiyuan": "expired", "wuhai": "draft"}
