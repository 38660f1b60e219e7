"""Snapshot groups for the project's budget: the amounts, the budget submissions and reviews,
and each adjustment of content or budget with its paperwork (re-exported by
:mod:`govrules.model.snapshot.planning`)."""

from __future__ import annotations

from typing import Literal

from govrules.base.money import Money, SignedMoney
from govrules.model.snapshot.base import Approval, Authority, Date, Facts, Flag, Text, fact

__all__ = ["Budget", "BudgetAdjustment"]


class BudgetAdjustment(Facts):
    """项目调整 — one change of the project's content or budget, with its paperwork."""

    decided_on: Date | None = fact(
        "调整日期 — date the owner decided or proposed the change", "2025-07-10")
    amount: SignedMoney | None = fact(
        "调整金额 — size of the change: the budget increase (negative: decrease) or the value "
        "of the content changed; compared with budget.original for the 10% threshold "
        "(Guiyang 15)", "80万元", unit="CNY")
    reason: Literal["law_or_policy", "optimisation", "conditions_changed", "other"] | None = fact(
        "调整原因 — law_or_policy 法律法规、政策调整, optimisation 方案完善优化, "
        "conditions_changed 建设条件发生重大变化 (Guiyang 15; Jincheng 17)", "optimisation")
    description: Text | None = fact("调整内容 — what changed", "新增交通违法数据治理模块")
    major: Flag | None = fact(
        "重大变化 — the change of construction conditions or content is material "
        "(Jincheng 17 重大变化)", True)
    content_changed: Flag | None = fact(
        "变更建设/运维内容 — the change alters the project's content, not only its cost "
        "(Shangrao 15; Taiyuan 14)", True)
    explanation_filed: Flag | None = fact(
        "变更说明存档 — a change explanation was filed with the big-data bureau (Guiyang 15, "
        "changes up to 10%)", True)
    explanation_filed_on: Date | None = fact("变更说明报送日期", "2025-07-18")
    plan_resubmitted: Flag | None = fact(
        "重新编报项目方案和预算 — the plan and budget were submitted again (Guiyang 15, changes "
        "over 10%)", True)
    plan_resubmitted_on: Date | None = fact("重新编报日期", "2025-08-01")
    application_submitted: Flag | None = fact(
        "调整申请 / 书面报告 — a (written) request for the change was submitted (Jincheng 17; "
        "Shangrao 15; Taiyuan 14 报批手续)", True)
    application_submitted_on: Date | None = fact("调整申请提交日期", "2025-07-12")
    application_to: list[Authority] | None = fact(
        "申请报送单位 — where the request went (Shangrao 15: big-data bureau and finance)",
        ["big_data_bureau", "finance_bureau"])
    approval: Approval | None = fact(
        "调整批准 / 评估意见 — the approval of (or opinion on) the change (Shangrao 15; "
        "Jincheng 17; Taiyuan 14)")
    implemented: Flag | None = fact(
        "已实施调整 — the change has been put into effect; false: applied for or planned, not "
        "yet carried out (Taiyuan 14; Jincheng 17, 22; Shangrao 15)", True)
    implemented_on: Date | None = fact(
        "实施调整日期 — date the change was put into effect (Shangrao 15: only after approval)",
        "2025-08-15")


class Budget(Facts):
    """项目预算 — amounts, budget submissions and adjustments."""

    original: Money | None = fact(
        "原项目预算 — budget as first approved", "500万元", unit="CNY")
    current: Money | None = fact("现项目预算 — budget after adjustments", "580万元", unit="CNY")
    annual_plan_submitted: Flag | None = fact(
        "年度预算计划报送初审 — the unit's annual IT budget plan was sent to the big-data centre "
        "for preliminary review (Wuhai 5)", True)
    annual_plan_submitted_on: Date | None = fact("年度预算计划报送日期", "2024-09-20")
    annual_plan_due_on: Date | None = fact(
        "报送时间节点 — deadline for the annual budget plan, set by the development and reform "
        "commission's key-project timetable (Wuhai 5)", "2024-09-30")
    preliminary_review: Approval | None = fact(
        "初审 — the big-data centre's preliminary review of the annual plan (Wuhai 5)")
    request_submitted: Flag | None = fact(
        "提交项目资金预算 — the project's budget request went to the finance bureau with the "
        "department budget (Guiyang 9)", True)
    request_submitted_on: Date | None = fact("预算申报日期", "2024-10-15")
    reported_to_bureau: Flag | None = fact(
        "预算安排报备 — the approved budget was reported to the big-data bureau (Guiyang 10)",
        True)
    reported_to_bureau_on: Date | None = fact("报备日期", "2025-02-10")
    supplementary: Flag | None = fact(
        "预算追加 — budget added after the annual department budget was approved (Guiyang 11)",
        False)
    supplementary_approval: Approval | None = fact(
        "追加预算报批 — approval of the project and its supplementary budget (Guiyang 11)")
    om_cost_review: Approval | None = fact(
        "运维费用审核 — the big-data bureau's review of an existing system's O&M costs before "
        "they are put in the budget (Jincheng 21)")
    adjustments: list[BudgetAdjustment] | None = fact(
        "项目调整 — changes of content or budget, in order (Guiyang 15; Jincheng 17; "
        "Shangrao 15; Taiyuan 14)")
