"""The policy-pack file format: what an analyst writes in ``policies/<city>.yaml``.

These pydantic models are the single definition of the format: the loader validates
against them, ``govrules schema pack`` prints their JSON Schema, and the pack format
reference in ``docs/`` is generated from their field descriptions. Conditions are kept
as strings here; :mod:`govrules.model.pack` compiles them.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from govrules.model._format_base import (
    RULE_ID,
    TOPIC,
    ArticleSpec,
    BilingualText,
    CommentPeriod,
    Expr,
    Gap,
    GapAcceptance,
    Metadata,
    NotCheckable,
    Severity,
    Status,
    StrictModel,
    Superseded,
)
from govrules.model._format_files import (
    AmendmentFile,
    AmendmentSpec,
    CaseSpec,
    RepealSpec,
    StepExpectation,
)
from govrules.model.vocabulary import FactDecl

__all__ = [
    "RULE_ID",
    "TOPIC",
    "AmendmentFile",
    "AmendmentSpec",
    "ArticleSpec",
    "BilingualText",
    "CaseSpec",
    "CommentPeriod",
    "Deadline",
    "DerivedSpec",
    "ExampleSpec",
    "ExceptionSpec",
    "Expr",
    "Gap",
    "GapAcceptance",
    "InterpretationSpec",
    "Metadata",
    "NextStepSpec",
    "NotCheckable",
    "PackFile",
    "Period",
    "Periodic",
    "RepealSpec",
    "RuleSpec",
    "ScopeSpec",
    "Severity",
    "Status",
    "StepExpectation",
    "Superseded",
]

class DerivedSpec(StrictModel):
    """A named value computed from facts, usable in conditions by its name."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$",
                      description="The name conditions use, e.g. contracted.")
    expr: Expr = Field(description="The condition or value it stands for.")
    type: Literal["bool", "number", "date", "string", "quarter"] = Field(
        "bool", description="The type of its value.")
    description: str | None = Field(None, description="What it means, for the reader.")


class Period(StrictModel):
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


class Deadline(StrictModel):
    """An act due within a period after an event (e.g. filing within 5 working days)."""

    after: Expr = Field(description="Date of the triggering event, e.g. contract.signed_on.")
    within: Period = Field(description="The period allowed after the event.")
    done_on: Expr = Field(description="Date the act was done, e.g. contract.filed_on.")
    done: Expr | None = Field(
        None,
        description="Whether the act was done; defaults to the boolean twin of done_on "
        "(contract.filed for contract.filed_on).",
    )


class Periodic(StrictModel):
    """A report due for every period of the project's life (e.g. quarterly)."""

    period: Literal["quarter"] = Field("quarter", description="The reporting period.")
    start: Expr = Field(alias="from", description="First day of the obligation.")
    start_evidence: list[Expr] = Field(
        default_factory=list, alias="from_evidence",
        description="When `from` is unknown: dates that prove the obligation was running "
        "(e.g. contract.signed_on, procurement.bid_result_on). The periods from the "
        "earliest known of them, and from the first recorded report, are owed; earlier "
        "ones stay undetermined.")
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


class NextStepSpec(StrictModel):
    """An action a rule requires of the project."""

    action: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Stable action slug.")
    text: BilingualText = Field(description="What to do, in Chinese and English.")
    kind: Literal["remedial", "upcoming"] = Field(
        "remedial",
        description="remedial: when the rule is violated; upcoming: when `when` holds and "
        "the rule is not violated.",
    )
    when: Expr | None = Field(
        None, description="For upcoming steps: when the step is due. For remedial steps "
        "(optional): the step is left out when this is known false, e.g. `not contract.filed` "
        "so that a late filing is not asked for again.")
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


