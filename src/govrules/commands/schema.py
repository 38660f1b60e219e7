"""``govrules schema``: the JSON Schema of snapshots, packs or reports."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from govrules.commands.common import EXIT_OK
from govrules.pack_model import PackFile
from govrules.report import Report
from govrules.snapshot import snapshot_json_schema

NAME = "schema"
HELP = "print a JSON Schema (snapshot, pack or report)"
DESCRIPTION = "Print the JSON Schema of a snapshot, a policy pack file or a report."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", choices=["snapshot", "pack", "report"])


def run(args: argparse.Namespace, out: TextIO) -> int:
    schema: dict[str, Any]
    if args.what == "snapshot":
        schema = snapshot_json_schema()
    elif args.what == "pack":
        schema = PackFile.model_json_schema(by_alias=True)
    else:
        schema = Report.model_json_schema()
    out.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK
