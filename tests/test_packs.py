"""Every built-in pack: loads, is faithful to its source text, and its examples pass."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from govrules.model.pack import Pack, builtin_pack, builtin_pack_ids, normalise_ws
from govrules.tools.tester import coverage, run_examples

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
PACK_IDS = builtin_pack_ids()


@pytest.fixture(scope="module", params=PACK_IDS)
def pack(request: pytest.FixtureRequest) -> Pack:
    return builtin_pack(request.param)


def _seed_text(pack: Pack) -> str:
    path = SEEDS / pack.meta.source
    if not path.exists():
        pytest.skip(f"seed text {path} not present")
    return normalise_ws(path.read_text(encoding="utf-8"))


def test_the_five_cities_are_built_in() -> None:
    assert set(PACK_IDS) == {"guiyang", "jincheng", "shangrao", "taiyuan", "wuhai"}


def test_examples_pass(pack: Pack) -> None:
    failures = [
        f"{o.span}: {o.name}: " + "; ".join([*map(str, o.mismatches), *map(str, o.errors)])
        for o in run_examples(pack) if not o.passed
    ]
    assert not failures, "\n".join(failures)


def test_every_rule_has_a_violating_and_a_satisfying_example(pack: Pack) -> None:
    seen = coverage(pack, run_examples(pack))
    gaps = {rule.id: sorted(seen[rule.id]) for rule in pack.rules
            if not {"violated", "satisfied"} <= seen[rule.id]}
    assert not gaps


def test_every_scope_clause_has_an_out_of_scope_example(pack: Pack) -> None:
    seen = coverage(pack, run_examples(pack))
    assert all("not_applicable" in seen[c.spec.id] for c in pack.scope)


def test_in_principle_rules_have_a_waived_example(pack: Pack) -> None:
    seen = coverage(pack, run_examples(pack))
    missing = [r.id for r in pack.rules if r.spec.in_principle and "waived" not in seen[r.id]]
    assert not missing


def test_deadline_rules_have_undetermined_and_overdue_examples(pack: Pack) -> None:
    seen = coverage(pack, run_examples(pack))
    weak = [r.id for r in pack.rules if r.spec.deadline is not None
            and not {"undetermined", "violated"} <= seen[r.id]]
    assert not weak


def test_article_texts_are_verbatim_from_the_seed(pack: Pack) -> None:
    seed = _seed_text(pack)
    wrong = [a.label for a in pack.articles.values() if normalise_ws(a.text) not in seed]
    assert not wrong


def test_quotes_are_verbatim_from_the_seed(pack: Pack) -> None:
    seed = _seed_text(pack)
    quotes = [r.spec.quote for r in pack.rules] + [c.spec.quote for c in pack.scope]
    wrong = [q for q in quotes if normalise_ws(q) not in seed]
    assert not wrong


def test_every_article_of_the_text_is_in_the_pack(pack: Pack) -> None:
    seed = _seed_text(pack)
    labels = set(re.findall(r"第[一二三四五六七八九十百]+条", seed))
    assert labels <= {a.label for a in pack.articles.values()}


def test_every_article_is_encoded_or_declared_a_gap(pack: Pack) -> None:
    ruled = {r.spec.article for r in pack.rules} | {c.spec.article for c in pack.scope} | {
        e.spec.article for e in pack.exceptions}
    judged = {g.article for g in pack.gaps if g.extent == "none" and g.item is None}
    partial = {g.article for g in pack.gaps if g.extent == "partial"}
    assert not ruled & judged, "an article is both encoded and declared not encoded"
    assert partial <= ruled, "a partly encoded article has rules"
    assert set(pack.articles) == ruled | judged
    assert not pack.not_checkable, "built-in packs declare gaps, not not_checkable"


def test_rule_ids_are_stable_form(pack: Pack) -> None:
    pattern = re.compile(rf"^{pack.id}\.\d+(\.[0-9a-z]+)?\.[a-z0-9-]+$")
    assert all(pattern.match(r.id) for r in pack.rules)
