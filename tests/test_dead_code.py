"""No dead code in the package: every function, method, class, property and import is
used somewhere in ``src/`` (vulture), or is listed below with the reason nothing in the
package calls it.

Variables and attributes are left out: the fields of the pydantic and dataclass models
(the snapshot's facts, the report's parts) are read by serialisation, not by name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

vulture = pytest.importorskip("vulture", reason="vulture is a dev dependency")

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "govrules"

CALLED_FROM_OUTSIDE = {
    ("base/calendar.py", "working_days_between"): "public API of Calendar",
    ("cli/main.py", "_parser"): "tests/test_integrations.py parses every documented "
                               "command line with it",
    ("io/sources.py", "readable"): "io.RawIOBase protocol, called by io.BufferedReader",
    ("io/sources.py", "readinto"): "io.RawIOBase protocol, called by io.BufferedReader",
    ("service/migrations/versions/0001_portfolio.py", "downgrade"): "called by Alembic",
    ("tools/articles.py", "ignore_aliases"): "yaml.SafeDumper hook, called by PyYAML",
}
"""(module, name) -> who calls it."""


def _unused() -> set[tuple[str, str]]:
    finder = vulture.Vulture(ignore_decorators=["@*validator", "@*serializer",
                                                "@*.listens_for"])
    finder.scavenge([str(PACKAGE)])
    return {(Path(item.filename).relative_to(PACKAGE).as_posix(), item.name)
            for item in finder.get_unused_code(min_confidence=60)
            if item.typ not in ("variable", "attribute")
            and not (item.name.startswith("__") and item.name.endswith("__"))  # Python calls them
            and "policies" not in Path(item.filename).parts}


def test_nothing_in_the_package_is_dead() -> None:
    dead = sorted(_unused() - set(CALLED_FROM_OUTSIDE))
    assert not dead, f"unused (remove it, or list who calls it): {dead}"


def test_the_finder_sees_an_unused_function(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text("def used():\n    return 1\n\n\ndef dead():\n"
                                   "    return 2\n\n\nused()\n", encoding="utf-8")
    finder = vulture.Vulture()
    finder.scavenge([str(tmp_path)])
    assert [item.name for item in finder.get_unused_code()] == ["dead"]
