"""The benchmark runs, and what it compares is equal work.

The figures are only honest if the code timed decides the same statuses: the decision
step it times (``decide()``) is the one ``evaluate_pack`` runs, and the hand-written
Guiyang function agrees with the native evaluator.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from benchmarks.handwritten_guiyang import RULES, statuses
from benchmarks.parts import PARTS, part_timers, prepare
from benchmarks.sizes import contract_minimum, cut_to_contract

from govrules.base.calendar import Calendar
from govrules.engine import queryplan
from govrules.engine.decide import decide, decide_in
from govrules.engine.evaluate import evaluate_pack
from govrules.lang import EvalContext
from govrules.model.pack import Pack, builtin_pack, builtin_pack_ids
from govrules.model.snapshot import Snapshot
from tests.conftest import REPO, contract_schema, generated_cases, validate_report

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


def test_the_parts_timed_are_those_evaluate_is_made_of() -> None:
    """Each part gets the inputs ``evaluate()`` gives it: the decision step with the
    values given decides alike, the ranking on the report before the plan is the plan's."""
    pack = builtin_pack("guiyang")
    prepared = prepare(pack, generated_cases(pack, 40, seed=9), CAL)
    for p in prepared:
        ctx = EvalContext(root=p.snapshot, as_of=p.as_of, calendar=p.calendar)
        given = decide_in(pack, p.snapshot, ctx, lambda compiled, v=p.values: v[id(compiled)])
        assert given.rules == p.decisions.rules
        assert [f.status for f in p.built.findings] == [f.status for f in p.finished.findings]
        assert queryplan.rank_facts(p.built, pack, p.snapshot, p.calendar, p.known) == \
            queryplan.ranked(p.finished.query_plan)
        assert p.line.to_line_json() == p.finished.to_line_json()
    timers = part_timers(pack, prepared[:3])
    assert list(timers) == [name for name, _ in PARTS]
    assert all(timer() > 0 for timer in timers.values())


def test_a_line_cut_to_the_contract_still_meets_it(tmp_path: Path) -> None:
    schema = contract_schema()
    if schema is None:
        pytest.skip("the report contract is absent")
    pack = builtin_pack("guiyang")
    out = tmp_path / "out.jsonl"
    lines = [evaluate_pack(pack, s, d, CAL).to_line_json() for s, d in
             generated_cases(pack, 20, seed=3)]
    out.write_text("\n".join([*lines, '{"errors": []}']) + "\n", encoding="utf-8")
    for line in lines:
        cut = cut_to_contract(json.loads(line), schema)
        validate_report(cut)
        assert len(json.dumps(cut, ensure_ascii=False)) < len(line)
    minimum = contract_minimum(out)
    assert minimum is not None
    assert 0 < minimum < sum(len(line.encode()) + 1 for line in lines) / len(lines)


def test_the_benchmark_runs_small() -> None:
    result = subprocess.run([sys.executable, str(BENCH / "bench.py"), "--quick", "--no-write"],
                            capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr
    for heading in ("## Targets", "## What the missed targets would take",
                    "## Engine: Guiyang", "## Engine: the parts of evaluate()",
                    "## Engine: every built-in pack",
                    "## Batch: whole processes", "## Start-up", "## Throughput per core"):
        assert heading in result.stdout
    assert "decide() ≤ 1.3×" in result.stdout.replace("`", "")


def test_a_process_peak_memory_is_its_own_not_the_benchmarks() -> None:
    # The benchmark holds its engine tables when it starts the processes it measures;
    # Linux would count them in a child started straight from it.
    script = (
        "import sys; sys.path.insert(0, 'benchmarks')\n"
        "held = bytearray(300 * 1024 * 1024)\n"
        "for i in range(0, len(held), 4096): held[i] = 1\n"
        "from bench import process\n"
        "print(process([sys.executable, '-c', 'pass']).rss_kib)\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                          text=True, check=True)
    assert int(done.stdout) < 100 * 1024, done.stdout
