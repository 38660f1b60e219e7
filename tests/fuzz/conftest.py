"""Hypothesis profiles of the fuzz suite, and a count of the inputs it tried.

``make test`` runs the short profile (a few hundred inputs, well under a minute);
``make fuzz`` sets ``GOVRULES_FUZZ=long`` for many thousands (docs/reliability.md). The
number of inputs tried by each test is printed at the end of the run and written to
``GOVRULES_FUZZ_REPORT`` when that names a file.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "fuzz-short", max_examples=40, deadline=None, derandomize=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.filter_too_much])
settings.register_profile(
    "fuzz-long", max_examples=int(os.environ.get("GOVRULES_FUZZ_EXAMPLES", "3000")),
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.filter_too_much])
LONG = os.environ.get("GOVRULES_FUZZ") == "long"
PROFILE = "fuzz-long" if LONG else "fuzz-short"

TRIED: Counter[str] = Counter()
"""Inputs tried, per fuzz test (each test adds one per example it runs)."""
_REPORT = os.environ.get("GOVRULES_FUZZ_REPORT")


def tried(name: str) -> None:
    """Count one input of the test ``name``; the report file is kept current, so a run
    stopped by a time limit still leaves its figures."""
    TRIED[name] += 1
    if _REPORT and sum(TRIED.values()) % 25 == 0:
        _write_report(_REPORT)


def _write_report(target: str) -> None:
    Path(target).write_text(json.dumps({"profile": PROFILE, "tried": dict(TRIED),
                                        "total": sum(TRIED.values())}, indent=2) + "\n",
                            encoding="utf-8")


def scale(short: int) -> int:
    """Examples for one test: ``short`` in the short profile, the long profile's count
    (scaled the same way against its default of 40) otherwise."""
    if not LONG:
        return short
    return max(short, short * settings.get_profile("fuzz-long").max_examples // 40)


def summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the counts (``tests/conftest.py`` calls it at the end of the run, where the
    counts of parallel workers have been added up)."""
    if not TRIED:
        return
    terminalreporter.write_sep("-", f"fuzz inputs tried ({PROFILE})")
    for name, count in sorted(TRIED.items()):
        terminalreporter.write_line(f"{count:8d}  {name}")
    terminalreporter.write_line(f"{sum(TRIED.values()):8d}  in all")
    if _REPORT:
        _write_report(_REPORT)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In a worker of ``pytest -n``: hand the counts to the controller."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["fuzz_tried"] = dict(TRIED)
