"""The engine benchmark runs, and what it compares is equal work.

The benchmark's figures are only honest if its evaluators decide the same statuses: the
decision core it times agrees with ``evaluate_pack`` on every backend, and the
hand-written Guiyang function agrees with the native evaluator.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from types import ModuleType

import pytest
from benchmarks.handwritten_guiyang import RULES, statuses

from govrules.base.calendar import Calendar
from govrules.base.errors import SnapshotError
from govrules.engine.evaluate import evaluate_pack
from govrules.model.pack import Pack, builtin_pack, builtin_pack_ids
from govrules.model.snapshot import Snapshot, parse_snapshot
from tests.conftest import REPO
from tests.snapgen import RandomChooser, SnapshotGenerator

CAL = Calendar.default()
BENCH = REPO / "benchmarks"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    sys.path.insert(0, str(BENCH))  # the script imports its neighbours by name
    try:
        import bench_engine
    finally:
        sys.path.remove(str(BENCH))
    return bench_engine


def _cases(pack: Pack, generated: int) -> list[tuple[Snapshot, date]]:
    cases: list[tuple[Snapshot, date]] = [(parse_snapshot(dict(e.snapshot)), e.as_of)
                                            for e in pack.examples]
    generator, chooser = SnapshotGenerator(pack, CAL), RandomChooser(5)
    while len(cases) < len(pack.examples) + generated:
        data, as_of = generator.generate(chooser)
        try:
            cases.append((parse_snapshot(data), as_of))
        except SnapshotError:
            continue
    return cases


def _engine_statuses(pack: Pack, snapshot: Snapshot, as_of: date) -> dict[str, str]:
    report = evaluate_pack(pack, snapshot, as_of, CAL, include_all=True)
    return {f.rule: f.status for f in report.findings if f.rule in pack.rules_by_id}


def test_the_handwritten_function_covers_every_guiyang_rule() -> None:
    missing = set(builtin_pack("guiyang").rules_by_id) - set(RULES)
    assert not missing, f"benchmarks/handwritten_guiyang.py does not implement {missing}"


def test_the_handwritten_function_agrees_with_the_native_evaluator() -> None:
    pack = builtin_pack("guiyang")
    for snapshot, as_of in _cases(pack, 300):
        assert statuses(snapshot, as_of) == _engine_statuses(pack, snapshot, as_of)


@pytest.mark.parametrize("pack_id", builtin_pack_ids())
def test_the_timed_decisions_are_the_engines(pack_id: str, bench: ModuleType) -> None:
    pack = builtin_pack(pack_id)
    for i, (snapshot, as_of) in enumerate(_cases(pack, 40)):
        want = _engine_statuses(pack, snapshot, as_of)
        assert bench.decisions(pack, snapshot, as_of, bench.native) == want
        assert bench.decisions(pack, snapshot, as_of, bench.durable) == want
        if i % 10 == 0:
            assert bench.decisions(pack, snapshot, as_of, bench.interpreted) == want


def test_the_benchmark_runs_small() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "bench_engine.py"), "--snapshots", "12",
         "--interpreted", "3", "--scale", "4", "--copies", "1,2", "--no-write"],
        capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    for heading in ("## Decisions", "## Whole reports", "## Loading", "## Growth",
                    "## Durable backend memory"):
        assert heading in result.stdout
