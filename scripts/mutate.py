"""Mutation testing of the language, the engine and the calendar (``make mutate``).

Runs mutmut 3 once per target, each bounded by the target's own fast test files (the
mutant test command), and writes per target ``build/mutation/<target>/summary.md``: the
counts, the kill rate, and the diff of every mutant that survived. mutmut reads its
settings from ``setup.cfg`` in the working directory, so this script writes one per
target (and removes it afterwards). Each run starts from nothing (so that new tests are
counted); mutmut's work tree ``mutants/`` is kept under ``build/mutation/<target>/`` for
``mutmut show`` and ``mutmut browse``.

    python scripts/mutate.py                # every target
    python scripts/mutate.py expr calendar  # some
    python scripts/mutate.py --max-children 2 engine
    python scripts/mutate.py expr --only src/govrules/lang/_closures.py   # one module

Equivalent mutants (ones no test can kill, with the reason) are listed by hand in
``docs/mutation.md``; the kill rate there leaves them out.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "build" / "mutation"
MUTMUT = Path(sys.executable).with_name("mutmut")


@dataclass(frozen=True)
class Target:
    mutate: tuple[str, ...]
    """Glob patterns of the source files mutated."""
    tests: tuple[str, ...]
    """The test files run against each mutant."""


TARGETS = {
    "expr": Target(("src/govrules/lang/*",),
                   ("tests/test_expr_eval.py", "tests/test_expr_compile.py",
                    "tests/test_expr_parser.py", "tests/test_expr_properties.py",
                    "tests/test_expr_oracle.py", "tests/test_expr_types_parts.py",
                    "tests/test_expr_runtime.py", "tests/test_expr_mutants.py",
                    "tests/test_expr_folds.py", "tests/test_expr_membership.py",
                    "tests/test_expr_messages.py", "tests/test_expr_parser_messages.py",
                    "tests/test_expr_compiler_messages.py")),
    "calendar": Target(("src/govrules/base/calendar.py", "src/govrules/base/_calendar_*.py"),
                       ("tests/test_calendar.py", "tests/test_calendar_arithmetic.py",
                        "tests/test_calendar_explain.py")),
    # the engine's jobs: evaluating a pack, deciding statuses, building findings,
    # periodic obligations and due dates (the backends and the receipt are not mutated)
    "engine": Target(("src/govrules/engine/evaluate.py", "src/govrules/engine/decide.py",
                      "src/govrules/engine/_decisions.py",
                      "src/govrules/engine/findings.py", "src/govrules/engine/periodic.py",
                      "src/govrules/engine/duedates.py"),
                     ("tests/test_engine.py", "tests/test_report_contract.py",
                      "tests/test_duedates.py", "tests/test_legal_reasoning.py",
                      "tests/test_gaps.py", "tests/test_explain.py",
                      "tests/test_engine_mutants.py", "tests/test_engine_mutants_duedates.py",
                      "tests/test_engine_mutants_decide.py", "tests/test_decide_plain.py",
                      "tests/test_engine_mutants_evaluate.py",
                      "tests/test_engine_mutants_periodic.py",
                      "tests/test_engine_mutants_findings.py")),
}

SHOWN = 150
"""Survivors whose diff the summary includes (the rest are listed by name)."""
_RESULT = re.compile(r"^\s*(\S+): (\w[\w ]*)$")


def _config(target: Target) -> str:
    tests = [t for t in target.tests if (REPO / t).exists()]
    lines = ["[mutmut]", "source_paths=src", "only_mutate="]
    lines += [f"    {pattern}" for pattern in target.mutate]
    lines += ["pytest_add_cli_args_test_selection="]
    lines += [f"    {test}" for test in tests]
    lines += ["pytest_add_cli_args=", "    -p", "    no:cacheprovider",
              "also_copy=", "    policies", "    src/govrules/policies", "    examples",
              "    benchmarks"]
    return "\n".join(lines) + "\n"


def run(name: str, target: Target, max_children: int) -> Counter[str]:
    setup = REPO / "setup.cfg"
    if setup.exists():
        raise SystemExit("setup.cfg exists: remove it (this script writes its own)")
    work, mutants = OUT / name, REPO / "mutants"
    OUT.mkdir(parents=True, exist_ok=True)
    for old in (mutants, work / "mutants"):
        if old.exists():
            shutil.rmtree(old)
    setup.write_text(_config(target), encoding="utf-8")
    try:
        env = {**os.environ, "GOVRULES_ORACLE_SNAPSHOTS": "30",
               "GOVRULES_ORACLE_FORMULAS": "400", "GOVRULES_MUTATION": "1"}
        log = (OUT / f"{name}.log").open("w", encoding="utf-8")
        with log:
            ran = subprocess.run([str(MUTMUT), "run", "--max-children", str(max_children)],
                                 cwd=REPO, check=False, stdout=log, stderr=subprocess.STDOUT,
                                 env=env)
        if ran.returncode != 0:
            raise SystemExit(f"mutmut failed (exit {ran.returncode}): see {log.name}")
        listing = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=REPO,
                                 check=True, capture_output=True, text=True).stdout
        statuses = dict(m.groups() for line in listing.splitlines()
                        if (m := _RESULT.match(line)))
        survivors = [key for key, status in statuses.items() if status != "killed"]
        # `mutmut show` takes a second or two a mutant: diffs for the first SHOWN only
        shows = {key: subprocess.run([str(MUTMUT), "show", key], cwd=REPO, check=False,
                                     capture_output=True, text=True).stdout
                 for key in survivors[:SHOWN]}
        shows.update(dict.fromkeys(survivors[SHOWN:], "(run `mutmut show` for the diff)"))
    finally:
        setup.unlink()
        work.mkdir(parents=True, exist_ok=True)
        if mutants.exists():
            shutil.move(mutants, work / "mutants")
    counts = Counter(statuses.values())
    _summary(name, target, counts, shows, statuses)
    return counts


def _summary(name: str, target: Target, counts: Counter[str], shows: dict[str, str],
             statuses: dict[str, str]) -> None:
    killed = counts["killed"]
    total = sum(counts.values())
    lines = [f"# Mutation testing: {name}", "",
             f"Mutated: {', '.join(target.mutate)}; tests: {', '.join(target.tests)}", "",
             f"{killed} killed of {total} ({100 * killed / max(total, 1):.1f}%): "
             + ", ".join(f"{status} {n}" for status, n in sorted(counts.items())), ""]
    for key, diff in shows.items():
        lines += [f"## {key}: {statuses[key]}", "", "```diff", diff.strip(), "```", ""]
    (OUT / name / "summary.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", metavar="TARGET",
                        help=f"some of: {', '.join(TARGETS)} (default: all)")
    parser.add_argument("--max-children", type=int, default=2, metavar="N",
                        help="mutants tested at once (default 2)")
    parser.add_argument("--only", action="append", default=[], metavar="FILE",
                        help="mutate only these source files of the target (repeatable): "
                        "one module at a time on a small machine")
    args = parser.parse_args(argv)
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s) {', '.join(unknown)}; choose from {', '.join(TARGETS)}")
    for name in args.targets or list(TARGETS):
        target = TARGETS[name]
        if args.only:
            target = Target(tuple(args.only), target.tests)
        counts = run(name, target, args.max_children)
        total = sum(counts.values())
        print(f"{name}: {counts['killed']}/{total} killed "
              f"({100 * counts['killed'] / max(total, 1):.1f}%); "
              f"summary in {(OUT / name / 'summary.md').relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
