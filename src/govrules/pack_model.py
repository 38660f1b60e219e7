"""The policy-pack file format: what an analyst writes in ``policies/<city>.yaml``.

These pydantic models are the single definition of the format: the loader validates
against them, ``govrules schema pack`` prints their JSON Schema, and the pack format
reference in ``docs/`` is generated from their field descriptions. Conditions are kept
as strings here; :mod:`govrules.pack` compiles them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "ArticleSpec",
    "BilingualText",
    "Deadline",
    "DerivedSpec",
    "ExampleSpec",
    "Metadata",
    "NextStepSpec",
    "NotCheckable",
    "PackFile",
    "Period",
    "Periodic",
    "RuleSpec",
    "ScopeSpec",
    "Status",
]

Status = Literal["in_force", "draft", "expired", "repealed"]
Severity = Literal["error", "warning", "info"]
Expr = Annotated[str, Field(min_length=1, description="A condition in the govrules language.")]

RULE_ID = re.compile(r"^[a-z][a-z0-9_]*\.[0-9]+(\.[0-9a-z]+)?\.[a-z0-9][a-z0-9-]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class BilingualText(_Strict):
    """A text in Chinese and English; both are required."""

    zh: str = Field(min_length=1, description="Chinese text.")
    en: str = Field(min_length=1, description="English text.")


class Superseded(_Strict):
    """A regulation this one repeals or replaces."""

    doc_number: str | None = Field(None, description="Document number, e.g. 饶府字〔2016〕51号.")
    title: str | None = Field(None, description="Title in Chinese.")
    issued: date | None = Field(None, description="Date the superseded text was issued.")


class CommentPeriod(_Strict):
    """The public-comment window of a draft."""

    start: date = Field(alias="from", description="First day of the comment period.")
    end: date = Field(alias="to", description="Last day of the comment period.")


class Metadata(_Strict):
    """Who issued the regulation, when, and whether it binds."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Pack id; prefix of every rule id.")
    version: str = Field(description="Version of this pack (not of the regulation).")
    city: BilingualText = Field(description="City name.")
    title: BilingualText = Field(description="Title of the regulation.")
    issuer: BilingualText = Field(description="Issuing authority.")
    doc_number: str | None = Field(None, description="Document number (发文字号), if known.")
    issued: date | None = Field(None, description="Date of issue (印发/成文日期).")
    effective: date | None = Field(
        None, description="First day in force; null when the source does not state it."
    )
    expires: date | None = Field(None, description="Last day in force (inclusive), if limited.")
    repealed: date | None = Field(None, description="Date the regulation was repealed.")
    status: Status = Field(description="Status of the regulation as published.")
    validity_note: str | None = Field(
        None, description="How the dates above were read from the source (cite the article)."
    )
    comment_period: CommentPeriod | None = Field(None, description="For drafts.")
    supersedes: list[Superseded] = Field(default_factory=list)
    source: str = Field(description="Source text file name under the seeds folder.")
    source_url: str | None = Field(None, description="Where the text was published.")

    @model_validator(mode="after")
    def _dates_in_order(self) -> Metadata:
        if self.effective and self.expires and self.expires < self.effective:
            raise ValueError("expires is before effective")
        if self.status == "draft" and self.comment_period is None:
            raise ValueError("a draft needs its comment_period")
        return self


class ArticleSpec(_Strict):
    """One article of the regulation, with its full verbatim text."""

    number: int = Field(ge=1, description="Article number (第N条).")
    label: str = Field(min_length=1, description="The label as printed, e.g. 第十五条.")
    title: str | None = Field(None, description="Article heading, where the text has one.")
    chapter: str | None = Field(None, description="Chapter heading, e.g. 第三章 采购实施管理.")
    text: str = Field(min_length=1, description="Verbatim Chinese text of the article.")
    summary: str = Field(min_length=1, description="English summary.")
    notes: str | None = Field(None, description="Interpretation notes for analysts.")
    effective: date | None = Field(None, description="First day this version applies.")
    repealed: date | None = Field(None, description="First day this article no longer applies.")


class NotCheckable(_Strict):
    """An article judged not checkable against a project snapshot, and why."""

    article: int = Field(ge=1)
    reason: str = Field(min_length=1)


