"""The published JSON Schemas describe what govrules writes.

Every record ``govrules check`` writes (line and full form, one pack and ``--city all``,
and the errors of a record that could not be checked) validates against ``govrules schema
record``; every report's JSON, full and line, against ``govrules schema report``. The
line form's schema relaxes only what :data:`LINE_LEAVES_OUT` lists, and each of those is
left out by some line (else the relaxation is stale).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from govrules.model.pack import builtin_pack, builtin_pack_ids
from govrules.model.report import LINE_LEAVES_OUT, Report
from govrules.tools import schemas
from govrules.tools.schemas import record_schema, report_schema
from tests.conftest import REPO, cli, generated_cases, run_pack

EXAMPLES = sorted(str(p) for p in (REPO / "examples").glob("*-violations.yaml"))


def _validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(validator: jsonschema.Draft202012Validator, item: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}"
            for e in validator.iter_errors(item)]


@cache
def _reports() -> tuple[Report, ...]:
    """Reports of every built-in pack on some of its examples and generated snapshots."""
    out = []
    for pack_id in builtin_pack_ids():
        pack = builtin_pack(pack_id)
        cases = generated_cases(pack, 4, seed=5)
        for snap, as_of in [*cases[:-4:4], *cases[-4:]]:  # a quarter of the examples
            out.append(run_pack(pack, snap.model_dump(mode="json", exclude_none=True),
                                as_of.isoformat()))
    return tuple(out)


def _records(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> list[dict[str, Any]]:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 3, "city": "guiyang"}\nnot json\n', encoding="utf-8")
    records: list[dict[str, Any]] = []
    for detail in ("line", "full"):
        for city in ("own", "all"):
            args = [*EXAMPLES, "--format", "jsonl", "--detail", detail]
            if city == "all":
                args += ["--city", "all"]
            code, out, _ = cli(capsys, "check", *args)
            assert code == 1
            records += [json.loads(line) for line in out.splitlines()]
    code, out, _ = cli(capsys, "check", str(bad), "--format", "jsonl")
    assert code == 2
    records += [json.loads(line) for line in out.splitlines()]
    return records


def test_every_record_check_writes_meets_the_record_schema(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = cli(capsys, "schema", "record")
    assert code == 0
    validator = _validator(json.loads(out))
    records = _records(capsys, tmp_path)
    kinds = {("errors" in r, "reports" in r, r.get("detail", "full")) for r in records}
    assert kinds == {(True, False, "full"), (False, True, "full"), (False, False, "full"),
                     (False, False, "line")}
    for record in records:
        assert not _errors(validator, record), record["source"]


def test_what_a_record_is_not() -> None:
    validator = _validator(record_schema())
    assert _errors(validator, {"source": "a.yaml", "errors": []})  # at least one
    assert _errors(validator, {"errors": [{"code": "x", "message": "y"}]})  # no source
    report = json.loads(_reports()[0].to_line_json())
    assert _errors(validator, report), "a line without its source is a report, not a record"
    assert not _errors(validator, {"source": "a.yaml", **report})


def test_both_forms_of_every_report_meet_the_report_schema() -> None:
    validator = _validator(report_schema())
    for report in _reports():
        full = report.to_json_dict()
        line = json.loads(report.to_line_json())
        assert not _errors(validator, full), report.snapshot_id
        assert not _errors(validator, line), report.snapshot_id
        assert "provenance" not in line


@pytest.mark.parametrize("key", ["verdict", "findings", "pack"])
def test_the_line_form_still_requires_the_contract(key: str) -> None:
    validator = _validator(report_schema())
    line = json.loads(_reports()[0].to_line_json())
    del line[key]
    assert _errors(validator, line)


def test_the_full_form_requires_what_only_a_line_leaves_out() -> None:
    validator = _validator(report_schema())
    full = _reports()[0].to_json_dict()
    del full["provenance"]
    assert _errors(validator, full)
    full = _reports()[0].to_json_dict()
    del full["receipt"]["pack_sha256"]
    assert _errors(validator, full)


def _relaxed() -> list[tuple[str, str]]:
    """The (model, field) pairs the line form's schema no longer requires."""
    defs = report_schema()["$defs"]
    return [(m, n) for m, names in LINE_LEAVES_OUT.items() for n in names
            if n in defs[m].get("required", ()) and n not in defs["Line" + m]["required"]]


def test_the_line_schema_relaxes_some_of_each_model_listed() -> None:
    relaxed = _relaxed()
    assert {m for m, _n in relaxed} == set(LINE_LEAVES_OUT)
    assert ("Receipt", "pack_sha256") in relaxed
    assert ("LoadedPack", "doc_number") not in relaxed  # optional in the full form too


@pytest.mark.parametrize(("model", "name"), _relaxed())
def test_each_relaxation_is_needed(model: str, name: str,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Requiring the field again makes some line fail: the line does leave it out."""
    narrower = {m: tuple(n for n in names if (m, n) != (model, name))
                for m, names in LINE_LEAVES_OUT.items()}
    monkeypatch.setattr(schemas, "LINE_LEAVES_OUT", narrower)
    validator = _validator(report_schema())
    lines = [json.loads(r.to_line_json()) for r in _reports()]
    assert any(_errors(validator, line) for line in lines), f"no line leaves out {name}"
