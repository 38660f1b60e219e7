"""The ``govrules`` command line: assembles the subcommands in :mod:`govrules.commands`.

This is the only module that exits. Exit codes: 0 no failing violation, 1 failing
violations (see ``check --fail-on``), 2 bad input or bad policy, 3 an internal error.
Diagnostics go to stderr, results to stdout (or ``--output``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from govrules._version import __version__
from govrules.commands import COMMANDS
from govrules.commands.common import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    print_diagnostics,
)
from govrules.errors import GovrulesError
from govrules.i18n import set_language

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="govrules",
        description="Check government IT projects against municipal regulations.",
    )
    parser.add_argument("--version", action="version", version=f"govrules {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        child = sub.add_parser(command.NAME, help=command.HELP,
                               description=command.DESCRIPTION)
        command.add_arguments(child)
        child.set_defaults(run=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    lang = getattr(args, "lang", None)
    if lang:  # worker processes read the variable
        set_language(lang)
        os.environ["GOVRULES_LANG"] = lang
    output = getattr(args, "output", None)
    try:
        if output:
            with open(output, "w", encoding="utf-8") as out:
                return int(args.run(args, out))
        return int(args.run(args, sys.stdout))
    except GovrulesError as err:
        print_diagnostics(err, sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (`govrules check ... | head`): stop quietly, as Unix tools do.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - stays open until exit
        return EXIT_OK
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