class DerivedSpec(_Strict):
    """A named value computed from facts, usable in conditions by its name."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    expr: Expr
    type: Literal["bool", "number", "date", "string", "quarter"] = "bool"
    description: str | None = None


class Period(_Strict):
    """A length of time: exactly one unit."""

    working_days: int | None = Field(None, ge=0, description="Working days (PRC calendar).")
    days: int | None = Field(None, ge=0, description="Calendar days.")
    months: int | None = Field(None, ge=0, description="Calendar months (month-end rule).")
    years: int | None = Field(None, ge=0, description="Calendar years.")

    @model_validator(mode="after")
    def _one_unit(self) -> Period:
        set_units = [n for n in ("working_days", "days", "months", "years") if getattr(self, n)
                     is not None]
        if len(set_units) != 1:
            raise ValueError("give exactly one of working_days, days, months, years")
        return self

    @property
    def unit(self) -> str:
        for name in ("working_days", "days", "months", "years"):
            if getattr(self, name) is not None:
                return name
        raise AssertionError("validated")  # pragma: no cover

    @property
    def amount(self) -> int:
        value = getattr(self, self.unit)
        assert isinstance(value, int)
        return value

    def function(self) -> str:
        """The condition-language function that adds this period to a date."""
        return {
            "working_days": "working_days_after",
            "days": "add_days",
            "months": "add_months",
            "years": "add_years",
        }[self.unit]


class Deadline(_Strict):
    """An act due within a period after an event (e.g. filing within 5 working days)."""

    after: Expr = Field(description="Date of the triggering event, e.g. contract.signed_on.")
    within: Period
    done_on: Expr = Field(description="Date the act was done, e.g. contract.filed_on.")
    done: Expr | None = Field(
        None,
        description="Whether the act was done; defaults to the boolean twin of done_on "
        "(contract.filed for contract.filed_on).",
    )


class Periodic(_Strict):
    """A report due for every period of the project's life (e.g. quarterly)."""

    period: Literal["quarter"] = "quarter"
    start: Expr = Field(alias="from", description="First day of the obligation.")
    until: Expr | None = Field(
        None, description="Last day of the obligation (inclusive), e.g. project.end_date."
    )
    ongoing_when: Expr | None = Field(
        None,
        description="When `until` is unknown: true if the project is known to be still "
        "running, so the obligation runs to as_of. Otherwise reports that would be missing "
        "are undetermined, never assumed due.",
    )
    records: str = Field(description="Path of the report list, e.g. reports.quarterly_progress.")
    within: Period | None = Field(
        None,
        description="Deadline after each period's end. When the text fixes none (e.g. "
        "按季度报送), leave it out: each period's report is then due by the end of the "
        "following period.",
    )


class NextStepSpec(_Strict):
    """An action a rule requires of the project."""

    action: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Stable action slug.")
    text: BilingualText
    kind: Literal["remedial", "upcoming"] = Field(
        "remedial",
        description="remedial: when the rule is violated; upcoming: when `when` holds and "
        "the rule is not violated.",
    )
    when: Expr | None = Field(None, description="For upcoming steps: when the step is due.")
    responsible: str | None = Field(None, description="Who must act, e.g. 业主单位.")
    recipient: str | None = Field(None, description="To whom, e.g. 市大数据局.")
    due: Expr | None = Field(
        None, description="Due date (a date condition); deadline rules default to theirs."
    )

    @model_validator(mode="after")
    def _upcoming_has_when(self) -> NextStepSpec:
        if self.kind == "upcoming" and self.when is None:
            raise ValueError("an upcoming step needs `when`")
        return self


class RuleSpec(_Strict):
    """One checkable obligation or prohibition of one article (or item)."""

    id: str = Field(description="<pack>.<article>[.<item>].<slug>, stable forever.")
    article: int = Field(ge=1)
    item: int | str | None = Field(None, description="Item of the article, e.g. 3 for (三).")
    quote: str = Field(min_length=1, description="Verbatim words of the article this encodes.")
    title: str | None = Field(None, description="Short English name of the rule.")
    severity: Severity = "error"
    in_principle: bool = Field(
        False, description="原则上: a recorded, approved exception waives a violation."
    )
    applies_when: Expr = Field("true", description="When the rule applies at all.")
    violated_when: Expr | None = Field(None, description="When the project breaks the rule.")
    deadline: Deadline | None = None
    periodic: Periodic | None = None
    message: BilingualText = Field(description="Shown when violated; may use {fact.path}.")
    consequence: BilingualText | None = Field(
        None, description="What the text says follows from a violation."
    )
    next_steps: list[NextStepSpec] = Field(default_factory=list)
    effective: date | None = Field(None, description="First day the rule applies.")
    repealed: date | None = Field(None, description="First day the rule no longer applies.")

    @model_validator(mode="after")
    def _one_check(self) -> RuleSpec:
        kinds = [self.violated_when, self.deadline, self.periodic]
        if sum(k is not None for k in kinds) != 1:
            raise ValueError("give exactly one of violated_when, deadline, periodic")
        if not RULE_ID.match(self.id):
            raise ValueError(f"rule id {self.id!r} is not <pack>.<article>[.<item>].<slug>")
        return self


class ScopeSpec(_Strict):
    """A condition of the pack's scope: when it is false, the pack does not apply."""

    id: str = Field(description="Stable id, e.g. guiyang.3.scope.")
    article: int = Field(ge=1)
    item: int | str | None = None
    quote: str = Field(min_length=1)
    applies_when: Expr = Field(description="True when the project is inside this scope clause.")
    message: BilingualText = Field(description="Shown when the project is out of scope.")


class ExampleSpec(_Strict):
    """A worked example: a snapshot and the findings it must produce."""

    name: str
    as_of: date
    snapshot: dict[str, object]
    expect: dict[str, Literal["violated", "satisfied", "undetermined", "not_applicable",
                              "waived"]] = Field(
        description="Rule id -> expected status."
    )
    verdict: Literal["compliant", "non_compliant", "undetermined", "not_applicable"] | None = None
    note: str | None = None


class PackFile(_Strict):
    """A whole pack file."""

    pack: Metadata
    scope: list[ScopeSpec] = Field(default_factory=list)
    articles: list[ArticleSpec]
    not_checkable: list[NotCheckable] = Field(default_factory=list)
    derived: list[DerivedSpec] = Field(default_factory=list)
    rules: list[RuleSpec] = Field(default_factory=list)
    examples: list[ExampleSpec] = Field(default_factory=list)
