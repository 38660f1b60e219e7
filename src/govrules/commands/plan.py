"""``govrules plan``: the facts still to supply, ranked by how much they can decide."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TextIO

from govrules.calendar import Calendar
from govrules.commands.common import EXIT_OK, iso_date
from govrules.engine import evaluate_pack
from govrules.errors import Diagnostic, InputError
from govrules.pack import resolve_packs
from govrules.receipt import SnapshotSource
from govrules.render import query_plan_lines
from govrules.snapshot import load_snapshot

NAME = "plan"
HELP = "rank the facts still missing by how many findings each would decide"
DESCRIPTION = ("Check one snapshot and list the missing facts, ranked by how much of the "
               "outcome each can still change (undetermined findings it would decide, "
               "weighted by severity and binding), with the value that decides each finding.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("snapshot", metavar="SNAPSHOT", help="YAML or JSON file")
    parser.add_argument("--city", metavar="ID", help="built-in pack (default: the snapshot's "
                        "city)")
    parser.add_argument("--policy", metavar="PATH", help="a pack file instead of --city")
    parser.add_argument("--as-of", type=iso_date, metavar="DATE",
                        help="evaluation date (default: the snapshot's as_of, else today)")
    parser.add_argument("--calendar", action="append", default=[], metavar="FILE",
                        help="extra working-day calendar data (repeatable)")
    parser.add_argument("--top", type=int, default=0, metavar="N",
                        help="show only the first N facts (default: all)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("-o", "--output", metavar="FILE", help="write results here")


def run(args: argparse.Namespace, out: TextIO) -> int:
    snapshot = load_snapshot(args.snapshot)
    city = args.city or (None if args.policy else snapshot.city)
    if not city and not args.policy:
        raise InputError(Diagnostic("no-city", "the snapshot names no city and no --city was "
                                    "given", hint="pass --city or --policy"))
    packs = resolve_packs([city] if city else [], [args.policy] if args.policy else [])
    calendar = Calendar.load(args.calendar) if args.calendar else Calendar.default()
    day = args.as_of or snapshot.as_of or date.today()
    report = evaluate_pack(packs[0], snapshot, day, calendar,
                           source=SnapshotSource.of_file(args.snapshot))
    plan = report.query_plan[:args.top] if args.top > 0 else report.query_plan
    if args.format == "json":
        out.write(json.dumps({"pack": report.pack.id, "snapshot_id": report.snapshot_id,
                              "as_of": str(report.as_of), "verdict": report.verdict,
                              "query_plan": [q.model_dump(mode="json") for q in plan]},
                             ensure_ascii=False, indent=2) + "\n")
    elif not plan:
        out.write("nothing undetermined: no fact is missing 没有未定结论，无需补充事实\n")
    else:
        out.write("\n".join(query_plan_lines(plan)) + "\n")
    return EXIT_OK
