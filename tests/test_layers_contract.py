"""The import contracts in ``pyproject.toml`` name what is really there (``lint-imports``
in ``make test`` enforces them; a contract naming stale modules would guard nothing)."""

from __future__ import annotations

import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LANG = REPO / "src" / "govrules" / "lang"


def _contracts() -> list[dict[str, object]]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    contracts: list[dict[str, object]] = data["tool"]["importlinter"]["contracts"]
    return contracts


def test_the_private_modules_of_the_language_are_all_forbidden_outside_it() -> None:
    (contract,) = [c for c in _contracts() if c["type"] == "forbidden"
                   and "private" in str(c["name"])]
    private = {f"govrules.lang.{p.stem}" for p in LANG.glob("_*.py") if p.stem != "__init__"}
    assert set(contract["forbidden_modules"]) == private


def test_every_other_layer_is_kept_out_of_them() -> None:
    (contract,) = [c for c in _contracts() if c["type"] == "forbidden"
                   and "private" in str(c["name"])]
    (layers,) = [c for c in _contracts() if c["type"] == "layers"]
    others = {f"govrules.{name}" for name in layers["layers"] if name != "lang"}
    assert set(contract["source_modules"]) == others
