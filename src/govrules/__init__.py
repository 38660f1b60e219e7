"""govrules: executable policy packs for municipal government-IT regulations.

Check a project snapshot against a regulation and get a typed report::

    import govrules
    report = govrules.evaluate("project.yaml", city="guiyang", as_of="2025-11-20")
    report.verdict, [f.rule for f in report.findings]
"""

from govrules._version import __version__
from govrules.calendar import Calendar
from govrules.engine import evaluate, evaluate_all
from govrules.errors import GovrulesError, PackError, SnapshotError
from govrules.pack import Pack, builtin_pack, builtin_pack_ids, load_pack
from govrules.replay import ReplayResult, replay
from govrules.report import CombinedReport, Finding, NextStep, Report
from govrules.snapshot import Snapshot, load_snapshot

__all__ = [
    "Calendar",
    "CombinedReport",
    "Finding",
    "GovrulesError",
    "NextStep",
    "Pack",
    "PackError",
    "ReplayResult",
    "Report",
    "Snapshot",
    "SnapshotError",
    "__version__",
    "builtin_pack",
    "builtin_pack_ids",
    "evaluate",
    "evaluate_all",
    "load_pack",
    "load_snapshot",
    "replay",
]
