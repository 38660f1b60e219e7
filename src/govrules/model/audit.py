"""The audit parts of a report: the receipt, declared encoding gaps, the query plan.

These are plain frozen pydantic values with no dependency on the engine, so the report
model can carry them and :mod:`govrules.engine.receipt`, :mod:`govrules.tools.replay` and
:mod:`govrules.engine.queryplan` can build and read them from a finished report.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "REPORT_SCHEMA_VERSION",
    "Bilingual",
    "CalendarUse",
    "CalendarYearUse",
    "FactOutcome",
    "GapRef",
    "LoadedPack",
    "NoticeRef",
    "QueryDecision",
    "QueryItem",
    "Receipt",
    "SnapshotRef",
]

REPORT_SCHEMA_VERSION = "govrules-report/2"
"""The version of the report's JSON shape, recorded in every receipt."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class _Bilingual(_Frozen):
    zh: str
    en: str


Bilingual = _Bilingual
"""A text in Chinese and English (public name; the schema keeps the model's own)."""


class NoticeRef(_Frozen):
    """An official notice a calendar year (or day) comes from."""

    title: str
    doc_number: str | None = None
    issued: date | None = None
    url: str | None = None
    note: str | None = None


class CalendarYearUse(_Frozen):
    """One calendar year an evaluation consulted, and what its data was."""

    year: int
    official: bool = Field(description="False: no data, Monday-Friday assumed.")
    sha256: str | None = Field(None, description="Hash of the year's days off and make-up "
                               "working days.")
    notice: NoticeRef | None = None


class CalendarUse(_Frozen):
    """The working-day calendar a report was made with."""

    version: str
    sources: list[str] = Field(default_factory=list,
                               description="builtin and the extra calendar files, in order.")
    years: list[CalendarYearUse] = Field(default_factory=list)
    years_without_data: list[int] | None = Field(
        None, description="When more than ten years without calendar data were consulted: "
        "[first, last, count] instead of one entry each (Monday to Friday assumed).")


class LoadedPack(_Frozen):
    """A pack or amendment file loaded to build the report's pack."""

    id: str
    kind: Literal["pack", "amendment"]
    version: str | None
    sha256: str | None
    source: str | None = Field(None, description="builtin:<id>, or the file path.")
    doc_number: str | None = None
    status: str | None = None
    effective: date | None = None
    expires: date | None = None
    repealed: date | None = None


class SnapshotRef(_Frozen):
    """The snapshot as read."""

    id: str | None
    source: str | None = Field(None, description="The file it was read from.")
    record: str | None = Field(None, description="file:line of a record in a stream.")
    sha256: str | None = Field(None, description="sha256 of the bytes read (null when the "
                               "snapshot was given as data).")
    canonical_sha256: str = Field(description="sha256 of the parsed snapshot as canonical "
                                  "JSON: the same facts give the same hash.")


class Receipt(_Frozen):
    """Everything needed to replay a report and to tell what changed since."""

    engine_version: str
    report_schema: str = REPORT_SCHEMA_VERSION
    as_of: date
    options: dict[str, Any] = Field(default_factory=dict)
    pack_sha256: str = Field(description="The report's pack (amendments merged).")
    packs: list[LoadedPack]
    calendar: CalendarUse
    presumptions: list[Any] = Field(default_factory=list)
    snapshot: SnapshotRef
    outcome_sha256: str = Field(description="sha256 of the findings and next steps.")


class GapRef(_Frozen):
    """A declared encoding gap of the article a finding cites."""

    extent: Literal["none", "partial"]
    reason: _Bilingual
    article: int
    item: str | int | None = None
    accepted: dict[str, Any] | None = None


class FactOutcome(_Frozen):
    """What a finding becomes if the fact has this value (the other facts as they are)."""

    value: Any
    status: Literal["violated", "satisfied", "not_applicable", "undetermined"]


class QueryDecision(_Frozen):
    """One undetermined finding a missing fact bears on."""

    rule: str
    severity: str
    binding: bool
    decisive: bool = Field(description="Some value of the fact alone decides the finding.")
    outcomes: list[FactOutcome] = Field(
        default_factory=list, exclude_if=lambda v: not v,
        description="The status each candidate value gives (left out when none does).")


class QueryItem(_Frozen):
    """A fact to supply, ranked by how much of the outcome it can still change."""

    rank: int
    fact: str
    score: float
    decides: list[QueryDecision]
    text: _Bilingual
