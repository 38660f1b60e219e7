"""Receipts and replay: every report can be re-evaluated and any change is explained."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import govrules
from govrules.base.calendar import Calendar
from govrules.base.errors import InputError
from govrules.cli.main import main
from govrules.engine.evaluate import evaluate_pack
from govrules.model.pack import builtin_pack, builtin_pack_ids, load_pack
from govrules.model.snapshot import parse_snapshot

from .conftest import demo_pack_text

RULES = """\
rules:
  - id: demo.2.contract-filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    applies_when: contract.signed
    deadline:
      after: contract.signed_on
      within: {working_days: 5}
      done_on: contract.filed_on
    message: {zh: 合同未按期备案, en: The contract was not filed in time}
    next_steps:
      - action: file-contract
        text: {zh: 报备合同, en: File the contract}
"""

SNAPSHOT = """\
id: p1
city: demo
as_of: 2025-10-20
contract: {signed: true, signed_on: 2025-09-26}
"""


def _examples() -> list[tuple[str, int]]:
    return [(pid, i) for pid in builtin_pack_ids() for i in range(len(builtin_pack(pid).examples))]


@pytest.mark.parametrize("include_all", [False, True], ids=["default", "audit"])
@pytest.mark.parametrize(("pack_id", "index"), _examples(),
                         ids=[f"{p}-{i}" for p, i in _examples()])
def test_every_example_replays_identically(pack_id: str, index: int, include_all: bool,
                                           report_contract: dict[str, Any] | None) -> None:
    pack = builtin_pack(pack_id)
    example = pack.examples[index]
    snapshot = parse_snapshot(example.snapshot)
    report = evaluate_pack(pack, snapshot, example.as_of, Calendar.default(),
                           include_all=include_all)
    data = json.loads(report.model_dump_json())
    if report_contract is not None:
        jsonschema.validate(data, report_contract)
    receipt = data["receipt"]
    assert receipt["packs"][0]["source"] == f"builtin:{pack_id}"
    assert receipt["pack_sha256"] == pack.sha256 == data["pack"]["sha256"]
    assert receipt["as_of"] == str(example.as_of)
    result = govrules.replay(data, example.snapshot)
    assert result.same, result.render()
    assert result.exit_code == 0


def _write(tmp_path: Path, pack_text: str) -> tuple[Path, Path]:
    pack = tmp_path / "demo.yaml"
    pack.write_text(pack_text, encoding="utf-8")
    snap = tmp_path / "p1.yaml"
    snap.write_text(SNAPSHOT, encoding="utf-8")
    return pack, snap


def _check(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "report.json"
    code = main(["check", str(tmp_path / "p1.yaml"), "--policy", str(tmp_path / "demo.yaml"),
                 "--format", "json", "-q", "-o", str(out), *extra])
    assert code in (0, 1)
    return out


def test_receipt_records_what_the_report_was_made_from(tmp_path: Path) -> None:
    pack, snap = _write(tmp_path, demo_pack_text(RULES))
    (data,) = json.loads(_check(tmp_path).read_text(encoding="utf-8"))
    receipt = data["receipt"]
    assert receipt["engine_version"] == govrules.__version__
    assert receipt["report_schema"].startswith("govrules-report/")
    assert receipt["packs"] == [{
        "id": "demo", "kind": "pack", "version": "0.0.1", "sha256": load_pack(pack).sha256,
        "source": str(pack), "doc_number": None, "status": "in_force",
        "effective": "2020-01-01", "expires": None, "repealed": None}]
    import hashlib
    assert receipt["snapshot"]["sha256"] == hashlib.sha256(snap.read_bytes()).hexdigest()
    assert receipt["snapshot"]["source"] == str(snap)
    years = {y["year"]: y for y in receipt["calendar"]["years"]}
    assert set(years) == {2025}  # the deadline counted working days in 2025 only
    assert years[2025]["notice"]["doc_number"] == "国办发明电〔2024〕12号"
    assert receipt["calendar"]["version"] == Calendar.default().version
    assert receipt["presumptions"] == data.get("presumptions", [])


def test_replay_detects_a_changed_pack(tmp_path: Path) -> None:
    pack, _ = _write(tmp_path, demo_pack_text(RULES))
    report = _check(tmp_path)
    assert main(["replay", str(report)]) == 0
    pack.write_text(demo_pack_text(RULES.replace("working_days: 5", "working_days: 10"))
                    .replace('version: "0.0.1"', 'version: "0.0.2"'), encoding="utf-8")
    result = govrules.replay(report)
    assert not result.same
    item = result.reports[0]
    assert [c.kind for c in item.causes] == ["pack"]
    assert "0.0.1 → 0.0.2" in item.causes[0].message.en
    changed = {d.key: d for d in item.differences if d.kind == "finding"}
    assert "due" in changed["demo.2.contract-filed"].fields
    assert changed["demo.2.contract-filed"].before["due"] == "2025-10-10"
    assert changed["demo.2.contract-filed"].after["due"] == "2025-10-16"


def test_replay_detects_a_changed_calendar(tmp_path: Path) -> None:
    _write(tmp_path, demo_pack_text(RULES))
    extra = tmp_path / "cal.yaml"
    extra.write_text("version: local-1\nyears:\n  2025:\n    holidays:\n"
                     "      - {name: local, from: 2025-09-29, to: 2025-09-29}\n",
                     encoding="utf-8")
    report = _check(tmp_path, "--calendar", str(extra))
    (before,) = json.loads(report.read_text(encoding="utf-8"))
    assert before["receipt"]["calendar"]["sources"] == ["builtin", str(extra)]
    assert govrules.replay(report).same
    extra.write_text("version: local-2\nyears:\n  2025:\n    holidays: []\n", encoding="utf-8")
    result = govrules.replay(report)
    assert not result.same
    item = result.reports[0]
    assert [c.kind for c in item.causes] == ["calendar"]
    assert "data for 2025 differs" in item.causes[0].message.en
    assert "local-1 → cn-2026.2+local-2" in item.causes[0].message.en.replace(
        "cn-2026.2+local-1", "local-1")


def test_replay_detects_a_changed_snapshot(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                           ) -> None:
    _, snap = _write(tmp_path, demo_pack_text(RULES))
    report = _check(tmp_path)
    snap.write_text(SNAPSHOT + "# a comment changes the bytes, not the facts\n",
                    encoding="utf-8")
    assert main(["replay", str(report)]) == 0
    assert "layout only" in capsys.readouterr().out
    snap.write_text(SNAPSHOT.replace("2025-09-26", "2025-09-30"), encoding="utf-8")
    assert main(["replay", str(report)]) == 1
    out = capsys.readouterr().out
    assert "REPLAY DIFFERS" in out
    assert "[snapshot]" in out
    assert "2025-10-10" in out
    assert "2025-10-14" in out


def test_replay_takes_the_snapshot_given(tmp_path: Path) -> None:
    _, snap = _write(tmp_path, demo_pack_text(RULES))
    report = _check(tmp_path)
    moved = tmp_path / "moved.yaml"
    moved.write_text(snap.read_text(encoding="utf-8"), encoding="utf-8")
    snap.unlink()
    with pytest.raises(InputError) as err:
        govrules.replay(report)
    assert err.value.diagnostics[0].code == "replay-snapshot-missing"
    assert govrules.replay(report, moved).same


def test_replay_of_json_lines_records(tmp_path: Path) -> None:
    _write(tmp_path, demo_pack_text(RULES))
    lines = tmp_path / "many.jsonl"
    lines.write_text("\n".join(json.dumps({"id": f"p{i}", "as_of": "2025-10-09", "contract": {
        "signed": True, "signed_on": f"2025-09-{20 + i}"}}) for i in range(3)) + "\n",
        encoding="utf-8")
    out = tmp_path / "many.json"
    main(["check", str(lines), "--policy", str(tmp_path / "demo.yaml"), "--format", "jsonl",
          "-q", "-o", str(out)])
    result = govrules.replay(out)
    assert len(result.reports) == 3
    assert result.same
    records = [r["receipt"]["snapshot"]["record"] for r in map(
        json.loads, out.read_text(encoding="utf-8").splitlines())]
    assert records == [f"{lines}:{n}" for n in (1, 2, 3)]


@pytest.mark.parametrize(("content", "code"), [
    ("not json at all {", "replay-not-json"),
    ('{"a": 1}', "replay-no-report"),
    ('{"pack": {"id": "guiyang"}, "findings": [], "next_steps": []}', "replay-no-receipt"),
    ('{"pack": {"id": "guiyang"}, "findings": [], "receipt": {"as_of": 3}}',
     "replay-bad-receipt"),
], ids=["not-json", "no-report", "no-receipt", "bad-receipt"])
def test_bad_input_exits_2_with_a_code(tmp_path: Path, content: str, code: str,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.json"
    path.write_text(content, encoding="utf-8")
    assert main(["replay", str(path)]) == 2
    assert f": {code}: " in capsys.readouterr().err


def test_replay_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, demo_pack_text(RULES))
    report = _check(tmp_path)
    assert main(["replay", str(report), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["same"] is True
    assert data["reports"][0]["differences"] == []


def test_receipt_of_an_amended_pack_lists_base_and_amendment(tmp_path: Path) -> None:
    base = tmp_path / "demo.yaml"
    base.write_text(demo_pack_text(RULES), encoding="utf-8")
    amendment = tmp_path / "amend.yaml"
    amendment.write_text("extends: demo.yaml\namendment:\n  doc_number: 示府〔2025〕1号\n"
                         "  effective: 2025-01-01\n  version: \"0.1.0\"\n", encoding="utf-8")
    pack = load_pack(amendment)
    report = evaluate_pack(pack, parse_snapshot({"id": "x"}), date(2025, 6, 1),
                           Calendar.default())
    assert report.receipt is not None
    kinds = [(p.kind, p.version, p.sha256) for p in report.receipt.packs]
    import hashlib
    assert kinds == [
        ("pack", "0.0.1", hashlib.sha256(base.read_bytes()).hexdigest()),
        ("amendment", "0.1.0", hashlib.sha256(amendment.read_bytes()).hexdigest())]
    assert report.receipt.packs[1].doc_number == "示府〔2025〕1号"
    assert [p.source for p in report.receipt.packs] == [str(base), str(amendment)]
    assert report.receipt.packs[1].effective == date(2025, 1, 1)
