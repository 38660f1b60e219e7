"""``govrules lint``: check policy packs without a snapshot."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from govrules.commands.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS
from govrules.errors import Diagnostic
from govrules.lint import lint_paths

NAME = "lint"
HELP = "check policy packs for mistakes, without a snapshot"
DESCRIPTION = ("Check pack files (or folders of packs): structure, facts and types in every "
               "condition, references, quotes, unreachable rules, guards that hide "
               "violations, in-principle flags. Exit 2 on errors; warnings fail only with "
               "--strict (exit 1). Silent on success apart from a summary line.")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="pack file or folder")
    parser.add_argument("--source", metavar="FILE",
                        help="the regulation's text (or a folder holding each pack's "
                        "pack.source): articles and quotes must be verbatim from it")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    parser.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write results here")


def format_diagnostic(d: Diagnostic) -> str:
    """``file:line:col: severity code [rule]: message`` and the hint on its own line."""
    rule = f" [{d.rule}]" if d.rule else ""
    head = f"{d.where()}: " if d.where() else ""
    line = f"{head}{d.severity} {d.code}{rule}: {d.message}"
    return line + (f"\n    hint: {d.hint}" if d.hint else "")


def run(args: argparse.Namespace, out: TextIO) -> int:
    results, problems = lint_paths(args.paths, source=args.source)
    diagnostics = [*problems, *(d for r in results for d in r.diagnostics)]
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = sum(d.severity == "warning" for d in diagnostics)
    if args.format == "json":
        payload = {
            "packs": [{"file": r.file, "pack": r.pack, "errors": r.count("error"),
                       "warnings": r.count("warning")} for r in results],
            "diagnostics": [d.to_dict() for d in diagnostics],
            "errors": errors, "warnings": warnings,
        }
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        for diagnostic in diagnostics:
            out.write(format_diagnostic(diagnostic) + "\n")
        packs = len(results)
        out.write(f"{packs} pack{'s' if packs != 1 else ''} checked: {errors} error"
                  f"{'s' if errors != 1 else ''}, {warnings} warning"
                  f"{'s' if warnings != 1 else ''}\n")
    if errors:
        return EXIT_BAD_INPUT
    return EXIT_VIOLATIONS if args.strict and warnings else EXIT_OK
