"""Snapshot groups for what a project is and how it was prepared and bought.

``project``, ``funding``, ``budget``, ``planning``, ``procurement``, ``contract`` and
``service``. Article references in the descriptions name the city and article number.
The budget and its adjustments are defined in :mod:`govrules.model.snapshot._budget`, the
procurement, contract and service in :mod:`govrules.model.snapshot.contracting`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import model_validator
from pydantic_core import PydanticCustomError

from govrules.model.snapshot._budget import Budget, BudgetAdjustment
from govrules.model.snapshot.base import (
    Approval,
    Date,
    Facts,
    Flag,
    Quantity,
    Text,
    fact,
)
from govrules.model.snapshot.contracting import Contract, Procurement, Service

__all__ = [
    "Budget",
    "BudgetAdjustment",
    "Category",
    "Contract",
    "Funding",
    "GovernmentLevel",
    "PlanContent",
    "Planning",
    "Procurement",
    "Project",
    "Service",
]

GovernmentLevel = Literal["national", "provincial", "municipal", "district", "county"]
"""national 国家级, provincial 省级/自治区级, municipal 市本级/市级, district 区级, county 县级."""

Category = Literal[
    "infrastructure",
    "network",
    "machine_room",
    "cloud_platform",
    "platform_software",
    "application",
    "data_resource",
    "data_governance",
    "security",
    "consulting",
    "data_center",
    "video_platform",
    "iot_platform",
    "sensing_devices",
    "office_equipment",
    "civil_works",
    "decoration",
    "specialised_equipment",
    "information_system",
]
"""What the project builds or buys; office_equipment, civil_works, decoration and
specialised_equipment are outside Shangrao art. 2; information_system is an information
system whose category the record does not state."""

PlanContent = Literal[
    "objectives",
    "main_content",
    "scale",
    "functions",
    "technical_route",
    "data_resources",
    "security",
    "budget",
    "product_models",
    "development_estimate",
    "supervision_costs",
    "acceptance_costs",
    "resource_inventory",
]
"""Sections a project plan (项目方案) contains (Guiyang 6(3); Shangrao 7, 8)."""


class Project(Facts):
    """项目基本情况 — identity, classification and lifecycle of the project."""

    name: Text | None = fact("项目名称 — project name", "智慧交通数据治理服务项目")
    owner: Text | None = fact(
        "业主单位 / 项目实施单位 / 项目建设单位 — the government unit responsible for the "
        "project", "贵阳市交通委员会")
    manager: Text | None = fact("项目负责人 — named person responsible (Jincheng 14)", "张伟")
    owner_type: Literal[
        "administrative_organ", "authorised_institution", "authorised_organisation",
        "institution", "social_organisation", "enterprise", "other",
    ] | None = fact(
        "业主单位性质 — what kind of body the owner is: administrative_organ 行政机关, "
        "authorised_institution 法律法规授权具有行政职能的事业单位, authorised_organisation "
        "法律法规授权具有行政职能的社会组织, institution 其他事业单位, social_organisation "
        "其他社会组织, enterprise 企业, other 其他 (Guiyang 3: only the first three are covered)",
        "administrative_organ")
    level: GovernmentLevel | None = fact(
        "项目层级 — government level of the project: municipal 市本级, district 区级, county "
        "县级, provincial 省级, national 国家级 (Jincheng 3; Guiyang 3; Shangrao 2; Wuhai 23)",
        "municipal")
    kind: Literal["construction", "om", "purchased_service"] | None = fact(
        "项目类别 — construction 建设类, om 运维类, purchased_service 购买服务类 "
        "(Shangrao 6; Guiyang 3)", "construction")
    build_type: Literal["new", "expansion", "upgrade", "continuation", "om"] | None = fact(
        "建设性质 — new 新建, expansion 扩建/改扩建, upgrade 改建/改造升级, continuation 续建, "
        "om 运行维护 (Wuhai 2; Jincheng 3; Shangrao 2; Taiyuan 5, 6)", "new")
    services: list[Literal[
        "infrastructure_service", "software_development", "business_operation",
        "supporting_service",
    ]] | None = fact(
        "服务类型 — Guiyang art. 3 service types: infrastructure_service 信息基础设施服务, "
        "software_development 软件开发服务, business_operation 系统业务运营服务, "
        "supporting_service 其他配套服务 (咨询、造价估算、测评、安全)",
        ["software_development", "business_operation"])
    categories: list[Category] | None = fact(
        "项目内容 — what the project builds or buys: infrastructure 基础设施/软硬件支撑系统, "
        "network 信息网络, machine_room 机房, cloud_platform 云服务平台(含数据库系统), "
        "platform_software 基础性综合性平台软件, application 信息化应用系统/应用软件, "
        "data_resource 信息资源开发利用/数据采集清洗标注交易, data_governance 数据采集和数据治理, "
        "security 信息安全/网络信息安全系统, consulting 规划设计、标准制定、技术咨询、第三方评估, "
        "data_center 数据中心, video_platform 视频平台, iot_platform 物联网平台, "
        "sensing_devices 视频监控、信息采集、物联感知等设备设施, information_system 信息系统 "
        "(类别未说明: an information system whose category is not stated); outside Shangrao "
        "art. 2: "
        "office_equipment 个人电脑、照相机、复印机、移动存储设备、耗材等零散购置, civil_works "
        "土建工程, decoration 普通装修工程, specialised_equipment 专业领域设备 "
        "(Taiyuan 6; Jincheng 3; Shangrao 2; Wuhai 4, 9, 10)", ["application", "data_governance"])
    platform_type: Literal["city_platform", "special_business"] | None = fact(
        "平台类型 — city_platform 太原市大数据应用服务平台 (city-level data hub), "
        "special_business 专项业务类平台 (Taiyuan 3, 5)", "special_business")
    platform_class: Literal["comprehensive", "industry", "other"] | None = fact(
        "平台性质 — comprehensive 综合型, industry 行业类 big-data platform; decides scope for "
        "non-fiscal platforms (Taiyuan 7)", "industry")
    classified: Flag | None = fact(
        "涉密 — involves state secrets; such projects follow secrecy rules instead "
        "(Jincheng 3; Guiyang 3; Wuhai 21; Shangrao 38)", False)
    emergency: Flag | None = fact(
        "紧急的、特殊的项目 — an urgent or special project, for whatever reason (Shangrao 12). "
        "Not by itself a disaster emergency: record that as project.disaster_emergency",
        False)
    disaster_emergency: Flag | None = fact(
        "因严重自然灾害和其他不可抗力事件所实施的紧急项目 — an emergency project carried out "
        "because of a severe natural disaster or other force majeure (Wuhai 22). Implies an "
        "urgent project, not the reverse", False)
    cross_department: Flag | None = fact(
        "跨部门 — serves several departments (Wuhai 8; Taiyuan 6)", False)
    cross_level: Flag | None = fact(
        "跨层级 / 市县协同 — spans city and district/county levels (Wuhai 8; Jincheng 5, 12)",
        False)
    foundational: Flag | None = fact(
        "基础性、全局性、复用性 — a foundational, city-wide, reusable project such as a cloud "
        "computing centre, e-government extranet, city brain, CIM, data exchange platform, "
        "city APP or security infrastructure (Wuhai 4, 9)", False)
    major: Flag | None = fact(
        "重大项目 / 重点项目 — a major or key project: city-wide common platform, data sharing "
        "and opening, or public interest (Guiyang 28; Shangrao 28)", False)
    multi_year: Flag | None = fact(
        "跨年度 — construction spans several budget years (Shangrao 11, 26)", False)
    subordinate_unit: Flag | None = fact(
        "下属单位项目 — the owner is a unit subordinate to a city department (Shangrao 6(1))",
        False)
    public_app: Flag | None = fact(
        "面向公众的线上服务类APP — is or creates a public-facing online service app "
        "(Wuhai 4)", False)
    regulatory_domain: Flag | None = fact(
        "业务领域性、监管性强 — a project strongly tied to one business domain or to "
        "regulatory work (Wuhai 11)", True)
    purchase_based: Flag | None = fact(
        "以采购软、硬件设施为主 — a construction project consisting mainly of buying software "
        "and hardware (Shangrao 6(1))", True)
    self_built: Flag | None = fact(
        "部门单独建设 — built by the department alone rather than by the big-data centre "
        "统一建设 (Wuhai 8, 12)", True)
    manager_appointed: Flag | None = fact(
        "确定项目负责人 — a named person responsible for the project was appointed "
        "(Jincheng 14); a recorded project.manager shows it", True)
    responsibility_system: Flag | None = fact(
        "责任制 — the owner set up a project responsibility system (Jincheng 14)", True)
    lifecycle_management: Flag | None = fact(
        "全生命周期管理制度 — whole-lifecycle management rules for the project are in place "
        "(Taiyuan 15)", True)
    phase: Literal[
        "planning", "declared", "reviewed", "approved", "procurement", "contracted",
        "implementation", "trial_run", "acceptance", "completed", "operation", "terminated",
    ] | None = fact(
        "所处阶段 — lifecycle phase: planning 规划, declared 已申报, reviewed 已评审, "
        "approved 已立项/批复, procurement 采购, contracted 已签合同, implementation 实施, "
        "trial_run 试运行, acceptance 验收, completed 已竣工验收, operation 运行维护, "
        "terminated 已终止",
        "implementation")
    start_date: Date | None = fact("开工/实施开始日期 — date implementation started", "2025-03-01")
    planned_end_date: Date | None = fact(
        "计划完成日期 — planned end of implementation", "2026-02-28")
    end_date: Date | None = fact(
        "实际完成日期 — date the project actually ended (accepted or closed)", "2026-03-20")
    implementation_months: Quantity | None = fact(
        "实施周期 — planned implementation period; 6 months or more triggers quarterly "
        "reporting (Shangrao 16)", 12, unit="months")

    @model_validator(mode="after")
    def _disaster_is_urgent(self) -> Project:
        if self.disaster_emergency and self.emergency is False:
            raise PydanticCustomError(
                "disaster_not_urgent",
                "disaster_emergency is true but emergency is false: a disaster emergency is an "
                "urgent project (因灾紧急项目即属紧急项目), so remove one of them")
        return self


class Funding(Facts):
    """资金来源 — where the money comes from and how it is released."""

    source: Literal["fiscal", "non_fiscal", "mixed"] | None = fact(
        "资金性质 — fiscal 财政性资金, non_fiscal 非财政资金, mixed 混合 (Taiyuan 7; Jincheng 3; "
        "Guiyang 3; Shangrao 2)", "fiscal")
    fiscal_level: GovernmentLevel | None = fact(
        "财政资金层级 — level of the budget paying: municipal 市级财政 … national 中央财政 "
        "(Guiyang 3; Wuhai 2)", "municipal")
    mode: Literal["government_investment", "joint", "purchased_service", "government_om"] | None \
        = fact(
            "建设模式 — government_investment 政府投资建设, joint 政府和社会联合建设, "
            "purchased_service 政府向社会购买服务, government_om 需要政府(资金)运行维护 "
            "(Taiyuan 7; Shangrao 2, 6(3))", "purchased_service")
    own_income: Flag | None = fact("自有收入 — paid from the unit's own income (Wuhai 2)", False)
    superior_funds: Flag | None = fact(
        "上级财政资金 — uses funds from a higher-level budget, e.g. a national or regional "
        "project (Wuhai 5; Guiyang 13)", False)
    superior_coordinated: Flag | None = fact(
        "国家、自治区统筹建设 — the project is built under national or autonomous-region "
        "coordination (Wuhai 5)", True)
    superior_funds_filed: Flag | None = fact(
        "上级资金项目备案 — the higher-level-funded project was filed with the big-data centre "
        "(Wuhai 5)", True)
    superior_funds_filed_on: Date | None = fact("备案日期 — date of that filing", "2025-02-20")
    uses_public_data: Flag | None = fact(
        "利用公共数据资源 — uses the city's public data resources (Taiyuan 12, 17)", True)
    followup_funds_allocated: Flag | None = fact(
        "后续资金安排 / 列入预算 — follow-up funds (later construction, upgrade or O&M money "
        "after the original construction) were arranged or put in the budget; kept apart "
        "from the original construction funds (Taiyuan 16, 20; Jincheng 21)", True)
    followup_funds_allocated_on: Date | None = fact("后续资金安排日期", "2023-03-01")
    followup_funds_paid: Flag | None = fact(
        "后续资金拨付 — follow-up construction or O&M funds were paid out (Taiyuan 16)", True)
    followup_funds_paid_on: Date | None = fact("后续资金拨付日期", "2023-04-10")
    construction_funds_allocated: Flag | None = fact(
        "安排/拨付建设资金 — construction funds were allocated or paid (Taiyuan 11, 16; "
        "Jincheng 21)", True)
    om_funds_allocated: Flag | None = fact(
        "安排/拨付运维经费 — operation and maintenance funds were allocated or paid "
        "(Taiyuan 11, 20; Jincheng 9, 21)", True)
    payments_suspended: Flag | None = fact(
        "暂缓/暂停拨付 — payments are suspended pending rectification (Jincheng 22; Guiyang 32; "
        "Wuhai 20)", False)
    separate_accounting: Flag | None = fact(
        "专款专用、单独核算 — the funds are ring-fenced and accounted separately (Shangrao 25)",
        True)
    diverted: Flag | None = fact(
        "挪作他用 — project funds were used for other spending (Shangrao 25)", False)


class Planning(Facts):
    """前期管理 — plans, declarations, documents submitted, reviews and approvals."""

    department_plan_compiled: Flag | None = fact(
        "编制涉及政务信息系统建设的规划 — the department (or county) compiled a plan that "
        "involves building government information systems (Jincheng 6)", True)
    department_plan_filed: Flag | None = fact(
        "部门规划备案 — the department's big-data / IT plan was filed with the big-data bureau "
        "(Guiyang 5; Jincheng 6)", True)
    department_plan_filed_on: Date | None = fact("规划备案日期", "2024-06-20")
    in_annual_plan: Flag | None = fact(
        "纳入年度计划 — the project is in the approved annual plan (Taiyuan 9; Jincheng 8; "
        "Guiyang 8; Wuhai 6)", True)
    declared: Flag | None = fact(
        "项目申报 — the project was declared in the yearly call (Shangrao 5; Taiyuan 9)", True)
    declared_on: Date | None = fact("申报日期", "2024-07-25")
    declaration_due_on: Date | None = fact(
        "申报截止日期 — deadline set by the yearly call for projects (Shangrao 5)",
        "2024-08-15")
    declared_by_parent: Flag | None = fact(
        "由主管部门统一申报 — a subordinate unit's project was declared by its supervising "
        "department (Shangrao 6(1))", True)
    plan_submitted: Flag | None = fact(
        "项目方案/建设方案编报 — the project plan was submitted (in writing) to the big-data "
        "bureau or centre (Guiyang 6; Wuhai 11, 12; Shangrao 7, 8)", True)
    plan_submitted_on: Date | None = fact("方案提交日期", "2024-08-05")
    plan_contents: list[PlanContent] | None = fact(
        "方案内容 — sections the plan contains: objectives 项目目标, main_content 主要内容, "
        "scale 应用规模, functions 功能应用, technical_route 技术路线, data_resources 数据资源, "
        "security 安全保障, budget 经费预算, product_models 软硬件产品参考型号和配置, "
        "development_estimate 应用系统开发估算量, supervision_costs 项目管理、项目监理概算, "
        "acceptance_costs 项目验收等费用, resource_inventory 系统软硬件资源现状 (运维类) "
        "(Guiyang 6(3); Shangrao 7, 8, 10(1))", ["objectives", "main_content", "budget"])
    interconnection_planned: Flag | None = fact(
        "可实现互联互通、信息共享、业务协同 — the system as approved can interconnect, share "
        "information and work with other systems (Jincheng 9: a bar on approval)", True)
    proposal_submitted: Flag | None = fact(
        "项目建议书 — a project proposal was submitted (Jincheng 8; Wuhai 12)", True)
    proposal_submitted_on: Date | None = fact("项目建议书提交日期", "2024-05-10")
    feasibility_study_submitted: Flag | None = fact(
        "可行性研究报告 — a feasibility study report was submitted (Taiyuan 10; Jincheng 8; "
        "Wuhai 12)", True)
    feasibility_study_submitted_on: Date | None = fact("可研报告提交日期", "2024-06-03")
    preliminary_design_submitted: Flag | None = fact(
        "初步设计方案 — a preliminary design was submitted (Jincheng 7, 8; Wuhai 12)", True)
    preliminary_design_submitted_on: Date | None = fact("初步设计提交日期", "2024-07-01")
    investment_estimate_submitted: Flag | None = fact(
        "投资概算 / 概(预)算方案 — an investment estimate was submitted (Jincheng 8; Wuhai 12; "
        "Shangrao 7)", True)
    investment_estimate_submitted_on: Date | None = fact("投资概算提交日期", "2024-07-01")
    phased_plan_declared: Flag | None = fact(
        "分期建设方案 — for an approved multi-year project, this year's phase plan was "
        "declared (Shangrao 11)", True)
    technical_review: Approval | None = fact(
        "技术审核 / 审核建议 / 审核论证 — the big-data bureau's or centre's technical review "
        "(Taiyuan 10, 11; Jincheng 7, 8; Wuhai 8, 11, 12)")
    expert_review: Approval | None = fact(
        "专家论证 / 集中评审 — expert review of the plan (Guiyang 7; Shangrao 9, 10)")
    project_approval: Approval | None = fact(
        "立项审批 / 项目批复 / 审定 — the approval that establishes the project (Taiyuan 8; "
        "Jincheng 8; Guiyang 7; Wuhai 12; Shangrao 9)")
    budget_review: Approval | None = fact(
        "预算评审 / 预算审核批复 — the finance bureau's budget review or approval (Taiyuan 8; "
        "Guiyang 9, 10)")
    emergency_application_written: Flag | None = fact(
        "紧急项目书面申请 — the supervising unit submitted a written application setting out "
        "the project's necessity and urgency (Shangrao 12)", True)
    emergency_approval: Approval | None = fact(
        "紧急项目书面申请批准 — city-government approval of a written request for an urgent "
        "or special project (Shangrao 12)")
    in_project_library: Flag | None = fact(
        "入库 — entered in the city project library: 储备库 after review, 建设库 once under "
        "way (Shangrao 9, 29)", True)
