"""``govrules compare``: one project under every city's regulation, side by side."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from govrules.base.errors import Diagnostic, InputError
from govrules.base.i18n import N_, _
from govrules.base.printable import printable_line
from govrules.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_VIOLATIONS,
    add_output_options,
    iso_date,
)
from govrules.io.batch import CheckOptions, Evaluator, describe
from govrules.io.inputs import INPUT_FORMATS, read_records
from govrules.tools.compare import compare
from govrules.tools.compare_render import comparison_markdown, comparison_text

NAME = "compare"
HELP = N_("compare one project's obligations across cities")
DESCRIPTION = (
    N_("Check one snapshot against several packs (default: every built-in pack) and show, per "
    "obligation topic, each city's status and article, then which cities it violates and "
    "why. Exit codes as for check.")
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("snapshot", metavar="SNAPSHOT",
                        help=_("one snapshot: a YAML or JSON file, or - for standard input"))
    parser.add_argument("--city", action="append", default=[], metavar="ID",
                        help=_("built-in pack id, comma list, or 'all' (repeatable; "
                        "default: all)"))
    parser.add_argument("--policy", action="append", default=[], metavar="PATH",
                        help=_("a pack file to add (repeatable)"))
    parser.add_argument("--as-of", type=iso_date, metavar="DATE",
                        help=_("evaluation date (default: the snapshot's as_of, else today)"))
    parser.add_argument("--input-format", choices=("auto", *INPUT_FORMATS), default="auto",
                        help=_("format of standard input (default: sniffed)"))
    parser.add_argument("--fail-on", choices=["error", "warning", "never"], default="error",
                        help=_("which violations make the exit code 1 (default: error)"))
    parser.add_argument("--fail-on-nonbinding", action="store_true",
                        help=_("also fail on violations of drafts and packs not in force"))
    parser.add_argument("--calendar", action="append", default=[], metavar="FILE",
                        help=_("extra working-day calendar data (repeatable)"))
    add_output_options(parser, formats=["text", "json", "markdown"])


def run(args: argparse.Namespace, out: TextIO) -> int:
    cities = args.city or ([] if args.policy else ["all"])
    options = CheckOptions(cities=tuple(cities), policies=tuple(args.policy),
                           as_of=args.as_of, calendars=tuple(args.calendar),
                           fail_on=args.fail_on, fail_on_nonbinding=args.fail_on_nonbinding)
    evaluator = Evaluator(options, include_all=True)
    input_format = None if args.input_format == "auto" else args.input_format
    records = read_records([args.snapshot], input_format)
    record = next(records)
    extra = next(records, None)
    if extra is not None:
        raise InputError(Diagnostic(
            "input-several-records", _("compare takes one snapshot; the input holds several"),
            extra.span, hint=_("use `govrules check --city all` for many records")))
    outcome = evaluator.check(record)
    if outcome.result is None:
        for diagnostic in outcome.diagnostics:
            print(printable_line(describe(diagnostic)), file=sys.stderr)
        return EXIT_INTERNAL if outcome.internal else EXIT_BAD_INPUT
    comparison = compare(outcome.reports, outcome.packs)
    if args.format == "json":
        out.write(json.dumps(comparison.to_json_dict(), ensure_ascii=False, indent=2) + "\n")
    elif args.format == "markdown":
        out.write(comparison_markdown(comparison))
    else:
        out.write(comparison_text(comparison))
    return EXIT_VIOLATIONS if outcome.failing else EXIT_OK
