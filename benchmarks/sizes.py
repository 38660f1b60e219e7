"""What the report contract alone would take of a JSON line: the floor of the line's size.

``../shared/report-contract.schema.json``, beside the repository (the tests validate every
report against it), names the keys every report must carry. Keeping only those of each
line of a ``--format jsonl`` output, written as compactly, gives the bytes per record no
line form can go below without leaving out what the contract requires.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["CONTRACT", "contract_minimum", "contract_schema", "cut_to_contract"]

REPO = Path(__file__).resolve().parents[1]


CONTRACT = REPO.parent / "shared" / "report-contract.schema.json"


def contract_schema() -> dict[str, Any] | None:
    """The report contract the tests validate every report against (None without it)."""
    if not CONTRACT.exists():
        return None
    return json.loads(CONTRACT.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def cut_to_contract(report: dict[str, Any], contract: dict[str, Any]) -> dict[str, Any]:
    """``report`` (its JSON form) with only the keys ``contract`` requires, at every level."""
    cut: dict[str, Any] = _required(report, contract, contract.get("$defs", {}))
    return cut


def _required(value: Any, schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    if "$ref" in schema:
        schema = defs[schema["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in schema:
        required: set[str] = set()
        properties: dict[str, Any] = {}
        for part in schema["allOf"]:
            resolved = defs[part["$ref"].rsplit("/", 1)[-1]] if "$ref" in part else part
            required |= set(resolved.get("required", ()))
            properties |= resolved.get("properties", {})
        schema = {"type": "object", "required": sorted(required), "properties": properties}
    if isinstance(value, dict) and schema.get("type") == "object":
        properties = schema.get("properties", {})
        return {key: _required(value[key], properties.get(key, {}), defs)
                for key in schema.get("required", ()) if key in value}
    if isinstance(value, list) and "items" in schema:
        return [_required(item, schema["items"], defs) for item in value]
    return value


def contract_minimum(output: Path) -> float | None:
    """The mean bytes per line of ``output``'s reports cut to the contract's keys (lines
    that are not reports, a malformed record's errors, are left out); None without the
    contract."""
    schema = contract_schema()
    if schema is None:
        return None
    count = total = 0
    with output.open(encoding="utf-8") as lines:
        for line in lines:
            report = json.loads(line)
            if "findings" not in report:
                continue
            cut = cut_to_contract(report, schema)
            total += len(json.dumps(cut, ensure_ascii=False, separators=(",", ":"))
                         .encode("utf-8")) + 1
            count += 1
    return total / max(count, 1)
