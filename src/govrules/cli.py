"""The ``govrules`` command line: assembles the subcommands in :mod:`govrules.commands`.

This is the only module that exits. Exit codes: 0 no failing violation, 1 failing
violations (see ``check --fail-on``), 2 bad input or bad policy, 3 an internal error.
Diagnostics go to stderr, results to stdout (or ``--output``).
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from govrules._version import __version__
from govrules.commands import COMMANDS
from govrules.commands.common import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_OK,
    print_diagnostics,
)
from govrules.config import apply_config, check_keys, find_config, load_config
from govrules.errors import GovrulesError
from govrules.i18n import set_language

__all__ = ["main"]


def _build() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog="govrules",
        description="Check government IT projects against municipal regulations.",
    )
    parser.add_argument("--version", action="version", version=f"govrules {__version__}")
    parser.add_argument("--config", metavar="FILE",
                        help="settings file (default: govrules.toml, else pyproject.toml's "
                        "[tool.govrules], in this folder or a parent; env GOVRULES_CONFIG)")
    parser.add_argument("--no-config", action="store_true", help="ignore settings files")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    children: dict[str, argparse.ArgumentParser] = {}
    for command in COMMANDS:
        child = sub.add_parser(command.NAME, help=command.HELP,
                               description=command.DESCRIPTION)
        command.add_arguments(child)
        child.set_defaults(run=command.run)
        children[command.NAME] = child
    return parser, children


def _parser() -> argparse.ArgumentParser:
    return _build()[0]


def _configure(args: argparse.Namespace, children: dict[str, argparse.ArgumentParser],
               argv: Sequence[str]) -> None:
    """Options left at their defaults come from the settings file, if any."""
    if args.no_config:
        return
    named = args.config or os.environ.get("GOVRULES_CONFIG")
    path = Path(named) if named else find_config()
    if path is None:
        return
    config = load_config(path)
    check_keys(config, children)
    apply_config(args, children[args.command], config, args.command, argv)


def _in_language(run: Callable[[argparse.Namespace, TextIO], int],
                 args: argparse.Namespace, out: TextIO) -> int:
    """``run`` in the language ``--lang`` chose, then back to the environment's."""
    try:
        return run(args, out)
    finally:
        set_language(None)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser, children = _build()
    args = parser.parse_args(argv)
    try:
        _configure(args, children, sys.argv[1:] if argv is None else list(argv))
    except GovrulesError as err:
        print_diagnostics(err, sys.stderr)
        return EXIT_BAD_INPUT
    lang = getattr(args, "lang", None)
    if lang:  # for this run only (the command's worker processes get it from check)
        set_language(lang)
        args.run = functools.partial(_in_language, args.run)
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
