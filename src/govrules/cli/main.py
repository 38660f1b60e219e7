"""The ``govrules`` command line: assembles the subcommands in :mod:`govrules.cli`.

This is the only module that exits. Exit codes: 0 no failing violation, 1 failing
violations (see ``check --fail-on``), 2 bad input or bad policy, 3 an internal error.
Diagnostics go to stderr, results to stdout (or ``--output``).
"""

from __future__ import annotations

import os
import sys

from govrules._version import __version__
from govrules.base.i18n import _, set_language

# ``govrules --version`` prints the version before anything else is imported, and
# ``--help`` ends inside argparse: what only a run needs (the errors, settings, the
# subcommand) is imported by it, and typing not at all.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    import contextlib
    from collections.abc import Callable, Sequence
    from typing import TextIO

__all__ = ["EXIT_BROKEN_PIPE", "EXIT_INTERRUPTED", "atomic_output", "main"]


def _build(chosen: str | None = None, *, every: bool = True
           ) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser and each subcommand's (:func:`govrules.cli._parser.build`)."""
    from govrules.cli._parser import build  # noqa: PLC0415 - not on the path of --version

    return build(chosen, every=every)


def _parser() -> argparse.ArgumentParser:
    return _build()[0]


def _configure(args: argparse.Namespace, argv: Sequence[str]) -> None:
    """Options left at their defaults come from the settings file, if any (checked
    against every subcommand's options, so all are built then)."""
    if args.no_config:
        return
    from pathlib import Path  # noqa: PLC0415 - not on the path of --version and --help

    from govrules.cli.config import (  # noqa: PLC0415
        apply_config,
        check_keys,
        find_config,
        load_config,
    )

    named = args.config or os.environ.get("GOVRULES_CONFIG")
    path = Path(named) if named else find_config()
    if path is None:
        return
    config = load_config(path)
    children = _build()[1]
    check_keys(config, children)
    apply_config(args, children[args.command], config, args.command, argv)


def _in_language(run: Callable[[argparse.Namespace, TextIO], int],
                 args: argparse.Namespace, out: TextIO) -> int:
    """``run`` in the language ``--lang`` chose, then back to the environment's."""
    try:
        return run(args, out)
    finally:
        set_language(None)


EXIT_BROKEN_PIPE = 128 + 13
"""Exit code when the reader of standard output went away: what a shell reports for a
process killed by SIGPIPE (signal 13 on Linux and macOS; a test checks it against
:mod:`signal`, which is not imported here: it costs ``--version`` a tenth of its time),
so ``set -o pipefail`` sees the step fail."""


def _lang_named(argv: Sequence[str]) -> str | None:
    """The ``--lang`` of the command line, read before the parser is built so that its
    help texts are in that language."""
    for i, word in enumerate(argv):
        if word == "--":
            break
        if word.startswith("--lang="):
            return word.partition("=")[2]
        if word == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    words = sys.argv[1:] if argv is None else list(argv)
    if words == ["--version"]:  # what argparse would print, without building it
        print(f"govrules {__version__}")
        return 0
    try:
        return _parse_and_run(words)
    except KeyboardInterrupt:  # while starting (imports, the parser): no traceback
        return EXIT_INTERRUPTED


EXIT_INTERRUPTED = 130
"""Exit code of a run stopped by Ctrl-C (SIGINT), as a shell reports it."""


def _parse_and_run(words: list[str]) -> int:
    from govrules.cli._parser import chosen  # noqa: PLC0415 - not on the path of --version

    named = _lang_named(words)
    if named in ("zh", "en"):
        set_language(named)
    try:
        parser, _children = _build(chosen(words), every=False)
        args = parser.parse_args(words)
    finally:
        if named in ("zh", "en"):
            set_language(None)
    # Ctrl-C noted from here on (signal is not imported by --version or --help)
    from govrules.base.interrupts import Interrupts  # noqa: PLC0415

    with Interrupts():
        return _run(args, words)


def _run(args: argparse.Namespace, words: list[str]) -> int:
    import functools  # noqa: PLC0415 - imported by a run, not by --version or --help

    from govrules.base.errors import GovrulesError  # noqa: PLC0415
    from govrules.base.printable import printable  # noqa: PLC0415
    from govrules.cli.common import (  # noqa: PLC0415
        EXIT_BAD_INPUT,
        EXIT_INTERNAL,
        print_diagnostics,
    )

    try:
        _configure(args, words)
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
            print(_("govrules: standard output is closed; use -o FILE"), file=sys.stderr)
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
        print(_("{file}: cannot write: {reason}").format(file=name, reason=err.strerror),
              file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as err:  # last resort: a user never sees a traceback
        from govrules.base.interrupts import interrupted  # noqa: PLC0415

        if interrupted():  # Ctrl-C landed in a library's callback, which wrapped it
            return EXIT_INTERRUPTED
        if os.environ.get("GOVRULES_DEBUG"):
            raise
        print(_("govrules: internal error: {kind}: {reason} (set GOVRULES_DEBUG=1 for "
                "details)").format(kind=type(err).__name__, reason=printable(str(err))),
              file=sys.stderr)
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
    from govrules.base.files import atomic_write  # noqa: PLC0415 - not on the path of --version

    return atomic_write(path)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
