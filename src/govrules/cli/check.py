"""``govrules check``: snapshots against packs, one result per record, in any format."""

from __future__ import annotations

import argparse
import functools
import os
import sys
from typing import TextIO

from govrules.base.errors import Diagnostic, InputError
from govrules.base.i18n import N_, _, chosen, set_language
from govrules.base.printable import printable_line
from govrules.base.terminal import colour_enabled, terminal_width
from govrules.cli.common import iso_date
from govrules.engine.gaps import GAP_MODES
from govrules.io import batch
from govrules.io.batch import CheckOptions, Evaluator, Summary, fails
from govrules.io.formats import (
    FORMATS,
    FormatContext,
    make_encoder,
    make_writer,
    needs_all_findings,
)
from govrules.io.formats.common import DETAILS, summary_line
from govrules.io.formats.multi import FormatSpec, MultiEncoder, MultiWriter, format_spec
from govrules.io.inputs import INPUT_FORMATS, read_records
from govrules.io.progress import Progress, count_records

__all__ = ["fails"]

NAME = "check"
HELP = N_("check project snapshots against policy packs")
DESCRIPTION = (
    N_("Check snapshots against packs: files (YAML, JSON, JSON Lines, CSV), folders, globs or "
    "- for stdin; one result per record. Exit 0: no failing violation; 1: violations; "
    "2: bad input or bad policy (any record); 3: internal error.")
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("snapshots", nargs="+", metavar="SNAPSHOT",
                        help=_("file (.yaml .yml .json .jsonl .csv), folder (read recursively), "
                        "glob pattern, or - for standard input"))
    parser.add_argument("--city", action="append", default=[], metavar="ID",
                        help=_("built-in pack id, comma list, or 'all' (repeatable); "
                        "default: each snapshot's own city"))
    parser.add_argument("--policy", action="append", default=[], metavar="PATH",
                        help=_("a pack file to use (repeatable)"))
    parser.add_argument("--as-of", type=iso_date, metavar="DATE",
                        help=_("evaluation date (default: the snapshot's as_of, else today)"))
    parser.add_argument("--format", action="append", type=format_spec(FORMATS), default=[],
                        metavar="FORMAT[:FILE]",
                        help=_("output format: {formats} (default: text); repeat with :FILE "
                               "for several outputs from one run, e.g. --format "
                               "sarif:out.sarif --format markdown:summary.md").format(
                            formats=", ".join(FORMATS)))
    parser.add_argument("--input-format", choices=("auto", *INPUT_FORMATS), default="auto",
                        help=_("format of standard input and of files with another extension "
                        "(default: by extension, else sniffed)"))
    parser.add_argument("--all-findings", action="store_true",
                        help=_("also list satisfied and not-applicable findings (audit trail)"))
    parser.add_argument("--detail", choices=DETAILS, default=None,
                        help=_("report form of json and jsonl: line (the default of jsonl: "
                        "without the articles table, query plan and explanations) or full "
                        "(the default of json)"))
    parser.add_argument("--fail-on", choices=["error", "warning", "never"], default="error",
                        help=_("which violations make the exit code 1 (default: error)"))
    parser.add_argument("--fail-on-nonbinding", action="store_true",
                        help=_("also fail on violations of drafts and packs not in force"))
    parser.add_argument("--fail-on-undetermined", action="store_true",
                        help=_("also fail (exit 1) when a rule is undetermined: facts missing"))
    parser.add_argument("--strict-presumptions", action="store_true",
                        help=_("treat exception facts the record is silent on (secrecy, "
                        "emergencies, exclusions) as unknown instead of presuming the "
                        "exception does not apply"))
    parser.add_argument("--gaps", choices=GAP_MODES, default="warn",
                        help=_("findings on articles the pack encodes only in part: warn "
                        "(default: an encoding-gap warning), ignore, or error (also fail "
                        "when a finding rests on a gap no reviewer accepted)"))
    parser.add_argument("--calendar", action="append", default=[], metavar="FILE",
                        help=_("extra working-day calendar data (repeatable)"))
    parser.add_argument("--backend", default="native", metavar="NAME",
                        help=_("evaluation backend: native (default) or durable"))
    parser.add_argument("-j", "--jobs", type=_jobs, default=1, metavar="N",
                        help=_("worker processes for large inputs (0: one per CPU; default 1)"))
    parser.add_argument("-q", "--quiet", action="store_true",
                        help=_("no progress counter and no summary line on stderr"))
    parser.add_argument("-o", "--output", metavar="FILE", help=_("write results here"))
    parser.add_argument("--lang", choices=["zh", "en"], default=None,
                        help=_("language of messages (default: GOVRULES_LANG, else the locale)"))


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(
            _("{text!r} is not a number of processes (0 or more)").format(text=text))
    return value


def _specs(given: list[FormatSpec]) -> list[FormatSpec]:
    """The outputs asked for; at most one goes to standard output (or ``-o``)."""
    specs = given or [FormatSpec("text")]
    if sum(s.path is None for s in specs) > 1:
        raise InputError(Diagnostic(
            "bad-option", _("several --format values write to standard output"),
            hint=_("give each but one a file: --format sarif:out.sarif")))
    return specs


def _encoder(names: tuple[str, ...], context: FormatContext,
             lang: str | None) -> MultiEncoder:
    """Every output's encoder (picklable: built again in worker processes, which speak
    the run's ``--lang``)."""
    if lang is not None:
        set_language(lang)
    return MultiEncoder([make_encoder(n, context) for n in names])


def _single(inputs: list[str]) -> bool:
    """One file (or stdin) named: if it holds one document, text output has no heading."""
    return len(inputs) == 1 and (inputs[0] == "-" or os.path.isfile(inputs[0]))


def run(args: argparse.Namespace, out: TextIO) -> int:
    specs = _specs(args.format)
    context = FormatContext(single=_single(args.snapshots), root=os.getcwd(),
                            width=terminal_width(out), colour=colour_enabled(out),
                            detail=args.detail)
    line_only = all(context.writes_line_only(f.name) for f in specs)
    options = CheckOptions(
        cities=tuple(args.city), policies=tuple(args.policy), as_of=args.as_of,
        calendars=tuple(args.calendar), include_all=args.all_findings, backend=args.backend,
        fail_on=args.fail_on, fail_on_nonbinding=args.fail_on_nonbinding,
        fail_on_undetermined=args.fail_on_undetermined,
        strict_presumptions=args.strict_presumptions, gaps=args.gaps,
        detail="line" if line_only else "full")
    include_all = args.all_findings or any(needs_all_findings(f.name) for f in specs)
    evaluator = Evaluator(options, include_all=include_all)  # a bad pack fails here: exit 2
    writer = MultiWriter.open(specs, context, out, make_writer)
    summary = Summary()
    progress = Progress(sys.stderr, enabled=False if args.quiet else None)
    if progress.enabled and all(os.path.isfile(s) for s in args.snapshots):
        progress.total = count_records(args.snapshots)  # a bar and an ETA
    input_format = None if args.input_format == "auto" else args.input_format
    model = evaluator.model(evaluator.fixed) if evaluator.fixed is not None else None
    pieces = batch.run(read_records(args.snapshots, input_format, model=model), options,
                       functools.partial(_encoder, tuple(f.name for f in specs), context,
                                         chosen()),
                       jobs=args.jobs, include_all=include_all, evaluator=evaluator)
    try:
        for piece in pieces:
            if piece.errors:
                progress.clear()
                for line in piece.errors:
                    print(printable_line(line), file=sys.stderr)
            summary.add(piece)
            writer.write(piece)
            progress.update(summary.records, summary.errors)
        progress.clear()
        writer.finish(summary)
    except BaseException:
        writer.abandon()  # no half-written output files
        raise
    if not args.quiet:
        print(summary_line(summary), file=sys.stderr)
    return summary.exit_code
