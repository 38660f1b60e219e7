"""One project under every city's regulation, side by side.

:func:`compare` turns one snapshot's reports under several packs into a matrix: rows are
obligation *topics* (planning, budget, filing, reporting, acceptance, cloud, security,
...), columns are cities, and each cell gives the worst status of that city's rules on the
topic and the articles they rest on. Below the matrix, each city's violations with their
citations say why.

A rule's topic is the ``topic:`` its pack declares (a slug). :data:`TOPICS` names the
common ones in Chinese and English and fixes their order; a pack may use any other slug,
shown as written after them. Rules without a topic go under ``other``; ``govrules lint``
reports them (``rule-topic-missing``) with a topic suggested from the rule's id and the
facts it reads (:func:`suggest_topic`), which is only ever a suggestion.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from govrules._version import __version__
from govrules.model.pack import Pack
from govrules.model.report import Finding, Report, Verdict, _Frozen

__all__ = ["OTHER", "SCOPE", "TOPICS", "Cell", "CityColumn", "Comparison", "Topic", "TopicRow",
           "compare", "suggest_topic", "topic_names", "topic_of"]

SCOPE = "scope"
"""The row of the packs' scope clauses."""
OTHER = "other"
"""The row of rules whose pack declares no topic."""


@dataclass(frozen=True, slots=True)
class Topic:
    """A named obligation topic: its slug and its names."""

    id: str
    en: str
    zh: str


TOPICS: tuple[Topic, ...] = (
    Topic(SCOPE, "Scope", "适用范围"),
    Topic("planning", "Planning and project documents", "规划与立项"),
    Topic("approval", "Review and approval", "论证与审批"),
    Topic("budget", "Budget and funds", "预算与资金"),
    Topic("change", "Changes and adjustments", "项目调整与变更"),
    Topic("procurement", "Procurement", "采购"),
    Topic("filing", "Filing", "备案"),
    Topic("contract", "Contract and service term", "合同与服务期"),
    Topic("ip", "Intellectual property", "知识产权"),
    Topic("implementation", "Implementation and delays", "项目实施"),
    Topic("reporting", "Reporting", "报送"),
    Topic("data", "Data management", "数据管理"),
    Topic("data-catalogue", "Data resource catalogue", "数据资源目录"),
    Topic("data-sharing", "Data sharing and opening", "数据共享与开放"),
    Topic("cloud", "Government cloud and shared platforms", "政务云与共性平台"),
    Topic("security", "Security", "安全保障"),
    Topic("acceptance", "Acceptance", "验收"),
    Topic("operations", "Operation and maintenance", "运行维护"),
    Topic("evaluation", "Performance evaluation", "绩效评价"),
    Topic("supervision", "Supervision and rectification", "监督检查与整改"),
    Topic(OTHER, "Other obligations", "其他"),
)
"""Named topics in display order (the project's life cycle)."""

_NAMED = {t.id: t for t in TOPICS}
_ORDER = {t.id: i for i, t in enumerate(TOPICS)}

