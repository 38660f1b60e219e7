"""Facts a pack declares beyond the built-in snapshot model, without Python.

A pack (``facts:``), or a vocabulary file it names (``vocabulary: [file.yaml]``, paths
relative to the pack), declares each extra fact: its dotted ``path``, ``type`` (``bool``,
``date``, ``money``, ``number``, ``text``, ``enum``, ``list`` of records), ``unit``,
bilingual ``description``, the allowed ``values`` of an enum and the ``items`` of a list.

:func:`extend_snapshot` turns the declarations into a subclass of
:class:`~govrules.model.snapshot.Snapshot` (new groups, or new fields inside a built-in group).
That one model is the pack's vocabulary everywhere: the condition compiler reads its types
(:func:`govrules.lang.type_from_model`), snapshots are validated against it (so an unknown
field is still an error, with the closest declared fact), and ``govrules schema snapshot
--policy PACK`` prints its JSON Schema.

>>> model, problems = extend_snapshot([FactDecl(
...     path="data_export.assessed", type="bool",
...     description={"zh": "已完成数据出境安全评估", "en": "export assessment done"})])
>>> problems, sorted(model.model_fields)[:3]
([], ['acceptance', 'as_of', 'budget'])
>>> model.model_validate({"data_export": {"assessed": True}}).data_export.assessed
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal, cast

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, create_model

from govrules.base.diagnose import model_at
from govrules.base.errors import Diagnostic, InputError
from govrules.base.money import Money
from govrules.model.snapshot.base import (
    Date,
    Facts,
    Flag,
    Text,
    _quantity,  # numbers as the snapshot model reads them
)
from govrules.model.snapshot.model import Snapshot

__all__ = ["FactDecl", "FactType", "Problem", "VocabularyFile", "declared_facts",
           "extend_snapshot", "merged_model"]

FactType = Literal["bool", "date", "money", "number", "text", "enum", "list"]

_NAME = r"[a-z][a-z0-9_]*"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class FactText(_Strict):
    """A description in Chinese and English."""

    zh: str = Field(min_length=1, description="Chinese text. 中文说明。")
    en: str = Field(min_length=1, description="English text.")


class FactDecl(_Strict):
    """One fact a pack adds to the snapshot vocabulary."""

    path: str = Field(pattern=rf"^{_NAME}(\.{_NAME})*$",
                      description="Dotted path, e.g. data_export.assessed_on (inside a list's "
                      "items: the field name). 事实路径。")
    type: FactType = Field(description="bool, date, money (CNY), number, text, enum (one of "
                           "values) or list (of records with items). 类型。")
    description: FactText = Field(description="What the fact records, in Chinese and "
                                  "English. 中英文说明。")
    unit: str | None = Field(None, description="Unit of a number, e.g. 万条 or GB. 单位。")
    values: list[Annotated[str, Field(min_length=1)]] | None = Field(
        None, description="The allowed values of an enum. 可选值（枚举）。")
    items: list[FactDecl] | None = Field(
        None, description="The fields of each record of a list. 列表中每条记录的字段。")
    example: object = Field(None, description="An example value, for the docs. 示例。")


class VocabularyFile(_Strict):
    """A file of fact declarations a pack names in ``vocabulary:``."""

    facts: list[FactDecl] = Field(description="The declared facts. 声明的事实。")


@dataclass(frozen=True, slots=True)
class Problem:
    """A declaration that cannot be used: its code, message, and index in the list."""

    code: str
    message: str
    index: int
    field: str = "path"


Number = Annotated[
    Decimal, BeforeValidator(_quantity),
    WithJsonSchema({"anyOf": [{"type": "number"},
                              {"type": "string", "pattern": r"^\s*[-+]?(\d+(\.\d*)?|\.\d+)\s*$"}]}),
]
"""An exact number (negative allowed), as declared facts of type ``number`` hold."""

_SCALARS: dict[str, Any] = {"bool": Flag, "date": Date, "money": Money, "number": Number,
                            "text": Text}


def _describe(decl: FactDecl) -> str:
    return f"{decl.description.zh} — {decl.description.en}"


def _field(decl: FactDecl, annotation: Any) -> tuple[Any, Any]:
    extra: dict[str, Any] = {"declared": True}
    if decl.unit:
        extra["unit"] = decl.unit
    examples = [decl.example] if decl.example is not None else None
    return (annotation | None, Field(default=None, description=_describe(decl),
                                     examples=examples, json_schema_extra=extra))


class _Builder:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def annotation(self, decl: FactDecl, index: int, where: str) -> Any | None:
        """The field type of a leaf declaration, or None (a problem is recorded)."""
        if decl.type != "enum" and decl.values is not None:
            self.problems.append(Problem("vocab-values", f"{decl.path!r}: only an enum has "
                                         "values", index, "values"))
        if decl.type != "list" and decl.items is not None:
            self.problems.append(Problem("vocab-items", f"{decl.path!r}: only a list has "
                                         "items", index, "items"))
        if decl.type in _SCALARS:
            return _SCALARS[decl.type]
        if decl.type == "enum":
            if not decl.values:
                self.problems.append(Problem("vocab-values", f"{decl.path!r}: an enum needs "
                                             "its allowed values", index, "type"))
                return None
            return Literal[tuple(dict.fromkeys(decl.values))]
        if not decl.items:
            self.problems.append(Problem("vocab-items", f"{decl.path!r}: a list needs the "
                                         "fields of its items", index, "type"))
            return None
        item = self.group(None, [(d, index) for d in decl.items], _class(decl.path, where))
        return list[item] if item is not None else None  # type: ignore[valid-type]

    def group(self, base: type[Facts] | None, decls: Sequence[tuple[FactDecl, int]],
              name: str) -> type[Facts] | None:
        """``base`` (or a new group) with the declared fields, recursively."""
        leaves, inner = self.split(decls)
        known = base.model_fields if base is not None else {}
        fields: dict[str, Any] = {}
        for head, (decl, index) in leaves.items():
            if head in known:
                self.problems.append(Problem(
                    "vocab-fact-exists", f"{_qualified(name, head)!r} is already a built-in "
                    "fact", index))
                continue
            annotation = self.annotation(decl, index, name)
            if annotation is not None:
                fields[head] = _field(decl, annotation)
        for head, members in inner.items():
            field = self.subgroup(base, head, members, name)
            if field is not None:
                fields[head] = field
        if not fields and base is not None:
            return base
        return self.model(base, fields, decls, name)

    def split(self, decls: Sequence[tuple[FactDecl, int]]
              ) -> tuple[dict[str, tuple[FactDecl, int]], dict[str, list[tuple[FactDecl, int]]]]:
        """The declarations of this group's own facts by name, and those of each inner
        group by the group's name (with the path inside it); a name declared twice, or as
        a fact and as a group, is a problem."""
        leaves: dict[str, tuple[FactDecl, int]] = {}
        inner: dict[str, list[tuple[FactDecl, int]]] = {}
        for decl, index in decls:
            head, _, rest = decl.path.partition(".")
            if not rest:
                if head in leaves or head in inner:
                    self.problems.append(Problem("vocab-duplicate-fact", f"fact "
                                                 f"{decl.path!r} is declared twice", index))
                    continue
                leaves[head] = (decl, index)
            else:
                if head in leaves:
                    self.problems.append(Problem("vocab-duplicate-fact", f"{head!r} is "
                                                 "declared as a fact and as a group", index))
                    continue
                inner.setdefault(head, []).append((decl.model_copy(update={"path": rest}),
                                                   index))
        return leaves, inner

    def subgroup(self, base: type[Facts] | None, head: str,
                 members: list[tuple[FactDecl, int]], name: str) -> tuple[Any, Any] | None:
        """The field of inner group ``head`` (a new group, or the built-in one extended),
        or None (a problem is recorded)."""
        known = base.model_fields if base is not None else {}
        sub_base: type[Facts] | None = None
        description = f"{head} — declared by the pack"
        if head in known:
            found = model_at(base, (head,)) if base is not None else None
            if found is None or not issubclass(found, Facts) or _is_list(base, head):
                self.problems.append(Problem(
                    "vocab-not-a-group", f"{_qualified(name, head)!r} is a built-in fact, "
                    "not a group of facts", members[0][1]))
                return None
            sub_base = found
            description = known[head].description or description
        sub = self.group(sub_base, members, _class(head, name))
        if sub is None:
            return None
        return (sub | None, Field(default=None, description=description))

    def model(self, base: type[Facts] | None, fields: dict[str, Any],
              decls: Sequence[tuple[FactDecl, int]], name: str) -> type[Facts] | None:
        """The group model with ``fields``, or None (a problem is recorded)."""
        try:
            model = create_model(name if base is None else base.__name__,
                                 __base__=base or Facts, __module__=__name__, **fields)
        except TypeError as exc:  # an act/date twin with the wrong types
            index = decls[0][1] if decls else 0
            self.problems.append(Problem("vocab-twin", f"{exc}: declare '<act>' as bool and "
                                         "'<act>_on' as date", index))
            return None
        return cast(type[Facts], model)


def _is_list(model: type[BaseModel] | None, name: str) -> bool:
    if model is None:
        return False
    return "list[" in str(model.model_fields[name].annotation)


def _qualified(group: str, name: str) -> str:
    return name if group == "Snapshot" else f"{group}.{name}"


def _class(path: str, where: str) -> str:
    camel = "".join(part.capitalize() for part in re.split(r"[._]", path))
    return camel if where in ("Snapshot", "") else f"{where}{camel}"


def extend_snapshot(decls: Sequence[FactDecl],
                    base: type[Snapshot] = Snapshot) -> tuple[type[Snapshot], list[Problem]]:
    """``base`` with the declared facts added, and the declarations that cannot be used."""
    if not decls:
        return base, []
    builder = _Builder()
    model = builder.group(base, [(d, i) for i, d in enumerate(decls)], "Snapshot")
    if model is None or builder.problems:
        return base, builder.problems
    return cast(type[Snapshot], model), []


def declared_facts(decls: Iterable[FactDecl], prefix: str = "") -> list[tuple[str, FactDecl]]:
    """Every declared path (list items as ``path[].field``) with its declaration."""
    out: list[tuple[str, FactDecl]] = []
    for decl in decls:
        path = prefix + decl.path
        out.append((path, decl))
        if decl.items:
            out.extend(declared_facts(decl.items, path + "[]."))
    return out


def merged_model(vocabularies: Sequence[Sequence[FactDecl]]) -> type[Snapshot]:
    """One snapshot model with the facts of several packs (checking them together).

    Two packs may declare the same fact alike; declarations of one path that differ
    raise :class:`~govrules.base.errors.InputError` (no pack's reading silently wins).
    """
    seen: dict[str, FactDecl] = {}
    merged: list[FactDecl] = []
    for decls in vocabularies:
        for decl in decls:
            other = seen.get(decl.path)
            if other is None:
                seen[decl.path] = decl
                merged.append(decl)
            elif other.model_dump(exclude={"description", "example"}) != decl.model_dump(
                    exclude={"description", "example"}):
                raise InputError(Diagnostic(
                    "vocab-conflict", f"two packs declare fact {decl.path!r} differently "
                    f"({other.type} and {decl.type})",
                    hint="check the packs one at a time, or give the fact the same "
                    "declaration in both"))
    if not merged:
        return Snapshot
    model, problems = extend_snapshot(merged)
    if problems:
        raise InputError(Diagnostic(problems[0].code, problems[0].message))
    return model
