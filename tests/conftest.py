"""Shared fixtures: small packs written inline, so each engine mechanism is tested alone."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from govrules.pack import Pack, parse_pack

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


def demo_pack_text(body: str, header: str = HEADER) -> str:
    """The demo header plus a body (scope, rules, ...) written with any indentation."""
    return header + textwrap.dedent(body)


@pytest.fixture
def make_pack() -> Callable[[str], Pack]:
    """Compile a demo pack from the body text (YAML for scope/rules/derived/examples)."""

    def make(body: str) -> Pack:
        return parse_pack(demo_pack_text(body), "demo.yaml")

    return make


@pytest.fixture(scope="session")
def report_contract() -> dict[str, Any] | None:
    path = SHARED / "report-contract.schema.json"
    if not path.exists():
        return None
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded
