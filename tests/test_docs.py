"""The documentation cannot drift from the code."""

from __future__ import annotations

import re

from tests.conftest import REPO

CODE = re.compile(r'"((?:yaml|json|file|input|snapshot|pack|expr|calendar|example|unknown|no|bad|'
                  r'exception|lint|test|seed|vocab|config|xlsx|fmt|replay|encoding)-[a-z-]+)"')
PREFIXED = ("unknown-field", "missing-field", "type", "value", "invalid")


def _source_codes() -> set[str]:
    codes: set[str] = set()
    for path in (REPO / "src" / "govrules").rglob("*.py"):
        codes |= set(CODE.findall(path.read_text(encoding="utf-8")))
    codes |= {f"{prefix}-{suffix}" for prefix in ("pack", "test") for suffix in PREFIXED}
    return codes


def test_every_error_code_is_documented() -> None:
    documented = set(re.findall(r"`([a-z]+-[a-z-]+)`", (REPO / "docs" / "errors.md").read_text(
        encoding="utf-8")))
    assert _source_codes() - documented == set()


def test_readme_shows_the_two_commands_first() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```")[1]
    assert "make run" in first_block
    assert "make test" in first_block
