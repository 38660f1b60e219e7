"""Snapshot groups for building and running the system.

``construction``, ``deployment``, ``data`` and ``security``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, Strict

from govrules.model.snapshot.base import Authority, Date, Facts, Flag, Party, Quantity, fact

__all__ = [
    "Construction",
    "Data",
    "Deployment",
    "GradedProtection",
    "Incident",
    "Security",
    "SecurityAssessment",
]

ProtectionLevel = Annotated[int, Strict(), Field(ge=1, le=5)]
"""A graded-protection level, 1 (lowest) to 5."""


class Construction(Facts):
    """项目建设 — the building work, changes, delays and abnormal ends."""

    started_on: Date | None = fact(
        "开工日期 — date construction or service delivery actually started", "2025-03-01")
    completed_on: Date | None = fact(
        "完工日期 — date construction work finished, before the trial run (Shangrao 18)",
        "2025-09-30")
    built_before_approval: Flag | None = fact(
        "未批先建 — work started before approval; usually derived from the dates, recorded "
        "here when an inspection found it (Taiyuan 11; Jincheng 9)", False)
    disguised_packaging: Flag | None = fact(
        "变相包装 / 纳入其他项目建设 — the project was disguised or folded into another "
        "project (Taiyuan 11; Jincheng 9)", False)
    content_changed: Flag | None = fact(
        "建设内容变更 — the content or technical plan changed from the approved plan "
        "(Taiyuan 14; Jincheng 17, 22; Shangrao 15; Guiyang 32(2))", False)
    investment_changed: Flag | None = fact(
        "投资规模变更 — the investment amount changed from the approved plan (Taiyuan 14; "
        "Shangrao 15)", False)
    delay_months: Quantity | None = fact(
        "工程逾期 — how far the work is behind its planned end (Shangrao 17: half a year or "
        "more must be reported)", 7, unit="months")
    delay_reported: Flag | None = fact(
        "逾期报告 — the delay was reported (Shangrao 17: to the big-data bureau, development "
        "and reform commission and finance bureau)", True)
    delay_reported_on: Date | None = fact("逾期报告日期", "2025-10-15")
    abnormal_termination: Flag | None = fact(
        "非正常终止 — construction (or O&M) ended abnormally (Shangrao 17)", False)
    termination_reported: Flag | None = fact(
        "非正常终止报告 — the abnormal end was reported (Shangrao 17)", True)
    termination_reported_on: Date | None = fact("终止报告日期", "2025-10-15")
    reported_to: list[Authority] | None = fact(
        "报告单位 — who the delay or abnormal end was reported to (Shangrao 17)",
        ["big_data_bureau", "development_reform", "finance_bureau"])
    acceptance_delayed: Flag | None = fact(
        "无合理原因长期拖延不验收 — acceptance has been put off for a long time without good "
        "reason (Jincheng 22)", False)


class Deployment(Facts):
    """部署与集约 — cloud, shared platforms and integration."""

    government_cloud: Flag | None = fact(
        "使用政务云 — deployed on the government cloud: 市政务云平台 (Shangrao 4), "
        "市政务云计算中心 (Wuhai 4, 20(2)), 云上贵州贵阳分平台 (Guiyang 32(3)); Jincheng 7 "
        "迁云上云", True)
    cloud_exception: Literal["national_or_provincial_rule", "special_business_need",
                             "none"] | None = fact(
            "不上政务云的理由 — national_or_provincial_rule 国家和省另有规定, "
            "special_business_need 条线业务特殊需要, none 无 (neither applies: the project "
            "is held to the cloud and exchange-platform duty); leave out when not known "
            "(Shangrao 4)", "special_business_need")
    migrated_to_cloud: Flag | None = fact(
        "已迁移上云 — an existing system was moved to the government cloud by physical or "
        "application migration or disaster-recovery backup (Shangrao 4; Jincheng 7)", True)
    data_sharing_platform: Flag | None = fact(
        "接入共享交换平台 — connected to the shared data exchange platform: 市电子政务共享数据"
        "统一交换平台 (Shangrao 4), 贵阳市政府数据共享交换平台 (Guiyang 21, 32(4)), 乌海市数据"
        "资源共享交换平台 (Wuhai 15, 16)", True)
    city_brain: Flag | None = fact(
        "接入城市大脑 — connected to the city brain platform (Wuhai 4, 20(3))", True)
    self_built_data_center: Flag | None = fact(
        "自建基础设施 — the department builds its own data centre, machine room, video "
        "platform or IoT platform (Wuhai 4)", False)
    big_data_platform: Flag | None = fact(
        "依托大数据应用服务平台 — built on, or integrated with, the Taiyuan big-data application "
        "service platform (Taiyuan 5, 8, 12)", True)
    city_cloud_platform: Flag | None = fact(
        "依托市级城市云平台 — data governed and managed through the city cloud platform "
        "(Jincheng 27)", True)
    interconnected: Flag | None = fact(
        "互联互通、业务协同 — interconnected with existing systems for information sharing and "
        "business coordination (Jincheng 9; Shangrao 6(1))", True)
    existing_app_standard_interface: Flag | None = fact(
        "服务类APP标准化接口 — an existing or in-progress public app keeps or gets a "
        "standardised interface (Wuhai 4)", True)


class Data(Facts):
    """数据管理 — resource catalogue, classification, sharing and opening."""

    shares_data: Flag | None = fact(
        "按要求共享数据 — the project shares data and coordinates business as required "
        "(Jincheng 9; Guiyang 21; Wuhai 15, 20(4))", True)
    catalogue_compiled: Flag | None = fact(
        "编制数据资源目录 — the data resource catalogue was compiled (Guiyang 19; Wuhai 15: "
        "before acceptance)", True)
    catalogue_compiled_on: Date | None = fact("目录编制完成日期", "2025-10-20")
    catalogue_reviewed: Flag | None = fact(
        "目录审核通过 — the catalogue passed the big-data bureau's or centre's review "
        "(Guiyang 19; Wuhai 15)", True)
    catalogue_reviewed_on: Date | None = fact("目录审核通过日期", "2025-10-28")
    catalogue_in_platform: Flag | None = fact(
        "目录纳入共享平台 — the catalogue is managed in the sharing platform's catalogue "
        "system (Jincheng 19; Guiyang 19; Wuhai 15)", True)
    classified_graded: Flag | None = fact(
        "数据分类分级 — the data resources are classified and graded (Guiyang 20; Wuhai 15)",
        True)
    sharing_types_defined: Flag | None = fact(
        "明确共享开放类型 — each resource's sharing and opening type is defined (Guiyang 20; "
        "Wuhai 15)", True)
    confidentiality_reviewed: Flag | None = fact(
        "保密审查 — the data resources passed a confidentiality review (Guiyang 20: before "
        "listing; Wuhai 15)", True)
    confidentiality_reviewed_on: Date | None = fact("保密审查日期", "2025-10-25")
    listed: Flag | None = fact(
        "数据上架 — the data resources were listed on the platform (Guiyang 18, 20)", True)
    listed_on: Date | None = fact("上架日期", "2025-11-02")
    sensitive: Flag | None = fact(
        "含敏感数据 — contains sensitive data: trade secrets, personal information "
        "(Guiyang 20, 26; Wuhai 15)", True)
    desensitised: Flag | None = fact(
        "脱敏 — sensitive data are desensitised before sharing or opening (Guiyang 20, 26; "
        "Wuhai 15)", True)
    shared_or_opened: Flag | None = fact(
        "已共享或开放 — some of the project's data has been shared or opened", True)
    openable: Flag | None = fact("可开放数据 — some data resources may be opened (Guiyang 22)",
                                 True)
    opened: Flag | None = fact(
        "数据开放 — openable data are published on the government open-data platform "
        "(Guiyang 22)", True)
    responsibility_list: Flag | None = fact(
        "共享责任清单 — the data-sharing responsibility list was compiled (Guiyang 21; "
        "Wuhai 15)", True)
    negative_list: Flag | None = fact("共享负面清单 — the sharing negative list (Wuhai 15)", True)
    supply_demand_list: Flag | None = fact(
        "供需对接清单 — the supply-and-demand matching list (Wuhai 15)", True)
    standard_interface: Flag | None = fact(
        "标准化数据接口 — a standard data interface is reserved for the exchange platform "
        "(Wuhai 16)", True)
    in_public_resources: Flag | None = fact(
        "纳入公共数据资源 — data produced and used by the project were added to the city's "
        "public data resources (Taiyuan 16)", True)
    landed: Flag | None = fact(
        "数据落盘 — the project's data are stored on the city platform (Jincheng 19)", True)
    misused: Flag | None = fact(
        "违规使用数据 — data were abused, spread without permission, used without "
        "authorisation or leaked (Jincheng 25; Taiyuan 17)", False)


class GradedProtection(Facts):
    """等级保护 — the cybersecurity classified protection scheme."""

    applied: Flag | None = fact(
        "实行等级保护制度 — the system is under graded protection (Shangrao 6(5); "
        "Jincheng 28)", True)
    level: ProtectionLevel | None = fact("保护等级 — protection level, 1 to 5 (第几级)", 3)
    filed: Flag | None = fact("等保备案 — graded-protection filing done", True)
    filed_on: Date | None = fact("等保备案日期", "2025-06-10")
    assessed: Flag | None = fact("等级测评 — graded-protection assessment done", True)
    assessed_on: Date | None = fact("等级测评日期", "2025-10-30")


class SecurityAssessment(Facts):
    """One security test or risk assessment (安全检测 / 风险评估)."""

    kind: Literal["risk_assessment", "security_test"] | None = fact(
        "类型 — risk_assessment 风险评估, security_test 信息安全检测", "risk_assessment")
    performed_on: Date | None = fact("开展日期", "2025-06-15")
    by: list[Party] | None = fact(
        "开展单位 — who carried it out (Jincheng 28: owner with the big-data bureau; "
        "Guiyang 25: the provider)", ["owner", "big_data_bureau"])
    reported: Flag | None = fact(
        "结果报送 — the result was reported (Guiyang 25: to the big-data bureau)", True)
    reported_on: Date | None = fact("报送日期", "2025-06-30")
    reported_to: list[Authority] | None = fact("报送单位", ["big_data_bureau"])


class Incident(Facts):
    """One network-security incident (网络安全事件)."""

    occurred_on: Date | None = fact("发生日期", "2025-08-03")
    records_kept: Flag | None = fact(
        "处置情况和记录保存 — the handling and its records were kept (Jincheng 29)", True)
    reported: Flag | None = fact(
        "按规定报告 — reported to the competent departments (Jincheng 29)", True)
    reported_on: Date | None = fact("报告日期", "2025-08-03")
    reported_to: list[Authority] | None = fact("报告单位", ["big_data_bureau"])


class Security(Facts):
    """安全保障 — graded protection, cryptography, assessments, emergencies."""

    planned_in_step: Flag | None = fact(
        "数据安全同步规划 — data security was planned together with the platform "
        "(Taiyuan 4 同步规划)", True)
    built_in_step: Flag | None = fact(
        "数据安全同步建设 — data security measures were built together with the platform "
        "(Taiyuan 4 同步建设)", True)
    run_in_step: Flag | None = fact(
        "数据安全同步运行 — data security measures run together with the platform "
        "(Taiyuan 4 同步运行)", True)
    graded_protection: GradedProtection | None = fact(
        "等级保护 — graded protection (Shangrao 6(5); Jincheng 28)")
    cryptography_compliant: Flag | None = fact(
        "落实国家密码管理要求 / 采用密码技术 — meets the national cryptography requirements "
        "(Jincheng 28; Wuhai 19)", True)
    crypto_assessment: Flag | None = fact(
        "密码应用安全性评估 — a cryptography application security assessment was done "
        "(Wuhai 19, periodically)", True)
    crypto_assessment_on: Date | None = fact("最近一次密评日期", "2025-05-20")
    assessments: list[SecurityAssessment] | None = fact(
        "安全检测与风险评估 — security tests and risk assessments, in order (Guiyang 25: "
        "yearly, reported to the big-data bureau; Jincheng 28)")
    emergency_plan: Flag | None = fact(
        "应急预案 / 服务应急处置机制 — an emergency plan or response mechanism exists "
        "(Jincheng 29; Guiyang 25)", True)
    emergency_drills: list[Date] | None = fact(
        "应急演练 — dates of emergency drills (Jincheng 29: regularly)", ["2025-09-12"])
    secure_controllable: Flag | None = fact(
        "软硬件安全自主可控 — software and hardware are secure and controllable; part of "
        "technical review and acceptance (Jincheng 7, 20)", True)
    domestic_products: Flag | None = fact(
        "国产化产品 — uses secure domestic databases, operating systems, server chips "
        "(Guiyang 24, encouraged)", True)
    management_system: Flag | None = fact(
        "安全管理制度和技术措施 — security management rules and technical measures are in "
        "place (Guiyang 23, 24; Wuhai 17)", True)
    incidents: list[Incident] | None = fact(
        "网络安全事件 — security incidents, in order (Jincheng 29)")
