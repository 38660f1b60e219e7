"""Shared fixtures and helpers: small packs written inline, so each engine mechanism is
tested alone; the report contract every report a test produces is checked against; the
leaves of a snapshot.

Every :class:`~govrules.model.report.Report` that ``evaluate_pack`` returns during a test (from
the Python API, the CLI, batch, the tester...) is validated against
``../shared/report-contract.schema.json`` by the autouse fixture below. Without the file
nothing can be checked: ``test_report_contract.py`` then shows a skip, never a pass.
"""

from __future__ import annotations

import json
import os
import random
import sys
import textwrap
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema
import pytest
import yaml
from hypothesis import settings

import govrules.engine.evaluate
from govrules.base.calendar import Calendar
from govrules.base.errors import SnapshotError
from govrules.cli.main import main
from govrules.model.pack import Pack, parse_pack
from govrules.model.report import Report
from govrules.model.snapshot import Snapshot, parse_snapshot
from tests.snapgen import RandomChooser, SnapshotGenerator

if os.environ.get("GOVRULES_MUTATION"):
    # Under `make mutate` every function call goes through mutmut's trampoline (three
    # frames instead of one): the parser's 64-level nesting test needs the room.
    sys.setrecursionlimit(20_000)

settings.register_profile("govrules", deadline=None)
settings.load_profile("govrules")
"""Property tests compile and evaluate conditions on every example: on a loaded machine a
per-example deadline fails them at random, so no test runs with one."""

SHARED = Path(__file__).resolve().parents[2] / "shared"
REPO = Path(__file__).resolve().parents[1]

HEADER = """\
pack:
  id: demo
  version: "0.0.1"
  city: {zh: 示例市, en: Demo}
  title: {zh: 示例办法, en: Demo Measures}
  issuer: {zh: 示例市人民政府, en: Demo City Government}
  effective: 2020-01-01
  status: in_force
  source: demo.txt
articles:
  - number: 1
    label: 第一条
    text: 本办法适用于使用财政资金的非涉密项目。
    summary: Scope.
  - number: 2
    label: 第二条
    text: 项目实施单位应在签订合同5个工作日内将合同报备案。原则上应使用政务云。
    summary: File the contract within 5 working days; use the government cloud in principle.
  - number: 3
    label: 第三条
    text: 项目应按季度报送执行情况,每季度过后7个工作日内报送。
    summary: Quarterly reports within 7 working days after each quarter.
"""


CONTRACT_FILING = """
rules:
  - id: demo.2.contract-filed
    article: 2
    quote: 项目实施单位应在签订合同5个工作日内将合同报备案
    deadline:
      after: contract.signed_on
      within: {working_days: 5}
      done_on: contract.filed_on
    message: {zh: "合同未按期备案(应于{due}前)", en: "Contract not filed by {due}"}
    next_steps:
      - action: file-contract
        text: {zh: 报备合同, en: File the contract}
        responsible: 项目实施单位
        recipient: 市大数据局
"""
"""A deadline rule of the demo pack: the contract filed within 5 working days."""


EMERGENCY_EXCEPTION = """
exceptions:
  - id: demo.1.emergency
    article: 1
    quote: 本办法适用于使用财政资金的非涉密项目
    when: project.emergency
    rules: [demo.2.cloud]
    message: {zh: 紧急项目不适用该条, en: Emergency projects are outside this rule}
"""
"""An exception clause of the demo pack: emergency projects are outside demo.2.cloud."""


def generated_cases(pack: Pack, generated: int, seed: int) -> list[tuple[Snapshot, date]]:
    """The pack's worked examples, then ``generated`` snapshots from the generator
    (``tests/snapgen.py``, seeded), each read with the pack's snapshot model."""
    cases = [(parse_snapshot(dict(e.snapshot), model=pack.snapshot_model), e.as_of)
             for e in pack.examples]
    generator, chooser = SnapshotGenerator(pack, Calendar.default()), RandomChooser(seed)
    while len(cases) < len(pack.examples) + generated:
        data, as_of = generator.generate(chooser)
        try:
            cases.append((parse_snapshot(data, model=pack.snapshot_model), as_of))
        except SnapshotError:
            continue
    return cases


def demo_pack_text(body: str, header: str = HEADER) -> str:
    """The demo header plus a body (scope, rules, ...) written with any indentation."""
    return header + textwrap.dedent(body)


@pytest.fixture
def make_pack() -> Callable[[str], Pack]:
    """Compile a demo pack from the body text (YAML for scope/rules/derived/examples)."""

    def make(body: str) -> Pack:
        return parse_pack(demo_pack_text(body), "demo.yaml")

    return make


EXAMPLE = REPO / "examples" / "guiyang-violations.yaml"
"""A Guiyang project in breach: the CLI and batch tests' standard input."""


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI with ``args``: exit code, stdout, stderr (never a traceback)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def lines(text: str) -> list[dict[str, Any]]:
    """JSON lines as dicts."""
    return [json.loads(line) for line in text.splitlines()]


@cache
def _example_record() -> str:
    return json.dumps(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), default=str)


def snapshot(n: int) -> dict[str, Any]:
    """A varied Guiyang record: mostly in breach, some out of scope, some undecided."""
    rng = random.Random(n)
    record: dict[str, Any] = json.loads(_example_record())
    record["id"] = f"GY-{n:05d}"
    adjustment = record["budget"]["adjustments"][0]
    adjustment["amount"] = f"{rng.choice([20, 50, 80])}万元"
    adjustment["plan_resubmitted"] = rng.random() < 0.5
    record["procurement"]["bid_result_filed"] = rng.random() < 0.5
    record["contract"]["ip_agreement_written"] = rng.random() < 0.5
    record["deployment"]["data_sharing_platform"] = rng.random() < 0.7
    if n % 7 == 0:
        record["project"]["classified"] = True
    if n % 5 == 0:
        del record["deployment"]
    return record


