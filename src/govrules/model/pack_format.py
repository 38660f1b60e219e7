"""The policy-pack file format: what an analyst writes in ``policies/<city>.yaml``.

These pydantic models are the single definition of the format: the loader validates
against them, ``govrules schema pack`` prints their JSON Schema, and the pack format
reference in ``docs/`` is generated from their field descriptions. Conditions are kept
as strings here; :mod:`govrules.model.pack` compiles them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from govrules.model.vocabulary import FactDecl

__all__ = [
    "AmendmentFile",
    "AmendmentSpec",
    "ArticleSpec",
    "BilingualText",
    "CaseSpec",
    "Deadline",
    "DerivedSpec",
    "ExampleSpec",
    "ExceptionSpec",
    "Gap",
    "GapAcceptance",
    "InterpretationSpec",
    "Metadata",
    "NextStepSpec",
    "NotCheckable",
    "PackFile",
    "Period",
    "Periodic",
    "RuleSpec",
    "ScopeSpec",
    "Status",
    "StepExpectation",
]

Status = Literal["in_force", "draft", "expired", "repealed"]
Severity = Literal["error", "warning", "info"]
Expr = Annotated[str, Field(min_length=1, description="A condition in the govrules language.")]

TOPIC = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
"""A topic slug: lower-case words joined by hyphens (cloud, data-sharing)."""

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
    validity_article: int | None = Field(
        None, ge=1, description="The article that fixes when the text takes effect (and "
        "lapses); findings about conduct outside its window cite it.")
    not_before: date | None = Field(
        None, description="The earliest day the text can have been in force, when the "
        "source gives no effective date but proves a lower bound (e.g. it cites a document "
        "of that date). Conduct before it is not governed by this text.")
    not_before_reason: BilingualText | None = Field(
        None, description="Why the text cannot be older than `not_before`, and what "
        "governed before (shown in reports).")

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
    effective: date | None = Field(
        None, description="First day this version applies (its rules apply from then too).")
    repealed: date | None = Field(
        None, description="First day this version no longer applies (nor do its rules).")
    amended_by: str | None = Field(
        None, description="The amendment that introduced this version (set when `extends` "
        "is resolved; reports cite it).")


class NotCheckable(_Strict):
    """Deprecated (read as a gap with ``extent: none``): an article with no rule, and why."""

    article: int = Field(ge=1, description="Article number.")
    reason: str = Field(min_length=1, description="One line: why no rule can check it.")


class GapAcceptance(_Strict):
    """A reviewer's acceptance of a declared gap."""

    by: str = Field(min_length=1, description="Who accepted it (name or role).")
    on: date = Field(description="When.")

    @model_validator(mode="before")
    @classmethod
    def _yaml_on(cls, data: object) -> object:
        """YAML 1.1 reads the key ``on`` as the boolean true: take it back as ``on``."""
        if isinstance(data, dict) and "on" not in data:
            return {("on" if k is True or k == "True" else k): v for k, v in data.items()}
        return data


class Gap(_Strict):
    """What the pack does not encode of an article (or item), or encodes only in part."""

    article: int = Field(ge=1, description="Article number.")
    item: int | str | None = Field(None, description="Item of the article, if the gap is "
                                   "only there.")
    extent: Literal["none", "partial"] = Field(
        description="none: no rule checks it; partial: rules check only some of it (their "
        "findings say so).")
    reason: BilingualText = Field(description="What is not encoded, and why.")
    accepted: GapAcceptance | None = Field(
        None, description="A reviewer accepted the gap; unaccepted gaps are lint warnings.")


class DerivedSpec(_Strict):
    """A named value computed from facts, usable in conditions by its name."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$",
                      description="The name conditions use, e.g. contracted.")
    expr: Expr = Field(description="The condition or value it stands for.")
    type: Literal["bool", "number", "date", "string", "quarter"] = Field(
        "bool", description="The type of its value.")
    description: str | None = Field(None, description="What it means, for the reader.")


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
    within: Period = Field(description="The period allowed after the event.")
    done_on: Expr = Field(description="Date the act was done, e.g. contract.filed_on.")
    done: Expr | None = Field(
        None,
        description="Whether the act was done; defaults to the boolean twin of done_on "
        "(contract.filed for contract.filed_on).",
    )


class Periodic(_Strict):
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


class NextStepSpec(_Strict):
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


class RuleSpec(_Strict):
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


class ScopeSpec(_Strict):
    """A condition of the pack's scope: when it is false, the pack does not apply."""

    id: str = Field(description="Stable id, e.g. guiyang.3.scope.")
    article: int = Field(ge=1, description="Number of the scope article.")
    item: int | str | None = Field(None, description="Item of the article, if any.")
    quote: str = Field(min_length=1, description="Verbatim words of the article.")
    applies_when: Expr = Field(description="True when the project is inside this scope clause.")
    message: BilingualText = Field(description="Shown when the project is out of scope.")


class ExceptionSpec(_Strict):
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


class InterpretationSpec(_Strict):
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


class ExampleSpec(_Strict):
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


