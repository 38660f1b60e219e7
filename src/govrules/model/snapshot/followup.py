"""Snapshot groups for reporting, acceptance and what follows it.

``reports``, ``trial_run``, ``acceptance``, ``operation``, ``performance``,
``inspection`` and ``rectification``.
"""

from __future__ import annotations

from typing import Literal

from govrules.model.snapshot.base import (
    Authority,
    Date,
    Facts,
    Flag,
    Party,
    QuarterValue,
    Year,
    fact,
)

__all__ = [
    "Acceptance",
    "AcceptanceMaterial",
    "Inspection",
    "InspectionIssue",
    "OmAssessment",
    "Operation",
    "Performance",
    "PeriodReport",
    "Rectification",
    "Reports",
    "TrialRun",
]

AcceptanceMaterial = Literal[
    "construction_plan",
    "approval_document",
    "procurement_documents",
    "contract",
    "supervision_report",
    "summary_report",
    "fund_use_statement",
    "user_report",
    "network_architecture",
    "data_structure_design",
    "sharing_implementation",
]
"""Completion-acceptance materials listed in Shangrao art. 20."""

InspectionIssue = Literal[
    "rules_or_approval_mismatch",
    "unapproved_plan_change",
    "built_against_approval",
    "not_on_government_cloud",
    "not_on_city_brain",
    "not_on_sharing_platform",
    "data_not_shared",
    "security_inadequate",
    "acceptance_delayed",
    "other",
]
"""Problems an inspection can find (Guiyang 32; Wuhai 20; Jincheng 22)."""


class PeriodReport(Facts):
    """One periodic report (季度报送)."""

    period: QuarterValue | None = fact("报告期 — the quarter reported on", "2025Q3")
    submitted: Flag | None = fact("已报送 — the report was submitted", True)
    submitted_on: Date | None = fact("报送日期", "2025-10-11")
    submitted_to: list[Authority] | None = fact(
        "报送单位 — recipients", ["big_data_bureau", "finance_bureau"])


class Reports(Facts):
    """定期报送 — quarterly progress and fund-use reports."""

    quarterly_progress: list[PeriodReport] | None = fact(
        "项目执行情况季度报送 — quarterly progress reports: progress, spending, adjustments "
        "(Guiyang 14; Shangrao 16: within 7 working days after each quarter when the "
        "implementation period is 6 months or more)")
    fund_use: list[PeriodReport] | None = fact(
        "项目资金使用情况季度报送 — quarterly fund-use reports to the big-data bureau and "
        "finance bureau, at quarter end (Shangrao 25)")


class TrialRun(Facts):
    """试运行 — trial operation after construction (Shangrao 18)."""

    started_on: Date | None = fact("试运行开始日期", "2025-10-01")
    ended_on: Date | None = fact(
        "试运行结束日期 — the trial must last at least one month (Shangrao 18)", "2025-10-31")
    evaluation_opinion: Flag | None = fact(
        "运行评价意见 — a written evaluation of the trial run was issued (Shangrao 18)", True)
    evaluation_opinion_on: Date | None = fact("评价意见日期", "2025-11-03")
    signed_by: list[Literal["construction_unit", "winning_bidder", "supervisor"]] | None = fact(
        "共同签字确认 — who signed the evaluation: construction_unit 建设单位, winning_bidder "
        "中标单位, supervisor 监理单位 (Shangrao 18: all three)",
        ["construction_unit", "winning_bidder", "supervisor"])


class Acceptance(Facts):
    """项目验收 — review, preliminary and completion acceptance, filing, archiving."""

    pre_review: Flag | None = fact(
        "验收前置审核 — the big-data bureau's pre-acceptance review of the acceptance "
        "materials (Guiyang 27)", True)
    pre_review_on: Date | None = fact("前置审核日期", "2025-11-10")
    preliminary: Flag | None = fact(
        "初步验收 / 初验 — preliminary acceptance by the owner (Jincheng 18; Shangrao 20)", True)
    preliminary_on: Date | None = fact("初验日期", "2025-11-05")
    preliminary_minutes: Flag | None = fact(
        "初验会议纪要 — the owner's leadership approved the preliminary opinion in minuted "
        "meeting (Shangrao 20)", True)
    application: Flag | None = fact(
        "竣工验收申请 — the owner applied to the big-data bureau for the completion "
        "acceptance (Shangrao 20)", True)
    application_on: Date | None = fact(
        "验收申请日期 — date completion acceptance was requested from the big-data bureau "
        "(Shangrao 20)", "2025-11-12")
    materials: list[AcceptanceMaterial] | None = fact(
        "竣工验收材料 — materials prepared: construction_plan 项目建设方案, approval_document "
        "立项批复, procurement_documents 采购文件, contract 项目合同, supervision_report 监理报告, "
        "summary_report 项目总结报告, fund_use_statement 项目资金使用情况, user_report "
        "用户使用报告, network_architecture 系统网络架构说明, data_structure_design "
        "数据结构设计说明书, sharing_implementation 政务信息共享执行情况 (Shangrao 20)",
        ["construction_plan", "contract", "summary_report"])
    completion: Flag | None = fact(
        "竣工验收 — completion acceptance was held and passed (Taiyuan 16; Jincheng 18; "
        "Guiyang 28; Shangrao 20, 21)", True)
    completion_on: Date | None = fact("竣工验收日期", "2025-11-28")
    participants: list[Party] | None = fact(
        "参加验收单位 — who took part in completion acceptance (Guiyang 28: the big-data bureau "
        "for major projects; Shangrao 21: led by the big-data bureau with finance and "
        "development and reform)", ["big_data_bureau", "owner", "finance_bureau"])
    joint: Flag | None = fact(
        "联合验收 — joint acceptance by the big-data bureau and the approval bureau "
        "(Jincheng 18)", True)
    technical: Flag | None = fact(
        "技术验收 — technical acceptance by the big-data bureau passed (Jincheng 18)", True)
    technical_on: Date | None = fact("技术验收日期", "2025-11-26")
    report_filed: Flag | None = fact(
        "验收报告备案 — the (completion) acceptance report was filed with the big-data bureau "
        "(Guiyang 28; Jincheng 21: within 7 working days)", True)
    report_filed_on: Date | None = fact("验收报告备案日期", "2025-12-04")
    documents_archived: Flag | None = fact(
        "验收资料存档 — acceptance documents were sent to the big-data bureau for the archive "
        "(Shangrao 22; Taiyuan 15 档案管理)", True)
    documents_archived_on: Date | None = fact("资料报送存档日期", "2025-12-10")
    data_acceptance: Flag | None = fact(
        "数据验收 — the big-data bureau's acceptance of data collection, integration, sharing, "
        "opening and use passed (Taiyuan 16)", True)
    data_acceptance_on: Date | None = fact("数据验收日期", "2025-11-20")


