"""``govrules packs``: the built-in packs and their status."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from govrules.base.excerpt import display_width
from govrules.base.i18n import N_
from govrules.cli.common import EXIT_OK, add_output_options
from govrules.model.pack import builtin_pack, builtin_pack_ids

NAME = "packs"
HELP = N_("list the built-in packs")
DESCRIPTION = N_("List the built-in policy packs: id, status, document number, title.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_output_options(parser, formats=["text", "json"])


def pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (CJK characters count two)."""
    return text + " " * max(0, width - display_width(text))


def run(args: argparse.Namespace, out: TextIO) -> int:
    metas = [builtin_pack(i).meta for i in builtin_pack_ids()]
    if args.format == "json":
        rows = [{"id": m.id, "status": m.status, "doc_number": m.doc_number,
                 "title": {"zh": m.title.zh, "en": m.title.en}} for m in metas]
        out.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK
    numbers = [m.doc_number or "-" for m in metas]
    width = max((display_width(n) for n in numbers), default=1)
    for meta, number in zip(metas, numbers, strict=True):
        out.write(f"{meta.id:<10} {meta.status:<9} {pad(number, width)} {meta.title.zh}\n")
    return EXIT_OK