class AmendmentSpec(_Strict):
    """An amending act applied on top of a pack (recorded when `extends` is resolved)."""

    title: BilingualText | None = Field(None, description="Title of the amending act.")
    doc_number: str | None = Field(None, description="Its document number.")
    issued: date | None = Field(None, description="Date of issue.")
    effective: date | None = Field(
        None, description="First day the amendment applies. Articles it replaces and rules "
        "it repeals then keep their old version up to the day before, so one pack answers "
        "for any as_of; without a date, they are replaced outright.")
    version: str | None = Field(None, description="The pack version the amendment produces.")
    note: str | None = Field(None, description="What it changes, for the reader.")
    file: str | None = Field(None, description="The amending file (set by the loader).")
    sha256: str | None = Field(None, description="sha256 of the amending file (set by the "
                               "loader).")
    base_file: str | None = Field(None, description="The file of the pack it amends (set by "
                                  "the loader).")
    base_version: str | None = Field(None, description="The version of the pack it amends "
                                     "(set by the loader).")
    base_sha256: str | None = Field(None, description="sha256 of the pack it amends (set by "
                                    "the loader).")


class PackFile(_Strict):
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


class RepealSpec(_Strict):
    """A rule or article an amendment repeals, with the day it stops applying."""

    id: str | None = Field(None, description="Rule id (in repeal_rules).")
    number: int | None = Field(None, ge=1, description="Article number (in repeal_articles).")
    on: date | None = Field(
        None, description="First day it no longer applies; default: the amendment's "
        "effective date. With neither, it is removed from the pack.")


class AmendmentFile(_Strict):
    """A pack that amends another: ``extends`` names the base, the rest is the change."""

    extends: str = Field(
        min_length=1, description="The base pack: a built-in id (guiyang) or a path "
        "relative to this file.")
    pack: dict[str, object] = Field(
        default_factory=dict, description="Metadata fields to change (version, "
        "doc_number, ...); the id cannot change.")
    amendment: AmendmentSpec | None = Field(None, description="The amending act.")
    scope: list[dict[str, object]] = Field(
        default_factory=list, description="Scope clauses: the same id replaces, a new id adds.")
    exceptions: list[dict[str, object]] = Field(
        default_factory=list, description="Exception clauses: the same id replaces, a new id "
        "adds.")
    articles: list[dict[str, object]] = Field(
        default_factory=list, description="Articles: the same number gives a new version "
        "(from the amendment's effective date) or replaces; a new number adds.")
    gaps: list[dict[str, object]] = Field(
        default_factory=list, description="Gaps: the same article and item replaces.")
    not_checkable: list[dict[str, object]] = Field(
        default_factory=list, description="Deprecated entries: the same article replaces.")
    derived: list[dict[str, object]] = Field(
        default_factory=list, description="Derived facts: the same name replaces.")
    rules: list[dict[str, object]] = Field(
        default_factory=list, description="Rules: a new id adds; the same id gives the rule "
        "a new version from the amendment's (or the rule's own) effective date, the old "
        "version applying to conduct before it, or replaces it outright when undated.")
    interpretations: list[dict[str, object]] = Field(
        default_factory=list, description="Interpretations: the same id replaces, a new id "
        "adds.")
    examples: list[dict[str, object]] = Field(
        default_factory=list, description="More worked examples (the base's are kept).")
    repeal_rules: list[str | RepealSpec] = Field(
        default_factory=list, description="Rule ids that stop applying.")
    repeal_articles: list[int | RepealSpec] = Field(
        default_factory=list, description="Article numbers that stop applying (their rules "
        "too).")


class StepExpectation(_Strict):
    """A next step a test case expects in the report (only the fields given are checked)."""

    action: str = Field(description="The step's action slug, e.g. file-contract.")
    kind: Literal["remedial", "upcoming"] | None = Field(
        None, description="remedial or upcoming, if checked.")
    due: date | None = Field(None, description="The due date, if checked.")
    overdue: bool | None = Field(None, description="Whether it is overdue, if checked.")

    def matches(self, due: date | None, overdue: bool | None) -> bool:
        """Whether a step with this due date and overdue flag meets the expectation."""
        return (self.due is None or self.due == due) and (
            self.overdue is None or self.overdue == overdue)

    def describe(self) -> str:
        parts = [p for p in (self.kind, f"due {self.due}" if self.due else None,
                             f"overdue {self.overdue}" if self.overdue is not None else None)
                 if p]
        return ", ".join(parts) or "present"


class CaseSpec(_Strict):
    """One case of a test file: a snapshot, a date, a pack, and the outcome expected."""

    name: str = Field(description="What the case shows.")
    pack: str = Field(description="A built-in pack id, or a pack file relative to the test "
                      "file.")
    as_of: date = Field(description="The evaluation date.")
    snapshot: dict[str, object] | str = Field(
        description="The snapshot, inline, or a YAML/JSON file relative to the test file.")
    expect: dict[str, Literal["violated", "satisfied", "undetermined", "not_applicable",
                              "waived"]] = Field(
        default_factory=dict, description="Rule id -> expected status.")
    verdict: Literal["compliant", "non_compliant", "undetermined", "not_applicable"] | None = \
        Field(None, description="The expected verdict, if checked.")
    next_steps: list[StepExpectation] = Field(
        default_factory=list, description="Next steps the report must contain.")
    note: str | None = Field(None, description="Why the case matters.")
