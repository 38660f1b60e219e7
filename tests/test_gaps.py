"""Declared encoding gaps: a partly encoded article taints its findings everywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govrules.cli.main import main
from govrules.model.pack import parse_pack

from .conftest import demo_pack_text

BODY = """\
gaps:
  - {article: 1, extent: none, reason: {zh: 适用范围, en: Scope}}
  - article: 2
    extent: partial
    reason: {zh: 政务云条款未检查, en: The government-cloud clause is not checked}
    {accepted}
  - {article: 3, extent: none, reason: {zh: 未编码, en: Not encoded}}
rules:
  - id: demo.2.filed
    article: 2
    quote: 将合同报备案
    violated_when: not contract.filed
    message: {zh: 合同未备案, en: The contract was not filed}
"""


def _files(tmp_path: Path, accepted: str = "") -> tuple[Path, Path]:
    pack = tmp_path / "demo.yaml"
    pack.write_text(demo_pack_text(BODY.replace("{accepted}", accepted)), encoding="utf-8")
    snap = tmp_path / "p.yaml"
    snap.write_text("id: p\nas_of: 2025-06-01\ncontract: {filed: false}\n", encoding="utf-8")
    return pack, snap


def _check(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, *extra: str
           ) -> tuple[int, str]:
    code = main(["check", str(tmp_path / "p.yaml"), "--policy", str(tmp_path / "demo.yaml"),
                 "--format", fmt, "-q", *extra])
    return code, capsys.readouterr().out


def test_partly_encoded_article_taints_json_text_and_sarif(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _files(tmp_path)
    code, out = _check(tmp_path, capsys, "json")
    assert code == 1
    (report,) = json.loads(out)
    (finding,) = report["findings"]
    assert finding["gap"] == {"extent": "partial", "article": 2, "item": None,
                              "accepted": None,
                              "reason": {"zh": "政务云条款未检查",
                                         "en": "The government-cloud clause is not checked"}}
    assert "encoding-gap" in [w["code"] for w in report["warnings"]]

    _, text = _check(tmp_path, capsys, "text")
    assert "article only partly encoded: The government-cloud clause is not checked / " \
        "政务云条款未检查" in " ".join(text.split())  # as read, across wrapped lines

    _, sarif = _check(tmp_path, capsys, "sarif")
    (result,) = json.loads(sarif)["runs"][0]["results"]
    assert "only partly encoded" in result["message"]["text"]
    assert result["properties"]["gap"]["extent"] == "partial"


def test_gaps_mode_decides_what_a_run_does(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _files(tmp_path)
    _, out = _check(tmp_path, capsys, "json", "--gaps", "ignore")
    (report,) = json.loads(out)
    assert "encoding-gap" not in [w["code"] for w in report["warnings"]]
    assert report["findings"][0]["gap"] is not None  # the data stays
    code, _ = _check(tmp_path, capsys, "json", "--gaps", "error", "--fail-on", "never")
    assert code == 1  # an unaccepted gap under a finding fails the record
    code, _ = _check(tmp_path, capsys, "json", "--gaps", "warn", "--fail-on", "never")
    assert code == 0


def test_an_accepted_gap_does_not_fail_under_error(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    _files(tmp_path, "accepted: {by: 审核人, on: 2026-11-30}")
    code, out = _check(tmp_path, capsys, "json", "--gaps", "error", "--fail-on", "never")
    assert code == 0
    gap = json.loads(out)[0]["findings"][0]["gap"]
    assert gap["accepted"] == {"by": "审核人", "on": "2026-11-30"}


def test_not_checkable_is_read_as_a_gap_with_extent_none() -> None:
    pack = parse_pack(demo_pack_text("""\
not_checkable:
  - {article: 1, reason: "Scope clause."}
rules: []
"""), "demo.yaml")
    (gap,) = pack.gaps
    assert (gap.article, gap.extent, gap.reason.en, gap.accepted) == (1, "none",
                                                                      "Scope clause.", None)


def test_a_gap_must_name_an_article_of_the_pack() -> None:
    from govrules.base.errors import PackError

    with pytest.raises(PackError) as err:
        parse_pack(demo_pack_text("gaps:\n  - {article: 9, extent: none, reason: "
                                  "{zh: 无, en: none}}\n"), "demo.yaml")
    assert [d.code for d in err.value.diagnostics] == ["pack-unknown-article"]
    assert err.value.diagnostics[0].span is not None
    assert (err.value.diagnostics[0].span.line, err.value.diagnostics[0].span.col) == (24, 15)


def test_builtin_partial_gaps_taint_their_findings() -> None:
    from datetime import date

    from govrules import evaluate

    report = evaluate({"id": "s"}, city="shangrao", as_of=date(2025, 6, 1), include_all=True)
    tainted = {f.article.number for f in report.findings if f.gap is not None}
    assert tainted == {4, 7, 8}
    assert all(f.gap is not None for f in report.findings if f.article.number == 7)
    assert all(f.gap is None for f in report.findings if f.article.number == 6)
