"""Facts a pack declares (``facts:``, vocabulary files): typed, validated, documented."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from govrules import evaluate
from govrules.base.errors import PackError, SnapshotError
from govrules.cli.main import main
from govrules.model.pack import load_pack
from govrules.tools.lint import lint_file
from tests.conftest import REPO

TUTORIAL = REPO / "examples" / "tutorial"


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    for name in ("democity.yaml", "regulation.txt"):
        shutil.copy(TUTORIAL / name, tmp_path / name)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_declared_facts_type_check_the_conditions(pack_dir: Path) -> None:
    pack = pack_dir / "democity.yaml"
    _edit(pack, "or data_export.assessed_on > contract.signed_on",
          "or data_export.assessed_on > 5")
    codes = [(d.code, d.span.line if d.span else None) for d in lint_file(pack).diagnostics]
    text = pack.read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(text, 1) if "assessed_on > 5" in t)
    assert ("expr-type", line) in codes  # the real line of a folded condition


def test_a_misspelt_fact_in_a_folded_condition_points_at_its_line_and_column(
        pack_dir: Path) -> None:
    pack = pack_dir / "democity.yaml"
    _edit(pack, "or data_export.assessed_on >", "or data_export.assesed_on >")
    with pytest.raises(PackError) as err:
        load_pack(pack)
    d = next(d for d in err.value.diagnostics if d.code == "expr-unknown-fact")
    text = pack.read_text(encoding="utf-8").splitlines()
    assert d.span is not None
    assert d.span.line is not None
    assert d.span.col is not None
    assert text[d.span.line - 1][d.span.col - 1:].startswith("data_export.assesed_on")
    assert d.hint == "did you mean 'data_export.assessed_on'?"


def test_snapshots_may_carry_declared_facts_and_only_those() -> None:
    pack = load_pack(TUTORIAL / "democity.yaml")
    base = {"funding": {"source": "fiscal"}, "project": {"classified": False},
            "contract": {"signed_on": "2025-03-03", "filed_on": "2025-03-04"}}
    report = evaluate({**base, "data_export": {"overseas": True, "assessed_on": "2025-04-01"}},
                      pack=pack, as_of="2025-04-30")
    status = {f.rule: f.status for f in report.findings}
    assert status["democity.4.export-assessed"] == "violated"
    with pytest.raises(SnapshotError) as err:
        evaluate({**base, "data_export": {"asessed": True}}, pack=pack, as_of="2025-04-30")
    (d,) = err.value.diagnostics
    assert (d.code, d.path, d.hint) == ("snapshot-unknown-field", "data_export.asessed",
                                        "did you mean 'assessed'?")
    with pytest.raises(SnapshotError):  # the built-in packs do not know the fact
        evaluate({**base, "city": "guiyang", "data_export": {"overseas": True}})


def test_check_reads_declared_facts_and_rejects_bad_values(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    snap = tmp_path / "p.yaml"
    snap.write_text("id: P1\nas_of: 2025-04-30\nfunding: {source: fiscal}\n"
                    "project: {classified: false}\ncontract: {signed_on: 2025-03-03}\n"
                    "data_export: {overseas: yes-please}\n", encoding="utf-8")
    code = main(["check", str(snap), "--policy", str(TUTORIAL / "democity.yaml")])
    err = capsys.readouterr().err
    assert code == 2
    assert "snapshot-type" in err
    assert "data_export.overseas" in err


def test_schema_snapshot_with_policy_includes_the_facts(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "snapshot", "--policy", str(TUTORIAL / "democity.yaml")]) == 0
    schema = json.loads(capsys.readouterr().out)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"data_export": {"overseas": True,
                                               "assessed_on": "2025-01-02"}})
    assert not validator.is_valid({"data_export": {"oversea": True}})
    assert main(["schema", "snapshot"]) == 0
    plain = jsonschema.Draft202012Validator(json.loads(capsys.readouterr().out))
    assert not plain.is_valid({"data_export": {"overseas": True}})


def test_the_docs_page_lists_declared_facts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", str(TUTORIAL / "democity.yaml")]) == 0
    page = capsys.readouterr().out
    assert "## Facts this pack declares" in page
    assert "| `data_export.assessed_on` | date |" in page


VOCAB = """\
facts:
  - path: data_export.volume
    type: number
    unit: 万条
    description: {zh: 出境数据量, en: volume of data sent abroad}
  - path: data_export.kind
    type: enum
    values: [personal, important, other]
    description: {zh: 出境数据类别, en: kind of data sent abroad}
  - path: data_export.transfers
    type: list
    description: {zh: 出境传输记录, en: transfers abroad}
    items:
      - path: country
        type: text
        description: {zh: 接收国家, en: receiving country}
      - path: fee
        type: money
        description: {zh: 费用, en: fee}
