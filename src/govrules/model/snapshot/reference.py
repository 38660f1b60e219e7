"""The fact catalogue, the JSON Schema and the analysts' field reference.

All three are derived from the model, so ``docs/snapshot.md`` and
``docs/snapshot.schema.json`` cannot drift from it: a test compares the committed files
with :func:`snapshot_reference_markdown` and :func:`snapshot_json_schema`. Regenerate
them with ``python -m govrules.model.snapshot`` after changing the model.
"""

from __future__ import annotations

import functools
import json
import types
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from govrules.base.calendar import Quarter
from govrules.model.snapshot.base import Authority, Party
from govrules.model.snapshot.model import Snapshot

__all__ = [
    "Fact",
    "FactKind",
    "snapshot_facts",
    "snapshot_json_schema",
    "snapshot_reference_markdown",
    "write_reference_docs",
]

FactKind = Literal[
    "group", "records", "text", "bool", "date", "money", "number", "integer", "enum",
    "quarter", "list",
]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True, slots=True)
class Fact:
    """One path of the vocabulary, e.g. ``contract.filed_on`` or ``budget.adjustments[].amount``.

    ``kind`` is the value's kind; a ``list`` has ``item`` for its elements; ``values``
    lists the allowed values of an ``enum`` (or of a list of enums); ``model`` is the
    pydantic model of a ``group`` (one nested mapping) or ``records`` (a list of them).
    """

    path: str
    kind: FactKind
    description: str
    unit: str | None = None
    values: tuple[str | int, ...] = ()
    item: FactKind | None = None
    examples: tuple[Any, ...] = ()
    model: type[BaseModel] | None = None

    @property
    def type_name(self) -> str:
        """The type as analysts read it: ``date``, ``money``, ``list of dates``, ..."""
        if self.kind == "enum":
            return "one of " + ", ".join(f"`{v}`" for v in self.values)
        if self.kind == "list":
            if self.values in _NAMED_LISTS:
                return _NAMED_LISTS[self.values]
            if self.item == "enum":
                return "list of " + ", ".join(f"`{v}`" for v in self.values)
            return f"list of {_PLURAL.get(self.item or 'text', 'values')}"
        if self.kind == "records":
            return "list of records"
        return {"bool": "true/false", "money": "money (CNY)", "integer": "whole number",
                "group": "group"}.get(self.kind, self.kind)


_NAMED_LISTS: dict[tuple[str | int, ...], str] = {
    get_args(Authority): "list of authorities",
    get_args(Party): "list of parties",
}
"""Long shared value sets, named in the reference instead of spelled out each time."""

_PLURAL = {"date": "dates", "text": "texts", "money": "amounts", "number": "numbers",
           "integer": "whole numbers", "quarter": "quarters", "bool": "true/false values"}


def _strip(annotation: Any) -> tuple[Any, bool]:
    """``(base type, is_list)`` with ``None``, ``Annotated`` and ``list`` unwrapped."""
    is_list = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                raise TypeError(f"unsupported union in the snapshot model: {annotation}")
            annotation = args[0]
        elif origin is list:
            is_list = True
            annotation = get_args(annotation)[0]
        else:
            return annotation, is_list


def _kind_of(base: Any, unit: str | None) -> tuple[FactKind, tuple[str | int, ...]]:
    if get_origin(base) is Literal:
        return "enum", tuple(get_args(base))
    if isinstance(base, type):
        if issubclass(base, BaseModel):
            return "group", ()
        for py, kind in ((bool, "bool"), (int, "integer"), (str, "text"), (date, "date"),
                         (Quarter, "quarter")):
            if issubclass(base, py):
                return kind, ()  # type: ignore[return-value]
        if issubclass(base, Decimal):
            return ("money" if unit == "CNY" else "number"), ()
    raise TypeError(f"unsupported type in the snapshot model: {base!r}")


def _fact(path: str, field: FieldInfo) -> Fact:
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    unit = extra.get("unit")
    unit = unit if isinstance(unit, str) else None
    base, is_list = _strip(field.annotation)
    kind, values = _kind_of(base, unit)
    model = base if kind == "group" else None
    item: FactKind | None = None
    if is_list:
        item, kind = kind, "list"
        if item == "group":
            kind, item = "records", None
    return Fact(path=path, kind=kind, description=field.description or "", unit=unit,
                values=values, item=item, examples=tuple(field.examples or ()), model=model)


def _walk(model: type[BaseModel], prefix: str) -> Iterator[Fact]:
    for name, field in model.model_fields.items():
        fact = _fact(f"{prefix}{name}", field)
        yield fact
        if fact.model is not None:
            inner = f"{fact.path}[]." if fact.kind == "records" else f"{fact.path}."
            yield from _walk(fact.model, inner)


@functools.cache
def snapshot_facts(model: type[BaseModel] = Snapshot) -> Mapping[str, Fact]:
    """Every fact path of :class:`Snapshot` (or of ``model``, a pack's snapshot model with
    the facts it declares), in model order (groups before their fields)."""
    return types.MappingProxyType({f.path: f for f in _walk(model, "")})


