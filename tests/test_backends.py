"""The durable backend decides exactly as the native evaluator does.

A differential test: every built-in pack's worked examples, and Hypothesis-generated
snapshots (facts left unknown, amounts at exactly a threshold, dates around holidays and
deadlines), give the same findings (rule, status, missing facts), next steps and verdict
on both backends. Then the mechanics: exact value encoding, shared network nodes, the
pack cache, threads, memory, and the errors when the backend is missing.
"""

from __future__ import annotations

import gc
import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from govrules.base.calendar import Calendar, Quarter
from govrules.base.errors import InputError, SnapshotError
from govrules.cli.main import main
from govrules.contrib.durable import network as durable_backend
from govrules.contrib.durable import rete_engine
from govrules.contrib.durable.circuit import compile_circuit
from govrules.contrib.durable.rete import encode, number_key
from govrules.engine.backends import BACKENDS, get_backend
from govrules.engine.evaluate import evaluate, evaluate_pack
from govrules.model.pack import Pack, builtin_pack, builtin_pack_ids, parse_pack
from govrules.model.report import Report
from govrules.model.snapshot import Snapshot, parse_snapshot
from tests.conftest import REPO, demo_pack_text
from tests.snapgen import SnapshotGenerator

T = TypeVar("T")
CAL = Calendar.default()
PACK_IDS = builtin_pack_ids()
REGRESSIONS = json.loads((Path(__file__).parent / "backends_regressions.json").read_text(
    encoding="utf-8"))
COUNT: dict[str, int] = {}
"""How many generated snapshots the differential tests ran, per pack."""
EXAMPLES_RUN = int(os.environ.get("GOVRULES_DIFFERENTIAL_EXAMPLES", "1000"))
"""Generated snapshots per run (raise it for a long hunt: the default keeps `make test` fast)."""


def _calendar_years(report: Report) -> set[str]:
    return {w.message for w in report.warnings if w.code == "calendar-year-missing"}


def assert_same(native: Report, durable: Report) -> None:
    """Identical reports, except that the durable backend, which computes every term of
    every decision condition, may warn about more calendar years than the native one."""
    a, b = native.model_dump(), durable.model_dump()
    a["warnings"] = [w for w in a["warnings"] if w["code"] != "calendar-year-missing"]
    b["warnings"] = [w for w in b["warnings"] if w["code"] != "calendar-year-missing"]
    # The receipts differ in the backend named and, like the warnings, in the calendar
    # years consulted (durable computes every term).
    years = [{y["year"] for y in r["receipt"]["calendar"].pop("years")} for r in (a, b)]
    assert years[0] <= years[1]
    assert (a["receipt"].pop("options")["backend"], b["receipt"].pop("options")["backend"]) == (
        "native", "durable")
    assert [(f["rule"], f["status"], f["missing"]) for f in b["findings"]] == [
        (f["rule"], f["status"], f["missing"]) for f in a["findings"]]
    assert b["next_steps"] == a["next_steps"]
    assert b == a
    assert _calendar_years(native) <= _calendar_years(durable)


def both(pack: Pack, snapshot: Snapshot, as_of: date) -> tuple[Report, Report]:
    return (evaluate_pack(pack, snapshot, as_of, CAL, include_all=True),
            evaluate_pack(pack, snapshot, as_of, CAL, include_all=True, backend="durable"))


# -- every worked example ---------------------------------------------------------------------


EXAMPLES = [(p, i) for p in PACK_IDS for i in range(len(builtin_pack(p).examples))]


@pytest.mark.parametrize(("pack_id", "index"), EXAMPLES,
                         ids=[f"{p}-{i}" for p, i in EXAMPLES])
def test_every_example_gives_the_same_report(pack_id: str, index: int) -> None:
    pack = builtin_pack(pack_id)
    example_ = pack.examples[index]
    assert_same(*both(pack, parse_snapshot(dict(example_.snapshot)), example_.as_of))


# -- generated snapshots ----------------------------------------------------------------------


