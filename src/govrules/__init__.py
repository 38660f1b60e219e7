"""govrules: executable policy packs for municipal government-IT regulations.

Check a project snapshot against a regulation and get a typed report::

    import govrules
    report = govrules.evaluate("project.yaml", city="guiyang", as_of="2025-11-20")
    report.verdict, [f.rule for f in report.findings]

Every entry point raises one family of errors, :class:`GovrulesError` (``InputError``,
``SnapshotError``, ``PackError``), each carrying :class:`Diagnostic` values with a stable
code, a place and a hint. Read snapshots with :func:`parse_snapshot` (a mapping) or
:func:`load_snapshot` (a file), not ``Snapshot.model_validate``, which raises pydantic's
own error::

    try:
        snapshot = govrules.parse_snapshot({"contract": {"signd_on": "2025-03-01"}})
    except govrules.SnapshotError as err:
        [(d.code, d.path, d.hint) for d in err.diagnostics]
"""

from govrules._version import __version__
from govrules.base.calendar import Calendar
from govrules.base.errors import Diagnostic, GovrulesError, InputError, PackError, SnapshotError
from govrules.engine.evaluate import evaluate, evaluate_all
from govrules.model.pack import Pack, builtin_pack, builtin_pack_ids, load_pack, parse_pack
from govrules.model.report import CombinedReport, Finding, NextStep, Report
from govrules.model.snapshot import Snapshot, load_snapshot, parse_snapshot
from govrules.tools.replay import ReplayResult, replay

__all__ = [
    "Calendar",
    "CombinedReport",
    "Diagnostic",
    "Finding",
    "GovrulesError",
    "InputError",
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
    "parse_pack",
    "parse_snapshot",
    "replay",
]
