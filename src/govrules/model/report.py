"""The report: findings, next steps and provenance for one snapshot under one pack.

Field names follow the SPEC's report contract; ``Report.model_dump(mode="json")`` is the
JSON form every interface emits. Reports are frozen values: a rendering never changes
them, and they round-trip through JSON.

In the JSON form, the texts that describe an article (its title and English summary)
appear once per report, in ``articles`` (keyed ``pack.number``), instead of in every
finding and next step that cites it; findings and steps keep the pack, number, label,
item, chapter and verbatim quote. Reading the JSON puts them back, so the Python objects are the
same either way.

The *line* form (:meth:`Report.to_line_json`, ``detail: "line"``), what ``govrules check
--format jsonl`` prints by default, is described in :mod:`govrules.model._report_forms`.
"""

from __future__ import annotations

import datetime
from datetime import date
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    field_serializer,
    model_serializer,
    model_validator,
)

from govrules.model._report_forms import (
    LINE_LEAVES_OUT,
    complete_receipt,
    line_context,
    line_exclude,
    line_of,
    moved,
    restored,
    said_once,
    table_of,
)
from govrules.model._report_info import MissingFact, PackInfo, Provenance, ReportWarning
from govrules.model.audit import GapRef, QueryItem, Receipt

__all__ = [
    "LINE_LEAVES_OUT",
    "ArticleRef",
    "ArticleTexts",
    "ClauseRef",
    "CombinedReport",
    "Conduct",
    "Detail",
    "Finding",
    "FindingStatus",
    "MissingFact",
    "NextStep",
    "PackInfo",
    "Presumption",
    "Provenance",
    "Report",
    "ReportWarning",
    "RuleVersion",
    "Text",
    "Verdict",
    "complete_receipt",
]

