"""The argument parser of the ``govrules`` command line (imported by a run or ``--help``,
not by ``--version``): its texts in the chosen language, and the subcommands assembled."""

from __future__ import annotations

import argparse
import sys

from govrules._version import __version__
from govrules.base.i18n import _
from govrules.cli import SUBCOMMANDS, command_module

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any, NoReturn

__all__ = ["build", "chosen"]


class _Formatter(argparse.HelpFormatter):
    """argparse's help, with its own words (``usage:``) in the chosen language."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup],
                  prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose headings, ``-h`` help and error line are in the chosen
    language (the parser's texts are translated when it is built; see :func:`main`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = _("positional arguments")
        self._optionals.title = _("options")
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = _("show this help message and exit")

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
