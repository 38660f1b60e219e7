"""``govrules test``: examples and test files, readable failures, coverage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govrules.cli.main import main
from govrules.model.pack import parse_pack
from govrules.tools.tester import measure, run_examples
from govrules.tools.testsuite import run_suite
from tests.conftest import REPO, demo_pack_text

PACK = demo_pack_text("""
    rules:
      - id: demo.2.filed
        article: 2
        quote: 项目实施单位应在签订合同5个工作日内将合同报备案
        deadline:
          after: contract.signed_on
          within: {working_days: 5}
          done_on: contract.filed_on
        message: {zh: 合同未按期备案, en: "Contract not filed by {due}"}
        next_steps:
          - action: file-contract
            text: {zh: 合同备案, en: File the contract}
    not_checkable:
      - {article: 1, reason: Scope.}
      - {article: 3, reason: Reports.}
    examples:
      - name: filed late
        as_of: 2025-06-30
        snapshot: {contract: {signed_on: 2025-06-02, filed_on: 2025-06-20}}
        expect: {demo.2.filed: violated}
      - name: filed on time
        as_of: 2025-06-30
        snapshot: {contract: {signed_on: 2025-06-02, filed_on: 2025-06-05}}
        expect: {demo.2.filed: satisfied}
""")

CASES = """\
- name: not filed, deadline passed
  pack: demo.yaml
  as_of: 2025-06-30
  snapshot: {contract: {signed_on: 2025-06-02, filed: false}}
  expect: {demo.2.filed: violated}
  verdict: non_compliant
  next_steps:
    - {action: file-contract, kind: remedial, due: 2025-06-09, overdue: true}
- name: signed yesterday, nothing due yet
  pack: demo.yaml
  as_of: 2025-06-03
  snapshot: snap.yaml
  expect: {demo.2.filed: satisfied}
  next_steps:
    - {action: file-contract, kind: upcoming, due: 2025-06-09, overdue: false}
"""


def _write(folder: Path, cases: str = CASES, pack: str = PACK) -> Path:
    (folder / "demo.yaml").write_text(pack, encoding="utf-8")
    (folder / "snap.yaml").write_text("contract: {signed_on: 2025-06-02}\n", encoding="utf-8")
    (folder / "cases.yaml").write_text(cases, encoding="utf-8")
    return folder


def test_builtin_packs_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(REPO / "policies")]) == 0
    out = capsys.readouterr().out
    assert "coverage (rules with both a violated and a satisfied example):" in out
    assert ", 0 failed" in out.splitlines()[-1]


def test_examples_and_test_files_pass(tmp_path: Path) -> None:
    suite = run_suite([_write(tmp_path)])
    assert suite.problems == []
    (result,) = suite.packs
    assert [o.name for o in result.outcomes if not o.passed] == []
    assert len(result.outcomes) == 4
    assert result.coverage is not None
    assert result.coverage.percent == 100.0


def test_a_wrong_expectation_fails_with_a_diff(capsys: pytest.CaptureFixture[str],
                                               tmp_path: Path) -> None:
    wrong = CASES.replace("expect: {demo.2.filed: violated}", "expect: {demo.2.filed: waived}")
    wrong = wrong.replace("due: 2025-06-09, overdue: true", "due: 2025-06-10, overdue: true")
    folder = _write(tmp_path, wrong)
    assert main(["test", str(folder)]) == 1
    out = capsys.readouterr().out
    assert f"FAIL {folder / 'cases.yaml'}:1:3: not filed, deadline passed  [demo]" in out
    assert "  - demo.2.filed: waived\n  + demo.2.filed: violated\n" in out
    assert ("  - next step file-contract: remedial, due 2025-06-10, overdue True\n"
            "  + next step file-contract: due 2025-06-09, overdue True\n") in out


def test_coverage_drops_when_an_example_is_removed() -> None:
    pack = parse_pack(PACK, "demo.yaml")
    assert measure(pack, run_examples(pack)).percent == 100.0
    fewer = parse_pack(PACK.split("  - name: filed on time")[0], "demo.yaml")
    cov = measure(fewer, run_examples(fewer))
    assert cov.percent == 0.0
    assert cov.never_satisfied == ("demo.2.filed",)
    assert cov.articles_never_satisfied == (2,)


def test_fail_under(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(PACK.split("  - name: filed on time")[0],
                                        encoding="utf-8")
    assert main(["test", str(tmp_path / "demo.yaml")]) == 0
    assert main(["test", "--fail-under", "80", str(tmp_path / "demo.yaml")]) == 1
    assert "below --fail-under 80%" in capsys.readouterr().out


def test_json(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["test", "--format", "json", str(_write(tmp_path))]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["total"], data["failed"]) == (4, 0)
    assert data["packs"][0]["coverage"]["percent"] == 100.0


def test_a_malformed_case_is_bad_input(capsys: pytest.CaptureFixture[str],
                                       tmp_path: Path) -> None:
    folder = _write(tmp_path, "- name: no date\n  pack: demo.yaml\n  snapshot: {}\n")
    assert main(["test", str(folder)]) == 2
    assert "cases.yaml:1:3: error test-missing-field" in capsys.readouterr().out


def test_a_case_naming_a_builtin_pack(tmp_path: Path) -> None:
    (tmp_path / "cases.yaml").write_text(
        "- name: the example project\n  pack: guiyang\n  as_of: 2025-11-20\n"
        f"  snapshot: {REPO / 'examples' / 'guiyang-violations.yaml'}\n"
        "  expect: {guiyang.15.over-10pct: violated}\n", encoding="utf-8")
    suite = run_suite([tmp_path])
    assert [o.passed for r in suite.packs for o in r.outcomes if o.name.startswith("the ex")] \
        == [True]
