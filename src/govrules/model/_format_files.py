"""The files beside a pack: amendments (``extends:``) and test files (``govrules test``).

Part of :mod:`govrules.model.pack_format`, which re-exports every public name here.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field

from govrules.model._format_base import BilingualText, StrictModel


class AmendmentSpec(StrictModel):
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



class RepealSpec(StrictModel):
    """A rule or article an amendment repeals, with the day it stops applying."""

    id: str | None = Field(None, description="Rule id (in repeal_rules).")
    number: int | None = Field(None, ge=1, description="Article number (in repeal_articles).")
    on: date | None = Field(
        None, description="First day it no longer applies; default: the amendment's "
        "effective date. With neither, it is removed from the pack.")


class AmendmentFile(StrictModel):
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


class StepExpectation(StrictModel):
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


class CaseSpec(StrictModel):
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
