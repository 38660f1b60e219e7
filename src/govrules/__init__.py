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

from __future__ import annotations

import importlib

from govrules._version import __version__

TYPE_CHECKING = False  # not typing's: ``import govrules`` does not load typing
if TYPE_CHECKING:
    from typing import Any

    from govrules.base.calendar import Calendar
    from govrules.base.errors import (
        Diagnostic,
        GovrulesError,
        InputError,
        PackError,
        SnapshotError,
    )
    from govrules.engine.evaluate import evaluate, evaluate_all
    from govrules.model.pack import Pack, builtin_pack, builtin_pack_ids, load_pack, parse_pack
    from govrules.model.report import CombinedReport, Finding, NextStep, Report
    from govrules.model.snapshot import Snapshot, load_snapshot, parse_snapshot
    from govrules.tools.replay import ReplayResult, replay

# Imported on first use, so that ``import govrules`` (and ``govrules --version``) does not
# load pydantic, PyYAML and the engine before anything needs them.
_WHERE = {
    "Calendar": "govrules.base.calendar",
    "Diagnostic": "govrules.base.errors",
    "GovrulesError": "govrules.base.errors",
    "InputError": "govrules.base.errors",
    "PackError": "govrules.base.errors",
    "SnapshotError": "govrules.base.errors",
    "evaluate": "govrules.engine.evaluate",
    "evaluate_all": "govrules.engine.evaluate",
    "Pack": "govrules.model.pack",
    "builtin_pack": "govrules.model.pack",
    "builtin_pack_ids": "govrules.model.pack",
    "load_pack": "govrules.model.pack",
    "parse_pack": "govrules.model.pack",
    "CombinedReport": "govrules.model.report",
    "Finding": "govrules.model.report",
    "NextStep": "govrules.model.report",
    "Report": "govrules.model.report",
    "Snapshot": "govrules.model.snapshot",
    "load_snapshot": "govrules.model.snapshot",
    "parse_snapshot": "govrules.model.snapshot",
    "ReplayResult": "govrules.tools.replay",
    "replay": "govrules.tools.replay",
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'govrules' has no attribute {name!r}")
    value = getattr(importlib.import_module(where), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_WHERE})


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
