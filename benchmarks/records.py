"""Generated JSON Lines records for the batch benchmarks, varied from the example projects.

Each record is an example project of one city (dates moved, facts dropped so that rules
turn undetermined, flags flipped, one line in a thousand malformed), so that checking it
against its own ``city`` is what a user's register looks like.
"""

from __future__ import annotations

import copy
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

__all__ = ["record", "write_records"]

REPO = Path(__file__).resolve().parents[1]


def _bases() -> list[dict[str, Any]]:
    """The example projects, as JSON-ready dicts (one or more per city)."""
    bases = []
    for path in sorted((REPO / "examples").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("city"):
            bases.append(json.loads(json.dumps(data, default=str)))
    return bases


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return [p for i, v in enumerate(data) for p in _leaves(v, (*path, i))]
    return [path]


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def record(bases: list[dict[str, Any]], n: int) -> str:
    """One JSON Lines line: an example project, varied."""
    rng = random.Random(n)
    if rng.random() < 0.001:
        return f'{{"id": "broken-{n}", "budget": {{'
    data = copy.deepcopy(bases[n % len(bases)])
    data["id"] = f"{data.get('id', 'P')}-{n:06d}"
    as_of = date.fromisoformat(str(data.get("as_of", "2025-06-30")))
    data["as_of"] = str(as_of + timedelta(days=rng.randint(-400, 200)))
    leaves = [p for p in _leaves(data) if p and p[0] not in ("id", "city", "as_of")]
    for path in rng.sample(leaves, k=min(len(leaves), rng.randint(0, 12))):
        parent = _parent(data, path)
        key = path[-1]
        if isinstance(parent, dict) and key in parent:
            if isinstance(parent[key], bool) and rng.random() < 0.5:
                parent[key] = not parent[key]
            else:
                del parent[key]
    return json.dumps(data, ensure_ascii=False)


def write_records(path: Path, count: int) -> None:
    bases = _bases()
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(record(bases, n) + "\n")
