"""libyaml composes documents for speed; the pure-Python parser is the reference.

Both paths must give the same values, the same places of every value and the same
scalar positions, for every YAML file in the repository, and a bad document must get the
pure-Python parser's diagnostic whichever path is installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from govrules.base import _compose, loader
from govrules.base.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
YAML_FILES = sorted(
    p for pattern in ("policies/*.yaml", "examples/**/*.yaml", "tests/**/*.yaml")
    for p in ROOT.glob(pattern)
)

pytestmark = pytest.mark.skipif(_compose.CParser is None,
                                reason="PyYAML is built without libyaml here: one path only")


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    results = []
    for parser in (_compose.CParser, None):
        monkeypatch.setattr(_compose, "CParser", parser)
        try:
            doc = loader.parse_document(text, "doc.yaml")
            results.append(("ok", doc.data, doc.spans, doc.scalars))
        except InputError as exc:
            results.append(("error", list(exc.diagnostics)))
    return results[0], results[1]


def test_the_corpus_is_large_enough() -> None:
    assert len(YAML_FILES) > 40


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_repository_yaml_file_composes_the_same(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    fast, slow = _both(text, monkeypatch)
    assert fast == slow


@pytest.mark.parametrize("text", [
    "a: 1\nb: [1, 2\n",                       # unclosed flow sequence
    "summary: Scope: all\n",                  # ': ' in a plain value (the F8 hint)
    "a:\n\t- 1\n",                            # a tab
    "a: 1\na: 2\n",                           # duplicate key
    "on: 1\nyes: 2\n'no': 3\n",               # YAML 1.1 booleans as keys
    "a: &x [1]\nb: *x\n",                     # alias
    "a: !!python/object {}\n",                # tag
    "x: |\n  line one\n  line two\n",         # block scalar positions
    "x: >-\n  folded\n  text\n",
    "name: 示例市\nquote: “全角”,标点\n",       # wide characters: columns in characters
    "[" * 300 + "]" * 300,                    # deeper than MAX_NESTING
    "a: b\u0007\n",                           # a control character
    "",                                       # empty document
    "a: 1\n---\nb: 2\n",                      # two documents
])
def test_edge_documents_give_the_same_values_or_the_same_diagnostic(
        text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(text, monkeypatch)
    assert fast == slow


def test_valid_documents_take_the_libyaml_path(monkeypatch: pytest.MonkeyPatch) -> None:
    used: list[str] = []
    real = _compose.StrictLoader

    class Watched(real):  # type: ignore[misc, valid-type]
        def __init__(self, text: str) -> None:
            used.append("python")
            super().__init__(text)

    monkeypatch.setattr(_compose, "StrictLoader", Watched)
    loader.parse_document((ROOT / "policies" / "guiyang.yaml").read_text(encoding="utf-8"))
    assert used == []
    with pytest.raises(InputError):
        loader.parse_document("a: [1\n")
    assert used == ["python"]  # a bad document is reported by the reference parser


def test_the_source_is_split_into_lines_once_per_document(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    # block scalars find their lines in the source: split once, not once per scalar
    # (a pack quotes its articles in hundreds of them)
    text = "".join(f"q{n}: |\n  第{n}条\n  原文\n" for n in range(50))
    splits = 0
    original = loader._Builder._lines

    def counting(self: loader._Builder) -> list[str]:
        nonlocal splits
        splits += self.source_lines is None
        return original(self)

    monkeypatch.setattr(loader._Builder, "_lines", counting)
    document = loader.parse_document(text, "q.yaml")
    assert splits == 1
    assert document.text_span(("q49",), 0).line == 149
