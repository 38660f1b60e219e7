"""One project under every city's regulation, side by side.

:func:`compare` turns one snapshot's reports under several packs into a matrix: rows are
obligation *topics* (contract filing, budget change, quarterly reporting, acceptance,
cloud, data catalogue, security, ...), columns are cities, and each cell gives the worst
status of that city's rules on the topic and the articles they rest on. Below the
matrix, each city's violations with their citations say why.

A rule's topic comes from its id's slug (``guiyang.15.over-10pct`` -> budget change),
else from the snapshot facts it reads (``acceptance.report_filed`` -> acceptance): see
:func:`topic_of`. Packs need no extra metadata for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, ConfigDict

from govrules._version import __version__
from govrules.pack import Pack
from govrules.report import Finding, Report, Verdict

__all__ = ["TOPICS", "Cell", "CityColumn", "Comparison", "Topic", "TopicRow", "compare",
           "topic_of"]


@dataclass(frozen=True, slots=True)
class Topic:
    """An obligation topic: its id, names, and how rules are sorted into it."""

    id: str
    en: str
    zh: str
    slug: str = ""
    facts: tuple[str, ...] = ()


TOPICS: tuple[Topic, ...] = (
    Topic("scope", "Scope", "适用范围"),
    Topic("planning", "Planning, review and approval", "规划、论证与审批",
          r"plan|review|approv|feasib|declar|document|submit|annual|application",
          ("planning.",)),
    Topic("budget", "Budget and funds", "预算与资金", r"budget|fund|estimate|investment",
          ("budget.", "funding.")),
    Topic("budget-change", "Budget and content changes", "项目调整与变更",
          r"adjust|10pct|change", ("budget.adjustments", "construction.content_changed")),
    Topic("procurement", "Procurement", "采购", r"bid|procure|tender", ("procurement.",)),
    Topic("contract-filing", "Contract filing", "合同备案",
          r"contract.*(fil|record)|(fil|record).*contract", ("contract.filed",)),
    Topic("contract", "Contract, IP and service term", "合同、知识产权与服务期",
          r"(^|-)ip(-|$)|contract|terminat|service-term|free-om|repurchase",
          ("contract.", "service.")),
    Topic("implementation", "Implementation and delays", "项目实施",
          r"delay|build|built|packag|by-center", ("construction.",)),
    Topic("quarterly-reporting", "Quarterly reporting", "季度报送", r"quarter|progress",
          ("reports.",)),
    Topic("data-catalogue", "Data resource catalogue", "数据资源目录",
          r"catalog|inventory|resource-list|data-lists", ("data.catalogue",)),
    Topic("data-sharing", "Data sharing and opening", "数据共享与开放",
          r"shar|open-data|exchange|interconnect|interface|land-data",
          ("deployment.data_sharing", "data.shar", "data.open", "data.listed")),
    Topic("data", "Data management", "数据管理",
          r"data|desensiti|classif|confidential", ("data.",)),
    Topic("cloud", "Government cloud and shared platforms", "政务云与共性平台",
          r"cloud|platform|city-brain|infrastructure|public-app|migrate",
          ("deployment.",)),
    Topic("security", "Security", "安全保障",
          r"secur|crypt|graded-protection|drill|incident|risk|emergency-plan|controllable",
          ("security.",)),
    Topic("acceptance", "Acceptance and acceptance report", "验收与验收报告",
          r"accept|trial|pre-review|report-filed|completion|archiv|minutes|participants",
          ("acceptance.", "trial_run.")),
    Topic("operation", "Operation and maintenance", "运行维护",
          r"(^|-)om(-|$)|maint|(^|-)operat|lifecycle", ("operation.",)),
    Topic("performance", "Performance evaluation", "绩效评价",
          r"perform|evaluat|indicator", ("performance.",)),
    Topic("supervision", "Supervision and rectification", "监督检查与整改",
          r"inspect|rectif|truth|supervis|misuse|cooperat|responsib", ("inspection.",
                                                                      "rectification.")),
    Topic("other", "Other obligations", "其他"),
)
"""Topics in display order (the project's life cycle)."""

_SLUG_ORDER = ("budget-change", "contract-filing", "quarterly-reporting", "data-catalogue",
               "data-sharing", "acceptance", "security", "cloud", "procurement", "data",
               "operation", "performance", "supervision", "implementation", "budget",
               "contract", "planning")
"""Slug patterns are tried most specific first (``catalogue-before-acceptance`` is about
the catalogue, ``fund-use-quarterly`` about quarterly reporting)."""
_BY_ID = {t.id: t for t in TOPICS}
_PATTERNS = [(t, re.compile(_BY_ID[t].slug)) for t in _SLUG_ORDER]
_CONTEXT_FACTS = ("project.", "contract.signed", "acceptance.completion", "city", "as_of")
"""Facts most rules read only to know the phase; they say nothing of the topic."""
_WORST = ("violated", "undetermined", "waived", "satisfied", "not_applicable")


def topic_of(rule_id: str, facts: Iterable[str] = (), *, scope: bool = False) -> str:
    """The topic id of a rule, from its slug, else from the facts it reads.

    >>> topic_of("guiyang.15.over-10pct")
    'budget-change'
    >>> topic_of("guiyang.28.report-filed", ["acceptance.report_filed", "project.phase"])
    'acceptance'
    """
    if scope:
        return "scope"
    slug = rule_id.rsplit(".", 1)[-1]
    for topic, pattern in _PATTERNS:
        if pattern.search(slug):
            return topic
    votes: dict[str, int] = {}
    for fact in facts:
        if fact.startswith(_CONTEXT_FACTS):
            continue
        best = max(((len(prefix), t.id) for t in TOPICS for prefix in t.facts
                    if fact.startswith(prefix)), default=None)
        if best is not None:
            votes[best[1]] = votes.get(best[1], 0) + 1
    if not votes:
        return "other"
    order = [t.id for t in TOPICS]
    return max(votes, key=lambda t: (votes[t], -order.index(t)))


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Cell(_Frozen):
    """One city's standing on one topic: the worst status of its rules there."""

    status: str | None
    articles: list[str]
    rules: list[str]
    statuses: dict[str, str]


class TopicRow(_Frozen):
    topic: str
    en: str
    zh: str
    cells: dict[str, Cell]


class CityColumn(_Frozen):
    pack: str
    city_zh: str
    city_en: str
    title_zh: str
    verdict: Verdict
    binding: bool
    validity: str
    violated: int
    undetermined: int


class Comparison(_Frozen):
    """The matrix and each city's violations (findings in the report contract's form)."""

    govrules_version: str
    snapshot_id: str | None
    as_of: date
    cities: list[CityColumn]
    rows: list[TopicRow]
    violations: dict[str, list[Finding]]

    def to_json_dict(self) -> dict[str, object]:
        return self.model_dump(mode="json")


def compare(reports: Sequence[Report], packs: Sequence[Pack]) -> Comparison:
    """The comparison of one snapshot's reports (made with ``include_all``) by topic."""
    by_id = {p.id: p for p in packs}
    cells: dict[str, dict[str, list[Finding]]] = {}
    cities: list[CityColumn] = []
    for report in reports:
        pack = by_id.get(report.pack.id)
        scope_ids = {c.spec.id for c in pack.scope} if pack is not None else set()
        for finding in report.findings:
            compiled = pack.rules_by_id.get(finding.rule) if pack is not None else None
            topic = topic_of(finding.rule, compiled.facts if compiled is not None else (),
                             scope=finding.rule in scope_ids)
            cells.setdefault(topic, {}).setdefault(report.pack.id, []).append(finding)
        city = pack.meta.city if pack is not None else None
        cities.append(CityColumn(
            pack=report.pack.id, city_zh=city.zh if city else report.pack.id,
            city_en=city.en if city else report.pack.id, title_zh=report.pack.title_zh,
            verdict=report.verdict, binding=report.binding, validity=report.pack.validity,
            violated=report.counts.get("violated", 0),
            undetermined=report.counts.get("undetermined", 0)))
    rows = [TopicRow(topic=t.id, en=t.en, zh=t.zh,
                     cells={c.pack: _cell(cells[t.id].get(c.pack, [])) for c in cities})
            for t in TOPICS if t.id in cells]
    violations = {r.pack.id: [f for f in r.findings if f.status == "violated"]
                  for r in reports}
    first = reports[0] if reports else None
    return Comparison(govrules_version=__version__,
                      snapshot_id=first.snapshot_id if first else None,
                      as_of=first.as_of if first else date.today(), cities=cities,
                      rows=rows, violations=violations)


def _cell(findings: list[Finding]) -> Cell:
    if not findings:
        return Cell(status=None, articles=[], rules=[], statuses={})
    status = min((f.status for f in findings), key=_WORST.index)
    decisive = [f for f in findings if f.status == status]
    articles: list[str] = []
    for finding in sorted(decisive, key=lambda f: (f.article.number, str(f.article.item))):
        label = finding.article.label + (f"({finding.article.item})"
                                         if finding.article.item is not None else "")
        if label not in articles:
            articles.append(label)
    return Cell(status=status, articles=articles, rules=[f.rule for f in findings],
                statuses={f.rule: f.status for f in findings})
