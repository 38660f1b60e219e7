"""Pack fidelity: titles, topics and the interpretation register of the built-in packs, and
the snapshot facts the texts need. The review rows themselves are pack examples, named
after their rule (``govrules test policies``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govrules.base.errors import SnapshotError
from govrules.cli.main import main
from govrules.model.pack import Pack, builtin_pack, builtin_pack_ids, normalise_ws
from govrules.model.pack_format import TOPIC, BilingualText
from govrules.model.snapshot import parse_snapshot
from govrules.tools.docsgen import interpretations_page

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture(scope="module", params=builtin_pack_ids())
def pack(request: pytest.FixtureRequest) -> Pack:
    return builtin_pack(request.param)


def test_every_rule_has_a_bilingual_title_and_a_topic(pack: Pack) -> None:
    for rule in pack.spec.rules:
        assert isinstance(rule.title, BilingualText), rule.id
        assert rule.topic is not None, rule.id
        assert re.fullmatch(TOPIC, rule.topic), rule.id


def test_every_pack_keeps_an_interpretation_register_that_rules_rest_on(pack: Pack) -> None:
    register = pack.spec.interpretations
    assert register, f"{pack.id} lists no interpretations"
    used = {i for r in pack.spec.rules for i in r.interpretations}
    used |= {e.id for e in register if e.rules}
    assert {e.id for e in register} <= used, "an interpretation no rule rests on"
    ids = {r.id for r in pack.spec.rules} | {s.id for s in pack.spec.scope}
    for entry in register:
        assert entry.id.startswith(pack.id + ".")
        assert set(entry.rules or []) <= ids
        assert entry.reading.zh
        assert entry.reading.en
        assert entry.alternative.en


def test_interpretation_quotes_are_verbatim_from_the_seed(pack: Pack) -> None:
    path = SEEDS / pack.meta.source
    if not path.exists():
        pytest.skip(f"seed text {path} not present")
    seed = normalise_ws(path.read_text(encoding="utf-8"))
    texts = {a.number: normalise_ws(a.text) for a in pack.spec.articles}
    for entry in pack.spec.interpretations:
        assert normalise_ws(entry.quote) in seed, entry.id
        assert normalise_ws(entry.quote) in texts[entry.article], entry.id


def test_the_interpretations_page_shows_every_reading_for_legal_review(pack: Pack) -> None:
    page = interpretations_page(pack)
    for entry in pack.spec.interpretations:
        assert f"## `{entry.id}`" in page
        assert entry.reading.zh in page
        assert entry.alternative.en in page
    resting = [r.id for r in pack.spec.rules if r.interpretations]
    for rule_id in resting:
        assert f"`{rule_id}`" in page


def test_guiyang_names_no_issuer_its_text_does_not_give() -> None:
    """Review G1: the committee appears only in an unrelated notice of the capture."""
    meta = builtin_pack("guiyang").meta
    assert "委员会" not in meta.issuer.zh
    assert "未载明" in meta.issuer.zh
    assert "Not stated" in meta.issuer.en


def test_a_disaster_emergency_is_an_urgent_project() -> None:
    with pytest.raises(SnapshotError) as caught:
        parse_snapshot({"project": {"emergency": False, "disaster_emergency": True}})
    diagnostic = caught.value.diagnostics[0]
    assert "disaster_emergency" in diagnostic.message
    assert "project" in str(diagnostic.path or diagnostic.span)
    assert parse_snapshot({"project": {"emergency": True, "disaster_emergency": True}})


def test_a_contradictory_emergency_record_exits_2(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    record = tmp_path / "wh.yaml"
    record.write_text("city: wuhai\nas_of: 2025-11-20\nproject:\n  emergency: false\n"
                      "  disaster_emergency: true\n", encoding="utf-8")
    assert main(["check", str(record)]) == 2
    err = capsys.readouterr().err
    assert "wh.yaml:4" in err or "wh.yaml:5" in err


def test_follow_up_funds_and_service_terms_are_facts_of_their_own() -> None:
    snap = parse_snapshot({
        "funding": {"construction_funds_allocated": True,
                    "followup_funds_allocated_on": "2023-03-01"},
        "service": {"term_start_on": "2025-03-01", "term_end_on": "2028-02-29"},
        "project": {"categories": ["information_system"]},
    })
    assert snap.funding is not None
    assert snap.funding.followup_funds_allocated is True
    assert snap.service is not None
    assert str(snap.service.term_end_on) == "2028-02-29"
