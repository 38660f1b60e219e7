"""The benchmark runs, and what it compares is equal work.

The figures are only honest if the code timed decides the same statuses: the decision
step it times (``decide()``) is the one ``evaluate_pack`` runs, and the hand-written
Guiyang function agrees with the native evaluator.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from benchmarks.handwritten_guiyang import RULES, statuses

from govrules.base.calendar import Calendar
from govrules.engine.decide import decide
from govrules.engine.evaluate import evaluate_pack
from govrules.model.pack import Pack, builtin_pack, builtin_pack_ids
from govrules.model.snapshot import Snapshot
from tests.conftest import REPO, generated_cases

CAL = Calendar.default()
BENCH = REPO / "benchmarks"


def _engine_statuses(pack: Pack, snapshot: Snapshot, as_of: date) -> dict[str, str]:
    report = evaluate_pack(pack, snapshot, as_of, CAL, include_all=True)
    return {f.rule: f.status for f in report.findings if f.rule in pack.rules_by_id}


def test_the_handwritten_function_covers_every_guiyang_rule() -> None:
    missing = set(builtin_pack("guiyang").rules_by_id) - set(RULES)
    assert not missing, f"benchmarks/handwritten_guiyang.py does not implement {missing}"


def test_the_handwritten_function_agrees_with_the_native_evaluator() -> None:
    pack = builtin_pack("guiyang")
    for snapshot, as_of in generated_cases(pack, 300, seed=5):
        assert statuses(snapshot, as_of) == _engine_statuses(pack, snapshot, as_of)


def test_the_timed_decision_step_is_the_one_evaluate_runs() -> None:
    """``decide()`` gives the statuses of ``evaluate()``'s findings, on every pack."""
    for pack_id in builtin_pack_ids():
        pack = builtin_pack(pack_id)
        for snapshot, as_of in generated_cases(pack, 30, seed=5):
            decided = decide(pack, snapshot, as_of, calendar=CAL)
            assert {d.rule.id: d.status for d in decided.rules} == \
                _engine_statuses(pack, snapshot, as_of)


def test_the_benchmark_runs_small() -> None:
    result = subprocess.run([sys.executable, str(BENCH / "bench.py"), "--quick", "--no-write"],
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    for heading in ("## Targets", "## Engine: Guiyang", "## Engine: every built-in pack",
                    "## Batch: whole processes", "## Start-up", "## Throughput per core"):
        assert heading in result.stdout
    assert "decide() ≤ 1.3×" in result.stdout.replace("`", "")
