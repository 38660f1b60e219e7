"""Hypothesis strategies for hostile inputs: snapshot values, record files, packs.

Values are drawn near the edges the review found (huge and long numbers, control
characters, impossible and far dates, tags, duplicate keys, bytes that are not UTF-8)
as well as well-formed ones, so that generated snapshots also get evaluated.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from govrules.model.snapshot import snapshot_facts

REPO = Path(__file__).resolve().parents[2]
PACK_IDS = ("guiyang", "jincheng", "shangrao", "taiyuan", "wuhai")

_HOSTILE_CHARS = st.sampled_from(
    ["\x00", "\x07", "\x0b", "\x1b", "\r", "\n", "\t", "\u2028", "\x85", "\u202e", "\ufeff",
     "`", "|", "<", "&", '"', "'", "\\", "{", "[", ":", "#", "!", "*", "万元", "亿", "²", "①",
     "０", "\ud800"])
TEXT = st.one_of(
    st.text(max_size=12),
    st.lists(st.one_of(_HOSTILE_CHARS, st.text(max_size=3)), max_size=6).map("".join),
    st.sampled_from(["500万元", "-30万", "1.2亿元", "1,234.50元", "¥1,000", "1e400",
                     "1" * 40 + "元", "2025-11-20", "2025-13-01", "9999-12-31", "0001-01-01",
                     "2025Q3", "2025Q5", "true", "yes", "是", "guiyang", "all", "", " "]),
)
NUMBERS = st.one_of(
    st.integers(min_value=-10**6, max_value=10**6),
    st.sampled_from([0, -1, 10**15, 10**20, 10**21, 10**30, -10**40, 2**63]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=None).map(str).map(Decimal),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)


@cache
def facts() -> dict[str, Any]:
    return dict(snapshot_facts())


def _valid_leaf(kind: str, values: tuple[str, ...]) -> st.SearchStrategy[Any]:
    """A value of the fact's own kind (often accepted), or any scalar."""
    own: dict[str, st.SearchStrategy[Any]] = {
        "bool": st.booleans(),
        "enum": st.sampled_from(values) if values else TEXT,
        "date": st.dates().map(str),
        "money": st.one_of(st.integers(min_value=0, max_value=10**9),
                           st.sampled_from(["500万元", "80万元", "1.2亿元"])),
        "integer": st.integers(min_value=-2, max_value=6),
        "number": st.integers(min_value=0, max_value=100),
        "quarter": st.sampled_from(["2025Q1", "2024Q4", "2026Q2"]),
        "text": st.text(min_size=1, max_size=8),
    }
    return st.one_of(own.get(kind, SCALARS), SCALARS) if kind in own else SCALARS


@st.composite
def snapshots(draw: st.DrawFn, max_facts: int = 12) -> dict[str, Any]:
    """A nested mapping built from snapshot fact paths, with edge values."""
    table = facts()
    paths = [p for p in table if "[]" not in p]
    chosen = draw(st.lists(st.sampled_from(paths), max_size=max_facts, unique=True))
    data: dict[str, Any] = {}
    if draw(st.booleans()):
        data["city"] = draw(st.one_of(st.sampled_from(PACK_IDS), TEXT))
    if draw(st.booleans()):
        data["as_of"] = draw(st.one_of(st.dates().map(str), TEXT))
    for path in chosen:
        fact = table[path]
        if fact.kind == "records":
            value: Any = draw(st.lists(st.dictionaries(
                st.sampled_from(["amount", "reported", "decided_on", "approved", "x"]),
                SCALARS, max_size=3), max_size=4))
        elif fact.kind == "list":
            value = draw(st.one_of(st.lists(_valid_leaf(fact.item or "text", fact.values),
                                            max_size=3), SCALARS))
        elif fact.kind == "group":
            value = draw(st.one_of(st.dictionaries(TEXT, SCALARS, max_size=2), SCALARS))
        else:
            value = draw(_valid_leaf(fact.kind, fact.values))
        _put(data, path.split("."), value)
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        data[draw(TEXT)] = draw(SCALARS)  # an unknown field
    return data


def _put(data: dict[str, Any], parts: list[str], value: Any) -> None:
    for part in parts[:-1]:
        inner = data.get(part)
        if not isinstance(inner, dict):
            inner = data[part] = {}
        data = inner
    data[parts[-1]] = value


def to_json(data: Any, *, ascii_only: bool = False) -> str:
    return json.dumps(data, default=str, ensure_ascii=ascii_only)


def to_yaml(data: Any) -> str:
    return yaml.safe_dump(json.loads(to_json(data, ascii_only=True)), allow_unicode=True)


@st.composite
def mutated_bytes(draw: st.DrawFn, raw: bytes) -> bytes:
    """``raw`` with a few bytes inserted, deleted or replaced (or cut short)."""
    data = bytearray(raw)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        where = draw(st.integers(min_value=0, max_value=len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "cut"]))
        piece = draw(st.one_of(st.binary(min_size=1, max_size=4),
                               st.sampled_from([b"\xff", b"\xe9", b"\x00", b"\x07", b"!!binary ",
                                                b"!custom ", b"&a ", b"*a", b"<<: ", b'"',
                                                b"[" * 300, b"9" * 5000])))
        if action == "insert":
            data[where:where] = piece
        elif action == "delete":
            del data[where:where + len(piece)]
        elif action == "replace":
            data[where:where + len(piece)] = piece
        else:
            del data[where:]
    return bytes(data)


# -- record files: each knows how many records it holds ---------------------------------


