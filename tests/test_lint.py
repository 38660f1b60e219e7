"""``govrules lint``: each defect is caught at its line and column; built-in packs are clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from govrules.cli.main import main
from govrules.tools.lint import lint_file, lint_paths
from tests.conftest import REPO

CASES = Path(__file__).parent / "lint_cases"

# fixture -> the (code, "line:col") pairs lint must report, and nothing else
EXPECTED: dict[str, list[tuple[str, str]]] = {
    "unknown_fact": [("expr-unknown-fact", "26:20")],
    "type_mismatch": [("expr-type", "26:39")],
    "unknown_function": [("expr-unknown-function", "26:20"), ("expr-arity", "31:20")],
    "duplicate_rule": [("pack-duplicate-rule", "28:9")],
    "unknown_article": [("pack-unknown-article", "29:14")],
    "quote_not_in_article": [("pack-quote-not-in-article", "25:12")],
    "message_unknown_fact": [("expr-unknown-fact", "27:43")],
    "article_no_rule": [("lint-article-no-rule", "12:13")],
    "unreachable": [("lint-unreachable-rule", "26:44"), ("lint-unreachable-rule", "32:19")],
    "never_violated": [("lint-never-violated", "26:39")],
    "known_guard": [("lint-known-guard", "27:7")],
    "in_principle": [("lint-in-principle-quote", "25:12"), ("lint-in-principle-flag", "29:9")],
    "example_unknown_rule": [("example-unknown-rule", "34:20")],
    "dates": [("lint-unreachable-rule", "26:16")],
    "valid": [],
    "gaps": [("lint-not-checkable-deprecated", "17:5"), ("lint-gap-unaccepted", "19:5"),
             ("lint-article-both", "20:26"), ("lint-gap-partial-no-rule", "21:26")],
    "amend_unknown_base": [("pack-extends-unknown", "2:10")],
    "amend_bad_rule": [("expr-unknown-fact", "8:24"), ("pack-repeal-unknown", "10:16")],
    "interpretations": [("lint-unknown-interpretation-rule", "23:13"),
                        ("lint-duplicate-interpretation", "24:9"),
                        ("lint-interpretation-quote", "26:12"),
                        ("rule-title-not-bilingual", "33:12"),
                        ("lint-unknown-interpretation", "34:23")],
}


_TITLES = ("rule-title-missing",)
_TOPICS = "rule-topic-missing"
"""Not in these cases' expectations: its own test is in test_compare.py."""


def _found(path: Path, source: Path | None = None, *, titles: bool = False
           ) -> list[tuple[str, str]]:
    """The (code, line:col) pairs; title warnings and missing topics only when asked (most
    cases are about something else and have untitled rules without topics)."""
    result = lint_file(path, source=source)
    return [(d.code, f"{d.span.line}:{d.span.col}") for d in result.diagnostics
            if d.span is not None and d.code != _TOPICS and (titles or d.code not in _TITLES)]


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=str)
def test_each_defect_is_reported_where_it_is(name: str) -> None:
    assert _found(CASES / f"{name}.yaml") == EXPECTED[name]


def test_every_diagnostic_has_a_hint_a_severity_and_a_rule_where_relevant() -> None:
    for name in EXPECTED:
        for d in lint_file(CASES / f"{name}.yaml").diagnostics:
            assert d.hint, d
            assert d.severity in ("error", "warning", "info")
            if d.code.startswith(("lint-in-principle", "lint-known", "expr-")):
                assert d.rule is not None, d


def test_quotes_and_articles_are_checked_against_the_source_text() -> None:
    assert _found(CASES / "source_mismatch.yaml") == []
    assert _found(CASES / "source_mismatch.yaml", CASES / "source.txt") == [
        ("lint-article-not-in-source", "18:11"), ("lint-quote-not-in-source", "25:12")]


def test_a_cycle_of_amendments_points_at_the_extends_that_closes_it() -> None:
    result = lint_file(CASES / "amend_cycle_a.yaml")
    (diagnostic,) = result.diagnostics
    assert diagnostic.code == "pack-extends-cycle"
    assert diagnostic.span is not None
    assert (Path(diagnostic.span.file or "").name, diagnostic.span.line) == (
        "amend_cycle_b.yaml", 2)


def test_builtin_packs_lint_without_errors() -> None:
    results, problems = lint_paths([REPO / "policies"])
    assert not problems
    assert results
    errors = [str(d) for r in results for d in r.diagnostics if d.severity == "error"]
    assert not errors, "\n".join(errors)


def test_the_amendment_example_lints_clean() -> None:
    result = lint_file(REPO / "examples" / "amendments" / "guiyang-2026-amendment.yaml")
    own = [d for d in result.diagnostics if d.span is None
           or Path(d.span.file or "").name == "guiyang-2026-amendment.yaml"]
    assert own == []
    # what it reports of the base pack is only that its rules declare no topic yet
    assert {d.code for d in result.diagnostics} <= {"rule-topic-missing"}


class TestCommand:
    def test_clean_pack_prints_only_a_summary(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["lint", str(CASES / "valid.yaml")]) == 0
        assert capsys.readouterr().out == "1 pack checked: 0 errors, 0 warnings\n"

    def test_errors_exit_2_with_file_line_col(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["lint", str(CASES / "unknown_fact.yaml")]) == 2
        out = capsys.readouterr().out
        assert "unknown_fact.yaml:26:20: error expr-unknown-fact [demo.2.filed]" in out
        assert "hint:" in out

    def test_warnings_fail_only_when_strict(self, capsys: pytest.CaptureFixture[str]) -> None:
        path = str(CASES / "known_guard.yaml")
        assert main(["lint", path]) == 0
        assert main(["lint", "--strict", path]) == 1
        capsys.readouterr()

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["lint", "--format", "json", str(CASES / "in_principle.yaml")]) == 0
        data = json.loads(capsys.readouterr().out)
        found = [d for d in data["diagnostics"] if d["code"] not in (*_TITLES, _TOPICS)]
        assert data["warnings"] == len(found) + 2  # and the two untitled rules
        assert {(d["code"], d["line"], d["col"], d["severity"]) for d in found} == {
            ("lint-in-principle-quote", 25, 12, "warning"),
            ("lint-in-principle-flag", 29, 9, "warning")}

    def test_a_folder_without_packs(self, capsys: pytest.CaptureFixture[str],
                                    tmp_path: Path) -> None:
        (tmp_path / "snapshot.yaml").write_text("id: x\n", encoding="utf-8")
        assert main(["lint", str(tmp_path)]) == 2
        assert "no-files" in capsys.readouterr().out

    def test_builtin_packs(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["lint", str(REPO / "policies")]) == 0
        assert capsys.readouterr().out.splitlines()[-1].startswith(
            f"{len(list((REPO / 'policies').glob('*.yaml')))} packs checked: 0 errors")


def test_rules_without_a_bilingual_title_are_flagged() -> None:
    assert _found(CASES / "titles.yaml", titles=True) == [
        ("rule-title-missing", "17:9"), ("rule-title-not-bilingual", "25:12")]


def test_an_in_principle_rule_may_not_cover_the_mandatory_part() -> None:
    assert _found(CASES / "in_principle_split.yaml") == [
        ("in-principle-covers-mandatory", "20:12"), ("lint-mandatory-part", "30:21")]
