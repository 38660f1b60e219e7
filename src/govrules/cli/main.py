"""The ``govrules`` command line: assembles the subcommands in :mod:`govrules.cli`.

This is the only module that exits. Exit codes: 0 no failing violation, 1 failing
violations (see ``check --fail-on``), 2 bad input or bad policy, 3 an internal error.
Diagnostics go to stderr, results to stdout (or ``--output``).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from govrules._version import __version__
from govrules.base.errors import GovrulesError
from govrules.base.files import atomic_write
from govrules.base.i18n import set_language
from govrules.base.printable import printable
from govrules.cli import COMMANDS
from govrules.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    print_diagnostics,
)
from govrules.cli.config import apply_config, check_keys, find_config, load_config

__all__ = ["EXIT_BROKEN_PIPE", "atomic_output", "main"]


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


EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE
"""Exit code when the reader of standard output went away: what a shell reports for a
process killed by SIGPIPE, so ``set -o pipefail`` sees the step fail."""


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
            with atomic_output(output) as out:
                return int(args.run(args, out))
        if sys.stdout is None:  # started with standard output closed (`>&-`)
            print("govrules: standard output is closed; use -o FILE "
                  "/ 标准输出已关闭,请使用 -o FILE", file=sys.stderr)
            return EXIT_BAD_INPUT
        code = int(args.run(args, sys.stdout))
        sys.stdout.flush()  # a broken pipe shows here, not at interpreter exit
        return code
    except GovrulesError as err:
        print_diagnostics(err, sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader went away (`govrules check ... | head`): stop quietly, but do not
        # report success: not every result was delivered.
        _discard_stdout()
        return EXIT_BROKEN_PIPE
    except OSError as err:
        name = printable(str(err.filename or output))
        print(f"{name}: cannot write: {err.strerror} / 无法写入", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as err:  # last resort: a user never sees a traceback
        if os.environ.get("GOVRULES_DEBUG"):
            raise
        print(f"govrules: internal error: {type(err).__name__}: {printable(str(err))} "
              "(set GOVRULES_DEBUG=1 for details) / 内部错误", file=sys.stderr)
        return EXIT_INTERNAL


def _discard_stdout() -> None:
    """Point standard output at the null device, so that flushing it at exit cannot
    raise a second BrokenPipeError."""
    if sys.stdout is None:
        return
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError):
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    os.close(null)


def atomic_output(path: str) -> contextlib.AbstractContextManager[TextIO]:
    """Write ``path`` all at once (:func:`govrules.base.files.atomic_write`): renamed over
    ``path`` only when the command returns, so a run that fails (a bad pack, an interrupt,
    a crash) leaves an existing file as it was."""
    return atomic_write(path)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