def snapshot_json_schema(model: type[Snapshot] = Snapshot) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a snapshot document (``model``: a pack's
    snapshot model, with the facts it declares)."""
    schema = model.model_json_schema()
    schema["title"] = "govrules project snapshot"
    return {"$schema": SCHEMA_DIALECT, "$id": "urn:govrules:schema:snapshot", **schema}


_INTRO = """\
# Snapshot reference

A **snapshot** records what is known about one government IT / big-data project on
one date. Policy-pack conditions name its facts by path (`contract.filed_on`,
`budget.adjustments[].amount`); this page lists every path.

This file is generated from the model (`govrules.model.snapshot`) by
`snapshot_reference_markdown()`; the JSON Schema beside it,
[`snapshot.schema.json`](snapshot.schema.json), likewise. Regenerate both with
`python -m govrules.model.snapshot`; a test fails when they are out of date.

## Conventions

- **Every fact is optional.** Leave out what you do not know: an absent fact is
  *unknown*, never false, and a rule that needs it reports *undetermined* with the
  fact in its `missing` list. Write `false` only when the thing is known not to have
  happened; `[]` only when a list is known to be empty.
- **An act and its date are a pair**: `<act>` (true/false) and `<act>_on` (a date),
  e.g. `contract.filed` and `contract.filed_on`. Giving the date is enough: it implies
  `<act>: true`. `<act>: false` together with a date is an error (`snapshot-conflict`).
- **Dates** are written `YYYY-MM-DD`. When a record gives only the month, write
  `YYYY-MM` (`2023-05`): a rule is then true when it holds on every day of that month,
  false when it fails on every day, and undetermined otherwise, naming the date as the
  fact that would decide (`as_of` is always a full date). **Quarters** are written
  `2025Q3`.
- **Money** is in CNY (yuan), kept exact: write a number (`5000000`) or the amount as
  project documents write it: `500万元`, `1.2亿元`, `1,234.50元`, `¥1,000`, `300万`.
  A decrease is negative (`-80万元`).
- **Months and years** are numbers (`12`, `2.5`); never negative.
- **Enumerations** are the short English words listed; the Chinese term is beside each.
- Unknown field names are rejected with a suggestion (`snapshot-unknown-field`); a value
  of the wrong kind is `snapshot-type`, a value outside the allowed set is
  `snapshot-value`.
- Article references in descriptions read *City article(item)*, e.g. *Shangrao 6(3)*.

Shared values: **authorities** (who receives filings and grants approvals) are
`big_data_bureau` 市大数据局/市大数据应用局/市大数据发展管理局, `finance_bureau` 市财政局,
`approval_bureau` 市行政审批服务管理局, `development_reform` 市发改委, `big_data_center`
市大数据中心 (Wuhai), `city_government` 市人民政府, `leading_group` 市新型智慧城市建设领导小组,
`audit_bureau` 市审计局, `supervising_department` 主管部门, `expert_panel` 专家组, `other`.
**Parties** are the authorities plus `owner` 业主单位/项目实施单位, `provider`
服务提供方/中标单位/承建单位, `supervisor` 监理单位 and `third_party` 第三方机构.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _example(fact: Fact) -> str:
    if not fact.examples:
        return ""
    value = fact.examples[0]
    shown = (("true" if value else "false") if isinstance(value, bool)
             else json.dumps(value, ensure_ascii=False) if isinstance(value, list)
             else str(value))
    return f"`{_cell(shown)}`"


def _table(facts: list[Fact]) -> list[str]:
    rows = ["| Fact | Type | Unit | Description | Example |", "|---|---|---|---|---|"]
    for f in facts:
        rows.append(f"| `{f.path}` | {_cell(f.type_name)} | {f.unit or ''} | "
                    f"{_cell(f.description)} | {_example(f)} |")
    return rows


def snapshot_reference_markdown() -> str:
    """The field-by-field reference for analysts (the content of ``docs/snapshot.md``)."""
    facts = snapshot_facts()
    lines = [_INTRO, "## Record", "", "Identity of the snapshot itself.", ""]
    lines += _table([f for f in facts.values() if "." not in f.path and f.model is None])
    for top in (f for f in facts.values() if "." not in f.path and f.model is not None):
        assert top.model is not None
        doc = (top.model.__doc__ or "").strip().splitlines()[0]
        lines += ["", f"## `{top.path}`", "", doc, ""]
        if top.kind == "records":
            lines += [f"A list of records; each record has the fields below "
                      f"(`{top.path}[].…`).", ""]
        lines += _table([f for f in facts.values() if f.path.startswith(top.path + (
            "[]." if top.kind == "records" else "."))])
    return "\n".join(lines) + "\n"


def schema_text() -> str:
    """The committed form of :func:`snapshot_json_schema`: indented JSON, UTF-8."""
    return json.dumps(snapshot_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_reference_docs(directory: str | Path = "docs") -> list[Path]:
    """Write ``snapshot.md`` and ``snapshot.schema.json`` into ``directory``."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    out = [folder / "snapshot.md", folder / "snapshot.schema.json"]
    out[0].write_text(snapshot_reference_markdown(), encoding="utf-8")
    out[1].write_text(schema_text(), encoding="utf-8")
    return out

