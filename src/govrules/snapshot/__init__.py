"""The snapshot model: the recorded state of one project at one date.

Its field paths (``contract.filed_on``, ``budget.adjustments[].amount``) are the fact
vocabulary that policy-pack conditions are written in. Every fact is optional: absence
means unknown, never false. See ``docs/snapshot.md`` for the field reference.

- :mod:`~govrules.snapshot.base` — base class, scalar types, authorities, ``Approval``
- :mod:`~govrules.snapshot.planning` — project, funding, budget, planning, procurement,
  contract, service
- :mod:`~govrules.snapshot.delivery` — construction, deployment, data, security
- :mod:`~govrules.snapshot.followup` — reports, trial run, acceptance, operation,
  performance, inspection, rectification
- :mod:`~govrules.snapshot.model` — the root ``Snapshot``
- :mod:`~govrules.snapshot.parse` — reading with coded diagnostics
- :mod:`~govrules.snapshot.reference` — fact catalogue, JSON Schema, Markdown reference
"""

from govrules.snapshot.base import Approval, Authority, Facts, Party
from govrules.snapshot.delivery import (
    Construction,
    Data,
    Deployment,
    GradedProtection,
    Incident,
    Security,
    SecurityAssessment,
)
from govrules.snapshot.followup import (
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
from govrules.snapshot.model import RecordedException, Snapshot
from govrules.snapshot.parse import load_snapshot, parse_snapshot
from govrules.snapshot.planning import (
    Budget,
    BudgetAdjustment,
    Contract,
    Funding,
    Planning,
    Procurement,
    Project,
    Service,
)
from govrules.snapshot.reference import (
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
    "load_snapshot",
    "parse_snapshot",
    "snapshot_facts",
    "snapshot_json_schema",
    "snapshot_reference_markdown",
]