class DrawChooser:
    """Hypothesis draws behind the generator's choices (so failures shrink)."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw

    def choice(self, options: Sequence[T]) -> T:
        return self.draw(st.sampled_from(options))

    def chance(self, percent: int) -> bool:
        return self.draw(st.integers(0, 99)) < percent


GENERATORS = {p: SnapshotGenerator(builtin_pack(p), CAL) for p in PACK_IDS}
Case = tuple[str, dict[str, Any], date]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    pack_id = draw(st.sampled_from(PACK_IDS))
    data, as_of = GENERATORS[pack_id].generate(DrawChooser(draw))
    return pack_id, data, as_of


def check_case(pack: Pack, data: dict[str, Any], as_of: date) -> None:
    try:
        snapshot = parse_snapshot(data)
    except SnapshotError:
        assume(False)
        return
    COUNT[pack.id] = COUNT.get(pack.id, 0) + 1
    assert_same(*both(pack, snapshot, as_of))


def _regressions(test: Callable[[Case], None]) -> Callable[[Case], None]:
    """Snapshots on which the backends once disagreed, kept as explicit examples."""
    for case in REGRESSIONS:
        test = example((case["pack"], case["snapshot"], date.fromisoformat(case["as_of"])))(test)
    return test


@_regressions
@settings(max_examples=EXAMPLES_RUN, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cases())
def test_generated_snapshots_give_the_same_report(case: Case) -> None:
    pack_id, data, as_of = case
    check_case(builtin_pack(pack_id), data, as_of)


def test_the_regressions_are_in_range_of_the_packs() -> None:
    for case in REGRESSIONS:
        assert case["pack"] in PACK_IDS


# -- a pack of unusual constructs ------------------------------------------------------------

CONSTRUCTS = """
derived:
  - name: big
    type: bool
    expr: budget.original >= 1000000
  - name: filing_due
    type: date
    expr: working_days_after(contract.signed_on, 5)
rules:
  - id: demo.2.known-compound
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    violated_when: (contract.signed and contract.filed) is known and not contract.filed
    message: {zh: 甲, en: a}
  - id: demo.2.computed-in-list-fact
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    applies_when: contract.ip_owner is unknown or contract.ip_owner != 'shared'
    violated_when: contract.ip_owner in acceptance.participants
    message: {zh: 甲, en: a}
  - id: demo.2.nested-quantifier
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    violated_when: >-
      any(a in budget.adjustments:
          any(x in security.assessments: x.performed_on > a.decided_on) and a.content_changed)
    message: {zh: 甲, en: a}
  - id: demo.2.computed-list-literal
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    violated_when: contract.filed_on in [contract.signed_on, as_of, date('2025-10-01')]
    message: {zh: 甲, en: a}
  - id: demo.2.all-and-folds
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    applies_when: >-
      all(a in budget.adjustments: a.approval.granted or not big)
    violated_when: >-
      sum(a in budget.adjustments: abs(a.amount)) > budget.original * 20%
      or count(a in budget.adjustments: a.content_changed) >= 2
      or max(x in security.assessments: x.performed_on) < add_years(as_of, -1)
      or min(budget.original, budget.current) / budget.original < 90%
      or len(planning.plan_contents) < 3
    message: {zh: 甲, en: a}
  - id: demo.2.wide
    article: 2
    quote: 原则上应使用政务云
    violated_when: >-
      project.phase in ['planning', 'declared', 'reviewed', 'approved', 'procurement',
                        'contracted', 'implementation', 'trial_run', 'acceptance']
      and (data.listed or data.opened or data.shared_or_opened or data.sensitive
           or data.desensitised or data.openable or data.responsibility_list
           or data.classified_graded or data.sharing_types_defined or contract.terminated)
    message: {zh: 甲, en: a}
  - id: demo.2.terms-and-strings
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    violated_when: >-
      contract.filed_on > filing_due
      or (quarter_of(contract.signed_on) == quarter('2025Q1') and project.kind != 'om')
      or contract.signed == contract.filed
      or -budget.original > budget.current - 10
      or 'finance_bureau' not in contract.termination_reported_to
      or acceptance.participants == ['owner']
      or any(d in security.emergency_drills: d == as_of)
      or project.owner == '贵阳市"大数据"局'
    message: {zh: 甲, en: a}
  - id: demo.3.inlined-in-body
    article: 3
    quote: 每季度过后7个工作日内报送
    violated_when: >-
      any(a in budget.adjustments: a.content_changed and big and not a.implemented)
    message: {zh: 甲, en: a}
