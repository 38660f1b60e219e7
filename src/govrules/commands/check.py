"""``govrules check``: snapshots against packs, reports as text or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from govrules.calendar import Calendar
from govrules.commands.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_VIOLATIONS,
    iso_date,
    print_diagnostics,
)
from govrules.engine import coerce_snapshot, combine, evaluate_pack
from govrules.errors import Diagnostic, GovrulesError, InputError
from govrules.pack import Pack, resolve_packs
from govrules.render import render_text
from govrules.report import CombinedReport, Report

NAME = "check"
HELP = "check project snapshots against policy packs"
DESCRIPTION = ("Check snapshots (YAML or JSON files) against packs. Exit 0: no failing "
               "violation; 1: violations; 2: bad input or bad policy.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("snapshots", nargs="+", metavar="SNAPSHOT", help="YAML or JSON file")
    parser.add_argument("--city", action="append", default=[], metavar="ID",
                        help="built-in pack id, comma list, or 'all' (repeatable); "
                        "default: each snapshot's own city")
    parser.add_argument("--policy", action="append", default=[], metavar="PATH",
                        help="a pack file to use (repeatable)")
    parser.add_argument("--as-of", type=iso_date, metavar="DATE",
                        help="evaluation date (default: the snapshot's as_of, else today)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--all-findings", action="store_true",
                        help="also list satisfied and not-applicable findings (audit trail)")
    parser.add_argument("--fail-on", choices=["error", "warning", "never"], default="error",
                        help="which violations make the exit code 1 (default: error)")
    parser.add_argument("--fail-on-nonbinding", action="store_true",
                        help="also fail on violations of drafts and packs not in force")
    parser.add_argument("--calendar", action="append", default=[], metavar="FILE",
                        help="extra working-day calendar data (repeatable)")
    parser.add_argument("--backend", default="native", metavar="NAME",
                        help="evaluation backend: native (default) or durable")
    parser.add_argument("-o", "--output", metavar="FILE", help="write results here")


def fails(report: Report, fail_on: str, nonbinding: bool) -> bool:
    """Whether ``report`` should make the exit code 1 under ``--fail-on``."""
    if fail_on == "never" or (not report.binding and not nonbinding):
        return False
    levels = {"error"} if fail_on == "error" else {"error", "warning"}
    return any(f.status == "violated" and f.severity in levels for f in report.findings)


def run(args: argparse.Namespace, out: TextIO) -> int:
    calendar = Calendar.load(args.calendar) if args.calendar else Calendar.default()
    fixed_packs: list[Pack] | None = None
    if args.city or args.policy:
        fixed_packs = resolve_packs(args.city, args.policy)
    results: list[Report | CombinedReport] = []
    errors: list[dict[str, Any]] = []
    failed = False
    for source in args.snapshots:
        try:
            snapshot = coerce_snapshot(Path(source))
            packs = fixed_packs
            if packs is None:
                if not snapshot.city:
                    raise InputError(Diagnostic(
                        "no-city", "the snapshot names no city and no --city was given",
                        hint="add `city: guiyang` to the snapshot or pass --city"))
                packs = resolve_packs([snapshot.city])
            day = args.as_of or snapshot.as_of or date.today()
            reports = [evaluate_pack(p, snapshot, day, calendar, include_all=args.all_findings,
                                     backend=args.backend) for p in packs]
        except GovrulesError as err:
            print_diagnostics(err, sys.stderr)
            errors.append({"source": source, "errors": [d.to_dict() for d in err.diagnostics]})
            continue
        failed |= any(fails(r, args.fail_on, args.fail_on_nonbinding) for r in reports)
        several = len(reports) > 1 or any("all" in c.split(",") for c in args.city)
        results.append(combine(snapshot, day, reports) if several else reports[0])
    if args.format == "json":
        payload: Any = [r.to_json_dict() for r in results] + errors
        if len(args.snapshots) == 1 and results:
            payload = results[0].to_json_dict()
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        out.write("\n\n".join(render_text(r) for r in results))
    if errors:
        return EXIT_BAD_INPUT
    return EXIT_VIOLATIONS if failed else EXIT_OK
