"""Problems found in one expression, before they become diagnostics.

The lexer, parser and compiler work on character offsets inside the expression text;
only at the end does an ``origin`` function turn an offset into a file position
(``policies/guiyang.yaml:41:17``). A :class:`Problem` is that offset-based form.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from govrules.base.diagnose import did_you_mean
from govrules.base.errors import Diagnostic, ExpressionError
from govrules.base.location import Span

__all__ = ["Origin", "Problem", "default_origin", "did_you_mean", "raise_problems"]

Origin = Callable[[int], Span]
"""Maps a character offset inside an expression to a place in its source file."""


def default_origin(offset: int) -> Span:
    """The place of ``offset`` in an expression that has no file: ``<expr>:1:<col>``."""
    return Span("<expr>", 1, offset + 1)


class Problem(Exception):  # noqa: N818 - an internal signal, not part of the error tree
    """One problem at one character offset; raised by the lexer and the parser."""

    def __init__(self, code: str, message: str, offset: int, hint: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.offset = offset
        self.hint = hint

    def diagnostic(self, origin: Origin) -> Diagnostic:
        return Diagnostic(self.code, self.message, origin(self.offset), hint=self.hint)


def raise_problems(problems: Iterable[Problem], origin: Origin) -> None:
    """Raise one :class:`ExpressionError` carrying every problem, if there are any."""
    diagnostics = [p.diagnostic(origin) for p in problems]
    if diagnostics:
        raise ExpressionError(diagnostics)


