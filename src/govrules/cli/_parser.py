"""The argument parser of the ``govrules`` command line (imported by a run or ``--help``,
not by ``--version``): its texts in the chosen language, and the subcommands assembled."""

from __future__ import annotations

import argparse
import sys

from govrules._version import __version__
from govrules.base.i18n import N_, _, ngettext
from govrules.cli import SUBCOMMANDS, command_module

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import NoReturn

__all__ = ["ARGPARSE_WORDS", "build", "chosen"]


ARGPARSE_WORDS = (
    N_("usage: "), N_("positional arguments"), N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("expected one argument"), N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("not allowed with argument %s"), N_("ignored explicit argument %r"),
    N_("unexpected option string: %s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)
"""The words argparse says to a person (its headings and its errors), in the catalog so
that a Chinese run says them in Chinese. Those it says to a programmer (a parser built
wrongly) stay English, and so does ``expected %s arguments`` (``nargs=N``, which no
option of govrules has)."""

# argparse looks up its module's ``_`` and ``ngettext`` at each call: pointed at the
# catalog's, its words follow ``--lang``, and a run no longer searches the file system for
# a catalog of gettext's default domain at each of them (54 searches for ``--help``).
setattr(argparse, "_", _)  # noqa: B010 - argparse's names, not in its typed interface
setattr(argparse, "ngettext", ngettext)  # noqa: B010


class _Parser(argparse.ArgumentParser):
    """An argument parser whose error line is in the chosen language (its headings, ``-h``
    help and errors are, through the catalog: see :data:`ARGPARSE_WORDS`)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, _("{prog}: error: {message}").format(prog=self.prog, message=message)
                  + "\n")


def build(chosen: str | None = None, *, every: bool = True
           ) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The parser and each subcommand's. With ``every`` false only ``chosen`` is imported
    and given its options; the others are listed by name and help (``--help``)."""
    parser = _Parser(
        prog="govrules",
        description=_("Check government IT projects against municipal regulations."),
    )
    parser.add_argument("--version", action="version", version=f"govrules {__version__}",
                        help=_("show the version and exit"))
    parser.add_argument("--config", metavar="FILE",
                        help=_("settings file (default: govrules.toml, else pyproject.toml's "
                        "[tool.govrules], in this folder or a parent; env GOVRULES_CONFIG)"))
    parser.add_argument("--no-config", action="store_true", help=_("ignore settings files"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    children: dict[str, argparse.ArgumentParser] = {}
    for name, _module, summary in SUBCOMMANDS:
        if not every and name != chosen:
            children[name] = sub.add_parser(name, help=_(summary))
            continue
        command = command_module(name)
        child = sub.add_parser(command.NAME, help=_(command.HELP),
                               description=_(command.DESCRIPTION))
        command.add_arguments(child)
        child.set_defaults(run=command.run)
        children[command.NAME] = child
    return parser, children


def chosen(argv: Sequence[str]) -> str | None:
    """The subcommand ``argv`` names (the first word that is not a global option)."""
    words = iter(argv)
    for word in words:
        if word == "--config":
            next(words, None)
        elif not word.startswith("-"):
            return word if any(word == n for n, _m, _h in SUBCOMMANDS) else None
    return None