"""


def test_a_vocabulary_file_declares_numbers_enums_and_lists(pack_dir: Path) -> None:
    (pack_dir / "export-facts.yaml").write_text(VOCAB, encoding="utf-8")
    pack = pack_dir / "democity.yaml"
    _edit(pack, "facts:\n", "vocabulary: [export-facts.yaml]\nfacts:\n")
    _edit(pack, "applies_when: data_export.overseas and contract.signed",
          "applies_when: \"data_export.overseas and contract.signed and "
          "(data_export.volume > 10 or data_export.kind == 'personal' or "
          "any(t in data_export.transfers: t.fee > 50000))\"")
    loaded = load_pack(pack)
    assert {d.path for d in loaded.facts} >= {"data_export.volume", "data_export.transfers"}
    snapshot = {"funding": {"source": "fiscal"}, "project": {"classified": False},
                "contract": {"signed_on": "2025-03-03", "filed_on": "2025-03-04"},
                "data_export": {"overseas": True, "assessed": False, "volume": 3,
                                "kind": "other",
                                "transfers": [{"country": "SG", "fee": "8万元"}]}}
    report = evaluate(snapshot, pack=loaded, as_of="2025-04-30")
    assert {f.rule: f.status for f in report.findings}[
        "democity.4.export-assessed"] == "violated"
    with pytest.raises(SnapshotError) as err:
        evaluate({**snapshot, "data_export": {"kind": "secret"}}, pack=loaded)
    assert err.value.code == "snapshot-value"
    _edit(pack, "data_export.kind == 'personal'", "data_export.kind == 'persnal'")
    codes = {d.code for d in lint_file(pack).diagnostics}
    assert "expr-value" in codes or "expr-enum" in codes or any(
        "persnal" in d.message for d in lint_file(pack).diagnostics)


@pytest.mark.parametrize(("decl", "code"), [
    ("  - {path: contract.signed_on, type: date, description: {zh: 签订, en: signed}}",
     "vocab-fact-exists"),
    ("  - {path: contract.amount.x, type: text, description: {zh: x, en: x}}",
     "vocab-not-a-group"),
    ("  - {path: data_export.kind, type: enum, description: {zh: x, en: x}}", "vocab-values"),
    ("  - {path: data_export.overseas, type: text, description: {zh: x, en: x}}",
     "vocab-duplicate-fact"),
    ("  - {path: data_export.log, type: list, description: {zh: x, en: x}}", "vocab-items"),
    ("  - {path: data_export.Kind, type: text, description: {zh: x, en: x}}",
     "pack-invalid"),
])
def test_bad_declarations_are_located_errors(pack_dir: Path, decl: str, code: str) -> None:
    pack = pack_dir / "democity.yaml"
    _edit(pack, "facts:\n", f"facts:\n{decl}\n")
    diagnostics = lint_file(pack).diagnostics
    found = [d for d in diagnostics if d.code == code]
    assert found, [d.code for d in diagnostics]
    text = pack.read_text(encoding="utf-8").splitlines()
    assert found[0].span is not None
    assert found[0].span.line is not None
    assert "path:" in text[found[0].span.line - 1]


def test_two_packs_that_declare_a_fact_differently_clash(
        pack_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = pack_dir / "other.yaml"
    shutil.copy(pack_dir / "democity.yaml", other)
    _edit(other, "id: democity\n", "id: othercity\n")
    text = other.read_text(encoding="utf-8").replace("democity.", "othercity.")
    other.write_text(text.replace("facts:\n", "facts:\n  - {path: data_export.region, "
                                  "type: text, description: {zh: 地区, en: region}}\n", 1),
                     encoding="utf-8")
    _edit(pack_dir / "democity.yaml", "facts:\n", "facts:\n  - {path: data_export.region, "
          "type: enum, values: [asia], description: {zh: 地区, en: region}}\n")
    snap = pack_dir / "p.yaml"
    snap.write_text("id: P\nas_of: 2025-03-31\n", encoding="utf-8")
    code = main(["check", str(snap), "--policy", str(pack_dir / "democity.yaml"),
                 "--policy", str(other)])
    assert code == 2
    assert "vocab-conflict" in capsys.readouterr().err
