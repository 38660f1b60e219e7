"""The report: findings, next steps and provenance for one snapshot under one pack.

Field names follow the SPEC's report contract; ``Report.model_dump(mode="json")`` is the
JSON form every interface emits. Reports are frozen values: a rendering never changes
them, and they round-trip through JSON.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from govrules.audit_model import GapRef, QueryItem, Receipt

__all__ = [
    "ArticleRef",
    "CombinedReport",
    "Finding",
    "FindingStatus",
    "MissingFact",
    "NextStep",
    "PackInfo",
    "Provenance",
    "Report",
    "ReportWarning",
    "Text",
    "Verdict",
]

FindingStatus = Literal["violated", "satisfied", "undetermined", "not_applicable", "waived"]
Verdict = Literal["compliant", "non_compliant", "undetermined", "not_applicable"]
Severity = Literal["error", "warning", "info"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(_Frozen):
    """Chinese and English text."""

    zh: str
    en: str


class ArticleRef(_Frozen):
    """The article a finding or step rests on; ``quote`` is verbatim from the source."""

    pack: str
    number: int
    label: str
    title: str | None = Field(None, description="Article heading, where the text has one.")
    item: str | int | None = None
    chapter: str | None = None
    quote: str | None = None
    summary: str | None = Field(None, description="English summary of the article.")
    effective: date | None = Field(
        None, description="First day the cited version of the article applies, when dated.")
    repealed: date | None = Field(
        None, description="First day the cited version no longer applies, when dated.")
    amended_by: str | None = Field(
        None, description="The amendment that introduced the cited version or rule.")


class RecordedExceptionRef(_Frozen):
    """The recorded exception that waived an in-principle rule."""

    index: int = Field(description="Position in the snapshot's exceptions list.")
    reason: str | None = None
    approved_by: list[str] = Field(default_factory=list)
    approved_on: date | None = None
    reference: str | None = None


class Finding(_Frozen):
    """One rule's outcome on one snapshot."""

    rule: str
    status: FindingStatus
    severity: Severity
    article: ArticleRef
    message: Text
    facts: dict[str, Any] = Field(default_factory=dict)
    missing: list[str] = Field(default_factory=list)
    in_principle: bool = False
    exception: RecordedExceptionRef | None = None
    consequence: Text | None = None
    due: date | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    gap: GapRef | None = Field(None, description="The article is only partly encoded: "
                               "what the pack does not check, and why.")


class NextStep(_Frozen):
    """An action the project must take, why, by whom, and by when."""

    action: str
    kind: Literal["remedial", "upcoming"]
    text: Text
    responsible: str | None
    recipient: str | None
    due: date | None
    overdue: bool | None
    article: ArticleRef
    because: list[str]
    due_explanation: dict[str, Any] | None = Field(
        None, description="How the due date was counted (start day excluded, the holidays "
        "and make-up working days that moved it, the notices, the rule).")


class PackInfo(_Frozen):
    """The pack a report was made with, and whether it bound on ``as_of``."""

    id: str
    title_zh: str
    title_en: str
    doc_number: str | None
    status: Literal["in_force", "draft", "expired", "repealed"]
    in_force_on_as_of: bool
    binding: bool
    effective: date | None
    expires: date | None
    validity: str
    version: str
    sha256: str


class Provenance(_Frozen):
    """Everything needed to replay a report exactly."""

    engine_version: str
    pack_id: str
    pack_version: str
    pack_sha256: str
    calendar_version: str
    backend: str = "native"


class ReportWarning(_Frozen):
    """Something the reader must know that is not a finding."""

    code: str
    message: str


class MissingFact(_Frozen):
    """A fact to supply, and the undetermined rules it would help decide."""

    fact: str
    decides: list[str]


class Report(_Frozen):
    """The result of checking one snapshot against one pack."""

    govrules_version: str
    snapshot_id: str | None
    as_of: date
    pack: PackInfo
    verdict: Verdict
    binding: bool
    findings: list[Finding]
    next_steps: list[NextStep]
    warnings: list[ReportWarning]
    missing_facts: list[MissingFact] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)
    provenance: Provenance
    query_plan: list[QueryItem] = Field(
        default_factory=list, description="Missing facts ranked by how much they can still "
        "change the outcome.")
    receipt: Receipt | None = Field(None, description="What the report was made from, to "
                                    "replay it (govrules replay).")

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON form (the SPEC's report contract)."""
        return self.model_dump(mode="json")


class CombinedReport(_Frozen):
    """One snapshot checked against several packs (``--city all``)."""

    govrules_version: str
    snapshot_id: str | None
    as_of: date
    verdict: Verdict
    binding_verdict: Verdict
    reports: list[Report]

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
