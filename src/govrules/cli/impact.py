"""``govrules impact``: which projects a new version of a pack changes, and why."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from govrules.base.i18n import N_, _
from govrules.cli.common import EXIT_BAD_INPUT, EXIT_OK, add_output_options, iso_date
from govrules.cli.lint import format_diagnostic
from govrules.cli.show import open_pack
from govrules.tools.impact import ImpactReport, measure_impact

NAME = "impact"
HELP = N_("compare two versions of a pack over a corpus of snapshots")
DESCRIPTION = (N_("Evaluate snapshot files (or folders of them) under --old and --new (built-in "
               "ids or pack files) and report the projects whose verdict changes, the "
               "findings that appear or disappear, and the rules and articles that differ."))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("records", nargs="+", metavar="RECORD", help=_("snapshot file or folder"))
    parser.add_argument("--old", required=True, metavar="PACK", help=_("the pack as it was"))
    parser.add_argument("--new", required=True, metavar="PACK", help=_("the pack as amended"))
    parser.add_argument("--as-of", type=iso_date, metavar="DATE",
                        help=_("evaluation date (default: each snapshot's as_of, else today)"))
    add_output_options(parser, formats=["text", "json"])


def render(report: ImpactReport) -> str:
    diff = report.diff
    lines = [f"impact of {report.new.id} v{report.new.meta.version} ({report.new.file}) "
             f"against v{report.old.meta.version} ({report.old.file})", "pack changes:"]
    lines += [f"  rule added:   {r}" for r in diff.added]
    lines += [f"  rule removed: {r}" for r in diff.removed]
    lines += [f"  rule changed: {r} ({', '.join(f)})" for r, f in diff.changed.items()]
    lines += [f"  article changed: {n}" for n in diff.articles]
    lines += [f"  derived fact changed: {d}" for d in diff.derived]
    if diff.scope_changed:
        lines.append("  scope changed")
    if len(lines) == 2:
        lines.append("  none")
    projects = report.projects
    changed = [p for p in projects if p.changes]
    lines.append(f"projects: {len(projects)} evaluated, "
                 f"{sum(p.outcome_changed for p in projects)} change outcome, "
                 f"{len(changed)} change findings")
    for project in changed:
        verdict = (f"{project.old_verdict} → {project.new_verdict}" if project.outcome_changed
                   else f"{project.new_verdict} (unchanged)")
        lines.append(f"{project.source}  {project.snapshot_id or '(no id)'}  as of "
                     f"{project.as_of}: {verdict}")
        mark = {"appears": "+", "disappears": "-", "changes": "~"}
        for c in project.changes:
            lines.append(f"  {mark[c.kind]} {c.rule} ({c.article}): {c.old or 'absent'} → "
                         f"{c.new or 'absent'}  — {c.why}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, out: TextIO) -> int:
    report = measure_impact(open_pack(args.old), open_pack(args.new), args.records,
                            as_of=args.as_of)
    for diagnostic in report.errors:
        print(format_diagnostic(diagnostic), file=sys.stderr)
    if args.format == "json":
        out.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(render(report))
    return EXIT_BAD_INPUT if report.errors else EXIT_OK
