"""One module per ``govrules`` subcommand.

Each module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args, out) -> int``; :mod:`govrules.cli.main` assembles them. Subcommands call the
library, pick a formatter and return an exit code; only :mod:`govrules.cli.main` exits.
"""

from __future__ import annotations

from types import ModuleType

from govrules.cli import (
    check,
    compare,
    completion,
    docs,
    explain,
    fmt,
    impact,
    lint,
    new_pack,
    packs,
    plan,
    portfolio,
    replay,
    schema,
    serve,
    show,
    test,
)

__all__ = ["COMMANDS"]

COMMANDS: tuple[ModuleType, ...] = (check, compare, schema, packs, show, lint, test, explain,
                                      docs, new_pack, impact, serve, portfolio, fmt,
                                      completion, replay, plan)