class RuleSpec(StrictModel):
    """One checkable obligation or prohibition of one article (or item)."""

    id: str = Field(description="<pack>.<article>[.<item>].<slug>, stable forever.")
    article: int = Field(ge=1, description="Number of the article it encodes.")
    item: int | str | None = Field(None, description="Item of the article, e.g. 3 for (三).")
    quote: str = Field(min_length=1, description="Verbatim words of the article this encodes.")
    title: BilingualText | str | None = Field(
        None, description="Short name of the rule, {zh, en}; a plain string is read as "
        "English (lint warns).")
    topic: str | None = Field(
        None, pattern=TOPIC, description="The obligation topic `compare` groups by, e.g. "
        "cloud, filing, procurement, data-sharing.")
    interpretations: list[str] = Field(
        default_factory=list, description="Ids of the pack's interpretations (readings "
        "beyond the words) this rule rests on; its findings list them.")
    severity: Severity = Field("error", description="error, warning or info.")
    in_principle: bool = Field(
        False, description="原则上: a recorded, approved exception waives a violation. Only "
        "the clause 原则上 qualifies; the article's mandatory part is its own rule."
    )
    mandatory_part: str | None = Field(
        None, description="For an in-principle rule: the id of the rule encoding the "
        "mandatory part of the same article (须…经批准后才能实施), which is never waived.")
    conduct: Expr | None = Field(
        None, description="Date of the conduct the obligation attaches to; the rule is "
        "judged under the text and rule version in force that day. Default: a deadline's "
        "`after`, each period's end for a periodic rule, else as_of.")
    applies_when: Expr = Field("true", description="When the rule applies at all.")
    violated_when: Expr | None = Field(None, description="When the project breaks the rule.")
    deadline: Deadline | None = Field(None, description="An act due within a period.")
    periodic: Periodic | None = Field(None, description="A report due every period.")
    message: BilingualText = Field(description="Shown when violated; may use {fact.path}.")
    consequence: BilingualText | None = Field(
        None, description="What the text says follows from a violation."
    )
    next_steps: list[NextStepSpec] = Field(
        default_factory=list, description="Actions the rule requires.")
    effective: date | None = Field(None, description="First day the rule applies.")
    repealed: date | None = Field(None, description="First day the rule no longer applies.")
    amended_by: str | None = Field(
        None, description="The amendment that introduced this rule (set when `extends` is "
        "resolved).")

    @property
    def title_en(self) -> str | None:
        """The English title (a plain-string title is English)."""
        return self.title_text("en")

    def title_text(self, lang: Literal["zh", "en"] = "en") -> str | None:
        """The title in one language (a plain-string title is English), or None."""
        if isinstance(self.title, BilingualText):
            return self.title.zh if lang == "zh" else self.title.en
        return self.title

    @property
    def title_both(self) -> str | None:
        """The title for a reader of either language: ``zh / en`` (or the plain string)."""
        if isinstance(self.title, BilingualText):
            return f"{self.title.zh} / {self.title.en}"
        return self.title

    @model_validator(mode="after")
    def _one_check(self) -> RuleSpec:
        kinds = [self.violated_when, self.deadline, self.periodic]
        if sum(k is not None for k in kinds) != 1:
            raise ValueError("give exactly one of violated_when, deadline, periodic")
        if not RULE_ID.match(self.id):
            raise ValueError(f"rule id {self.id!r} is not <pack>.<article>[.<item>].<slug>")
        return self


class ScopeSpec(StrictModel):
    """A condition of the pack's scope: when it is false, the pack does not apply."""

    id: str = Field(description="Stable id, e.g. guiyang.3.scope.")
    article: int = Field(ge=1, description="Number of the scope article.")
    item: int | str | None = Field(None, description="Item of the article, if any.")
    quote: str = Field(min_length=1, description="Verbatim words of the article.")
    applies_when: Expr = Field(description="True when the project is inside this scope clause.")
    message: BilingualText = Field(description="Shown when the project is out of scope.")


