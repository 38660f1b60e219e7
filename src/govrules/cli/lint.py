"""``govrules lint``: check policy packs without a snapshot."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from govrules.base.errors import Diagnostic, InputError
from govrules.base.excerpt import excerpt
from govrules.base.i18n import N_, _, ngettext
from govrules.base.loader import parse_document
from govrules.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    EXIT_VIOLATIONS,
    add_output_options,
)
from govrules.io.formats.github import escape_data, escape_property
from govrules.tools.lint import LintResult, lint_document, lint_paths

NAME = "lint"
HELP = N_("check policy packs for mistakes, without a snapshot")
DESCRIPTION = (N_("Check pack files (or folders of packs): structure, facts and types in every "
               "condition, references, quotes, unreachable rules, guards that hide "
               "violations, in-principle flags. Exit 2 on errors; warnings fail only with "
               "--strict (exit 1). Silent on success apart from a summary line."))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help=_("pack file or folder, or - for standard input"))
    parser.add_argument("--stdin-filename", default="<stdin>", metavar="NAME",
                        help=_("the file name to report for standard input (editors)"))
    parser.add_argument("--source", metavar="FILE",
                        help=_("the regulation's text (or a folder holding each pack's "
                        "pack.source): articles and quotes must be verbatim from it"))
    parser.add_argument("--strict", action="store_true", help=_("warnings fail too (exit 1)"))
    add_output_options(parser, formats=LINT_FORMATS)


LINT_FORMATS = ("text", "json", "concise", "github")


def format_diagnostic(d: Diagnostic, *, source: bool = True) -> str:
    """``file:line:col: severity code [rule]: message``, the source line with a caret
    under the place (``source``), and the hint on its own line."""
    rule = f" [{d.rule}]" if d.rule else ""
    head = f"{d.where()}: " if d.where() else ""
    lines = [f"{head}{severity_word(d.severity)} {d.code}{rule}: {d.message}"]
    if source:
        lines += excerpt(d.span, indent="    ")
    if d.hint:
        lines.append("    " + _("hint: {hint}").format(hint=d.hint))
    return "\n".join(lines)


def severity_word(severity: str) -> str:
    """``error``, ``warning`` or ``info`` in the chosen language (text output only: the
    concise, GitHub and JSON forms keep the fixed English words tools match on)."""
    words = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}
    return _(words[severity]) if severity in words else severity


def concise(d: Diagnostic) -> str:
    """``file:line:col: code [severity] message (hint)`` on one line."""
    head = f"{d.where()}: " if d.where() else ""
    hint = f" ({d.hint})" if d.hint else ""
    return f"{head}{d.code} [{d.severity}] {' '.join(d.message.split())}{hint}"


def github(d: Diagnostic) -> str:
    """A GitHub Actions annotation for the diagnostic."""
    command = {"error": "error", "warning": "warning"}.get(d.severity, "notice")
    props = []
    if d.span is not None and d.span.file:
        props.append(f"file={escape_property(d.span.file)}")
        if d.span.line is not None:
            props.append(f"line={d.span.line}")
            if d.span.col is not None:
                props.append(f"col={d.span.col}")
    props.append(f"title={escape_property(d.code)}")
    text = d.message + (f" ({d.hint})" if d.hint else "")
    return f"::{command} {','.join(props)}::{escape_data(text)}"


def _lint_stdin(name: str, source: str | None) -> LintResult:
    """Lint the pack read from standard input, reported under ``name``; a relative
    ``extends`` or vocabulary file is found from ``name``'s folder."""
    text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    try:
        document = parse_document(text, name)
    except InputError as exc:
        return LintResult(name, None, exc.diagnostics)
    return lint_document(document, document.sha256, source=source)


def run(args: argparse.Namespace, out: TextIO) -> int:
    results, diagnostics = _lint(args)
    errors = sum(d.severity == "error" for d in diagnostics)
    warnings = sum(d.severity == "warning" for d in diagnostics)
    if args.format == "json":
        out.write(json.dumps(_payload(results, diagnostics, errors, warnings),
                             ensure_ascii=False, indent=2) + "\n")
    elif args.format in ("concise", "github"):
        show = concise if args.format == "concise" else github
        for diagnostic in diagnostics:
            out.write(show(diagnostic) + "\n")
    else:
        _write_text(args, out, diagnostics)
        if not args.quiet:
            out.write(_summary(len(results), errors, warnings) + "\n")
    if errors:
        return EXIT_BAD_INPUT
    return EXIT_VIOLATIONS if args.strict and warnings else EXIT_OK


def _lint(args: argparse.Namespace) -> tuple[list[LintResult], list[Diagnostic]]:
    """The packs linted (files and folders, then standard input) and every diagnostic."""
    paths = [p for p in args.paths if p != "-"]
    results, problems = lint_paths(paths, source=args.source) if paths else ([], [])
    if "-" in args.paths:  # an editor's buffer: `govrules lint --stdin-filename F -`
        results.append(_lint_stdin(args.stdin_filename, args.source))
    return results, [*problems, *(d for r in results for d in r.diagnostics)]


def _payload(results: list[LintResult], diagnostics: list[Diagnostic], errors: int,
             warnings: int) -> dict[str, object]:
    """The ``--format json`` document."""
    return {
        "packs": [{"file": r.file, "pack": r.pack, "errors": r.count("error"),
                   "warnings": r.count("warning")} for r in results],
        "diagnostics": [d.to_dict() for d in diagnostics],
        "errors": errors, "warnings": warnings,
    }


def _write_text(args: argparse.Namespace, out: TextIO, diagnostics: list[Diagnostic]) -> None:
    """Each diagnostic in full; the source line only for a file read from disk."""
    piped = args.stdin_filename if "-" in args.paths else None
    for diagnostic in diagnostics:
        from_disk = diagnostic.span is None or diagnostic.span.file != piped
        out.write(format_diagnostic(diagnostic, source=from_disk) + "\n")


def _summary(packs: int, errors: int, warnings: int) -> str:
    """``3 packs checked: 0 errors, 1 warning``."""
    return _("{packs}: {errors}, {warnings}").format(
        packs=ngettext("{n} pack checked", "{n} packs checked", packs).format(n=packs),
        errors=ngettext("{n} error", "{n} errors", errors).format(n=errors),
        warnings=ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
    )
