"""``govrules test``: run packs' worked examples and test files; report coverage."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from govrules.base.errors import Diagnostic
from govrules.base.i18n import N_, _, ngettext
from govrules.base.loader import Span
from govrules.cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS, add_output_options
from govrules.cli.lint import concise, format_diagnostic, github
from govrules.tools.tester import ExampleOutcome, PackCoverage
from govrules.tools.testsuite import PackResult, SuiteResult, run_suite

NAME = "test"
HELP = N_("run packs' examples and test files, with coverage")
DESCRIPTION = (N_("Run every example of the packs and every case of the test files (YAML lists "
               "of cases) under PATH. Exit 0: all pass; 1: a case fails or coverage is under "
               "--fail-under; 2: a pack or test file does not load."))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help=_("pack file, test file, or folder of them"))
    parser.add_argument("--fail-under", type=float, metavar="PCT",
                        help=_("fail when a pack's coverage (rules with a violated and a "
                        "satisfied example) is below PCT percent"))
    add_output_options(parser, formats=["text", "json", "concise", "github"])


def _diff(outcome: ExampleOutcome) -> list[str]:
    lines = [_("FAIL {place}: {name}  [{pack}]").format(place=outcome.span, name=outcome.name,
                                                        pack=outcome.pack)]
    if outcome.mismatches:
        lines.append("  " + _("(- expected, + actual)"))
    for m in outcome.mismatches:
        lines += [f"  - {m.rule}: {m.expected}", f"  + {m.rule}: {m.actual}"]
    lines += ["  " + format_diagnostic(d).replace("\n", "\n  ") for d in outcome.errors]
    return lines


def _coverage_lines(cov: PackCoverage) -> list[str]:
    lines = [f"  {cov.pack:<12} {cov.percent:5.1f}%  " + _("{covered}/{rules} rules").format(
        covered=cov.covered, rules=cov.rules)]

    def show(label: str, items: tuple[object, ...]) -> None:
        if items:
            lines.append(f"    {label}: {', '.join(str(i) for i in items)}")

    show(_("rules never shown violated"), cov.never_violated)
    show(_("rules never shown satisfied"), cov.never_satisfied)
    show(_("articles no example exercises"), cov.articles_unexercised)
    show(_("articles never shown violated"), cov.articles_never_violated)
    show(_("articles never shown satisfied"), cov.articles_never_satisfied)
    return lines


def _under(result: PackResult, floor: float | None) -> bool:
    return floor is not None and result.coverage is not None and result.coverage.percent < floor


def _json(suite: SuiteResult, floor: float | None) -> dict[str, Any]:
    return {
        "packs": [{"pack": r.pack.id, "file": r.pack.file, "cases": len(r.outcomes),
                   "failed": len(r.failed), "below_fail_under": _under(r, floor),
                   "coverage": r.coverage.to_dict() if r.coverage else None}
                  for r in suite.packs],
        "failures": [{"pack": o.pack, "name": o.name, "file": o.span.file, "line": o.span.line,
                      "mismatches": [{"rule": m.rule, "expected": m.expected,
                                      "actual": m.actual} for m in o.mismatches],
                      "errors": [d.to_dict() for d in o.errors]}
                     for r in suite.packs for o in r.failed],
        "problems": [d.to_dict() for d in suite.problems],
        "total": suite.total, "failed": suite.failures,
    }


def _short(suite: SuiteResult, floor: float | None, fmt: str) -> list[str]:
    """One line per failing case (or GitHub annotation), per problem, per pack under
    ``--fail-under``."""
    lines: list[str] = []
    show = concise if fmt == "concise" else github
    lines += [show(d) for d in suite.problems]
    for result in suite.packs:
        for o in result.failed:
            diffs = "; ".join(str(m) for m in o.mismatches)
            errors = "; ".join(f"{d.code}: {d.message}" for d in o.errors)
            text = f"{o.name} [{o.pack}]: " + (diffs or errors or _("failed"))
            lines.append(show(Diagnostic("test-failed", text, o.span)))
        if _under(result, floor) and result.coverage is not None:
            lines.append(show(Diagnostic("test-coverage", _below_floor(result, floor),
                                         Span(result.pack.file))))
    return lines


def _below_floor(result: PackResult, floor: float | None) -> str:
    """``ID: coverage P% below --fail-under F%``."""
    assert result.coverage is not None
    return _("{id}: coverage {percent:.1f}% below --fail-under {floor:g}%").format(
        id=result.pack.id, percent=result.coverage.percent, floor=floor)


def _quiet(suite: SuiteResult, floor: float | None) -> list[str]:
    """What failed, nothing else."""
    lines = [format_diagnostic(d) for d in suite.problems]
    for result in suite.packs:
        for outcome in result.failed:
            lines += _diff(outcome)
        if _under(result, floor) and result.coverage is not None:
            lines.append(_below_floor(result, floor))
    return lines


def _counts(result: PackResult) -> str:
    """``FILE: ID: N cases, P passed, F FAILED``."""
    failed = len(result.failed)
    cases = len(result.outcomes)
    return (f"{result.pack.file}: {result.pack.id}: " + ngettext(
        "{n} case, {passed} passed", "{n} cases, {passed} passed", cases).format(
        n=cases, passed=cases - failed)
        + (_(", {n} FAILED").format(n=failed) if failed else ""))


def _full(suite: SuiteResult, floor: float | None) -> list[str]:
    """Each pack's cases, the failures' differences, each pack's coverage, the total."""
    lines = [format_diagnostic(d) for d in suite.problems]
    lines += [_counts(result) for result in suite.packs]
    for result in suite.packs:
        for outcome in result.failed:
            lines += _diff(outcome)
    lines.append(_("coverage (rules with both a violated and a satisfied example):"))
    for result in suite.packs:
        if result.coverage is not None:
            lines += _coverage_lines(result.coverage)
            if _under(result, floor):
                lines.append("    " + _("below --fail-under {floor:g}%").format(floor=floor))
    lines.append(ngettext("{n} case, {failed} failed", "{n} cases, {failed} failed",
                          suite.total).format(n=suite.total, failed=suite.failures))
    return lines


def run(args: argparse.Namespace, out: TextIO) -> int:
    suite = run_suite(args.paths)
    floor = args.fail_under
    if args.format == "json":
        out.write(json.dumps(_json(suite, floor), ensure_ascii=False, indent=2) + "\n")
    elif args.format in ("concise", "github"):
        out.write("".join(line + "\n" for line in _short(suite, floor, args.format)))
    elif args.quiet:
        out.write("".join(line + "\n" for line in _quiet(suite, floor)))
    else:
        out.write("\n".join(_full(suite, floor)) + "\n")
    if suite.problems:
        return EXIT_BAD_INPUT
    if suite.failures or any(_under(r, floor) for r in suite.packs):
        return EXIT_VIOLATIONS
    return EXIT_OK