class ExceptionSpec(StrictModel):
    """An exception clause (不适用 / 不包括 / 涉密项目按…执行 / emergencies): when ``when``
    holds, the rules it covers do not apply. When the record is silent, the exception is
    presumed not to apply and the report says so."""

    id: str = Field(description="Stable id, <pack>.<article>[.<item>].<slug>.")
    article: int = Field(ge=1, description="Number of the article with the clause.")
    item: int | str | None = Field(None, description="Item of the article, if any.")
    quote: str = Field(min_length=1, description="Verbatim words of the clause.")
    when: Expr = Field(description="True when the exception applies to the project.")
    presume: dict[str, object] = Field(
        default_factory=dict, description="What is presumed of each fact `when` reads when "
        "the record is silent (fact path -> value); a true/false fact defaults to false.")
    rules: list[str] | None = Field(
        None, description="Ids of the rules it takes out; default: every rule of the pack.")
    message: BilingualText = Field(description="Shown when the exception applies.")


class InterpretationSpec(StrictModel):
    """A reading of the text that goes beyond its words, listed for legal review."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*\.[0-9]+(\.[0-9a-z]+)?\.[a-z0-9][a-z0-9-]*$",
                    description="<pack>.<article>[.<item>].<slug>, stable forever.")
    article: int = Field(ge=1, description="Number of the article read.")
    item: int | str | None = Field(None, description="Item of the article, if any.")
    quote: str = Field(min_length=1, description="Verbatim words of the article read.")
    reading: BilingualText = Field(description="How the pack reads the words.")
    alternative: BilingualText = Field(
        description="The other reasonable reading, and what it would change.")
    rules: list[str] | None = Field(
        None, description="Rules or scope clauses resting on this reading, besides the "
        "rules that list it.")


class ExampleSpec(StrictModel):
    """A worked example: a snapshot and the findings it must produce."""

    name: str = Field(description="What the example shows.")
    as_of: date = Field(description="The evaluation date.")
    snapshot: dict[str, object] = Field(description="The project snapshot (see snapshot.md).")
    expect: dict[str, Literal["violated", "satisfied", "undetermined", "not_applicable",
                              "waived"]] = Field(
        description="Rule id -> expected status."
    )
    verdict: Literal["compliant", "non_compliant", "undetermined", "not_applicable"] | None = \
        Field(None, description="The expected verdict, if checked.")
    note: str | None = Field(None, description="Why the example matters.")


class PackFile(StrictModel):
    """A whole pack file."""

    pack: Metadata = Field(description="The regulation's metadata and validity.")
    scope: list[ScopeSpec] = Field(
        default_factory=list, description="Conditions that define who is covered; unknown "
        "scope leaves findings undetermined.")
    exceptions: list[ExceptionSpec] = Field(
        default_factory=list, description="Exception clauses, presumed not to apply unless "
        "the record says they do.")
    articles: list[ArticleSpec] = Field(description="Every article, verbatim.")
    gaps: list[Gap] = Field(
        default_factory=list, description="What the pack does not encode, or encodes only "
        "in part, per article or item, with the reason and the reviewer's acceptance.")
    not_checkable: list[NotCheckable] = Field(
        default_factory=list, description="Deprecated: read as gaps with extent none.")
    derived: list[DerivedSpec] = Field(
        default_factory=list, description="Named values shared by the rules.")
    facts: list[FactDecl] = Field(
        default_factory=list, description="Facts this pack adds to the snapshot vocabulary "
        "(本规则包新增的事实).")
    vocabulary: list[str] = Field(
        default_factory=list, description="Vocabulary files of further facts, relative to "
        "the pack (事实词汇文件).")
    interpretations: list[InterpretationSpec] = Field(
        default_factory=list, description="Readings beyond the words, for legal review.")
    rules: list[RuleSpec] = Field(
        default_factory=list, description="One per checkable obligation or prohibition.")
    examples: list[ExampleSpec] = Field(
        default_factory=list, description="Worked examples, run by `govrules test`.")
    amendments: list[AmendmentSpec] = Field(
        default_factory=list, description="Amendments applied through `extends`, oldest "
        "first (filled in by the loader).")