CONTRACT = SHARED / "report-contract.schema.json"


@cache
def contract_schema() -> dict[str, Any] | None:
    """The report contract (JSON Schema), or None when the file is absent."""
    if not CONTRACT.exists():
        return None
    loaded: dict[str, Any] = json.loads(CONTRACT.read_text(encoding="utf-8"))
    return loaded


@cache
def _fast_validator() -> Callable[[Any], Any] | None:
    """The contract compiled to Python (it uses only draft-07 keywords; ``$defs`` are
    reached by JSON pointer), for the per-report check; None without the file."""
    schema = contract_schema()
    if schema is None:
        return None
    return fastjsonschema.compile({**schema, "$schema": "http://json-schema.org/draft-07/schema#"})


def validate_report(report: Report | dict[str, Any]) -> None:
    """Raise unless ``report`` (a Report or its JSON form) meets the contract; skip the
    calling test, visibly, when the contract file is absent."""
    schema = contract_schema()
    if schema is None:
        pytest.skip(f"the report contract is absent: {CONTRACT}")
    data = report.to_json_dict() if isinstance(report, Report) else report
    jsonschema.validate(data, schema)


@pytest.fixture(scope="session")
def report_contract() -> dict[str, Any]:
    """The report contract; the test is skipped (visibly) when the file is absent."""
    schema = contract_schema()
    if schema is None:
        pytest.skip(f"the report contract is absent: {CONTRACT}")
    return schema


@pytest.fixture
def check_report() -> Callable[[Report | dict[str, Any]], None]:
    """``check_report(report)``: validate a Report or its JSON form against the contract."""
    return validate_report


_EVALUATE_PACK = govrules.engine.evaluate.evaluate_pack


def _checked_evaluate_pack(*args: Any, **kwargs: Any) -> Any:
    report = _EVALUATE_PACK(*args, **kwargs)
    validator = _fast_validator()
    if validator is not None:
        try:
            validator(report.to_json_dict())
        except fastjsonschema.JsonSchemaException as exc:
            raise AssertionError(f"a report breaks the report contract: {exc}") from exc
    return report


@pytest.fixture(autouse=True)
def _terminal_of_unknown_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text output is wrapped as on a terminal whose width is not known, whoever runs
    the suite (a shell or pytest-xdist's workers export ``COLUMNS``); a test of the width
    sets ``COLUMNS`` itself."""
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.delenv("LINES", raising=False)


@pytest.fixture(autouse=True)
def _every_report_meets_the_contract(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wrap every reference to ``evaluate_pack`` in the loaded govrules, tests and
    benchmarks modules, so each report a test produces is validated as it is made."""
    for name, module in list(sys.modules.items()):
        if module is None or module is sys.modules[__name__] or not name.startswith(
                ("govrules", "tests", "benchmarks", "bench_")):
            continue
        for attr, value in list(vars(module).items()):
            if value is _EVALUATE_PACK:
                monkeypatch.setattr(module, attr, _checked_evaluate_pack)


def snapshot_leaves(data: dict[str, Any], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The key paths of the leaves of a snapshot's nested mappings (an empty mapping or a
    list is a leaf), leaving out the top-level ``exceptions``, ``id``, ``city``, ``as_of``."""
    out: list[tuple[str, ...]] = []
    for key, value in data.items():
        if prefix == () and key in {"exceptions", "id", "city", "as_of"}:
            continue
        if isinstance(value, dict) and value:
            out.extend(snapshot_leaves(value, (*prefix, key)))
        else:
            out.append((*prefix, key))
    return out


def run_pack(pack: Pack, snapshot: dict[str, Any], as_of: str = "2025-11-20", *,
             include_all: bool = True) -> Report:
    """Evaluate ``pack`` on a snapshot given as a mapping, on the default calendar."""
    return govrules.engine.evaluate.evaluate_pack(
        pack, parse_snapshot(snapshot), date.fromisoformat(as_of), Calendar.default(),
        include_all=include_all)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Refuse to run a Hypothesis test that sets a deadline (they fail on a busy machine)."""
    timed = [item.nodeid for item in items
             if getattr(getattr(item, "obj", None), "_hypothesis_internal_use_settings",
                        settings.default).deadline is not None]
    if timed:
        raise pytest.UsageError(f"Hypothesis tests with a deadline: {timed}; use deadline=None")


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """With ``pytest -n`` (pytest-xdist): add up the fuzz counts each worker tried."""
    from tests.fuzz.conftest import TRIED

    TRIED.update(getattr(node, "workeroutput", {}).get("fuzz_tried", {}))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.fuzz.conftest import summary

    summary(terminalreporter)


REQUIRE_SEEDS = "GOVRULES_REQUIRE_SEEDS"
"""Set by ``.ci/run``: a test skipped because a seed text is absent fails instead."""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Where the seed texts are required, a skip for a missing one is a failure."""
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and os.environ.get(REQUIRE_SEEDS)):
        return
    reason = (report.longrepr[2] if isinstance(report.longrepr, tuple)
              else str(report.longrepr))
    if "seed" in reason:
        report.outcome = "failed"
        report.longrepr = (f"{REQUIRE_SEEDS} is set, but {item.nodeid} skipped for want of a "
                           f"seed text: {reason}")
