"""The snapshot model: the recorded state of one project at one date.

Its field paths (``contract.filed_on``, ``budget.adjustments[].amount``) are the fact
vocabulary that policy-pack conditions are written in. Every fact is optional: absence
means unknown, never false. See ``docs/snapshot.md`` for the field reference.

- :mod:`~govrules.model.snapshot.base` — base class, scalar types, authorities, ``Approval``
- :mod:`~govrules.model.snapshot.planning` — project, funding, budget, planning, procurement,
  contract, service
- :mod:`~govrules.model.snapshot.delivery` — construction, deployment, data, security
- :mod:`~govrules.model.snapshot.followup` — reports, trial run, acceptance, operation,
  performance, inspection, rectification
- :mod:`~govrules.model.snapshot.model` — the root ``Snapshot``
- :mod:`~govrules.model.snapshot.parse` — reading with coded diagnostics
- :mod:`~govrules.model.snapshot.reference` — fact catalogue, JSON Schema, Markdown reference
"""

from govrules.model.snapshot.base import Approval, Authority, Facts, Party
from govrules.model.snapshot.delivery import (
    Construction,
    Data,
    Deployment,
    GradedProtection,
    Incident,
    Security,
    SecurityAssessment,
)
from govrules.model.snapshot.followup import (
    Acceptance,
    Inspection,
    OmAssessment,
    Operation,
    Performance,
    PeriodReport,
    Rectification,
    Reports,
    TrialRun,
)
from govrules.model.snapshot.model import RecordedException, Snapshot, holds_months
from govrules.model.snapshot.parse import load_snapshot, parse_snapshot
from govrules.model.snapshot.planning import (
    Budget,
    BudgetAdjustment,
    Contract,
    Funding,
    Planning,
    Procurement,
    Project,
    Service,
)
from govrules.model.snapshot.reference import (
    Fact,
    snapshot_facts,
    snapshot_json_schema,
    snapshot_reference_markdown,
)

__all__ = [
    "Acceptance",
    "Approval",
    "Authority",
    "Budget",
    "BudgetAdjustment",
    "Construction",
    "Contract",
    "Data",
    "Deployment",
    "Fact",
    "Facts",
    "Funding",
    "GradedProtection",
    "Incident",
    "Inspection",
    "OmAssessment",
    "Operation",
    "Party",
    "Performance",
    "PeriodReport",
    "Planning",
    "Procurement",
    "Project",
    "RecordedException",
    "Rectification",
    "Reports",
    "Security",
    "SecurityAssessment",
    "Service",
    "Snapshot",
    "TrialRun",
    "holds_months",
    "load_snapshot",
    "parse_snapshot",
    "snapshot_facts",
    "snapshot_json_schema",
    "snapshot_reference_markdown",
]