Made = tuple[str, bytes, int]
"""``(file name, content, number of records it holds)``."""


@st.composite
def record_lines(draw: st.DrawFn) -> list[bytes]:
    """JSON Lines records: good ones and broken ones, each one non-blank line."""
    out = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        line = to_json(draw(snapshots()), ascii_only=draw(st.booleans())).encode(
            "utf-8", "surrogatepass")
        if draw(st.integers(min_value=0, max_value=3)) == 0:
            line = b"{" + draw(mutated_bytes(line)).replace(b"\n", b" ")
        out.append(line)
    return out


@st.composite
def jsonl_file(draw: st.DrawFn) -> Made:
    lines = draw(record_lines())
    return "records.jsonl", b"\n".join(lines) + draw(st.sampled_from([b"\n", b"", b"\n\n"])), \
        len(lines)


_CSV_COLUMNS = ("id", "city", "as_of", "budget.original", "project.kind", "project.classified",
                "security.graded_protection.level", "budget.adjustments", "contract.signed_on")


@st.composite
def csv_file(draw: st.DrawFn) -> Made:
    """A CSV file: a header of real columns, rows of edge cells (the id never empty)."""
    columns = ["id", *draw(st.lists(st.sampled_from(_CSV_COLUMNS[1:]), unique=True,
                                    max_size=6))]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    rows = draw(st.integers(min_value=1, max_value=6))
    for n in range(rows):
        cells = [f"R{n}"] + [draw(st.one_of(TEXT, NUMBERS.map(str), st.just('[{"amount": 1}]'),
                                            st.just('[{"amount": 1, "amount": 2}]'),
                                            st.just("[" + "9" * 5000 + "]")))
                             for _ in columns[1:]]
        if draw(st.integers(min_value=0, max_value=5)) == 0:
            cells.append("extra")
        writer.writerow([c.replace("\ud800", "?") for c in cells])
    raw = buffer.getvalue().encode()
    if draw(st.integers(min_value=0, max_value=3)) == 0:  # a byte that is not UTF-8, in a row
        lines = raw.split(b"\n")
        row = draw(st.integers(min_value=1, max_value=rows))
        lines[row] = lines[row][:2] + b"\xff" + lines[row][2:]
        raw = b"\n".join(lines)
    return "table.csv", raw, rows


@st.composite
def json_array_file(draw: st.DrawFn) -> Made:
    """A JSON array whose elements may be refused one by one (never a syntax error)."""
    elements = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        text = to_json(draw(snapshots()), ascii_only=True)
        trouble = draw(st.integers(min_value=0, max_value=6))
        if trouble == 0 and text.startswith("{") and len(text) > 2:
            text = text[:-1] + (', "id": 1}' if text != "{}" else '"id": 1}')  # duplicate key?
        elif trouble == 1:
            text = f'{{"id": "n", "budget": {{"original": {"7" * 5000}}}}}'
        encoded = text.encode()
        if trouble == 2:
            encoded = b'{"id": "e\xe9"}'
        elements.append(encoded)
    return "array.json", b"[\n" + b",\n".join(elements) + b"\n]", len(elements)


@st.composite
def document_file(draw: st.DrawFn) -> Made:
    """One YAML or JSON document (maybe mutated into anything): always one record."""
    data = draw(snapshots())
    fmt = draw(st.sampled_from(["yaml", "json"]))
    raw = (to_yaml(data) if fmt == "yaml" else to_json(data)).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        raw = draw(mutated_bytes(raw))
    return f"doc.{fmt}", raw, 1


RECORD_FILES: dict[str, Callable[[], st.SearchStrategy[Made]]] = {
    "jsonl": jsonl_file, "csv": csv_file, "array": json_array_file, "document": document_file,
}


@st.composite
def folders(draw: st.DrawFn) -> list[Made]:
    """A mixed folder: several record files of every kind, in a known order."""
    kinds = draw(st.lists(st.sampled_from(sorted(RECORD_FILES)), min_size=1, max_size=4))
    made = []
    for n, kind in enumerate(kinds):
        name, raw, count = draw(RECORD_FILES[kind]())
        made.append((f"{n:02d}-{name}", raw, count))
    return made


# -- packs ---------------------------------------------------------------------------------


@cache
def pack_data(pack_id: str) -> Any:
    return yaml.safe_load((REPO / "policies" / f"{pack_id}.yaml").read_text(encoding="utf-8"))


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out += _paths(value, (*prefix, i))
    return out


@st.composite
def mutated_packs(draw: st.DrawFn) -> str:
    """A built-in pack with a few structural mutations, as YAML text."""
    data = json.loads(json.dumps(pack_data(draw(st.sampled_from(PACK_IDS))), default=str))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = [p for p in _paths(data) if p]
        path = draw(st.sampled_from(paths))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["delete", "scalar", "list", "mapping", "text"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "scalar":
            parent[path[-1]] = draw(SCALARS.filter(lambda v: not isinstance(v, Decimal)))
        elif action == "list":
            parent[path[-1]] = [parent[path[-1]]]
        elif action == "mapping":
            parent[path[-1]] = {"x": parent[path[-1]]}
        else:
            parent[path[-1]] = draw(st.sampled_from([
                "not (", "budget.orignal > 1", "any(a in budget.adjustments: a.x)",
                "working_days_after(as_of, 1000000) > as_of", "1/0 > 1", "'" * 3,
                "x" * 5000, "guiyang.15.over-10pct", "第十五条"]))
    return yaml.safe_dump(json.loads(to_json(data, ascii_only=True)), allow_unicode=True,
                          sort_keys=False)
