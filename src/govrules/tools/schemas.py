"""The JSON Schemas govrules publishes (``govrules schema``, ``GET /v1/schemas/{what}``).

- ``snapshot``: a project-state snapshot (with packs: including the facts they declare);
- ``pack``: every file an analyst writes: a pack, an amending pack (``extends:``), a
  vocabulary file (``facts:``) and a test file (a list of cases), so that one editor
  mapping covers them all (docs/integrations.md, Editors);
- ``report``: a report in either of its JSON forms, the full one and the line
  (``detail: "line"``), which leaves out required fields the rest of the line says
  (:data:`~govrules.model.report.LINE_LEAVES_OUT`);
- ``record``: one record of ``govrules check --format json``/``jsonl`` output: a
  report or a combined report (``--city all``) with the ``source`` it was read from, or
  ``{source, errors}`` for a record that could not be checked.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel

from govrules.model.pack import load_pack
from govrules.model.pack_format import AmendmentFile, CaseSpec, PackFile
from govrules.model.report import LINE_LEAVES_OUT, CombinedReport, Report
from govrules.model.snapshot import Snapshot, snapshot_json_schema
from govrules.model.vocabulary import VocabularyFile, merged_model
from govrules.tools.report_docs import describe_schema

__all__ = [
    "SCHEMAS",
    "SCHEMA_IDS",
    "Schema",
    "diagnostic_schema",
    "json_schema",
    "pack_files_schema",
    "record_schema",
    "report_schema",
]

Schema = Literal["snapshot", "pack", "report", "record"]
SCHEMAS: tuple[Schema, ...] = ("snapshot", "pack", "report", "record")
DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_IDS = {"snapshot": "urn:govrules:schema:snapshot",
              "pack": "urn:govrules:schema:pack-files",
              "report": "urn:govrules:schema:report",
              "record": "urn:govrules:schema:record"}
"""The ``$id`` of each schema (URNs: printed or served, a schema has no address of its own)."""

_REF = "#/$defs/"
_LINE = "Line"
"""The prefix of a definition's line-form copy."""


def _defs(model: type[BaseModel], defs: dict[str, Any]) -> dict[str, Any]:
    """``model``'s schema with its definitions moved into the shared ``defs``."""
    schema: dict[str, Any] = model.model_json_schema(by_alias=True,
                                                     ref_template=_REF + "{model}")
    defs.update(schema.pop("$defs", {}))
    return schema


def pack_files_schema() -> dict[str, Any]:
    """One schema accepting a pack, an amendment, a vocabulary file or a test file."""
    defs: dict[str, Any] = {}
    pack = _defs(PackFile, defs)
    pack["properties"].pop("amendments", None)  # filled in by the loader, not written
    amendment = _defs(AmendmentFile, defs)
    vocab = _defs(VocabularyFile, defs)
    case = _defs(CaseSpec, defs)
    defs.update({"PackFile": pack, "AmendmentFile": amendment, "VocabularyFile": vocab,
                 "CaseSpec": case})
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_IDS["pack"],
        "title": "govrules pack, amendment, vocabulary or test file",
        "description": "A policy pack (pack:, articles:, rules:), an amending pack "
        "(extends:), a vocabulary file (facts:) or a test file (a list of cases).",
        "oneOf": [
            {"$ref": _REF + "AmendmentFile", "required": ["extends"]},
            {"$ref": _REF + "PackFile"},
            {"$ref": _REF + "VocabularyFile", "required": ["facts"],
             "not": {"required": ["pack"]}},
            {"type": "array", "items": {"$ref": _REF + "CaseSpec"},
             "description": "A test file: a list of cases."},
        ],
        "$defs": defs,
    }


def _refs(node: Any) -> set[str]:
    """The definitions ``node`` refers to."""
    text = json.dumps(node)
    found: set[str] = set()
    start = text.find(_REF)
    while start >= 0:
        end = text.index('"', start)
        found.add(text[start + len(_REF):end])
        start = text.find(_REF, end)
    return found


def _renamed(node: Any, names: Iterable[str]) -> Any:
    """``node`` with its references to ``names`` pointed at their line-form copies."""
    text = json.dumps(node, ensure_ascii=False)
    for name in names:
        text = text.replace(f'"{_REF}{name}"', f'"{_REF}{_LINE}{name}"')
    return json.loads(text)


def _line_copies(defs: dict[str, Any], root: str) -> dict[str, Any]:
    """The line-form copy of each definition that is, or refers (at any depth) to, one
    whose required fields a line may leave out."""
    changed = {name for name in LINE_LEAVES_OUT if name in defs}
    grew = True
    while grew:
        more = {name for name, node in defs.items()
                if name not in changed and _refs(node) & changed}
        changed |= more
        grew = bool(more)
    out: dict[str, Any] = {}
    for name in changed:
        node = _renamed(copy.deepcopy(defs[name]), changed)
        omitted = LINE_LEAVES_OUT.get(name, ())
        if "required" in node:
            node["required"] = [n for n in node["required"] if n not in omitted]
        out[_LINE + name] = node
    assert _LINE + root in out, f"{root} has no line form"
    return out


def _report_defs() -> dict[str, Any]:
    """The report's definitions: ``Report`` (the full form), ``LineReport`` and the
    copies it refers to, ``AnyReport`` (either, by ``detail``) and ``CombinedReport``."""
    defs: dict[str, Any] = {}
    defs["Report"] = _defs(Report, defs)
    defs["Report"]["properties"]["detail"]["enum"] = ["full"]
    defs["CombinedReport"] = _defs(CombinedReport, defs)
    defs["CombinedReport"]["properties"]["reports"]["items"] = {"$ref": _REF + "AnyReport"}
    describe_schema(defs)
    defs.update(_line_copies(defs, "Report"))
    defs[_LINE + "Report"]["properties"]["detail"] = {
        **defs["Report"]["properties"]["detail"], "enum": ["line"]}
    defs[_LINE + "Report"]["required"].append("detail")
    defs["AnyReport"] = {
        "description": "A report in its full form, or in its line form (detail: line).",
        "if": {"type": "object", "required": ["detail"],
               "properties": {"detail": {"const": "line"}}},
        "then": {"$ref": _REF + _LINE + "Report"}, "else": {"$ref": _REF + "Report"}}
    return defs


def report_schema() -> dict[str, Any]:
    """A report, full or line (``Report.to_json_dict`` or ``Report.to_line_json``)."""
    defs = _report_defs()
    return {"$schema": DIALECT, "$id": SCHEMA_IDS["report"],
            "title": "govrules report",
            "description": "A report in its full form (Report.to_json_dict, --detail full) "
            "or its line form (detail: line; the default of --format jsonl).",
            "$ref": _REF + "AnyReport", "$defs": defs}


def diagnostic_schema() -> dict[str, Any]:
    """One problem with an input (``Diagnostic.to_dict``)."""
    def optional(text: str, kind: str = "string") -> dict[str, Any]:
        node: dict[str, Any] = {"type": [kind, "null"], "description": text}
        if kind == "integer":
            node["minimum"] = 1
        return node
    return {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string", "description": "What kind of problem (stable, kebab-case; "
                 "docs/errors.md)."},
        "message": {"type": "string", "description": "What is wrong and what was expected."},
        "message_zh": {"type": "string", "description": "The message in Chinese."},
        "file": optional("The file the problem is in."),
        "line": optional("Its line (1-based), where known.", "integer"),
        "col": optional("Its column (1-based), where known.", "integer"),
        "path": optional("The field path, e.g. phases.acceptance.date."),
        "hint": optional("How to fix it, where a fix is known."),
        "severity": {"enum": ["error", "warning", "info"],
                     "description": "How serious: error, warning or info."},
        "rule": optional("The rule the problem concerns, if any.")}}


def _with_source(defs: dict[str, Any], name: str) -> dict[str, Any]:
    """The record form of definition ``name``: with the ``source`` it was read from."""
    node: dict[str, Any] = copy.deepcopy(defs[name])
    node["properties"] = {"source": {"$ref": _REF + "Source",
                                     "description": "Where the record was read."},
                          **node["properties"]}
    node["required"] = ["source", *node.get("required", ())]
    return node


def record_schema() -> dict[str, Any]:
    """One record of ``govrules check --format json`` or ``jsonl`` output."""
    defs = _report_defs()
    defs["Source"] = {"type": "string", "description": "Where the record was read: a file, "
                      "with :line for a JSON Lines or CSV record."}
    defs["Diagnostic"] = diagnostic_schema()
    records = {
        "RecordReport": _with_source(defs, "Report"),
        "RecordLineReport": _with_source(defs, _LINE + "Report"),
        "RecordCombinedReport": _with_source(defs, "CombinedReport"),
        "RecordErrors": {"type": "object", "additionalProperties": False,
                         "required": ["source", "errors"], "properties": {
                             "source": {"$ref": _REF + "Source",
                                        "description": "Where the record was read."},
                             "errors": {"type": "array", "minItems": 1,
                                        "description": "Why it could not be checked.",
                                        "items": {"$ref": _REF + "Diagnostic"}}}}}
    defs.update(records)
    return {"$schema": DIALECT, "$id": SCHEMA_IDS["record"],
            "title": "govrules check record",
            "description": "One record of govrules check --format json or jsonl: a report "
            "(full or line form) or a combined report (--city all) with its source, or the "
            "errors of a record that could not be checked.",
            "oneOf": [
                {"if": {"type": "object", "required": ["detail"],
                        "properties": {"detail": {"const": "line"}}},
                 "then": {"$ref": _REF + "RecordLineReport"},
                 "else": {"$ref": _REF + "RecordReport"}},
                {"$ref": _REF + "RecordCombinedReport"},
                {"$ref": _REF + "RecordErrors"}],
            "$defs": defs}


def json_schema(what: Schema, policies: Iterable[str] = ()) -> dict[str, Any]:
    """The schema ``what`` (see the module); ``policies``: pack files whose declared facts
    the snapshot schema includes."""
    if what == "snapshot":
        chosen = list(policies)
        model: type[Snapshot] = (merged_model([load_pack(p).facts for p in chosen])
                                 if chosen else Snapshot)
        return snapshot_json_schema(model)
    if what == "pack":
        return pack_files_schema()
    if what == "report":
        return report_schema()
    return record_schema()
