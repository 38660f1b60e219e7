"""Whether a regulation was in force, and binding, on a given date.

This is the text's standing on one day (``as_of``, or the day of a rule's conduct: see
:mod:`govrules.engine.decide`). A draft is never binding. A text not yet effective, expired or
repealed on a day governs no conduct of that day. A text whose effective date the source
does not state is taken as in force, with a warning that says so (never silently), but
never before ``not_before`` when the source proves it cannot be older.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from govrules.model.pack_format import Metadata

__all__ = ["Validity", "validity_on"]


@dataclass(frozen=True, slots=True)
class Validity:
    in_force: bool
    binding: bool
    text: str
    warnings: tuple[tuple[str, str], ...]


def validity_on(meta: Metadata, as_of: date) -> Validity:
    """The pack's standing on ``as_of``: in force, binding, why, and warnings."""
    if meta.status == "draft":
        period = meta.comment_period
        window = f" (public comment {period.start} to {period.end})" if period else ""
        text = f"DRAFT for public comment{window}: not law, findings are not binding"
        return Validity(False, False, text, (("pack-draft", text),))
    if meta.effective is not None and as_of < meta.effective:
        text = f"not yet in force on {as_of}: takes effect {meta.effective}"
        return Validity(False, False, text, (("pack-not-yet-in-force", text),))
    if meta.expires is not None and as_of > meta.expires:
        text = (f"not in force on {as_of}: valid {meta.effective or '?'} to {meta.expires} "
                "(expired); it governs only conduct up to its last day, and breaches "
                "committed while it was in force still bind")
        return Validity(False, False, text, (("pack-expired", text),))
    if meta.repealed is not None and as_of >= meta.repealed:
        text = f"repealed on {meta.repealed}: not in force on {as_of}; findings are not binding"
        return Validity(False, False, text, (("pack-repealed", text),))
    if meta.status in ("expired", "repealed") and meta.expires is None and meta.repealed is None:
        text = f"marked {meta.status} with no date: treated as not in force on {as_of}"
        return Validity(False, False, text, (("pack-not-in-force", text),))
    if meta.effective is None and meta.not_before is not None and as_of < meta.not_before:
        why = f" ({meta.not_before_reason.en})" if meta.not_before_reason else ""
        text = (f"not in force on {as_of}: the text cannot be older than {meta.not_before}"
                f"{why}; findings are not binding")
        return Validity(False, False, text, (("pack-predates-text", text),))
    if meta.effective is None:
        text = ("in force (the source does not state the date it took effect; "
                "it is taken as in force on every date)")
        return Validity(True, True, text, (("pack-effective-date-unknown", text),))
    until = f" to {meta.expires}" if meta.expires else ""
    return Validity(True, True, f"in force on {as_of} (effective {meta.effective}{until})", ())
