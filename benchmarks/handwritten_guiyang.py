"""The Guiyang rules written by hand in plain Python: the practical limit for pure Python.

This is what a careful programmer would write for one regulation without an engine:
attribute reads, ``None`` for unknown, three-valued ``and``/``or``/``not`` inlined where
they matter, and the rule statuses the engine reports (``violated``, ``satisfied``,
``undetermined``, ``not_applicable``, ``waived``). It does not say which facts are
missing, nor build messages, steps or a report. ``tests/test_bench_smoke.py`` checks that
it agrees with the native evaluator on the pack's worked examples, so that the benchmark
compares equal work.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from govrules.base.calendar import Quarter, add_years, quarters_between
from govrules.model.snapshot import Snapshot

__all__ = ["RULES", "statuses"]

_TENTH = Decimal("0.10")
_BEFORE_PROCUREMENT = ("planning", "declared", "reviewed", "approved")
_PROCURED = ("contracted", "implementation", "trial_run", "acceptance", "completed", "operation")
_BEFORE_CONTRACT = (*_BEFORE_PROCUREMENT, "procurement")
_CONTRACTED = ("implementation", "trial_run", "acceptance", "completed", "operation")
_BEFORE_ACCEPTANCE = (*_BEFORE_CONTRACT, "contracted", "implementation", "trial_run")
_RUNNING = ("contracted", "implementation", "trial_run", "acceptance", "operation")
_DELIVERED = ("trial_run", "acceptance", "completed", "operation")
_BEFORE_DELIVERY = (*_BEFORE_CONTRACT, "contracted", "implementation")
_COVERED_BODIES = ("administrative_organ", "authorised_institution", "authorised_organisation")
_SYSTEM_SERVICES = ("infrastructure_service", "software_development", "business_operation")
_IP_ITEMS = ("technical_docs", "source_code", "data_interfaces", "data_standards",
             "data_dictionary")
_PLAN = ("objectives", "main_content", "scale", "functions", "technical_route",
         "data_resources", "security", "budget")

RULES = (
    "guiyang.5.department-plan-filed", "guiyang.6.plan-contents", "guiyang.7.expert-review",
    "guiyang.9.budget-request", "guiyang.10.budget-reported",
    "guiyang.11.supplementary-approval", "guiyang.12.approved-before-procurement",
    "guiyang.12.bid-result-filed", "guiyang.14.quarterly-progress",
    "guiyang.15.within-10pct", "guiyang.15.over-10pct", "guiyang.16.termination-reported",
    "guiyang.17.ip-agreement", "guiyang.17.ip-items", "guiyang.17.custom-software-ip",
    "guiyang.19.catalogue-before-acceptance", "guiyang.19.3.catalogue-in-platform",
    "guiyang.20.classify-data",
    "guiyang.20.confidentiality-review", "guiyang.20.desensitise",
    "guiyang.21.sharing-responsibility-list", "guiyang.21.share-on-platform",
    "guiyang.22.open-data",
    "guiyang.24.security-management", "guiyang.25.incident-response",
    "guiyang.25.annual-security-assessment", "guiyang.27.pre-review",
    "guiyang.28.acceptance-on-pre-review", "guiyang.28.report-filed",
    "guiyang.28.bureau-at-major-acceptance",
    "guiyang.29.performance-management", "guiyang.31.truthful-information",
    "guiyang.32.2.unauthorised-change", "guiyang.32.3.government-cloud",
    "guiyang.32.4.data-sharing-platform", "guiyang.32.rectification-reported",
    "guiyang.32.rectification-meets-requirements",
)

B = bool | None


def _and(*values: B) -> B:
    if False in values:
        return False
    return None if None in values else True


def _or(*values: B) -> B:
    if True in values:
        return True
    return None if None in values else False


def _not(value: B) -> B:
    return None if value is None else not value


def _gt(a: Any, b: Any) -> B:
    return None if a is None or b is None else a > b


def _le(a: Any, b: Any) -> B:
    return None if a is None or b is None else a <= b


def _among(value: Any, options: tuple[str, ...]) -> B:
    return None if value is None else value in options


def _has(items: list[Any] | None, value: Any) -> B:
    return None if items is None else value in items


def _any(values: Iterable[B] | None) -> B:
    if values is None:
        return None
    unknown = False
    for v in values:
        if v is True:
            return True
        if v is None:
            unknown = True
    return None if unknown else False


def _add_years(day: date | None, n: int) -> date | None:
    if day is None:
        return None
    try:
        return add_years(day, n)
    except (ValueError, OverflowError):
        return None


def _first_owed(s: Snapshot, as_of: date, phase: str | None,
                by_period: dict[Quarter, Any]) -> tuple[date | None, bool]:
    """The first day the duty is proven to run, and whether earlier days stay open."""
    start = s.project.start_date if s.project else None
    if start is not None:
        return start, False
    proofs = [d for d in (s.contract.signed_on if s.contract else None,
                          s.procurement.bid_result_on if s.procurement else None)
              if d is not None]
    proofs = [d for d in (*proofs, *(q.start for q in by_period)) if d <= as_of]
    if proofs:
        return min(proofs), True
    return (as_of if phase in _RUNNING else None), True


def _quarterly(s: Snapshot, as_of: date, phase: str | None) -> B:
    """Art. 14: every quarter the record proves owed has its report (evidence first)."""
    project, reports = s.project, s.reports
    until = project.end_date if project else None
    records = reports.quarterly_progress if reports else None
    by_period: dict[Quarter, Any] = {}
    for record in records or ():
        if record.period is not None:
            by_period.setdefault(record.period, record)
    first, unknown = _first_owed(s, as_of, phase, by_period)
    end = until if until is not None and until < as_of else as_of
    proven = end if until is not None or phase in _RUNNING else min(
        max((q.end for q in by_period), default=date.min), as_of)
    late = any(r.submitted_on is not None and r.submitted_on > q.next().end
               for q, r in by_period.items())
    missing = False
    for quarter in quarters_between(first, end) if first is not None else ():
        overdue = quarter.next().end < as_of
        record = by_period.get(quarter)
        if records is None or not overdue:
            unknown = unknown or (records is None and overdue)
        elif record is None or record.submitted is False:
            if quarter.start <= proven:
                missing = True
            else:
                unknown = True  # owed only if the project was still running
        elif record.submitted_on is None:
            unknown = True
    if missing or late:
        return True
    return None if unknown else False


_RUNNING = ("contracted", "implementation", "trial_run", "acceptance", "operation")


def _yearly(s: Snapshot, as_of: date, year_ago: date | None) -> tuple[B, B]:
    """Art. 25 (G3): whether a yearly assessment is owed, and whether it lapsed: while the
    service runs (its end not past, or with no end recorded a running phase), in the year
    before as_of; once it ended, in its last year; unknown when the record does not say."""
    contract, project, security = s.contract, s.project, s.security
    first_year = _add_years(contract.signed_on if contract else None, 1)
    ended = project.end_date if project else None
    phase = project.phase if project else None
    assessments = security.assessments if security else None
    running = _or(_le(as_of, ended), _and(ended is None, _among(phase, _RUNNING)))
    owed = _and(_le(first_year, as_of), _or(running, _not(_gt(first_year, ended))))

    def assessed(kind_: str, since: date | None) -> B:
        return _any(None if assessments is None else (
            _and(None if x.kind is None else x.kind == kind_, _gt(x.performed_on, since),
                 x.reported, _has(x.reported_to, "big_data_bureau")) for x in assessments))

    def lapsed(since: date | None) -> B:
        return _or(_not(assessed("security_test", since)),
                   _not(assessed("risk_assessment", since)))

    return owed, _or(_and(running, lapsed(year_ago)),
                     _and(_gt(as_of, ended), lapsed(_add_years(ended, -1))))


def _waived(s: Snapshot, rule: str) -> str:
    undecided = False
    for exc in s.exceptions or ():
        if exc.rule in (rule, "guiyang.17"):
            if exc.approved is True:
                return "waived"
            if exc.approved is None:
                undecided = True
    return "undetermined" if undecided else "violated"


def _delivery(s: Snapshot, as_of: date) -> tuple[B, B]:
    """Whether the service is delivered, and whether it runs a system (art. 3 types)."""
    project, acceptance = s.project, s.acceptance
    phase = project.phase if project else None
    trial_start = s.trial_run.started_on if s.trial_run else None
    completion = acceptance.completion if acceptance else None
    delivered = _and(_or(_le(trial_start, as_of), completion, _among(phase, _DELIVERED)),
                     not (phase is not None and phase in _BEFORE_DELIVERY))
    services = project.services if project else None
    runs_system = _any(None if services is None else
                       (x in _SYSTEM_SERVICES for x in services))
    return delivered, runs_system


def _procured_too_early(s: Snapshot) -> B:
    """Art. 12: procurement began before the project approval or the approved budget."""
    planning, procurement = s.planning, s.procurement
    approval = planning.project_approval if planning else None
    review = planning.budget_review if planning else None
    started_on = procurement.started_on if procurement else None
    bid_on = procurement.bid_result_on if procurement else None
    approved_on = approval.granted_on if approval else None
    budget_on = review.granted_on if review else None
    return _or(_not(approval.granted if approval else None),
               _not(review.granted if review else None),
               _gt(approved_on, started_on), _gt(approved_on, bid_on),
               _gt(budget_on, started_on), _gt(budget_on, bid_on))


def statuses(s: Snapshot, as_of: date) -> dict[str, str]:
    """Each Guiyang rule's status for snapshot ``s`` on ``as_of``."""
    project, funding, budget, planning = s.project, s.funding, s.budget, s.planning
    procurement, contract, data, security = s.procurement, s.contract, s.data, s.security
    acceptance, performance, inspection = s.acceptance, s.performance, s.inspection
    construction, deployment, rectification = s.construction, s.deployment, s.rectification
    phase = project.phase if project else None
    kind = project.kind if project else None
    source = funding.source if funding else None
    scope = _and(
        _among(source, ("fiscal", "mixed")),
        None if funding is None or funding.fiscal_level is None
        else funding.fiscal_level == "municipal",
        _or(None if kind is None else kind == "purchased_service",
            None if funding is None or funding.mode is None
            else funding.mode == "purchased_service",
            _and(None if kind is None else kind == "om",
                 None if project is None or project.services is None
                 else len(project.services) > 0)))
    owner_type = project.owner_type if project else None
    if scope is False or (project is not None and project.classified is True) or (
            owner_type is not None and owner_type not in _COVERED_BODIES):
        # out of scope, or an art. 3 exception: secrecy, or an owner the article does not
        # name (each presumed absent when unrecorded)
        return dict.fromkeys(RULES, "not_applicable")

    signed = contract.signed if contract else None
    completion = acceptance.completion if acceptance else None
    phase_known = phase is not None
    procured = _and(_or(procurement is not None and procurement.bid_result_on is not None,
                        signed, _among(phase, _PROCURED)),
                    not (phase_known and phase in _BEFORE_PROCUREMENT))
    contracted = _and(_or(signed, _among(phase, _CONTRACTED)), signed is not False,
                      not (phase_known and phase in _BEFORE_CONTRACT))
    accepted = _and(_or(completion, _among(phase, ("completed", "operation"))),
                    completion is not False, not (phase_known and phase in _BEFORE_ACCEPTANCE))
    delivered, runs_system = _delivery(s, as_of)
    inspected = inspection.inspected if inspection else None

    approval = planning.project_approval if planning else None
    expert = planning.expert_review if planning else None
    approved = approval.granted if approval else None
    approved_on = approval.granted_on if approval else None
    original = budget.original if budget else None
    adjustments = budget.adjustments if budget else None
    limit = original * _TENTH if original is not None else None
    sizes = None if adjustments is None else [
        (None if a.amount is None or limit is None else abs(a.amount), a)
        for a in adjustments]
    year_ago = _add_years(as_of, -1)
    yearly_due, yearly = _yearly(s, as_of, year_ago)
    contents = planning.plan_contents if planning else None
    reported_to = contract.termination_reported_to if contract else None


    rules: list[tuple[B, B | str]] = [
        (True, _not(planning.department_plan_filed if planning else None)),
        (planning.plan_submitted if planning else None,
         _not(_and(*(_has(contents, c) for c in _PLAN)))),
        (approved, _or(_not(expert.granted if expert else None),
                       _gt(expert.granted_on if expert else None, approved_on))),
        (approved, _or(_not(budget.request_submitted if budget else None),
                       _gt(approved_on, budget.request_submitted_on if budget else None))),
        (planning.budget_review.granted if planning and planning.budget_review else None,
         _not(budget.reported_to_bureau if budget else None)),
        (budget.supplementary if budget else None,
         _not(budget.supplementary_approval.granted if budget and budget.supplementary_approval
              else None)),
        (procured, _procured_too_early(s)),
        (procured, _not(procurement.bid_result_filed if procurement else None)),
        (procured, "quarterly"),
        (True, _any(None if sizes is None else (
            # neither document: a breach whatever the size, unless known to exceed 10%
            _and(size is None or size <= limit,  # type: ignore[operator]
                 _not(_or(a.explanation_filed, a.plan_resubmitted))) for size, a in sizes))),
        (True, _any(None if sizes is None else (
            _and(None if size is None else size > limit,  # type: ignore[operator]
                 _not(a.plan_resubmitted)) for size, a in sizes))),
        (_and(contract.terminated if contract else None,
              _among(contract.termination_reason if contract else None,
                     ("law_or_policy", "goal_unattainable"))),
         _or(_not(contract.termination_reported if contract else None),
             _not(_and(_has(reported_to, "big_data_bureau"),
                       _has(reported_to, "finance_bureau"))))),
        (contracted, _not(contract.ip_agreement_written if contract else None)),
        (_and(contracted, contract.ip_agreement_written if contract else None, runs_system),
         _not(_and(*(_has(contract.ip_items if contract else None, item)
                     for item in _IP_ITEMS)))),
        (_and(contracted, contract.custom_software if contract else None),
         None if contract is None or contract.ip_owner is None else contract.ip_owner != "owner"),
        (accepted, _or(_not(data.catalogue_compiled if data else None),
                       _not(data.catalogue_reviewed if data else None),
                       _gt(data.catalogue_reviewed_on if data else None,
                           acceptance.completion_on if acceptance else None))),
        (accepted, _not(data.catalogue_in_platform if data else None)),
        (contracted, _or(_not(data.classified_graded if data else None),
                         _not(data.sharing_types_defined if data else None))),
        (_or(data.listed if data else None, data.shared_or_opened if data else None),
         _or(_not(data.confidentiality_reviewed if data else None),
             _and(data.listed if data else None,
                  _gt(data.confidentiality_reviewed_on if data else None,
                      data.listed_on if data else None)))),
        (_and(data.sensitive if data else None, data.shared_or_opened if data else None),
         _not(data.desensitised if data else None)),
        (contracted, _not(data.responsibility_list if data else None)),
        (_and(delivered, runs_system),
         _or(_not(data.shares_data if data else None),
             _not(deployment.data_sharing_platform if deployment else None))),
        (data.openable if data else None, _not(data.opened if data else None)),
        (contracted, _not(security.management_system if security else None)),
        (contracted, _not(security.emergency_plan if security else None)),
        (_and(contracted, yearly_due), yearly),
        (accepted, _or(_not(acceptance.pre_review if acceptance else None),
                       _gt(acceptance.pre_review_on if acceptance else None,
                           acceptance.completion_on if acceptance else None))),
        (accepted, _or(_not(acceptance.pre_review if acceptance else None),
                       _gt(acceptance.pre_review_on if acceptance else None,
                           acceptance.completion_on if acceptance else None))),
        (accepted, _not(acceptance.report_filed if acceptance else None)),
        (_and(accepted, project.major if project else None),
         _not(_has(acceptance.participants if acceptance else None, "big_data_bureau"))),
        (contracted, _or(_not(performance.targets_set if performance else None),
                         _not(performance.monitored if performance else None),
                         _and(accepted, _not(performance.self_evaluated if performance
                                             else None)))),
        (inspection.inspected if inspection else None,
         inspection.information_withheld if inspection else None),
        (inspected, _and(construction.content_changed if construction else None,
                    _not(_any(None if adjustments is None else (
                        _and(a.content_changed, _or(a.explanation_filed, a.plan_resubmitted))
                        for a in adjustments))))),
        (_and(inspected, runs_system, _or(delivered, contracted)),
         _not(deployment.government_cloud if deployment else None)),
        (_and(inspected, runs_system, delivered),
         _not(deployment.data_sharing_platform if deployment else None)),
        (rectification.ordered if rectification else None,
         _and(_not(_and(rectification.completed if rectification else None,
                        rectification.result_reported if rectification else None)),
              _gt(as_of, rectification.due_on if rectification else None))),
        (_and(rectification.ordered if rectification else None,
              rectification.completed if rectification else None),
         _not(rectification.accepted if rectification else None)),
    ]
    out: dict[str, str] = {}
    for rule, (condition, violation) in zip(RULES, rules, strict=True):
        applies = _and(scope, condition)
        if applies is False:
            out[rule] = "not_applicable"
            continue
        violated = _quarterly(s, as_of, phase) if violation == "quarterly" else violation
        outcome = _and(applies, violated)  # type: ignore[arg-type]
        if outcome is None:
            out[rule] = "undetermined"
        elif outcome is False:
            out[rule] = "satisfied"
        elif rule == "guiyang.17.custom-software-ip":
            out[rule] = _waived(s, rule)
        else:
            out[rule] = "violated"
    return out
