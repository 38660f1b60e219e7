"""``govrules packs``: the built-in packs and their status."""

from __future__ import annotations

import argparse
from typing import TextIO

from govrules.commands.common import EXIT_OK
from govrules.pack import builtin_pack, builtin_pack_ids

NAME = "packs"
HELP = "list the built-in packs"
DESCRIPTION = "List the built-in policy packs: id, status, document number, title."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace, out: TextIO) -> int:
    del args
    for pack_id in builtin_pack_ids():
        meta = builtin_pack(pack_id).meta
        out.write(f"{pack_id:<10} {meta.status:<9} {meta.doc_number or '-':<22} "
                  f"{meta.title.zh}\n")
    return EXIT_OK
