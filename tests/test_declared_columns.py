"""A pack's declared facts as columns of CSV and .xlsx inputs: by path or by Chinese
description, converted to their declared type, checked like any other fact; an unknown
column still names the closest fact."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from govrules.cli.main import main
from tests.conftest import REPO

PACK = REPO / "examples" / "tutorial" / "democity.yaml"
"""The tutorial pack: it declares data_export.overseas, .assessed and .assessed_on."""
RULE = "democity.4.export-assessed"
BASE = ["id", "as_of", "funding.source", "project.classified", "contract.signed_on",
        "contract.filed_on", "contract.custom_software"]
ROWS = [  # the pack's own examples: assessed after signing (violated), before (satisfied)
    ["LATE", "2025-03-31", "fiscal", "false", "2025-03-03", "2025-03-05", "false"],
    ["EARLY", "2025-03-31", "fiscal", "false", "2025-03-03", "2025-03-05", "false"],
]
DECLARED = [["true", "2025-03-20"], ["是", "2025-02-20"]]


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    path.write_text("\n".join(",".join(cells) for cells in [header, *rows]) + "\n",
                    encoding="utf-8")
    return path


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]],
                                                                    str]:
    code = main(["check", *args, "--format", "json", "-q", "--all-findings"])
    out, err = capsys.readouterr()
    return code, json.loads(out) if out else [], err


def _status(item: dict[str, object]) -> str:
    findings = item["findings"]
    assert isinstance(findings, list)
    return next(str(f["status"]) for f in findings if f["rule"] == RULE)


def _errors(item: dict[str, object]) -> list[dict[str, object]]:
    errors = item["errors"]
    assert isinstance(errors, list)
    return errors


@pytest.mark.parametrize("names", [
    ["data_export.overseas", "data_export.assessed_on"],
    ["项目需向境外提供数据", "数据出境安全评估完成日期"],  # the facts' Chinese descriptions
], ids=["paths", "descriptions"])
def test_declared_facts_are_csv_columns(names: list[str], tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    rows = [row + extra for row, extra in zip(ROWS, DECLARED, strict=True)]
    path = _csv(tmp_path / "register.csv", BASE + names, rows)
    code, items, _ = _check(capsys, str(path), "--policy", str(PACK))
    assert code == 1
    assert [_status(i) for i in items] == ["violated", "satisfied"]
    assert [i["source"] for i in items] == [f"{path}:2", f"{path}:3"]


def test_declared_cells_are_checked_by_their_type(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    rows = [ROWS[0] + ["maybe", "2025-03-20"], ROWS[1] + ["true", "2025-02-30"]]
    path = _csv(tmp_path / "bad.csv", [*BASE, "data_export.overseas",
                                       "data_export.assessed_on"], rows)
    code, items, err = _check(capsys, str(path), "--policy", str(PACK))
    assert code == 2
    first, second = (_errors(i) for i in items)
    assert [(e["code"], e["path"]) for e in first] == [("snapshot-type",
                                                        "data_export.overseas")]
    assert [(e["code"], e["path"]) for e in second] == [("snapshot-type",
                                                         "data_export.assessed_on")]
    assert f"{path}:2" in err


def test_an_unknown_column_names_the_closest_declared_fact(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _csv(tmp_path / "typo.csv", [*BASE, "data_export.oversea"],
                [ROWS[0] + ["true"]])
    code, items, _ = _check(capsys, str(path), "--policy", str(PACK))
    assert code == 2
    (error,) = _errors(items[0])
    assert error["code"] == "csv-unknown-column"
    assert error["hint"] == "did you mean 'data_export.overseas'?"


def test_without_the_pack_a_declared_column_is_unknown(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The packs are chosen per row (by city) only after the header is read: a declared
    fact is a column when the run names its pack."""
    header = [*BASE, "city", "data_export.overseas"]
    path = _csv(tmp_path / "no-pack.csv", header, [[*ROWS[0], "guiyang", "true"]])
    code, items, _ = _check(capsys, str(path))
    assert code == 2
    (error,) = _errors(items[0])
    assert error["code"] == "csv-unknown-column"
    assert "--policy" in str(error["hint"])


def test_declared_facts_are_xlsx_columns(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "登记表"
    sheet.append([*BASE, "项目需向境外提供数据", "data_export.assessed_on"])
    for row, (overseas, on) in zip(ROWS, DECLARED, strict=True):
        sheet.append([*row, overseas == "true" or overseas, date.fromisoformat(on)])
    sheet.append([*ROWS[0], "perhaps", date(2025, 3, 20)])
    path = tmp_path / "register.xlsx"
    book.save(path)
    code, items, _ = _check(capsys, str(path), "--policy", str(PACK))
    assert code == 2
    assert [_status(i) for i in items[:2]] == ["violated", "satisfied"]
    assert items[0]["source"] == f"{path}!登记表:2"
    (bad,) = _errors(items[2])
    assert (bad["code"], bad["path"]) == ("snapshot-type", "data_export.overseas")
    assert len(items) == 3