"""


@pytest.fixture(scope="module")
def constructs() -> Pack:
    return parse_pack(demo_pack_text(CONSTRUCTS), "constructs.yaml")


def test_unusual_constructs_compile(constructs: Pack) -> None:
    compiled = durable_backend.compiled_pack(constructs)
    kinds = {type(n).__name__ for n in compiled.circuit.nodes}
    assert kinds == {"Leaf", "Gate", "Quant"}


@settings(max_examples=EXAMPLES_RUN // 3, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_unusual_constructs_agree(constructs: Pack, data: st.DataObject) -> None:
    generator = SnapshotGenerator(constructs, CAL)
    snapshot, as_of = generator.generate(DrawChooser(data.draw))
    check_case(constructs, snapshot, as_of)


@pytest.mark.parametrize("adjustments", [[], [{"amount": "100000", "content_changed": True}],
                                          [{"amount": "-50000"}, {"content_changed": False}]],
                         ids=["empty", "one", "partial"])
def test_lists_empty_full_and_partial(constructs: Pack, adjustments: list[Any]) -> None:
    data = {"budget": {"original": "1000000", "current": "0", "adjustments": adjustments},
            "security": {"assessments": [], "emergency_drills": []},
            "contract": {"signed_on": "2025-09-30", "filed_on": "2025-10-13"}}
    assert_same(*both(constructs, parse_snapshot(data), date(2025, 10, 13)))


# -- exact values ------------------------------------------------------------------------------

numbers = st.one_of(st.integers(-10**12, 10**12),
                    st.decimals(allow_nan=False, allow_infinity=False, places=None,
                                min_value=-10**15, max_value=10**15))


@given(numbers, numbers)
def test_number_keys_order_exactly_as_numbers(a: Decimal | int, b: Decimal | int) -> None:
    ka, kb = number_key(a), number_key(b)
    assert (ka < kb) == (a < b)
    assert (ka == kb) == (a == b)


def test_values_are_encoded_for_exact_comparison() -> None:
    assert encode(Decimal("500000.00")) == encode(500000) == number_key(Decimal("5E+5"))
    assert encode(date(2025, 1, 2)) == "2025-01-02"
    assert encode(Quarter(2025, 3)) == "2025Q3"
    assert encode(["owner", date(2025, 1, 1)]) == ["owner", "2025-01-01"]
    assert encode([Snapshot()]) == 1


def test_exactly_ten_percent_is_not_over_ten_percent() -> None:
    pack = builtin_pack("guiyang")
    base = {"funding": {"source": "fiscal", "fiscal_level": "municipal"},
            "project": {"kind": "purchased_service", "classified": False}}
    for amount, over in (("500000", "satisfied"), ("500000.01", "violated")):
        data = {**base, "budget": {"original": "5000000", "adjustments": [
            {"amount": amount, "plan_resubmitted": False, "explanation_filed": True}]}}
        native, durable = both(pack, parse_snapshot(data), date(2025, 6, 30))
        assert_same(native, durable)
        status = {f.rule: f.status for f in durable.findings}
        assert status["guiyang.15.over-10pct"] == over


# -- the network -------------------------------------------------------------------------------


def test_a_cloned_rule_adds_no_node() -> None:
    pack = builtin_pack("guiyang")
    conditions = [c for r in pack.rules for c in (r.applies, r.violated) if c is not None]
    once = compile_circuit(pack.env, conditions)
    twice = compile_circuit(pack.env, conditions + [
        type(c)(c.text, c.type, c.fn, c.facts, c.node, c.uses, c.slots, c.env)
        for c in conditions])
    assert len(twice.nodes) == len(once.nodes)
    assert len(twice.outputs) == 2 * len(once.outputs)


def test_the_network_is_compiled_once_per_pack() -> None:
    pack = parse_pack((REPO / "policies" / "guiyang.yaml").read_text(encoding="utf-8"))
    first = durable_backend.compiled_pack(pack)
    assert durable_backend.compiled_pack(pack) is first
    assert durable_backend.compiled_pack(builtin_pack("guiyang")) is not first
    key = id(pack)
    del pack, first
    gc.collect()
    assert key not in durable_backend._compiled


def test_sessions_are_deleted_after_each_snapshot() -> None:
    pack = builtin_pack("guiyang")
    example_ = pack.examples[0]
    evaluate_pack(pack, parse_snapshot(dict(example_.snapshot)), example_.as_of, CAL,
                  backend="durable")
    compiled = durable_backend.compiled_pack(pack)
    assert compiled.ruleset is not None
    last = str(next(compiled.sessions) - 1)
    with pytest.raises(Exception, match="309"):  # durable: no such session
        rete_engine.engine().get_state(compiled.ruleset.handle, last)


def test_threads_share_a_pack_safely() -> None:
    pack = builtin_pack("guiyang")
    cases_ = [(parse_snapshot(dict(e.snapshot)), e.as_of) for e in pack.examples]
    expected = [evaluate_pack(pack, s, d, CAL, backend="durable") for s, d in cases_]
    failures: list[str] = []

    def work() -> None:
        for _ in range(5):
            for (s, d), want in zip(cases_, expected, strict=True):
                if evaluate_pack(pack, s, d, CAL, backend="durable") != want:
                    failures.append(s.id or "?")

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures


def _rss_mb() -> float:
    statm = Path("/proc/self/statm")
    if not statm.exists():
        pytest.skip("needs /proc to read the resident memory")
    return int(statm.read_text().split()[1]) * 4096 / 2**20


def test_ten_thousand_evaluations_do_not_leak(make_pack: Callable[[str], Pack]) -> None:
    pack = make_pack("""
        rules:
          - id: demo.2.contract-filed
            article: 2
            quote: 项目实施单位应在签订合同5个工作日内将合同报备案
            applies_when: contract.signed
            violated_when: >-
              not contract.filed or any(a in budget.adjustments: a.content_changed)
            message: {zh: 合同未备案, en: contract not filed}
        """)
    snapshots = [parse_snapshot({"contract": {"signed": True, "filed": i % 3 == 0},
                                 "budget": {"adjustments": [{"content_changed": i % 2 == 0}]}})
                 for i in range(10)]

    def run(n: int) -> Iterator[None]:
        for i in range(n):
            evaluate_pack(pack, snapshots[i % 10], date(2025, 1, 1), CAL, backend="durable")
            yield None

    list(run(1000))
    gc.collect()
    before = _rss_mb()
    list(run(9000))
    gc.collect()
    assert _rss_mb() - before < 4


# -- choosing the backend ---------------------------------------------------------------------


def test_backends_are_listed() -> None:
    assert BACKENDS == ("native", "durable")


def test_an_unknown_backend_is_bad_input() -> None:
    with pytest.raises(InputError) as err:
        evaluate({"id": "x"}, city="guiyang", as_of="2025-01-01", backend="drools")
    assert err.value.code == "unknown-backend"


def test_a_missing_durable_rules_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    def absent(name: str) -> Any:
        raise ImportError(f"No module named {name!r}")

    monkeypatch.setattr(rete_engine.importlib, "import_module", absent)
    with pytest.raises(InputError) as err:
        get_backend("durable")
    assert err.value.code == "backend-unavailable"
    assert "govrules[durable]" in (err.value.diagnostics[0].hint or "")


def test_a_pack_too_large_for_durable_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    pack = parse_pack((REPO / "policies" / "guiyang.yaml").read_text(encoding="utf-8"))
    monkeypatch.setattr(durable_backend, "MAX_RULES", 10)
    with pytest.raises(InputError) as err:
        evaluate_pack(pack, Snapshot(), date(2025, 1, 1), CAL, backend="durable")
    assert err.value.code == "backend-limit"


def test_the_cli_runs_the_durable_backend(capsys: pytest.CaptureFixture[str]) -> None:
    example_file = str(REPO / "examples" / "guiyang-violations.yaml")
    outputs = []
    for name in BACKENDS:
        code = main(["check", example_file, "--city", "guiyang", "--format", "json",
                     "--backend", name])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        (report,) = json.loads(out)
        assert report["receipt"].pop("options")["backend"] == name  # replay uses it again
        outputs.append((code, report))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == 1


@pytest.fixture(scope="module", autouse=True)
def _count_generated() -> Iterator[None]:
    yield
    print(f"\ndifferential test: {sum(COUNT.values())} generated snapshots per backend "
          f"({', '.join(f'{k} {v}' for k, v in sorted(COUNT.items()))})")
