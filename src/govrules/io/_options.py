"""What a batch checks records against, and which reports fail the run (``--fail-on``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from govrules.model.report import Detail, Report

__all__ = ["CheckOptions", "fails"]


@dataclass(frozen=True)
class CheckOptions:
    """What to check records against, and what fails (picklable: sent to workers)."""

    cities: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()
    as_of: date | None = None
    calendars: tuple[str, ...] = ()
    include_all: bool = False
    backend: str = "native"
    fail_on: str = "error"
    fail_on_nonbinding: bool = False
    fail_on_undetermined: bool = False
    strict_presumptions: bool = False
    gaps: str = "warn"
    detail: Detail = "full"
    """``line`` when every output writes the line form only: the reports skip what only
    the full form shows (:func:`govrules.engine.evaluate.evaluate_pack`)."""


def fails(report: Report, fail_on: str, nonbinding: bool, undetermined: bool = False) -> bool:
    """Whether ``report`` should make the exit code 1 under ``--fail-on``; with
    ``undetermined`` (``--fail-on-undetermined``), an undetermined finding of those
    severities fails too (facts are missing)."""
    if fail_on == "never" or (not report.binding and not nonbinding):
        return False
    levels = {"error"} if fail_on == "error" else {"error", "warning"}
    statuses = {"violated", "undetermined"} if undetermined else {"violated"}
    return any(f.status in statuses and f.severity in levels for f in report.findings)
