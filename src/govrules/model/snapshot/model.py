"""The root :class:`Snapshot` model and recorded exceptions."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ModelWrapValidatorHandler, StringConstraints, model_validator

from govrules.lang import Span
from govrules.model.snapshot.base import (
    MONTHS_READ,
    Authority,
    Day,
    Facts,
    Flag,
    Text,
    fact,
)
from govrules.model.snapshot.delivery import Construction, Data, Deployment, Security
from govrules.model.snapshot.followup import (
    Acceptance,
    Inspection,
    Operation,
    Performance,
    Rectification,
    Reports,
    TrialRun,
)
from govrules.model.snapshot.planning import (
    Budget,
    Contract,
    Funding,
    Planning,
    Procurement,
    Project,
    Service,
)

__all__ = ["PackId", "RecordedException", "Snapshot", "holds_months"]

PackId = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9_-]*$")
]
"""A policy pack id: lower-case letters, digits, ``_`` and ``-``."""


class RecordedException(Facts):
    """例外 — an approved departure from an in-principle (原则上) rule."""

    rule: Text | None = fact(
        "规则 — the rule id, or the article it belongs to ('<pack>.<article>[.<item>]')",
        "shangrao.6.3.service-term", "shangrao.4")
    reason: Text | None = fact("理由 — why the project departs from the rule",
                               "条线业务特殊需要，须部署在省级专网")
    approved: Flag | None = fact("已批准 — the exception was approved", True)
    approved_on: Day | None = fact("批准日期", "2025-01-20")
    approved_by: list[Authority] | None = fact("批准单位", ["big_data_bureau"])
    reference: Text | None = fact("文号 — document number of the approval",
                                  "饶数字〔2025〕3号")


class Snapshot(Facts):
    """The recorded state of one project at one date: the facts rules are written against.

    Every fact is optional; an absent fact is *unknown*, never false.
    """

    id: Text | None = fact("记录编号 — record id, shown as snapshot_id in reports",
                           "GY-2025-JT-017")
    city: PackId | None = fact(
        "城市 — id of the policy pack that governs the project: taiyuan, jincheng, guiyang, "
        "wuhai, shangrao (or a pack an analyst added)", "guiyang")
    as_of: Day | None = fact("记录日期 — the date this snapshot describes", "2025-11-20")
    project: Project | None = fact("项目基本情况 — identity and classification")
    funding: Funding | None = fact("资金来源 — funding source and release")
    budget: Budget | None = fact("项目预算 — amounts, submissions and adjustments")
    planning: Planning | None = fact("前期管理 — plans, documents, reviews and approvals")
    procurement: Procurement | None = fact("采购 — procurement and bid result")
    contract: Contract | None = fact("合同 — contract, filing, IP and termination")
    service: Service | None = fact("服务与申报要求 — service term, free O&M, declaration")
    construction: Construction | None = fact("项目建设 — work, changes and delays")
    deployment: Deployment | None = fact("部署与集约 — cloud and shared platforms")
    data: Data | None = fact("数据管理 — catalogue, sharing and opening")
    security: Security | None = fact("安全保障 — protection, cryptography, assessments")
    reports: Reports | None = fact("定期报送 — quarterly reports")
    trial_run: TrialRun | None = fact("试运行 — trial operation")
    acceptance: Acceptance | None = fact("项目验收 — acceptance and filing")
    operation: Operation | None = fact("运行维护与评估 — O&M and evaluation")
    performance: Performance | None = fact("绩效管理 — performance management")
    inspection: Inspection | None = fact("监督检查 — inspections")
    rectification: Rectification | None = fact("整改 — rectification")
    exceptions: list[RecordedException] | None = fact(
        "例外 — recorded exceptions to in-principle (原则上) rules")

    @model_validator(mode="wrap")
    @classmethod
    def _name_months(cls, data: Any, handler: ModelWrapValidatorHandler[Snapshot]
                     ) -> Snapshot:
        """Each date given to the month names its own path, the fact that would decide."""
        before = MONTHS_READ[0]
        snapshot = handler(data)
        if MONTHS_READ[0] != before:
            _name_spans(snapshot, "")
        return snapshot


def _name_spans(value: object, path: str) -> None:
    if isinstance(value, Span):
        value.missing = frozenset({path})
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            _name_spans(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _name_spans(item, f"{path}[{i}]")


def holds_months(value: object) -> bool:
    """Whether a snapshot (or part of one) gives some date only to the month."""
    if isinstance(value, Span):
        return True
    if isinstance(value, BaseModel):
        return any(holds_months(getattr(value, name)) for name in type(value).model_fields)
    if isinstance(value, list):
        return any(holds_months(item) for item in value)
    return False
