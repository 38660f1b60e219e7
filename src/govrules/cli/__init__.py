"""One module per ``govrules`` subcommand.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args, out) -> int``; :mod:`govrules.cli.main` assembles them. Subcommands call the
library, pick a formatter and return an exit code; only :mod:`govrules.cli.main` exits.

:data:`SUBCOMMANDS` names each subcommand, its module and its one-line help, so that
``govrules --help`` and ``govrules --version`` import none of them, and a run imports
only the one it runs (a test checks the table against the modules).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType

__all__ = ["COMMANDS", "SUBCOMMANDS", "command_module", "commands"]

SUBCOMMANDS: tuple[tuple[str, str, str], ...] = (
    ("check", "check", "check project snapshots against policy packs"),
    ("compare", "compare", "compare one project's obligations across cities"),
    ("schema", "schema", "print a JSON Schema (snapshot, pack, report or record)"),
    ("packs", "packs", "list the built-in packs"),
    ("show", "show", "summarise a pack, or print it resolved (amendments applied) as YAML"),
    ("lint", "lint", "check policy packs for mistakes, without a snapshot"),
    ("test", "test", "run packs' examples and test files, with coverage"),
    ("explain", "explain", "show how a rule's finding on a snapshot was reached"),
    ("docs", "docs", "document a pack (PACK), or generate docs/packs/*.md and "
     "docs/pack-reference.md"),
    ("new-pack", "new_pack", "write a skeleton pack (optionally with the articles of a "
     "regulation's text)"),
    ("impact", "impact", "compare two versions of a pack over a corpus of snapshots"),
    ("serve", "serve", "run the HTTP API and web page (needs the `service` extra)"),
    ("portfolio", "portfolio", "keep projects and their evaluations; what is due, overdue, "
     "what changed"),
    ("fmt", "fmt", "put pack files in canonical form (key order, indentation), keeping "
     "comments"),
    ("completion", "completion", "print a shell completion script (bash, zsh or fish)"),
    ("replay", "replay", "re-evaluate a JSON report from its receipt and say what changed"),
    ("plan", "plan", "rank the facts still missing by how many findings each would decide"),
)
"""(name, module in :mod:`govrules.cli`, one-line help), in the order ``--help`` lists."""


def command_module(name: str) -> ModuleType:
    """The module of the subcommand ``name`` (imported on first use)."""
    import importlib  # noqa: PLC0415 - not on the path of --version

    module = next(m for n, m, _ in SUBCOMMANDS if n == name)
    return importlib.import_module(f"govrules.cli.{module}")


def commands() -> tuple[ModuleType, ...]:
    """Every subcommand's module, in the order of :data:`SUBCOMMANDS`."""
    return tuple(command_module(name) for name, _, _ in SUBCOMMANDS)


def __getattr__(name: str) -> object:
    if name == "COMMANDS":
        return commands()
    raise AttributeError(f"module 'govrules.cli' has no attribute {name!r}")