class OmAssessment(Facts):
    """One year's O&M assessment (运维项目年度考核, Shangrao 23)."""

    year: Year | None = fact("考核年度", 2025)
    conducted: Flag | None = fact("已开展年度考核", True)
    conducted_on: Date | None = fact("考核日期", "2025-12-05")
    reported: Flag | None = fact(
        "考核结果报送 — result sent to the big-data bureau (before year end)", True)
    reported_on: Date | None = fact("报送日期", "2025-12-20")


class Operation(Facts):
    """运行维护与评估 — O&M management and evaluation of the running system."""

    om_management_system: Flag | None = fact(
        "运行维护管理制度 — O&M management rules are in place (Taiyuan 18; Shangrao 27)", True)
    om_assessments: list[OmAssessment] | None = fact(
        "运维年度考核 — yearly O&M assessments (Shangrao 23)")
    evaluation: Flag | None = fact(
        "评估 / 绩效评价 — the big-data bureau's evaluation of the platform or project was "
        "done (Taiyuan 19, 20; Jincheng 23; Guiyang 29; Shangrao 28)", True)
    evaluation_on: Date | None = fact("评估日期", "2026-06-30")
    evaluation_passed: Flag | None = fact(
        "评估结果合格 — the evaluation result is a pass (Taiyuan 20)", True)


class Performance(Facts):
    """绩效管理 — the owner's own performance management (Guiyang 29; Jincheng 16)."""

    targets_set: Flag | None = fact("绩效目标编制 — performance targets were set (Guiyang 29)",
                                    True)
    monitored: Flag | None = fact("绩效监控 — performance is monitored (Guiyang 29)", True)
    self_evaluated: Flag | None = fact("绩效自评 — self-evaluation done (Guiyang 29)", True)
    self_evaluated_on: Date | None = fact("绩效自评日期", "2026-01-15")
    fund_use_reviewed: Flag | None = fact(
        "定期对照分析资金使用 — the owner regularly reviews fund use against plan "
        "(Jincheng 16)", True)


class Inspection(Facts):
    """监督检查 — inspections by the authorities and what they found."""

    inspected: Flag | None = fact(
        "监督检查 — the project was inspected (Guiyang 31; Wuhai 18, 20)", True)
    inspected_on: Date | None = fact("检查日期", "2025-09-18")
    information_withheld: Flag | None = fact(
        "拒绝、隐匿、瞒报 — the owner refused, hid or misreported information "
        "(Guiyang 31; Wuhai 18)", False)
    issues: list[InspectionIssue] | None = fact(
        "发现的问题 — rules_or_approval_mismatch 与规定或批复要求不符, unapproved_plan_change "
        "擅自更改方案/调整建设内容, built_against_approval 违反审批要求建设, "
        "not_on_government_cloud 未按要求上政务云, not_on_city_brain 未接入城市大脑, "
        "not_on_sharing_platform 未接入共享交换平台, data_not_shared 未按要求共享数据, "
        "security_inadequate 未做好安全保障, acceptance_delayed 长期拖延不验收, other 其他 "
        "(Guiyang 32; Wuhai 20; Jincheng 22)", ["not_on_sharing_platform"])


class Rectification(Facts):
    """整改 — rectification ordered after an inspection."""

    ordered: Flag | None = fact("责令整改 — rectification was ordered", True)
    ordered_on: Date | None = fact("责令整改日期", "2025-09-25")
    due_on: Date | None = fact("整改期限 — deadline for the rectification (限期整改)",
                               "2025-11-25")
    completed: Flag | None = fact("整改完成", True)
    completed_on: Date | None = fact("整改完成日期", "2025-11-10")
    result_reported: Flag | None = fact(
        "整改结果报送 — the result was reported to the big-data bureau (Guiyang 32)", True)
    result_reported_on: Date | None = fact("结果报送日期", "2025-11-12")
    accepted: Flag | None = fact(
        "整改符合要求 — the rectification was found to meet the requirements (Jincheng 22; "
        "Guiyang 32; Wuhai 20)", True)
    refused: Flag | None = fact("拒不整改 — the owner refused to rectify (Jincheng 22)", False)
