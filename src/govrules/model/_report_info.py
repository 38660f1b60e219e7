"""A report's parts beside its findings and next steps: the pack it was made with, its
provenance (what replaying it needs), its warnings and the facts to supply (re-exported
by :mod:`govrules.model.report`)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["MissingFact", "PackInfo", "Provenance", "ReportWarning"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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
