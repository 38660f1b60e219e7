"""What several subcommands share: exit codes, dates, diagnostics output."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from typing import TextIO

from govrules.base.errors import GovrulesError
from govrules.base.i18n import _
from govrules.base.printable import printable_line

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_OK", "EXIT_VIOLATIONS",
           "add_output_options", "iso_date", "print_diagnostics"]

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def iso_date(text: str) -> date:
    """argparse type for ``YYYY-MM-DD`` (exactly that form)."""
    try:
        from govrules.base.loader import iso_day  # noqa: PLC0415 - PyYAML on use only

        return iso_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def print_diagnostics(err: GovrulesError, stream: TextIO) -> None:
    """One line per diagnostic: ``file:line:col: code: message (hint)``."""
    for diagnostic in err.diagnostics:
        print(printable_line(str(diagnostic)), file=stream)


def add_output_options(parser: argparse.ArgumentParser, *, formats: Sequence[str] | None,
                       default: str = "text", output: bool = True) -> None:
    """The flags every printing subcommand shares: ``--format`` (when it has several),
    ``-o/--output``, ``-q/--quiet`` and ``--lang``."""
    if formats is not None:
        parser.add_argument("--format", choices=list(formats), default=default,
                            help=_("output format (default: {format})").format(format=default))
    if output:
        parser.add_argument("-o", "--output", metavar="FILE", help=_("write results here"))
    parser.add_argument("-q", "--quiet", action="store_true",
                        help=_("print only what is wrong: no summary line, no progress"))
    parser.add_argument("--lang", choices=["zh", "en"], default=None,
                        help=_("language of messages (default: GOVRULES_LANG, else the "
                        "locale; Chinese where the locale is Chinese)"))
