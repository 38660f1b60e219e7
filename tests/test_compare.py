"""``govrules compare``: one project under several regulations, by obligation topic."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from govrules.base.calendar import Calendar
from govrules.base.errors import PackError
from govrules.engine.evaluate import evaluate_pack
from govrules.model.pack import Pack
from govrules.model.snapshot import parse_snapshot
from govrules.tools.compare import TOPICS, Comparison, compare, suggest_topic
from govrules.tools.lint import lint_file
from tests.conftest import EXAMPLE, cli, demo_pack_text, snapshot

TOPICAL = """
scope:
  - id: demo.1.scope
    article: 1
    quote: 本办法适用于使用财政资金的非涉密项目
    applies_when: funding.source == 'fiscal'
    message: {zh: 不适用, en: Out of scope}
rules:
  - id: demo.2.contract-filed
    article: 2
    topic: filing
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    violated_when: not contract.filed
    message: {zh: 合同未备案, en: Contract not filed}
  - id: demo.2.cloud
    article: 2
    topic: ferry-licensing
    quote: 原则上应使用政务云
    violated_when: not deployment.government_cloud
    message: {zh: 未使用政务云, en: Not on the government cloud}
  - id: demo.3.budget-report
    article: 3
    quote: 项目应按季度报送执行情况
    violated_when: not contract.filed
    message: {zh: 未报送, en: Not reported}
  - id: demo.3.quarterly
    article: 3
    topic: reporting
    quote: 每季度过后7个工作日内报送
    violated_when: budget.original > 100
    message: {zh: 未报送, en: Not reported}
