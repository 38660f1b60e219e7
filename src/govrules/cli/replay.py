"""``govrules replay``: evaluate a JSON report again from its receipt."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from govrules.base.i18n import N_, _
from govrules.cli.common import EXIT_OK, EXIT_VIOLATIONS
from govrules.tools.replay import replay

NAME = "replay"
HELP = N_("re-evaluate a JSON report from its receipt and say what changed")
DESCRIPTION = (
    N_("Re-evaluate REPORT.json (the output of check --format json or jsonl) from its receipt: "
    "the same date, options, pack, calendar and snapshot (SNAPSHOT, else the file the "
    "receipt names). Exit 0: findings and next steps identical; 1: they differ (what "
    "differs and why: pack, calendar, snapshot or engine changed); 2: bad input.")
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("report", metavar="REPORT.json", help=_("a JSON or JSON Lines report"))
    parser.add_argument("snapshot", nargs="?", metavar="SNAPSHOT",
                        help=_("the snapshot (default: the file the receipt names)"))
    parser.add_argument("--policy", metavar="PATH",
                        help=_("the pack file to use instead of the one the receipt names"))
    parser.add_argument("--calendar", action="append", default=[], metavar="FILE",
                        help=_("calendar files to use instead of those the receipt names"))
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("-o", "--output", metavar="FILE", help=_("write results here"))


def run(args: argparse.Namespace, out: TextIO) -> int:
    result = replay(args.report, args.snapshot, policy=args.policy,
                    calendars=args.calendar or None)
    if args.format == "json":
        out.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2, default=str)
                  + "\n")
    else:
        out.write(result.render())
    return EXIT_OK if result.same else EXIT_VIOLATIONS