FindingStatus = Literal["violated", "satisfied", "undetermined", "not_applicable", "waived"]
Verdict = Literal["compliant", "non_compliant", "undetermined", "not_applicable"]
Severity = Literal["error", "warning", "info"]
Detail = Literal["line", "full"]
"""A report's form: the line form (:meth:`Report.to_line_json`) or the full one."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


def _none(value: object) -> bool:
    return value is None


def _empty(value: object) -> bool:
    return not value


class Text(_Frozen):
    """Chinese and English text."""

    zh: str
    en: str


_IN_CITES = "govrules.in_cites"
_UNDATED = ("effective", "repealed", "amended_by")


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

    @model_serializer(mode="wrap")
    def _said_once(self, handler: SerializerFunctionWrapHandler,
                   info: SerializationInfo) -> Any:
        """In a report's dump, the title and summary (and a reason's full text) go to its
        ``articles`` table, once; a text that differs from the table's (another version)
        stays here."""
        data = handler(self)
        table = table_of(info.context)
        if table is None or not isinstance(data, dict):
            return data
        in_cites = bool(info.context.get(_IN_CITES)) if isinstance(info.context, dict) else False
        entry = table.setdefault(f"{self.pack}.{self.number}", {})
        # The line form has no table: a reason's full text stays in its citation.
        names = moved("cites" if in_cites and not line_of(info.context) else "article")
        for name, there in names:
            if name not in data:
                continue
            if data[name] is None:
                del data[name]  # the default: reading puts it back
            elif entry.setdefault(there, data[name]) == data[name]:
                del data[name]
        for name in _UNDATED:  # null unless the citation is of a dated version
            if name in data and data[name] is None:
                del data[name]
        return data


class RecordedExceptionRef(_Frozen):
    """The recorded exception that waived an in-principle rule."""

    index: int = Field(description="Position in the snapshot's exceptions list.")
    reason: str | None = None
    approved_by: list[str] = Field(default_factory=list)
    approved_on: date | None = None
    reference: str | None = None


class Conduct(_Frozen):
    """The conduct a finding judges: its date and the fact it was read from."""

    date: datetime.date | None = Field(description="The day of the conduct; null when "
                                       "unknown.")
    fact: str = Field(description="Where the date comes from, e.g. contract.signed_on, "
                      "as_of (the state on the check date) or a period's end.")


class RuleVersion(_Frozen):
    """The version that governed a finding: the pack's, and the rule's when dated."""

    pack: str = Field(description="The pack version.")
    effective: date | None = Field(None, exclude_if=_none,
                                   description="First day of the rule version.")
    repealed: date | None = Field(None, exclude_if=_none,
                                  description="First day it no longer applies.")
    amended_by: str | None = Field(None, exclude_if=_none,
                                   description="The amendment that introduced it.")


class ClauseRef(_Frozen):
    """An exception clause of a pack, as a presumption cites it."""

    id: str = Field(description="The exception's id.")
    pack: str
    article: int = Field(description="The article number.")
    label: str
    item: str | int | None = None
    quote: str


class Presumption(_Frozen):
    """An exception the record is silent on, presumed not to apply."""

    fact: str = Field(description="The fact the record does not give.")
    presumed: Any = Field(description="The value presumed (the exception does not apply).")
    clause: ClauseRef = Field(description="The exception clause presumed not to apply.")
    rules: list[str] = Field(description="The rules whose findings rest on the presumption.")


class Finding(_Frozen):
    """One rule's outcome on one snapshot.

    The keys after ``missing`` are left out of the JSON form when null, false or empty
    (``binding``, ``version``, ``conduct`` and ``title`` always written); reading a report
    puts their defaults back.
    """

    rule: str
    status: FindingStatus
    severity: Severity
    article: ArticleRef
    message: Text
    facts: dict[str, Any] = Field(default_factory=dict)
    missing: list[str] = Field(default_factory=list)
    in_principle: bool = Field(False, exclude_if=_empty)
    exception: RecordedExceptionRef | None = Field(None, exclude_if=_none)
    consequence: Text | None = Field(None, exclude_if=_none)
    due: date | None = Field(None, exclude_if=_none)
    details: dict[str, Any] = Field(default_factory=dict, exclude_if=_empty)
    binding: bool = Field(True, description="Whether the finding binds: the text (and rule "
                          "version) was law on the day of the conduct, and is no draft.")
    version: RuleVersion | None = Field(None, description="The version that governed.")
    conduct: Conduct | None = Field(None, description="The conduct judged, when dated.")
    title: Text | None = Field(None, description="The rule's short title.")
    interpretations: list[str] = Field(
        default_factory=list, exclude_if=_empty,
        description="Interpretation-register ids the rule rests on.")
    reason: Text | None = Field(
        None, exclude_if=_none,
        description="Why the finding is not applicable (validity, exception, version).")
    cites: ArticleRef | None = Field(
        None, exclude_if=_none, description="The article the reason rests on (the validity "
        "article or the exception clause).")
    presumed: list[str] = Field(
        default_factory=list, exclude_if=_empty,
        description="Ids of the exceptions presumed not to apply.")
    gap: GapRef | None = Field(None, exclude_if=_none, description="The article is only "
                               "partly encoded: what the pack does not check, and why.")

    @field_serializer("cites", mode="wrap")
    def _cites(self, value: ArticleRef | None, handler: SerializerFunctionWrapHandler,
               info: SerializationInfo) -> Any:
        context = info.context
        if not isinstance(context, dict) or value is None:
            return handler(value)
        context[_IN_CITES] = True
        try:
            return handler(value)
        finally:
            context[_IN_CITES] = False


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
        None, exclude_if=_none, description="How the due date was counted (start day "
        "excluded, the holidays and make-up working days that moved it, the notices, the "
        "rule).")


class ArticleTexts(_Frozen):
    """What describes one article, once per report (JSON ``articles``)."""

    title: str | None = Field(None, description="The article's heading, if it has one.")
    summary: str | None = Field(None, description="English summary of the article.")
    text: str | None = Field(None, description="The article's full text, when a reason "
                             "cites it (e.g. the validity article).")


class Report(_Frozen):
    """The result of checking one snapshot against one pack.

    ``pack.binding`` says whether the text binds on ``as_of``; ``binding`` whether the
    report's violations bind (a breach committed while the text was in force binds after
    it lapsed); ``binding_verdict`` is the verdict over binding findings only.
    """

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
    presumptions: list[Presumption] = Field(default_factory=list)
    binding_verdict: Verdict | None = Field(
        None, description="The verdict counting binding findings only.")
    query_plan: list[QueryItem] = Field(
        default_factory=list, description="Missing facts ranked by how much they can still "
        "change the outcome.")
    receipt: Receipt | None = Field(None, description="What the report was made from, to "
                                    "replay it (govrules replay).")
    articles: dict[str, ArticleTexts] = Field(
        default_factory=dict, description="The title and English summary of each article "
        "the findings and next steps cite, and the full text of an article a reason cites, "
        "keyed pack.number, once per report (the citations keep pack, number, label, item, "
        "chapter and the verbatim quote). Filled in the JSON form; reading it puts the "
        "texts back into each citation.")

    detail: Detail = Field(
        "full", exclude_if=lambda value: value == "full",
        description="line: the line form (to_line_json), which leaves out the articles "
        "table, the query plan and the explanations; absent in the full form.")

    @model_validator(mode="before")
    @classmethod
    def _put_back(cls, data: Any) -> Any:
        if isinstance(data, dict) and ("articles" in data or data.get("detail") == "line"):
            return restored(data)
        return data

    @field_serializer("articles")
    def _table(self, value: dict[str, ArticleTexts], info: SerializationInfo) -> Any:
        """The texts this report's citations left here (then the table starts anew, for
        the next report of a combined one)."""
        table = table_of(info.context)
        if table is None:
            return {k: v.model_dump(mode=info.mode) for k, v in value.items()}
        out = dict(table)
        table.clear()
        return out

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        return super().model_dump(**said_once(kwargs))

    def model_dump_json(self, **kwargs: Any) -> str:
        return super().model_dump_json(**said_once(kwargs))

    def to_json_dict(self) -> dict[str, Any]:
        """The JSON form (the SPEC's report contract)."""
        return self.model_dump(mode="json")

    def to_line_json(self, *, indent: int | None = None) -> str:
        """The line form as JSON text (see the module): the report contract's keys, the
        findings with their quotes, the next steps, the presumptions, missing facts,
        provenance and receipt, without the full form's tables and explanations."""
        line = self.model_copy(update={"detail": "line"})
        return super(Report, line).model_dump_json(indent=indent, context=line_context(),
                                                   exclude=line_exclude(self))


class CombinedReport(_Frozen):
    """One snapshot checked against several packs (``--city all``)."""

    govrules_version: str
    snapshot_id: str | None
    as_of: date
    verdict: Verdict
    binding_verdict: Verdict
    reports: list[Report]

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        return super().model_dump(**said_once(kwargs))

    def model_dump_json(self, **kwargs: Any) -> str:
        return super().model_dump_json(**said_once(kwargs))

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def to_line_json(self, *, indent: int | None = None) -> str:
        """The line form of each report (see :meth:`Report.to_line_json`)."""
        line = self.model_copy(update={"reports": [
            r.model_copy(update={"detail": "line"}) for r in self.reports]})
        return super(CombinedReport, line).model_dump_json(
            indent=indent, context=line_context(),
            exclude={"reports": {i: line_exclude(r) for i, r in enumerate(self.reports)}})
