"""Facts of buying: the procurement, the contract and the service bought (its term)."""

from __future__ import annotations

from typing import Literal

from govrules.base.money import Money
from govrules.model.snapshot.base import Authority, Date, Facts, Flag, Quantity, Text, fact

__all__ = ["Contract", "Procurement", "Service"]


class Procurement(Facts):
    """采购 — how the provider was chosen."""

    started_on: Date | None = fact("采购启动日期 — date procurement started", "2024-12-02")
    method: Literal[
        "open_tender", "invited_tender", "competitive_negotiation", "competitive_consultation",
        "single_source", "inquiry", "framework", "direct",
    ] | None = fact(
        "采购方式 — open_tender 公开招标, invited_tender 邀请招标, competitive_negotiation "
        "竞争性谈判, competitive_consultation 竞争性磋商, single_source 单一来源, inquiry 询价, "
        "framework 框架协议, direct 直接委托 (e.g. a city-owned enterprise, Jincheng 13)",
        "open_tender")
    competitive: Flag | None = fact(
        "市场化竞争方式 — the provider was chosen by open competition (Jincheng 13)", True)
    follows_approved_plan: Flag | None = fact(
        "按审核通过的方案采购 — procurement follows the approved plan and review opinion "
        "(Taiyuan 14; Jincheng 14; Guiyang 12; Shangrao 14)", True)
    winning_bidder: Text | None = fact("中标单位 — the winning bidder", "贵州某数据科技有限公司")
    bid_result_on: Date | None = fact("中标日期 — date the bid result was announced",
                                      "2025-02-18")
    bid_result_filed: Flag | None = fact(
        "中标结果报备 — the bid result was filed with the big-data bureau (Guiyang 12)", True)
    bid_result_filed_on: Date | None = fact("中标结果报备日期", "2025-02-25")


class Contract(Facts):
    """合同 — signing, filing, intellectual property and termination."""

    signed: Flag | None = fact("签订合同 — the formal contract was signed", True)
    signed_on: Date | None = fact("合同签订日期", "2025-02-28")
    amount: Money | None = fact("合同金额 — contract value", "496万元", unit="CNY")
    filed: Flag | None = fact(
        "合同备案 — the contract text was filed with the big-data bureau (Jincheng 15: within "
        "5 working days of signing)", True)
    filed_on: Date | None = fact("合同备案日期", "2025-03-05")
    ip_agreement_written: Flag | None = fact(
        "知识产权书面协议 — a written agreement with the provider fixes who owns the technical "
        "documents, source code, data interfaces, data standards and data dictionary "
        "(Guiyang 17)", True)
    ip_owner: Literal["owner", "provider", "shared", "unspecified"] | None = fact(
        "知识产权归属 — owner 归业主单位, provider 归服务提供方, shared 共有, unspecified 未约定 "
        "(Guiyang 17: custom software in principle belongs to the owner)", "owner")
    ip_items: list[Literal[
        "technical_docs", "source_code", "data_interfaces", "data_standards", "data_dictionary",
    ]] | None = fact(
        "协议明确归属的内容 — items whose ownership the agreement settles: technical_docs "
        "技术文档, source_code 源代码, data_interfaces 数据接口, data_standards 数据标准, "
        "data_dictionary 数据字典 (Guiyang 17)", ["technical_docs", "source_code"])
    custom_software: Flag | None = fact(
        "定制软件及升级服务 — the contract includes custom software or upgrades (Guiyang 17)",
        True)
    terminated: Flag | None = fact("终止合同 — the contract was terminated (Guiyang 16)", True)
    terminated_on: Date | None = fact("合同终止日期", "2025-09-30")
    termination_reason: Literal["law_or_policy", "goal_unattainable", "other"] | None = fact(
        "终止原因 — law_or_policy 法律法规、政策调整, goal_unattainable 项目目标无法实现 "
        "(Guiyang 16)", "law_or_policy")
    termination_reported: Flag | None = fact(
        "终止报备 — the termination was reported (Guiyang 16: to the big-data bureau and the "
        "finance bureau)", True)
    termination_reported_on: Date | None = fact("终止报备日期", "2025-10-10")
    termination_reported_to: list[Authority] | None = fact(
        "终止报备单位 — who the termination was reported to",
        ["big_data_bureau", "finance_bureau"])


class Service(Facts):
    """服务与申报要求 — service term, free O&M and what the declaration must contain."""

    term_set: Flag | None = fact(
        "设定服务期限 — the purchase sets a service term (Shangrao 6(3)); a recorded "
        "term_months or term_end_on also shows it", True)
    term_start_on: Date | None = fact(
        "服务期开始日期 — first day the purchased service is delivered (Guiyang 25; "
        "Shangrao 6(3))", "2025-03-01")
    term_end_on: Date | None = fact(
        "服务期结束日期 — last day of the service term (Guiyang 25; Shangrao 6(3))",
        "2028-02-29")
    term_months: Quantity | None = fact(
        "服务期限 — term of a purchased service; in principle at most 3 years "
        "(Shangrao 6(3))", 36, unit="months")
    repurchased: Flag | None = fact(
        "重新办理购买手续 — purchase formalities were redone after the term ran out "
        "(Shangrao 6(3))", True)
    free_om_years: Quantity | None = fact(
        "免费运维服务 — free operation and maintenance included in the plan; at least 3 years "
        "(Shangrao 7)", 3, unit="years")
    quantitative_indicators: Flag | None = fact(
        "定量指标 — the plan's objectives state quantitative indicators for acceptance and "
        "performance review (Shangrao 7)", True)
    supervision_engaged: Flag | None = fact(
        "项目监理 — a qualified supervision firm was engaged; construction projects in "
        "principle (Shangrao 6(4); Taiyuan 15; Jincheng 14)", True)
    declared_separately: Flag | None = fact(
        "建设类与运维类分开申报 — construction and O&M were declared separately "
        "(Shangrao 6(2))", True)
    om_estimate_basis: Flag | None = fact(
        "运维测算依据 — an O&M budget states its basis and calculation (Shangrao 6(2))", True)
    sharing_and_security_planned: Flag | None = fact(
        "同步规划设计 — information sharing and (data) security were planned and designed "
        "together with the project (Shangrao 6(2), 10(4); Taiyuan 4)", True)
