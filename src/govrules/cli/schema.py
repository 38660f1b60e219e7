"""``govrules schema``: the JSON Schema of snapshots, pack files, reports or check records
(see :mod:`govrules.tools.schemas`)."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from govrules.base.errors import Diagnostic, InputError
from govrules.base.i18n import N_, _
from govrules.cli.common import EXIT_OK, add_output_options
from govrules.tools.schemas import SCHEMAS, json_schema

NAME = "schema"
HELP = N_("print a JSON Schema (snapshot, pack, report or record)")
DESCRIPTION = (N_("Print the JSON Schema of a snapshot (with --policy: including the facts the "
               "packs declare), of the files analysts write (packs, amendments, vocabulary "
               "and test files), of a report (full or line form), or of one record of "
               "check --format json/jsonl output."))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", choices=SCHEMAS)
    parser.add_argument("--policy", action="append", default=[], metavar="PATH",
                        help=_("snapshot: include the facts these pack files declare "
                        "(repeatable)"))
    add_output_options(parser, formats=None)


def run(args: argparse.Namespace, out: TextIO) -> int:
    if args.policy and args.what != "snapshot":
        raise InputError(Diagnostic(
            "bad-option", _("--policy adds a pack's facts to the snapshot schema only"),
            hint=_("govrules schema snapshot --policy PACK")))
    schema = json_schema(args.what, args.policy)
    out.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK
