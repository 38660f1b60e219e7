"""``govrules plan``: the facts still to supply, ranked by how much they can decide."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from govrules.base.i18n import N_, _
from govrules.cli.common import EXIT_OK
from govrules.cli.explain import add_one_check_arguments, one_check
from govrules.engine.evaluate import evaluate_pack
from govrules.engine.receipt import SnapshotSource
from govrules.io.formats.render import query_plan_lines

NAME = "plan"
HELP = N_("rank the facts still missing by how many findings each would decide")
DESCRIPTION = (N_("Check one snapshot and list the missing facts, ranked by how much of the "
               "outcome each can still change (undetermined findings it would decide, "
               "weighted by severity and binding), with the value that decides each finding."))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_one_check_arguments(parser)
    parser.add_argument("--top", type=int, default=0, metavar="N",
                        help=_("show only the first N facts (default: all)"))


def run(args: argparse.Namespace, out: TextIO) -> int:
    snapshot, pack, calendar, day = one_check(args)
    report = evaluate_pack(pack, snapshot, day, calendar,
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
