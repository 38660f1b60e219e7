"""The counts of a batch run: every record checked (with a verdict) or an error."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from govrules.io.batch import Piece

__all__ = ["Summary"]


@dataclass
class Summary:
    """Counts over a run: every record is checked (with a verdict) or an error."""

    records: int = 0
    checked: int = 0
    compliant: int = 0
    non_compliant: int = 0
    undetermined: int = 0
    not_applicable: int = 0
    errors: int = 0
    failing: int = 0
    internal: int = field(default=0, repr=False)

    def add(self, piece: Piece) -> None:
        self.records += 1
        if piece.verdict is None:
            self.errors += 1
            self.internal += piece.internal
            return
        self.checked += 1
        setattr(self, piece.verdict, getattr(self, piece.verdict) + 1)
        self.failing += piece.failing

    @property
    def exit_code(self) -> int:
        """3 internal error, 2 bad input, 1 failing violations, 0 otherwise."""
        if self.internal:
            return 3
        if self.errors:
            return 2
        return 1 if self.failing else 0

    def to_dict(self) -> dict[str, int]:
        return {"records": self.records, "checked": self.checked,
                "compliant": self.compliant, "non_compliant": self.non_compliant,
                "undetermined": self.undetermined, "not_applicable": self.not_applicable,
                "errors": self.errors, "failing": self.failing, "exit_code": self.exit_code}

    def line(self) -> str:
        """The one-line summary printed to stderr."""
        return (f"govrules: {self.records} record{'s' if self.records != 1 else ''}: "
                f"{self.checked} checked ({self.compliant} compliant, {self.non_compliant} "
                f"non-compliant, {self.undetermined} undetermined, {self.not_applicable} "
                f"not applicable), {self.errors} error{'s' if self.errors != 1 else ''}"
                f"; {self.failing} failing")