_SLUG_HINTS: tuple[tuple[str, str], ...] = (
    ("change", r"adjust|change"),
    ("budget", r"budget|fund|estimate|investment"),
    ("filing", r"contract.*(fil|record)|(fil|record).*contract|filed|filing"),
    ("reporting", r"quarter|progress|report"),
    ("data-catalogue", r"catalog|inventory|resource-list"),
    ("data-sharing", r"shar|open-data|exchange|interconnect|interface"),
    ("acceptance", r"accept|trial|completion|archiv"),
    ("security", r"secur|crypt|graded-protection|drill|incident|risk"),
    ("cloud", r"cloud|platform|infrastructure|migrate"),
    ("procurement", r"bid|procure|tender"),
    ("ip", r"(^|-)ip(-|$)|intellectual|copyright|source-code"),
    ("operations", r"(^|-)om(-|$)|maint|(^|-)operat|lifecycle"),
    ("evaluation", r"perform|evaluat|indicator"),
    ("supervision", r"inspect|rectif|supervis|responsib"),
    ("implementation", r"delay|build|built|packag"),
    ("contract", r"contract|terminat|service-term"),
    ("approval", r"review|approv|feasib"),
    ("planning", r"plan|declar|document|submit|annual|application"),
)
"""Words of a rule id's slug that suggest a topic, most specific first."""
_FACT_HINTS: tuple[tuple[str, str], ...] = (
    ("budget.", "budget"), ("budget.adjustments", "change"), ("funding.", "budget"),
    ("procurement.", "procurement"),
    ("contract.filed", "filing"), ("contract.", "contract"), ("service.", "contract"),
    ("construction.", "implementation"), ("reports.", "reporting"), ("data.shar", "data-sharing"),
    ("data.open", "data-sharing"), ("deployment.data_sharing", "data-sharing"),
    ("data.catalogue", "data-catalogue"), ("data.", "data"),
    ("deployment.", "cloud"), ("security.", "security"), ("acceptance.", "acceptance"),
    ("trial_run.", "acceptance"), ("operation.", "operations"), ("performance.", "evaluation"),
    ("inspection.", "supervision"), ("rectification.", "supervision"), ("planning.", "planning"),
)
"""Fact prefixes that suggest a topic (the longest matching prefix wins)."""
_PATTERNS = [(topic, re.compile(pattern)) for topic, pattern in _SLUG_HINTS]
_CONTEXT_FACTS = ("project.", "contract.signed", "acceptance.completion", "city", "as_of")
"""Facts most rules read only to know the phase; they say nothing of the topic."""
_WORST = ("violated", "undetermined", "waived", "satisfied", "not_applicable")


def topic_of(pack: Pack | None, rule_id: str) -> str:
    """The row of a finding: ``scope`` for a scope clause, the rule's declared topic, or
    ``other``."""
    if pack is None:
        return OTHER
    if any(clause.spec.id == rule_id for clause in pack.scope):
        return SCOPE
    rule = pack.rules_by_id.get(rule_id)
    topic = rule.spec.topic if rule is not None else None
    return topic or OTHER


def topic_names(topic: str) -> Topic:
    """The names of a topic; a slug not in :data:`TOPICS` is its own name."""
    return _NAMED.get(topic) or Topic(topic, topic, topic)


def _row_order(topic: str) -> tuple[int, str]:
    """Named topics in their order, other slugs alphabetically after them, ``other`` last."""
    if topic == OTHER:
        return (len(TOPICS) + 1, "")
    return (_ORDER.get(topic, len(TOPICS)), topic)


def suggest_topic(rule_id: str, facts: Iterable[str] = ()) -> str | None:
    """A topic for a rule that declares none, guessed from its id's slug, else from the
    facts it reads; None when nothing suggests one. A lint hint, never a decision.

    >>> suggest_topic("demo.15.budget-adjustment")
    'change'
    >>> suggest_topic("demo.28.obscure", ["acceptance.report_filed", "project.phase"])
    'acceptance'
    """
    slug = rule_id.rsplit(".", 1)[-1]
    for topic, pattern in _PATTERNS:
        if pattern.search(slug):
            return topic
    votes: dict[str, int] = {}
    for fact in facts:
        if fact.startswith(_CONTEXT_FACTS):
            continue
        best = max(((len(prefix), topic) for prefix, topic in _FACT_HINTS
                    if fact.startswith(prefix)), default=None)
        if best is not None:
            votes[best[1]] = votes.get(best[1], 0) + 1
    if not votes:
        return None
    return max(votes, key=lambda t: (votes[t], -_ORDER[t]))


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
        for finding in report.findings:
            topic = topic_of(pack, finding.rule)
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
            for t in map(topic_names, sorted(cells, key=_row_order))]
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
