"""Amendments: ``extends``, dated versions of articles and rules, and where errors point."""

from __future__ import annotations

from pathlib import Path

import pytest

from govrules import evaluate
from govrules.base.errors import PackError
from govrules.cli.main import main
from govrules.model.pack import load_pack, parse_pack
from tests.conftest import REPO, demo_pack_text

AMENDMENT = REPO / "examples" / "amendments" / "guiyang-2026-amendment.yaml"
CASES = Path(__file__).parent / "lint_cases"
EIGHT_PERCENT = {
    "project": {"kind": "purchased_service", "classified": False},
    "funding": {"source": "fiscal", "fiscal_level": "municipal"},
    "budget": {"original": "500万元", "adjustments": [
        {"decided_on": "2026-03-02", "amount": "40万元", "explanation_filed_on": "2026-03-06",
         "plan_resubmitted": False}]},
}


def _statuses(as_of: str) -> dict[str, str]:
    report = evaluate(EIGHT_PERCENT, pack=load_pack(AMENDMENT), as_of=as_of, include_all=True)
    return {f.rule: f.status for f in report.findings if f.rule.startswith("guiyang.15.")}


def test_before_the_amendment_the_old_rule_decides() -> None:
    assert _statuses("2026-06-30") == {
        "guiyang.15.within-10pct": "satisfied", "guiyang.15.over-10pct": "satisfied",
        "guiyang.15.within-5pct": "not_applicable", "guiyang.15.over-5pct": "not_applicable",
        "guiyang.15.explanation-within-10-working-days": "not_applicable"}


def test_from_the_amendment_the_new_rule_decides() -> None:
    assert _statuses("2026-07-01") == {
        "guiyang.15.within-10pct": "not_applicable", "guiyang.15.over-10pct": "not_applicable",
        "guiyang.15.within-5pct": "satisfied", "guiyang.15.over-5pct": "violated",
        "guiyang.15.explanation-within-10-working-days": "satisfied"}


def test_the_report_cites_the_version_that_applied() -> None:
    pack = load_pack(AMENDMENT)
    old = evaluate(EIGHT_PERCENT, pack=pack, as_of="2026-06-30", include_all=True)
    new = evaluate(EIGHT_PERCENT, pack=pack, as_of="2026-07-01", include_all=True)
    before = next(f for f in old.findings if f.rule == "guiyang.15.over-10pct").article
    after = next(f for f in new.findings if f.rule == "guiyang.15.over-5pct").article
    assert (before.repealed, before.amended_by) == (pack.spec.amendments[0].effective, None)
    assert str(after.effective) == "2026-07-01"
    assert after.amended_by == "筑数据发〔2026〕7号"
    assert new.pack.version == "1.1.0"


def test_the_base_pack_is_unchanged() -> None:
    report = evaluate(EIGHT_PERCENT, city="guiyang", as_of="2026-07-01", include_all=True)
    statuses = {f.rule: f.status for f in report.findings}
    assert statuses["guiyang.15.over-10pct"] == "satisfied"
    assert "guiyang.15.over-5pct" not in statuses


def test_an_articles_dates_apply_to_its_rules() -> None:
    pack = parse_pack(demo_pack_text("""
        rules:
          - id: demo.2.cloud
            article: 2
            quote: 原则上应使用政务云
            in_principle: true
            violated_when: not deployment.government_cloud
            message: {zh: 未上云, en: Not on the cloud}
    """).replace("    summary: File the contract", "    repealed: 2024-01-01\n"
                 "    summary: File the contract"), "demo.yaml")
    snapshot = {"deployment": {"government_cloud": False}}
    assert evaluate(snapshot, pack=pack, as_of="2023-12-31").verdict == "non_compliant"
    late = evaluate(snapshot, pack=pack, as_of="2024-01-01", include_all=True)
    assert [f.status for f in late.findings] == ["not_applicable"]


def test_errors_point_at_the_amending_file() -> None:
    with pytest.raises(PackError) as caught:
        load_pack(CASES / "amend_bad_rule.yaml")
    places = [(d.code, Path(d.span.file or "").name, d.span.line) for d in
              caught.value.diagnostics if d.span is not None]
    assert places == [("expr-unknown-fact", "amend_bad_rule.yaml", 8),
                      ("pack-repeal-unknown", "amend_bad_rule.yaml", 10)]


def test_errors_in_the_base_point_at_the_base(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(
        (CASES / "unknown_fact.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "amend.yaml").write_text("extends: base.yaml\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(tmp_path / "amend.yaml")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.span is not None
    assert (Path(diagnostic.span.file or "").name, diagnostic.span.line,
            diagnostic.span.col) == ("base.yaml", 26, 20)


def test_cycles_are_refused() -> None:
    with pytest.raises(PackError) as caught:
        load_pack(CASES / "amend_cycle_a.yaml")
    assert caught.value.code == "pack-extends-cycle"


def test_the_id_cannot_change(tmp_path: Path) -> None:
    (tmp_path / "amend.yaml").write_text(f"extends: {CASES / 'valid.yaml'}\n"
                                         "pack: {id: other}\n", encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(tmp_path / "amend.yaml")
    assert [(d.code, d.span.line if d.span else None) for d in caught.value.diagnostics] == [
        ("pack-invalid", 2)]


def test_without_a_date_replacements_and_repeals_are_outright(tmp_path: Path) -> None:
    (tmp_path / "amend.yaml").write_text(f"""\
extends: {CASES / 'valid.yaml'}
pack: {{version: "0.0.2"}}
articles:
  - number: 2
    label: 第二条
    text: 项目实施单位应在签订合同10个工作日内将合同报备案。
    summary: File the contract within 10 working days.
repeal_rules: [demo.2.filed]
rules:
  - id: demo.2.filed-10
    article: 2
    quote: 将合同报备案
    violated_when: not contract.filed
    message: {{zh: 未备案, en: Not filed}}
""", encoding="utf-8")
    pack = load_pack(tmp_path / "amend.yaml")
    assert [r.id for r in pack.rules] == ["demo.2.filed-10"]
    assert [a.text for a in pack.spec.articles if a.number == 2] == [
        "项目实施单位应在签订合同10个工作日内将合同报备案。"]
    assert pack.meta.version == "0.0.2"


def test_show_resolved_prints_a_pack_that_loads_again(
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["show", str(AMENDMENT), "--resolved"]) == 0
    resolved = tmp_path / "resolved.yaml"
    resolved.write_text(capsys.readouterr().out, encoding="utf-8")
    again, original = load_pack(resolved), load_pack(AMENDMENT)
    assert again.spec == original.spec
    assert main(["show", str(AMENDMENT)]) == 0
    summary = capsys.readouterr().out
    assert "amended by 筑数据发〔2026〕7号, effective 2026-07-01" in summary
    assert "guiyang.15.over-10pct" in summary


def test_the_text_report_names_the_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(REPO / "examples" / "guiyang-violations.yaml"), "--policy",
                 str(AMENDMENT), "--as-of", "2026-09-01"]) == 1
    assert "第十五条 项目调整 (version from 2026-07-01, amended by 筑数据发〔2026〕7号)" in \
        capsys.readouterr().out
