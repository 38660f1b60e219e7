"""The ``govrules`` command line: thin subcommands over the library.

This is the only module that prints or exits. Exit codes: 0 no failing violation,
1 failing violations (see ``--fail-on``), 2 bad input or bad policy. Diagnostics go to
stderr, results to stdout (or ``--output``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from govrules._version import __version__
from govrules.calendar import Calendar
from govrules.engine import coerce_snapshot, combine, evaluate_pack
from govrules.errors import Diagnostic, GovrulesError, InputError
from govrules.pack import Pack, builtin_pack, builtin_pack_ids, resolve_packs
from govrules.pack_model import PackFile
from govrules.render import render_text
from govrules.report import CombinedReport, Report
from govrules.snapshot import snapshot_json_schema

__all__ = ["main"]

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govrules",
        description="Check government IT projects against municipal regulations.",
    )
    parser.add_argument("--version", action="version", version=f"govrules {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = sub.add_parser("check", help="check project snapshots against policy packs",
                           description="Check snapshots (YAML or JSON files) against packs. "
                           "Exit 0: no failing violation; 1: violations; 2: bad input.")
    check.add_argument("snapshots", nargs="+", metavar="SNAPSHOT", help="YAML or JSON file")
    check.add_argument("--city", action="append", default=[], metavar="ID",
                       help="built-in pack id, comma list, or 'all' (repeatable); "
                       "default: each snapshot's own city")
    check.add_argument("--policy", action="append", default=[], metavar="PATH",
                       help="a pack file to use (repeatable)")
    check.add_argument("--as-of", type=_date, metavar="DATE",
                       help="evaluation date (default: the snapshot's as_of, else today)")
    check.add_argument("--format", choices=["text", "json"], default="text")
    check.add_argument("--all-findings", action="store_true",
                       help="also list satisfied and not-applicable findings (audit trail)")
    check.add_argument("--fail-on", choices=["error", "warning", "never"], default="error",
                       help="which violations make the exit code 1 (default: error)")
    check.add_argument("--fail-on-nonbinding", action="store_true",
                       help="also fail on violations of drafts and packs not in force")
    check.add_argument("--calendar", action="append", default=[], metavar="FILE",
                       help="extra working-day calendar data (repeatable)")
    check.add_argument("-o", "--output", metavar="FILE", help="write results here")

    schema = sub.add_parser("schema", help="print a JSON Schema")
    schema.add_argument("what", choices=["snapshot", "pack", "report"])

    sub.add_parser("packs", help="list the built-in packs")
    return parser


def _fails(report: Report, fail_on: str, nonbinding: bool) -> bool:
    if fail_on == "never" or (not report.binding and not nonbinding):
        return False
    levels = {"error"} if fail_on == "error" else {"error", "warning"}
    return any(f.status == "violated" and f.severity in levels for f in report.findings)


def _print_diagnostics(err: GovrulesError, stream: TextIO) -> None:
    for diagnostic in err.diagnostics:
        print(diagnostic, file=stream)


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
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
            reports = [evaluate_pack(p, snapshot, day, calendar, include_all=args.all_findings)
                       for p in packs]
        except GovrulesError as err:
            _print_diagnostics(err, sys.stderr)
            errors.append({"source": source, "errors": [d.to_dict() for d in err.diagnostics]})
            continue
        failed |= any(_fails(r, args.fail_on, args.fail_on_nonbinding) for r in reports)
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


def _cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    if args.what == "snapshot":
        schema = snapshot_json_schema()
    elif args.what == "pack":
        schema = PackFile.model_json_schema(by_alias=True)
    else:
        schema = Report.model_json_schema()
    out.write(json.dumps(schema, ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def _cmd_packs(_args: argparse.Namespace, out: TextIO) -> int:
    for pack_id in builtin_pack_ids():
        meta = builtin_pack(pack_id).meta
        out.write(f"{pack_id:<10} {meta.status:<9} {meta.doc_number or '-':<22} "
                  f"{meta.title.zh}\n")
    return EXIT_OK


_COMMANDS = {"check": _cmd_check, "schema": _cmd_schema, "packs": _cmd_packs}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    output = getattr(args, "output", None)
    try:
        if output:
            with open(output, "w", encoding="utf-8") as out:
                return _COMMANDS[args.command](args, out)
        return _COMMANDS[args.command](args, sys.stdout)
    except GovrulesError as err:
        _print_diagnostics(err, sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as err:
        print(f"{err.filename or output}: cannot write: {err.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # last resort: a user never sees a traceback
        if os.environ.get("GOVRULES_DEBUG"):
            raise
        print(f"govrules: internal error: {type(err).__name__}: {err} "
              "(set GOVRULES_DEBUG=1 for details)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
