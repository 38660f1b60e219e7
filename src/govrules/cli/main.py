"""The ``govrules`` command line: assembles the subcommands in :mod:`govrules.cli`.

This is the only module that exits. Exit codes: 0 no failing violation, 1 failing
violations (see ``check --fail-on``), 2 bad input or bad policy, 3 an internal error.
Diagnostics go to stderr, results to stdout (or ``--output``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import stat
import sys

from govrules._version import __version__
from govrules.cli import SUBCOMMANDS, command_module

# ``govrules --version`` and ``--help`` end inside argparse: what only a run needs (the
# errors, messages, settings) is imported by it, and typing not at all.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence
    from typing import TextIO

__all__ = ["EXIT_BROKEN_PIPE", "atomic_output", "main"]


def _build(chosen: str | None = None, *, every: bool = True
           ) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser and each subcommand's. With ``every`` false only ``chosen`` is imported
    and given its options; the others are listed by name and help (``--help``)."""
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
    for name, _, summary in SUBCOMMANDS:
        if not every and name != chosen:
            children[name] = sub.add_parser(name, help=summary)
            continue
        command = command_module(name)
        child = sub.add_parser(command.NAME, help=command.HELP,
                               description=command.DESCRIPTION)
        command.add_arguments(child)
        child.set_defaults(run=command.run)
        children[command.NAME] = child
    return parser, children


def _chosen(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names (the first word that is not a global option)."""
    words = iter(argv)
    for word in words:
        if word == "--config":
            next(words, None)
        elif not word.startswith("-"):
            return word if any(word == n for n, _, _ in SUBCOMMANDS) else None
    return None


def _parser() -> argparse.ArgumentParser:
    return _build()[0]


def _configure(args: argparse.Namespace, argv: Sequence[str]) -> None:
    """Options left at their defaults come from the settings file, if any (checked
    against every subcommand's options, so all are built then)."""
    if args.no_config:
        return
    # The settings module imports pydantic: not for --version, --help or a bare run.
    from govrules.cli.config import (  # noqa: PLC0415
        apply_config,
        check_keys,
        find_config,
        load_config,
    )

    named = args.config or os.environ.get("GOVRULES_CONFIG")
    from pathlib import Path  # noqa: PLC0415

    path = Path(named) if named else find_config()
    if path is None:
        return
    config = load_config(path)
    _, children = _build()
    check_keys(config, children)
    apply_config(args, children[args.command], config, args.command, argv)


def _in_language(run: Callable[[argparse.Namespace, TextIO], int],
                 args: argparse.Namespace, out: TextIO) -> int:
    """``run`` in the language ``--lang`` chose, then back to the environment's."""
    from govrules.base.i18n import set_language  # noqa: PLC0415

    try:
        return run(args, out)
    finally:
        set_language(None)


EXIT_BROKEN_PIPE = 128 + signal.SIGPIPE
"""Exit code when the reader of standard output went away: what a shell reports for a
process killed by SIGPIPE, so ``set -o pipefail`` sees the step fail."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    given = sys.argv[1:] if argv is None else list(argv)
    parser, _ = _build(_chosen(given), every=False)
    args = parser.parse_args(given)
    return _run(args, given)


def _run(args: argparse.Namespace, given: list[str]) -> int:
    import functools  # noqa: PLC0415 - imported by a run, not by --version or --help

    from govrules.base.errors import GovrulesError  # noqa: PLC0415
    from govrules.base.i18n import set_language  # noqa: PLC0415
    from govrules.base.printable import printable  # noqa: PLC0415
    from govrules.cli.common import (  # noqa: PLC0415
        EXIT_BAD_INPUT,
        EXIT_INTERNAL,
        print_diagnostics,
    )

    try:
        _configure(args, given)
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


@contextlib.contextmanager
def atomic_output(path: str) -> Iterator[TextIO]:
    """Write ``path`` all at once: into a temporary file in the same folder, renamed
    over ``path`` only when the command returns. A run that fails (a bad pack, an
    interrupt, a crash) leaves an existing file as it was.

    A path that exists and is not a regular file (``/dev/stdout``, ``/dev/full``, a
    pipe) is written directly: there is nothing to replace.
    """
    try:
        info: os.stat_result | None = os.stat(path)
    except OSError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        with open(path, "w", encoding="utf-8") as direct:
            yield direct
        return
    import tempfile  # noqa: PLC0415 - not on the path of --version and --help

    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.",
                                     suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode) if info is not None else _default_mode())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _default_mode() -> int:
    """The mode a newly created file gets under the current umask."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
