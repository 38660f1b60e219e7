"""The pack format's common parts: bilingual text, the regulation's metadata, articles and
declared gaps.

Part of :mod:`govrules.model.pack_format`, which re-exports every public name here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Status = Literal["in_force", "draft", "expired", "repealed"]
Severity = Literal["error", "warning", "info"]
Expr = Annotated[str, Field(min_length=1, description="A condition in the govrules language.")]

TOPIC = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
"""A topic slug: lower-case words joined by hyphens (cloud, data-sharing)."""

RULE_ID = re.compile(r"^[a-z][a-z0-9_]*\.[0-9]+(\.[0-9a-z]+)?\.[a-z0-9][a-z0-9-]*$")


class StrictModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


class BilingualText(StrictModel):
    """A text in Chinese and English; both are required."""

    zh: str = Field(min_length=1, description="Chinese text.")
    en: str = Field(min_length=1, description="English text.")


class Superseded(StrictModel):
    """A regulation this one repeals or replaces."""

    doc_number: str | None = Field(None, description="Document number, e.g. 饶府字〔2016〕51号.")
    title: str | None = Field(None, description="Title in Chinese.")
    issued: date | None = Field(None, description="Date the superseded text was issued.")


class CommentPeriod(StrictModel):
    """The public-comment window of a draft."""

    start: date = Field(alias="from", description="First day of the comment period.")
    end: date = Field(alias="to", description="Last day of the comment period.")


class Metadata(StrictModel):
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


class ArticleSpec(StrictModel):
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


class NotCheckable(StrictModel):
    """Deprecated (read as a gap with ``extent: none``): an article with no rule, and why."""

    article: int = Field(ge=1, description="Article number.")
    reason: str = Field(min_length=1, description="One line: why no rule can check it.")


class GapAcceptance(StrictModel):
    """A reviewer's acceptance of a declared gap."""

    by: str = Field(min_length=1, description="Who accepted it (name or role).")
    on: date = Field(description="When.")



class Gap(StrictModel):
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