"""


def _compare(make_pack: Callable[[str], Pack], snapshot_data: dict[str, Any]) -> Comparison:
    pack = make_pack(TOPICAL)
    report = evaluate_pack(pack, parse_snapshot(snapshot_data), date(2025, 6, 30),
                           Calendar.default(), include_all=True)
    return compare([report], [pack])


def test_rows_are_the_declared_topics(make_pack: Callable[[str], Pack]) -> None:
    comparison = _compare(make_pack, {"funding": {"source": "fiscal"},
                                      "contract": {"filed": False},
                                      "deployment": {"government_cloud": True},
                                      "budget": {"original": 50}})
    rows = {r.topic: r for r in comparison.rows}
    assert [r.topic for r in comparison.rows] == ["scope", "filing", "reporting",
                                                  "ferry-licensing", "other"]
    assert rows["filing"].cells["demo"].rules == ["demo.2.contract-filed"]
    assert rows["filing"].cells["demo"].status == "violated"
    assert rows["filing"].cells["demo"].articles == ["第二条"]
    assert (rows["filing"].en, rows["filing"].zh) == ("Filing", "备案")
    assert rows["reporting"].cells["demo"].status == "satisfied"
    assert (rows["ferry-licensing"].en, rows["ferry-licensing"].zh) == ("ferry-licensing",) * 2
    assert rows["ferry-licensing"].cells["demo"].status == "satisfied"
    assert rows["other"].cells["demo"].rules == ["demo.3.budget-report"]
    assert rows["scope"].cells["demo"].rules == ["demo.1.scope"]


def test_a_topic_is_a_slug(make_pack: Callable[[str], Pack]) -> None:
    with pytest.raises(PackError) as err:
        make_pack(TOPICAL.replace("topic: filing", "topic: Contract Filing"))
    assert [(d.code, d.path, d.span.line if d.span else None)
            for d in err.value.diagnostics] == [("pack-invalid", "rules[0].topic", 33)]


@pytest.mark.parametrize(
    ("rule", "facts", "topic"),
    [
        ("demo.15.budget-adjustment", (), "change"),
        ("demo.15.contract-filed", (), "filing"),
        ("demo.14.quarterly-progress", (), "reporting"),
        ("demo.19.catalogue-before-acceptance", (), "data-catalogue"),
        ("demo.32.3.government-cloud", (), "cloud"),
        ("demo.32.4.data-sharing-platform", (), "data-sharing"),
        ("demo.28.cryptography", (), "security"),
        ("demo.17.ip-agreement", (), "ip"),
        ("demo.9.obscure", ("project.phase", "acceptance.report_filed_on"), "acceptance"),
        ("demo.9.obscure", ("contract.signed", "reports.fund_use"), "reporting"),
        ("demo.9.obscure", ("budget.original", "budget.adjustments.amount",
                            "security.level"), "budget"),
        ("demo.9.obscure", ("project.phase",), None),
        ("demo.9.obscure", (), None),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_suggest_topic(rule: str, facts: tuple[str, ...], topic: str | None) -> None:
    assert suggest_topic(rule, facts) == topic
    assert topic is None or topic in {t.id for t in TOPICS}


def test_lint_suggests_a_topic_for_a_rule_without_one(tmp_path: Path) -> None:
    path = tmp_path / "demo.yaml"
    path.write_text(demo_pack_text(TOPICAL), encoding="utf-8")
    found = [(d.code, d.rule, d.severity, d.hint) for d in lint_file(path).diagnostics
             if d.code == "rule-topic-missing"]
    assert found == [("rule-topic-missing", "demo.3.budget-report", "info",
                      "suggested: topic: budget (see docs/pack-format.md)")]


def test_json_matrix_for_guiyang(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "compare", str(EXAMPLE), "--city", "guiyang", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["snapshot_id"] == "GY-2025-JT-017"
    assert [c["pack"] for c in data["cities"]] == ["guiyang"]
    assert data["cities"][0]["city_zh"] == "贵阳市"
    rows = {r["topic"]: r["cells"]["guiyang"] for r in data["rows"]}
    assert rows["scope"]["status"] == "satisfied"
    over = [cell for cell in rows.values() if "guiyang.15.over-10pct" in cell["rules"]]
    assert len(over) == 1
    assert over[0]["status"] == "violated"
    assert "第十五条" in over[0]["articles"]
    named = [t.id for t in TOPICS]
    order = [r["topic"] for r in data["rows"]]
    assert order[0] == "scope"
    assert order == sorted(order, key=lambda t: (t == "other",
                                                 named.index(t) if t in named else len(named), t))
    violated = {f["rule"] for f in data["violations"]["guiyang"]}
    assert violated == {"guiyang.12.bid-result-filed", "guiyang.15.over-10pct",
                        "guiyang.17.custom-software-ip", "guiyang.17.ip-agreement",
                        "guiyang.21.share-on-platform", "guiyang.32.4.data-sharing-platform"}
    finding = next(f for f in data["violations"]["guiyang"]
                   if f["rule"] == "guiyang.15.over-10pct")
    assert finding["article"]["quote"].startswith("若调整内容超过原项目预算10%")


def test_every_pack_side_by_side(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "compare", str(EXAMPLE), "--format", "json")
    assert code == 1
    data = json.loads(out)
    packs = [c["pack"] for c in data["cities"]]
    assert "guiyang" in packs
    for row in data["rows"]:
        assert set(row["cells"]) == set(packs)


def test_text_and_markdown(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pack = tmp_path / "demo.yaml"
    pack.write_text(demo_pack_text(TOPICAL), encoding="utf-8")
    snap = tmp_path / "p.yaml"
    snap.write_text("id: P-1\nfunding: {source: fiscal}\ncontract: {filed: false}\n"
                    "deployment: {government_cloud: true}\nbudget: {original: 50}\n",
                    encoding="utf-8")
    _, text, _ = cli(capsys, "compare", str(snap), "--policy", str(pack), "--as-of",
                     "2025-06-30")
    assert "Filing 备案" in text
    assert "✗ 第二条" in text
    assert "demo (示例市, binding): 2 violated" in text
    assert "「项目实施单位应在签订合同5个工作日内将合同报备案」" in text
    _, markdown, _ = cli(capsys, "compare", str(snap), "--policy", str(pack), "--as-of",
                         "2025-06-30", "--format", "markdown")
    assert "| topic | demo 示例市 |" in markdown
    assert "| Filing 备案 | ✗ 第二条 |" in markdown
    assert "| ferry-licensing ferry-licensing | ✓ 第二条 |" in markdown
    assert "- `demo.2.contract-filed` 第二条" in markdown


def test_fail_on_never(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, "compare", str(EXAMPLE), "--city", "guiyang", "--fail-on", "never")[0] \
        == 0


def test_stdin(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(
        json.dumps(snapshot(3)).encode())))
    code, out, _ = cli(capsys, "compare", "-", "--city", "guiyang", "--format", "json")
    assert code in (0, 1)
    assert json.loads(out)["snapshot_id"] == "GY-00003"


def test_bad_input(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("budget:\n  original: lots\n", encoding="utf-8")
    code, out, err = cli(capsys, "compare", str(bad), "--city", "guiyang")
    assert (code, out) == (2, "")
    assert f"{bad}:2:13: snapshot-type" in err
    many = tmp_path / "many.jsonl"
    many.write_text("{}\n{}\n", encoding="utf-8")
    code, _, err = cli(capsys, "compare", str(many), "--city", "guiyang")
    assert code == 2
    assert f"{many}:2: input-several-records" in err
