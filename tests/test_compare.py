"""``govrules compare``: one project under several regulations, by obligation topic."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from govrules.compare import TOPICS, topic_of
from tests.test_batch import EXAMPLE, cli, snapshot


@pytest.mark.parametrize(
    ("rule", "facts", "topic"),
    [
        ("guiyang.15.over-10pct", (), "budget-change"),
        ("jincheng.15.contract-filed", (), "contract-filing"),
        ("guiyang.14.quarterly-progress", (), "quarterly-reporting"),
        ("shangrao.25.fund-use-quarterly", (), "quarterly-reporting"),
        ("guiyang.19.catalogue-before-acceptance", (), "data-catalogue"),
        ("guiyang.32.3.government-cloud", (), "cloud"),
        ("guiyang.32.4.data-sharing-platform", (), "data-sharing"),
        ("jincheng.28.cryptography", (), "security"),
        ("guiyang.17.ip-agreement", (), "contract"),
        ("jincheng.16.cooperate-with-inspection", (), "supervision"),
        ("guiyang.28.report-filed", (), "acceptance"),
        ("demo.9.obscure", ("project.phase", "acceptance.report_filed_on"), "acceptance"),
        ("demo.9.obscure", ("contract.signed", "reports.fund_use"), "quarterly-reporting"),
        ("demo.9.obscure", ("project.phase",), "other"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_topic_of(rule: str, facts: tuple[str, ...], topic: str) -> None:
    assert topic_of(rule, facts) == topic
    assert topic in {t.id for t in TOPICS}


def test_json_matrix_for_guiyang(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "compare", str(EXAMPLE), "--city", "guiyang", "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert data["snapshot_id"] == "GY-2025-JT-017"
    assert [c["pack"] for c in data["cities"]] == ["guiyang"]
    assert data["cities"][0]["city_zh"] == "贵阳市"
    rows = {r["topic"]: r["cells"]["guiyang"] for r in data["rows"]}
    assert rows["budget-change"]["status"] == "violated"
    assert rows["budget-change"]["articles"] == ["第十五条"]
    assert rows["scope"]["status"] == "satisfied"
    assert rows["cloud"]["status"] == "satisfied"
    assert rows["data-sharing"]["status"] == "violated"
    order = [t.id for t in TOPICS]
    assert [r["topic"] for r in data["rows"]] == sorted(rows, key=order.index)
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


def test_text_and_markdown(capsys: pytest.CaptureFixture[str]) -> None:
    _, text, _ = cli(capsys, "compare", str(EXAMPLE), "--city", "guiyang")
    assert "Budget and content changes 项目调整与变更" in text
    assert "✗ 第十五条" in text
    assert "guiyang (贵阳市, binding): 6 violated" in text
    assert "「若调整内容超过原项目预算10%的,需业主单位重新编报项目方案和预算」" in text
    _, markdown, _ = cli(capsys, "compare", str(EXAMPLE), "--city", "guiyang",
                         "--format", "markdown")
    assert "| topic | guiyang 贵阳市 |" in markdown
    assert "| Budget and content changes 项目调整与变更 | ✗ 第十五条 |" in markdown
    assert "- `guiyang.15.over-10pct` 第十五条 项目调整" in markdown


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
