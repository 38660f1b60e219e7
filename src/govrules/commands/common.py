"""What several subcommands share: exit codes, dates, diagnostics output."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TextIO

from govrules.errors import GovrulesError
from govrules.printable import printable_line
from govrules.source import iso_day

__all__ = ["EXIT_BAD_INPUT", "EXIT_INTERNAL", "EXIT_OK", "EXIT_VIOLATIONS", "iso_date",
           "print_diagnostics"]

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def iso_date(text: str) -> date:
    """argparse type for ``YYYY-MM-DD`` (exactly that form)."""
    try:
        return iso_day(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def print_diagnostics(err: GovrulesError, stream: TextIO) -> None:
    """One line per diagnostic: ``file:line:col: code: message (hint)``."""
    for diagnostic in err.diagnostics:
        print(printable_line(str(diagnostic)), file=stream)
