"""``govrules test``: every pack's examples and every test file's cases, with coverage.

A test file is a YAML list of cases, kept beside the packs or anywhere else::

    - name: an adjustment over 10% without a resubmitted plan
      pack: guiyang                 # a built-in id, or a pack file relative to this file
      as_of: 2025-11-20
      snapshot: ../examples/guiyang-violations.yaml    # or an inline mapping
      expect: {guiyang.15.over-10pct: violated}
      verdict: non_compliant
      next_steps:
        - {action: resubmit-plan-and-budget, overdue: null}

Cases count towards the coverage of the pack they name, with the pack's own examples.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from govrules.base.calendar import Calendar
from govrules.base.diagnose import diagnostics_from_validation
from govrules.base.errors import Diagnostic, GovrulesError
from govrules.base.loader import Document, Span
from govrules.model.pack import Pack, build_pack, builtin_pack, load_pack
from govrules.model.pack_format import CaseSpec
from govrules.model.snapshot import Snapshot, load_snapshot, parse_snapshot
from govrules.tools.discovery import Found, discover
from govrules.tools.tester import ExampleOutcome, PackCoverage, evaluate_case, measure, run_examples

__all__ = ["PackResult", "SuiteResult", "run_suite"]


@dataclass
class PackResult:
    """One pack's examples and the test cases that name it, and its coverage."""

    pack: Pack
    outcomes: list[ExampleOutcome] = field(default_factory=list)
    coverage: PackCoverage | None = None

    @property
    def failed(self) -> list[ExampleOutcome]:
        return [o for o in self.outcomes if not o.passed]


@dataclass
class SuiteResult:
    """Everything ``govrules test`` found: per-pack results and input problems."""

    packs: list[PackResult]
    problems: list[Diagnostic]

    @property
    def total(self) -> int:
        return sum(len(p.outcomes) for p in self.packs)

    @property
    def failures(self) -> int:
        return sum(len(p.failed) for p in self.packs)


def _key(pack: Pack) -> str:
    return str(Path(pack.file).resolve()) if pack.file else f"<{pack.id}>"


class _Suite:
    def __init__(self, calendar: Calendar) -> None:
        self.calendar = calendar
        self.results: dict[str, PackResult] = {}
        self.problems: list[Diagnostic] = []

    def add_pack(self, pack: Pack) -> PackResult:
        key = _key(pack)
        if key not in self.results:
            self.results[key] = PackResult(pack, run_examples(pack, self.calendar))
        return self.results[key]

    def load_found(self, item: Found) -> None:
        if item.document is None:
            self.problems.extend(item.problems)
            return
        sha = hashlib.sha256(item.path.read_bytes()).hexdigest()
        built = build_pack(item.document, sha)
        if built.pack is None:
            self.problems.extend(built.problems)
        else:
            self.add_pack(built.pack)

    def pack_for(self, ref: str, folder: Path) -> Pack:
        """The pack a case names: a built-in id, or a path relative to its test file."""
        if "/" not in ref and not ref.endswith((".yaml", ".yml")):
            path = Path(str(resources.files("govrules.policies").joinpath(f"{ref}.yaml")))
            loaded = self.results.get(str(path.resolve()))
            return loaded.pack if loaded is not None else builtin_pack(ref)
        path = (folder / ref).resolve()
        loaded = self.results.get(str(path))
        return loaded.pack if loaded is not None else load_pack(path)

    def run_file(self, document: Document) -> None:
        file = document.file or "<input>"
        folder = Path(file).parent
        cases = document.data if isinstance(document.data, list) else []
        for index, raw in enumerate(cases):
            try:
                case = CaseSpec.model_validate(raw)
            except ValidationError as exc:
                self.problems.extend(diagnostics_from_validation(
                    exc, CaseSpec, document=document, file=file, prefix="test", base=(index,)))
                continue
            span = document.span_of((index,))
            try:
                pack = self.pack_for(case.pack, folder)
            except GovrulesError as err:
                self.problems.extend(_placed(d, document.span_of((index, "pack")))
                                     for d in err.diagnostics)
                continue
            result = self.add_pack(pack)
            try:
                snapshot = self.snapshot(case, document, index, folder, pack.snapshot_model)
                outcome = evaluate_case(pack, snapshot, case.as_of, self.calendar,
                                        expect=case.expect, verdict=case.verdict,
                                        steps=case.next_steps, name=case.name, index=index,
                                        span=span)
            except GovrulesError as err:
                outcome = ExampleOutcome(pack.id, index, case.name, span,
                                         errors=err.diagnostics, expected=dict(case.expect))
            result.outcomes.append(outcome)

    @staticmethod
    def snapshot(case: CaseSpec, document: Document, index: int, folder: Path,
                 model: type[Snapshot] = Snapshot) -> Snapshot:
        if isinstance(case.snapshot, str):
            return load_snapshot(folder / case.snapshot, model=model)
        return parse_snapshot(case.snapshot, document=document, file=document.file,
                              base=(index, "snapshot"), model=model)


def _placed(diagnostic: Diagnostic, span: Span) -> Diagnostic:
    """A diagnostic without a place of its own gets the case's."""
    if diagnostic.span is not None and diagnostic.span.line is not None:
        return diagnostic
    return Diagnostic(diagnostic.code, diagnostic.message, span, diagnostic.path,
                      diagnostic.hint, diagnostic.severity, diagnostic.rule)


def run_suite(paths: Sequence[str | Path], calendar: Calendar | None = None) -> SuiteResult:
    """Run the packs and test files under ``paths``; measure each pack's coverage."""
    suite = _Suite(calendar or Calendar.default())
    found, problems = discover(paths)
    suite.problems.extend(problems)
    for item in found:
        if item.kind == "pack":
            suite.load_found(item)
    for item in found:
        if item.kind == "tests" and item.document is not None:
            suite.run_file(item.document)
    results = list(suite.results.values())
    for result in results:
        result.coverage = measure(result.pack, result.outcomes)
    return SuiteResult(results, suite.problems)
