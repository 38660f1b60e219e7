"""``govrules schema``: the JSON Schema of snapshots, pack files or reports.

``schema pack`` is one schema for every file an analyst writes: a pack, an amending
pack (``extends:``), a vocabulary file (``facts:``) and a test file (a list of cases),
so that one editor mapping covers them all (see docs/integrations.md, Editors).
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from govrules.base.i18n import N_, _
from govrules.cli.common import EXIT_OK, add_output_options
from govrules.model.pack import load_pack
from govrules.model.pack_format import AmendmentFile, CaseSpec, PackFile
from govrules.model.report import Report
from govrules.model.snapshot import Snapshot, snapshot_json_schema
from govrules.model.vocabulary import VocabularyFile, merged_model
from govrules.tools.report_docs import describe_schema

__all__ = ["SCHEMA_IDS", "pack_files_schema"]

NAME = "schema"
HELP = N_("print a JSON Schema (snapshot, pack or report)")
DESCRIPTION = (N_("Print the JSON Schema of a snapshot (with --policy: including the facts the "
               "packs declare), of the files analysts write (packs, amendments, vocabulary "
               "and test files), or of a report."))

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_IDS = {"snapshot": "urn:govrules:schema:snapshot",
              "pack": "urn:govrules:schema:pack-files",
              "report": "urn:govrules:schema:report"}
"""The ``$id`` of each schema (URNs: the schemas are printed, not served)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", choices=["snapshot", "pack", "report"])
    parser.add_argument("--policy", action="append", default=[], metavar="PATH",
                        help=_("snapshot: include the facts these pack files declare "
                        "(repeatable)"))
    add_output_options(parser, formats=None)


def _defs(model: Any, defs: dict[str, Any]) -> dict[str, Any]:
    """``model``'s schema with its definitions moved into the shared ``defs``."""
    schema: dict[str, Any] = model.model_json_schema(
        by_alias=True, ref_template="#/$defs/{model}")
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
        "$schema": _DIALECT,
        "$id": SCHEMA_IDS["pack"],
        "title": "govrules pack, amendment, vocabulary or test file",
        "description": "A policy pack (pack:, articles:, rules:), an amending pack "
        "(extends:), a vocabulary file (facts:) or a test file (a list of cases).",
        "oneOf": [
            {"$ref": "#/$defs/AmendmentFile", "required": ["extends"]},
            {"$ref": "#/$defs/PackFile"},
            {"$ref": "#/$defs/VocabularyFile", "required": ["facts"],
             "not": {"required": ["pack"]}},
            {"type": "array", "items": {"$ref": "#/$defs/CaseSpec"},
             "description": "A test file: a list of cases."},
        ],
        "$defs": defs,
    }


def run(args: argparse.Namespace, out: TextIO) -> int:
    schema: dict[str, Any]
    if args.what == "snapshot":
        model: type[Snapshot] = Snapshot
        if args.policy:
            model = merged_model([load_pack(p).facts for p in args.policy])
        schema = snapshot_json_schema(model)
    elif args.what == "pack":
        schema = pack_files_schema()
    else:
        schema = {"$schema": _DIALECT, "$id": SCHEMA_IDS["report"],
                  **describe_schema(Report.model_json_schema())}
    out.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK
