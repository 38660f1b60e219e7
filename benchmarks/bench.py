"""Benchmarks of the code users call (a benchmark, not a test): ``make bench``.

Every comparison is a ratio measured in one run: the variants of a table run in turns,
in a shuffled order, for ``--rounds`` rounds, and each ratio is taken within a round
(min / median / max over the rounds), so load from other work on the machine moves the
absolute figures but hardly the ratios.

1. **Engine** (in process), on ``--snapshots`` generated Guiyang snapshots: the
   hand-written function (``handwritten_guiyang``), :func:`govrules.engine.decide.decide`
   (the decision step ``evaluate()`` itself runs), :func:`govrules.evaluate` → Report,
   the same plus the JSON encoding ``--format jsonl`` writes, and ``decide()`` on the
   durable backend; the parts of ``evaluate()`` one by one (``parts.py``); then
   ``decide()`` and ``evaluate()`` for every built-in pack.
2. **Batch** (whole processes): ``govrules check records.jsonl --format jsonl`` (each
   record against its own city) against the stdlib JSON floor (a process that reads and
   writes the same lines with ``json.loads`` / ``json.dumps``, no checking); ``--jobs 2``
   against ``--jobs 1`` on a small and a large input; output bytes per record; peak memory
   for a tenth of the records and for all of them.
3. **Start-up** (whole processes, CPU time): ``govrules --version`` and ``--help`` against
   ``python -c pass``; one ``govrules check`` of one YAML file against
   ``python -c "import pydantic, yaml"``.

The page, with the machine and versions, goes to ``docs/performance.md``
(``--no-write`` prints it only)::

    python benchmarks/bench.py
    python benchmarks/bench.py --quick --no-write      # a few seconds: the smoke test
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the neighbours below

from handwritten_guiyang import statuses as handwritten
from parts import PARTS, part_timers, prepare
from records import write_records
from sizes import contract_minimum

from govrules.base.calendar import Calendar
from govrules.base.errors import SnapshotError
from govrules.base.location import Span
from govrules.engine.decide import decide
from govrules.engine.evaluate import evaluate
from govrules.io.batch import Outcome
from govrules.io.formats.common import FormatContext
from govrules.io.formats.plain import JsonlEncoder
from govrules.io.inputs import Record
from govrules.model.pack import Pack, builtin_pack, builtin_pack_ids, load_pack
from govrules.model.snapshot import Snapshot, parse_snapshot
from snapgen import RandomChooser, SnapshotGenerator

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "docs" / "performance.md"
HISTORY = Path(__file__).resolve().parent / "history.md"
"""Hand-kept notes (before / after figures of past changes), appended to the page."""
CAL = Calendar.default()
Case = tuple[Snapshot, date]

_FLOOR = """\
import json, sys
with open(sys.argv[1], encoding="utf-8") as src, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in src:
        try:
            out.write(json.dumps(json.loads(line), ensure_ascii=False) + "\\n")
        except ValueError:
            out.write('{"errors": []}\\n')
"""


# -- measuring ------------------------------------------------------------------------------


Spread = tuple[float, float, float]


def spread(values: Sequence[float]) -> Spread:
    return min(values), statistics.median(values), max(values)


def interleaved(variants: dict[str, Callable[[], float]], rounds: int,
                seed: int = 1) -> dict[str, list[float]]:
    """Each round runs every variant once, in a shuffled order. A variant returns what it
    measured itself (CPU or wall seconds), or None for its wall time per call."""
    rng = random.Random(seed)
    out: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        names = list(variants)
        rng.shuffle(names)
        for name in names:
            out[name].append(variants[name]())
    return out


def ratios(times: dict[str, list[float]], base: str) -> dict[str, Spread]:
    """Each variant's time over ``base``'s, round by round."""
    return {name: spread([v / b for v, b in zip(values, times[base], strict=True)])
            for name, values in times.items() if name != base}


def per_case(run: Callable[[Snapshot, date], object], cases: Sequence[Case]
             ) -> Callable[[], float]:
    def timed() -> float:
        start = time.perf_counter()
        for snapshot, as_of in cases:
            run(snapshot, as_of)
        return (time.perf_counter() - start) / len(cases)
    return timed


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    rss_kib: int


# A small process starts the one measured and reports its figures. Linux counts the
# memory of the process that starts another in the started one's peak RSS (the parent's
# pages at fork, or at exec after vfork), so a process started straight from this one,
# which holds the engine tables above, would report this process's size, not its own.
_LAUNCH = """\
import os, sys, time
null = os.open(os.devnull, os.O_WRONLY)
quiet = [(os.POSIX_SPAWN_DUP2, null, 1), (os.POSIX_SPAWN_DUP2, null, 2)]
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ, file_actions=quiet)
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
print(os.waitstatus_to_exitcode(status), wall, usage.ru_utime + usage.ru_stime,
      usage.ru_maxrss)
"""


def process(argv: Sequence[str]) -> Run:
    """One whole process: wall time, CPU time (user + system, its children included as
    far as they were waited for) and peak resident memory, as a small launcher process
    (``_LAUNCH``) measures them."""
    launched = subprocess.run([sys.executable, "-S", "-c", _LAUNCH, *argv], cwd=REPO,
                              capture_output=True, text=True, check=False)
    if launched.returncode != 0:  # the command could not be started
        raise RuntimeError(f"{' '.join(argv)}: {launched.stderr.strip()}")
    code, wall, cpu, rss = launched.stdout.split()
    if int(code) not in (0, 1, 2):  # 2: the malformed lines
        raise RuntimeError(f"{' '.join(argv)} exited {code}")
    return Run(float(wall), float(cpu), int(rss))


def govrules_command() -> list[str]:
    script = Path(sys.executable).parent / "govrules"
    return [str(script)] if script.exists() else [sys.executable, "-m", "govrules"]


# -- the engine -------------------------------------------------------------------------------


def snapshots(pack: Pack, count: int, seed: int = 7) -> list[Case]:
    generator = SnapshotGenerator(pack, CAL)
    chooser = RandomChooser(seed)
    out: list[Case] = []
    while len(out) < count:
        data, as_of = generator.generate(chooser)
        try:
            out.append((parse_snapshot(data, model=pack.snapshot_model), as_of))
        except SnapshotError:
            continue
    return out


_RECORD = Record(index=0, span=Span("bench.jsonl", 1), kind="line")


def encoded(pack: Pack) -> Callable[[Snapshot, date], object]:
    """evaluate() and the JSON line ``--format jsonl`` writes for the report (its
    encoder: the line form, with ``source``)."""
    encode = JsonlEncoder(FormatContext())

    def run(snapshot: Snapshot, as_of: date) -> object:
        report = evaluate(snapshot, pack=pack, as_of=as_of, calendar=CAL)
        return encode(Outcome(_RECORD, result=report))
    return run


def engine(count: int, rounds: int) -> dict[str, object]:
    pack = builtin_pack("guiyang")
    cases = snapshots(pack, count)
    durable_cases = cases[: max(count // 10, 1)]
    decide(pack, *durable_cases[0], calendar=CAL, backend="durable")  # builds the network
    out_of_scope = sum(decide(pack, s, d, calendar=CAL).scope_out for s, d in cases)
    times = interleaved({
        "hand-written": per_case(handwritten, cases),
        "decide()": per_case(lambda s, d: decide(pack, s, d, calendar=CAL), cases),
        "evaluate() → Report": per_case(
            lambda s, d: evaluate(s, pack=pack, as_of=d, calendar=CAL), cases),
        "evaluate() + JSON text": per_case(encoded(pack), cases),
        "evaluate(include_all=True)": per_case(
            lambda s, d: evaluate(s, pack=pack, as_of=d, calendar=CAL, include_all=True),
            cases),
        "decide(backend='durable')": per_case(
            lambda s, d: decide(pack, s, d, calendar=CAL, backend="durable"), durable_cases),
    }, rounds)
    some = cases[: max(count // 4, 1)]
    prepared = prepare(pack, some, CAL)
    part_times = interleaved({"hand-written": per_case(handwritten, some),
                              **part_timers(pack, prepared)}, rounds, seed=4)
    per_pack: list[tuple[str, int, int, int, float, float, Spread]] = []
    for pack_id in builtin_pack_ids():
        other = builtin_pack(pack_id)
        some = snapshots(other, max(count // 4, 1), seed=11)
        out = sum(decide(other, s, d, calendar=CAL).scope_out for s, d in some)
        t = interleaved({
            "decide": per_case(lambda s, d, p=other: decide(p, s, d, calendar=CAL), some),
            "evaluate": per_case(
                lambda s, d, p=other: evaluate(s, pack=p, as_of=d, calendar=CAL), some),
        }, rounds)
        per_pack.append((pack_id, len(other.rules), len(some), out,
                         statistics.median(t["decide"]), statistics.median(t["evaluate"]),
                         ratios(t, "decide")["evaluate"]))
    loads = []
    for pack_id in builtin_pack_ids():
        path = REPO / "policies" / f"{pack_id}.yaml"
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            load_pack(path)
            best = min(best, time.perf_counter() - start)
        loads.append((pack_id, best))
    return {"count": count, "durable_count": len(durable_cases), "out": out_of_scope,
            "times": times, "ratios": ratios(times, "hand-written"), "packs": per_pack,
            "parts": part_times, "parts count": len(some),
            "loads": loads}


# -- whole processes ------------------------------------------------------------------------


MODELS = "python -c 'import govrules.model.pack'"
"""The start-up command that imports only the models every pack load needs."""
ONE_MODEL = "python -c (one pydantic model)"
"""The start-up command that defines one pydantic model and writes one as JSON: what any
use of pydantic costs (``import pydantic`` alone defers its machinery)."""
_ONE_MODEL = ("import pydantic, yaml\nclass M(pydantic.BaseModel):\n    x: int = 0\n"
              "M(x=1).model_dump_json()")
SMALL_ROUNDS = 3
"""The small input's runs get this many times the rounds of the others."""


def batch(count: int, small: int, rounds: int, work: Path) -> dict[str, object]:
    big, tenth, tiny = work / "records.jsonl", work / "tenth.jsonl", work / "small.jsonl"
    write_records(big, count)
    write_records(tenth, max(count // 10, 1))
    write_records(tiny, small)
    out = work / "out.jsonl"
    gov = govrules_command()

    def floor(path: Path) -> Callable[[], Run]:
        return lambda: process([sys.executable, "-c", _FLOOR, str(path), str(out)])

    def check(path: Path, jobs: int) -> Callable[[], Run]:
        return lambda: process([*gov, "check", str(path), "--format", "jsonl", "--quiet",
                                "-o", str(out), "--jobs", str(jobs)])

    runs: dict[str, list[Run]] = {}

    def keep(name: str, fn: Callable[[], Run]) -> Callable[[], float]:
        def timed() -> float:
            result = fn()
            runs.setdefault(name, []).append(result)
            return result.wall
        return timed

    check(tiny, 1)()  # warm the file cache and the byte-code
    process([*gov, "check", str(big), "--format", "jsonl", "--quiet", "-o", str(out),
             "--detail", "full"])
    full_size = out.stat().st_size
    check(big, 1)()
    size = out.stat().st_size
    lines = sum(1 for _ in out.open(encoding="utf-8"))
    minimum = contract_minimum(out)
    wall = interleaved({
        "floor": keep("floor", floor(big)),
        "jobs 1": keep("jobs 1", check(big, 1)),
        "jobs 2": keep("jobs 2", check(big, 2)),
        "tenth, jobs 1": keep("tenth, jobs 1", check(tenth, 1)),
    }, rounds, seed=2)
    # A small run takes about a second, and its two variants do the same work (both stay
    # in one process): more rounds, so that one noisy round cannot decide the ratio.
    wall |= interleaved({
        "small floor": keep("small floor", floor(tiny)),
        "small, jobs 1": keep("small, jobs 1", check(tiny, 1)),
        "small, jobs 2": keep("small, jobs 2", check(tiny, 2)),
    }, rounds * SMALL_ROUNDS, seed=3)
    cpu = {name: [r.cpu for r in values] for name, values in runs.items()}
    return {"count": count, "small": small, "bytes": size / max(lines, 1), "lines": lines,
            "full bytes": full_size / max(lines, 1), "contract bytes": minimum,
            "wall": wall, "cpu": cpu, "runs": runs}


def startup(rounds: int) -> dict[str, object]:
    gov = govrules_command()
    example = str(REPO / "examples" / "guiyang-violations.yaml")
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import pydantic, yaml'": [sys.executable, "-c", "import pydantic, yaml"],
        "govrules --version": [*gov, "--version"],
        "govrules --help": [*gov, "--help"],
        ONE_MODEL: [sys.executable, "-c", _ONE_MODEL],
        MODELS: [sys.executable, "-c", "import govrules.model.pack"],
        "govrules check one.yaml": [*gov, "check", example, "--format", "json", "--quiet",
                                    "-o", os.devnull],
    }
    # byte-compiled, as an installed wheel is: an editable install is not, and with
    # PYTHONDONTWRITEBYTECODE set every start would compile govrules' sources again
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "src")],
                   check=True, capture_output=True)
    for argv in commands.values():
        process(argv)
    runs: dict[str, list[Run]] = {}

    def keep(name: str, argv: list[str]) -> Callable[[], float]:
        def timed() -> float:
            result = process(argv)
            runs.setdefault(name, []).append(result)
            return result.cpu
        return timed

    cpu = interleaved({name: keep(name, argv) for name, argv in commands.items()}, rounds,
                      seed=3)
    wall = {name: [r.wall for r in values] for name, values in runs.items()}
    return {"cpu": cpu, "wall": wall, "imports": import_times()}


def import_times(top: int = 8) -> list[tuple[str, float]]:
    """The slowest imports of ``govrules --version`` (cumulative µs, -X importtime)."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "govrules",
                             "--version"], capture_output=True, text=True, check=False,
                            cwd=REPO)
    rows: list[tuple[str, float]] = []
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and len(match.group(2)) <= 3:  # top-level and their direct imports
            rows.append((match.group(3), int(match.group(1)) / 1e3))
    return sorted(rows, key=lambda r: -r[1])[:top]


# -- the page ---------------------------------------------------------------------------------


def fmt(s: Spread, unit: str = "×") -> str:
    return f"{s[0]:.2f} / **{s[1]:.2f}** / {s[2]:.2f}{unit}"


def machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        names = [line.split(":", 1)[1].strip() for line in
                 Path("/proc/cpuinfo").read_text().splitlines()
                 if line.startswith("model name")]
        cpu = f"{names[0]}" if names else cpu
    except OSError:
        pass
    names = ("govrules", "pydantic", "pydantic_core", "PyYAML", "orjson", "durable_rules")
    versions = []
    for name in names:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [f"- Machine: {cpu}, {os.cpu_count()} logical CPUs, {platform.system()} "
            f"{platform.release()}; load average at the end of the run: {load}",
            f"- Python {platform.python_version()} ({platform.python_implementation()}); "
            + ", ".join(versions),
            f"- Date: {date.today().isoformat()}"]


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _parts(e: dict[str, object]) -> tuple[dict[str, list[float]], dict[str, Spread]]:
    pt: dict[str, list[float]] = e["parts"]  # type: ignore[assignment]
    return pt, ratios(pt, "hand-written")


def _summed(pt: dict[str, list[float]], names: Sequence[str]) -> Spread:
    """The parts ``names`` together over the hand-written function, round by round."""
    hand = pt["hand-written"]
    return spread([sum(pt[n][i] for n in names) / hand[i] for i in range(len(hand))])


LINE_PARTS = tuple(name for name, _ in PARTS if name != "plan_queries()")
"""The parts of ``evaluate(detail="line")`` and its line."""
FULL_PARTS = tuple(name for name, _ in PARTS if name not in ("rank_facts()", "to_line_json()"))
"""The parts of the default ``evaluate()``."""


def parts_section(e: dict[str, object]) -> list[str]:
    pt, pr = _parts(e)
    er: dict[str, Spread] = e["ratios"]  # type: ignore[assignment]
    share = _summed(pt, FULL_PARTS)[1] / er["evaluate() → Report"][1]
    rows = ["| part | what it counts | µs per snapshot (median) | ÷ hand-written "
            "(min / median / max) |", "|---|---|---:|---|"]
    for name, what in PARTS:
        rows.append(f"| {name} | {what} | {statistics.median(pt[name]) * 1e6:,.1f} | "
                    f"{fmt(pr[name])} |")
    return [
        "## Engine: the parts of evaluate()",
        "",
        f"The functions `evaluate()` calls, each timed alone on the first "
        f"{int(e['parts count']):,} of these snapshots, its inputs prepared once "  # type: ignore[call-overload]
        "(`benchmarks/parts.py`), in turns with the hand-written function as above. "
        f"Those of the default report add up to {share:.0%} of `evaluate()`'s time (by the "
        "medians over the hand-written function): each runs here on inputs already made, "
        "the derived facts computed, and without what joins them (the evaluation context, "
        "the copies of the report `receipt.finish` makes, the gaps).",
        "",
        *rows,
        "",
        f"What the line form needs (every part but the query plan) adds up to "
        f"{fmt(_summed(pt, LINE_PARTS))} the hand-written function; the default report (the "
        f"query plan instead of the ranking, no line) to {fmt(_summed(pt, FULL_PARTS))}. "
        f"The conditions alone, each evaluated once with its missing facts, take "
        f"{fmt(pr['conditions'])}.",
        "",
    ]


def would_take(e: dict[str, object], b: dict[str, object], s: dict[str, object]
               ) -> list[str]:
    """What each missed target leaves room for, from the figures of this run."""
    pt, pr = _parts(e)
    er: dict[str, Spread] = e["ratios"]  # type: ignore[assignment]
    bc: dict[str, list[float]] = b["cpu"]  # type: ignore[assignment]
    sc: dict[str, list[float]] = s["cpu"]  # type: ignore[assignment]
    n = int(b["count"])  # type: ignore[call-overload]
    base = sc["python -c 'import pydantic, yaml'"]
    models = ratios({"m": sc[MODELS], "b": base}, "b")["m"]
    one_model = ratios({"m": sc[ONE_MODEL], "b": base}, "b")["m"]
    floor_us = statistics.median(bc["floor"]) / n * 1e6
    line_us = sum(statistics.median(pt[name]) for name in LINE_PARTS) * 1e6
    bytes_per = float(b["bytes"])  # type: ignore[arg-type]
    contract: float | None = b["contract bytes"]  # type: ignore[assignment]
    return [
        "## What the missed targets would take",
        "",
        "Measured in this run, from the tables below:",
        "",
        f"- `decide()` ≤ 1.3×: the decision step's own work, every condition's value given, "
        f"is {fmt(pr['decide, values given'])} the hand-written function; the conditions "
        f"alone, each evaluated once, {fmt(pr['conditions'])}; together "
        f"{fmt(_summed(pt, ('conditions', 'decide, values given')))}. Each is near the "
        "whole target on its own.",
        f"- `evaluate()` ≤ 3×: `decide()` alone is {fmt(er['decide()'])}; the parts the "
        f"default report is made of add up to {fmt(_summed(pt, FULL_PARTS))}.",
        f"- the CLI ≤ 5× the floor: the floor reads and writes a record in "
        f"{floor_us:,.0f} µs of CPU (its start-up shared out over the {n:,} records); the "
        f"parts of the line form take {line_us:,.0f} µs in process "
        f"({line_us / floor_us:.1f}× that), before the record is read, validated and "
        "written.",
        f"- one check ≤ 1.5×: `import pydantic` defers pydantic's machinery until a model "
        f"is defined; a process that defines one model and writes one as JSON takes "
        f"{fmt(one_model)} `import pydantic, yaml`. Importing the models every pack load "
        f"needs (`govrules.model.pack`: the pack format, the snapshot vocabulary, the "
        f"condition language, the calendar) takes {fmt(models)}.",
        *([f"- 10 KB per record: the keys the report contract requires take "
           f"{contract / 1000:.1f} KB of the {bytes_per / 1000:.1f} KB line; the rest is "
           "what the line adds to the contract: the receipt, the presumptions, the "
           "missing-facts summary, the counts and, in findings and steps, what the contract "
           "does not require (conduct, versions, gaps, interpretations, a step's kind)."]
          if contract else []),
        "",
    ]


def page(e: dict[str, object], b: dict[str, object], s: dict[str, object],
         rounds: int) -> list[str]:
    er: dict[str, Spread] = e["ratios"]  # type: ignore[assignment]
    et: dict[str, list[float]] = e["times"]  # type: ignore[assignment]
    bw: dict[str, list[float]] = b["wall"]  # type: ignore[assignment]
    bc: dict[str, list[float]] = b["cpu"]  # type: ignore[assignment]
    sc: dict[str, list[float]] = s["cpu"]  # type: ignore[assignment]
    sw: dict[str, list[float]] = s["wall"]  # type: ignore[assignment]
    count, n = int(e["count"]), int(b["count"])  # type: ignore[call-overload]
    cli_wall = ratios({"cli": bw["jobs 1"], "floor": bw["floor"]}, "floor")["cli"]
    cli_cpu = ratios({"cli": bc["jobs 1"], "floor": bc["floor"]}, "floor")["cli"]
    jobs_big = ratios({"2": bw["jobs 2"], "1": bw["jobs 1"]}, "1")["2"]
    jobs_small = ratios({"2": bw["small, jobs 2"], "1": bw["small, jobs 1"]}, "1")["2"]
    start = ratios(sc, "python -c pass")
    check_one = ratios({"check": sc["govrules check one.yaml"],
                        "base": sc["python -c 'import pydantic, yaml'"]}, "base")["check"]
    runs: dict[str, list[object]] = b["runs"]  # type: ignore[assignment]
    rss_tenth = max(r.rss_kib for r in runs["tenth, jobs 1"]) / 1024  # type: ignore[attr-defined]
    rss_all = max(r.rss_kib for r in runs["jobs 1"]) / 1024  # type: ignore[attr-defined]
    per_cpu = n / statistics.median(bc["jobs 1"])
    hand = statistics.median(et["hand-written"]) * 1e6
    bytes_per = float(b["bytes"])  # type: ignore[arg-type]
    contract: float | None = b["contract bytes"]  # type: ignore[assignment]
    targets = [
        "| target | measured (min / median / max) | |", "|---|---|---|",
        f"| `decide()` ≤ 1.3× the hand-written function (Guiyang) | {fmt(er['decide()'])} | "
        f"{_met(er['decide()'][1] <= 1.3)} |",
        f"| `evaluate()` → Report ≤ 3× the hand-written function | "
        f"{fmt(er['evaluate() → Report'])} | {_met(er['evaluate() → Report'][1] <= 3)} |",
        f"| `govrules check records.jsonl --format jsonl` ≤ 5× the stdlib JSON floor "
        f"(wall, {n:,} records) | {fmt(cli_wall)} | {_met(cli_wall[1] <= 5)} |",
        f"| the same in CPU time | {fmt(cli_cpu)} | {_met(cli_cpu[1] <= 5)} |",
        f"| default JSONL output ≤ 10 KB per record | {bytes_per / 1000:.1f} KB"
        f"{f' (the contract keys alone: {contract / 1000:.1f} KB)' if contract else ''} | "
        f"{_met(bytes_per <= 10_000)} |",
        f"| `govrules --version` ≤ 3× `python -c pass` (CPU) | "
        f"{fmt(start['govrules --version'])} | {_met(start['govrules --version'][1] <= 3)} |",
        f"| `govrules --help` ≤ 3× `python -c pass` (CPU) | {fmt(start['govrules --help'])} | "
        f"{_met(start['govrules --help'][1] <= 3)} |",
        f"| one `govrules check` of one YAML ≤ 1.5× `python -c \"import pydantic, yaml\"` "
        f"(CPU) | {fmt(check_one)} | {_met(check_one[1] <= 1.5)} |",
        f"| `--jobs 2` never slower than `--jobs 1`: {int(b['small'])} records "  # type: ignore[call-overload]
        f"(wall, jobs 2 ÷ jobs 1) | {fmt(jobs_small)} | {_met(jobs_small[1] <= 1.05)} |",
        f"| the same on {n:,} records | {fmt(jobs_big)} | {_met(jobs_big[1] <= 1.05)} |",
        f"| memory flat: peak RSS for {n // 10:,} and {n:,} records | "
        f"{rss_tenth:.0f} MiB, {rss_all:.0f} MiB | {_met(rss_all <= rss_tenth * 1.2 + 5)} |",
    ]
    engine_rows = ["| variant | µs per snapshot (median) | ÷ hand-written (min / median / "
                   "max) |", "|---|---:|---|",
                   f"| hand-written Guiyang function (statuses only) | {hand:,.1f} | 1 |"]
    for name, values in et.items():
        if name != "hand-written":
            engine_rows.append(f"| {name} | {statistics.median(values) * 1e6:,.1f} | "
                               f"{fmt(er[name])} |")
    pack_rows = ["| pack | rules | snapshots | out of scope | decide() µs | evaluate() µs | "
                 "evaluate ÷ decide (min / median / max) |", "|---|---:|---:|---:|---:|---:|---|"]
    for pid, rules, cases, out, d, ev, r in e["packs"]:  # type: ignore[attr-defined]
        pack_rows.append(f"| {pid} | {rules} | {cases:,} | {out:,} | {d * 1e6:,.0f} | "
                         f"{ev * 1e6:,.0f} | {fmt(r)} |")
    load_rows = ["| pack | load + compile (ms, best of 3) |", "|---|---:|",
                 *(f"| {pid} | {sec * 1e3:.1f} |" for pid, sec in e["loads"])]  # type: ignore[attr-defined]
    batch_rows = ["| run | wall s (median) | CPU s (median) | ÷ floor, wall | ÷ floor, CPU | "
                  "peak RSS (MiB) |", "|---|---:|---:|---|---|---:|"]
    for name in ("floor", "jobs 1", "jobs 2", "tenth, jobs 1", "small floor", "small, jobs 1",
                 "small, jobs 2"):
        base = "small floor" if name.startswith("small") else "floor"
        wr = ratios({"x": bw[name], "f": bw[base]}, "f")["x"] if name != base else None
        cr = ratios({"x": bc[name], "f": bc[base]}, "f")["x"] if name != base else None
        rss = max(r.rss_kib for r in runs[name]) / 1024  # type: ignore[attr-defined]
        batch_rows.append(f"| {name} | {statistics.median(bw[name]):.2f} | "
                          f"{statistics.median(bc[name]):.2f} | {fmt(wr) if wr else '1'} | "
                          f"{fmt(cr) if cr else '1'} | {rss:.0f} |")
    start_rows = ["| command | CPU ms (median) | wall ms (median) | ÷ `python -c pass`, CPU |",
                  "|---|---:|---:|---|"]
    for name, values in sc.items():
        ratio = fmt(start[name]) if name in start else "1"
        start_rows.append(f"| `{name}` | {statistics.median(values) * 1e3:.0f} | "
                          f"{statistics.median(sw[name]) * 1e3:.0f} | {ratio} |")
    import_rows = ["| module | cumulative ms |", "|---|---:|",
                   *(f"| `{m}` | {ms:.1f} |" for m, ms in s["imports"])]  # type: ignore[attr-defined]
    j2 = statistics.median(bw["jobs 1"]) / statistics.median(bw["jobs 2"])
    return [
        "# Performance",
        "",
        "Written by `benchmarks/bench.py` (`make bench`); a benchmark, not a timed test. "
        "The test suite only checks that the script runs on a tiny corpus "
        "(`tests/test_bench_smoke.py`).",
        "",
        *machine(),
        "",
        "Every ratio is measured in this one run: the variants of a table run in turns, in "
        f"a shuffled order, {rounds} rounds, and each ratio is taken within a round; shown "
        "as min / **median** / max over the rounds. The machine is shared, so absolute "
        "times drift with its load; ratios much less.",
        "",
        "## Targets",
        "",
        *targets,
        "",
        *would_take(e, b, s),
        "## Engine: Guiyang, in process",
        "",
        f"{count:,} generated snapshots (`tests/snapgen.py`: the facts the pack reads, some "
        f"unknown, values at its thresholds and around holidays); {int(e['out']):,} of them "  # type: ignore[call-overload]
        "are out of the pack's scope (every rule not applicable). Each variant is the code "
        "a user calls:",
        "",
        "- hand-written: `benchmarks/handwritten_guiyang.py`, the Guiyang rules written by "
        "hand in plain Python; the statuses only, no missing facts (the test suite checks "
        "it agrees with the engine);",
        "- `decide()`: `govrules.engine.decide.decide`, the decision step `evaluate()` "
        "runs: every rule's status, missing facts, conduct dates, waivers, presumptions;",
        "- `evaluate() → Report`: `govrules.evaluate(snapshot, pack=..., as_of=...)`, the "
        "default report (findings shown, next steps, query plan, receipt);",
        "- `evaluate() + JSON text`: the same and the JSON line `--format jsonl` writes;",
        f"- `decide(backend='durable')`: the durable-rules backend, on the first "
        f"{int(e['durable_count']):,} snapshots.",  # type: ignore[call-overload]
        "",
        *engine_rows,
        "",
        *parts_section(e),
        "## Engine: every built-in pack",
        "",
        *pack_rows,
        "",
        *load_rows,
        "",
        "## Batch: whole processes",
        "",
        f"`govrules check FILE --format jsonl --quiet -o OUT` on {n:,} JSON Lines records "
        "(`benchmarks/records.py`: the example projects of every city varied, one line in a "
        "thousand malformed), each record checked against its own city; the floor is a "
        "Python process reading and writing the same lines with the stdlib `json` "
        f"(no checking). The small input is {int(b['small'])} records, "  # type: ignore[call-overload]
        f"run for {rounds * SMALL_ROUNDS} rounds (its two checks do the same work in one "
        "process, so their ratio is noise unless it stays near 1). Each process is "
        "started by a small launcher that measures it: the peak RSS is the process's own "
        "(with its workers), not the benchmark's, which Linux would otherwise count in it.",
        f"Default output (the line form): {bytes_per:,.0f} bytes per record; with "
        f"`--detail full`: {float(b['full bytes']):,.0f}.",  # type: ignore[arg-type]
        "",
        *batch_rows,
        "",
        "## Start-up",
        "",
        "CPU time (user + system) of whole processes; the check is of "
        "`examples/guiyang-violations.yaml` (its city's pack only). The sources are "
        "byte-compiled first (`python -m compileall src`), as an installed wheel is; "
        "the standard library and pydantic are compiled already.",
        "",
        *start_rows,
        "",
        "The slowest imports of `govrules --version` (`python -X importtime`):",
        "",
        *import_rows,
        "",
        "## Throughput per core",
        "",
        f"One process checks {per_cpu:,.0f} records per CPU-second here (the median "
        f"`--jobs 1` run above, start-up included). Records are independent, so "
        "throughput adds up over cores and machines: a projection is that rate × the cores, "
        f"less what the machine's other work takes. `--jobs 2` ran {j2:.2f}× as fast as "
        "`--jobs 1` on this shared two-core machine in this run. Beyond one machine, see "
        "[Distributed runs](integrations.md#distributed-runs-dask): one `map_partitions` "
        "over the records, the compiled packs loaded once per worker.",
        "",
        *(HISTORY.read_text(encoding="utf-8").splitlines() if HISTORY.exists() else []),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--snapshots", type=int, default=2000, metavar="N",
                        help="generated Guiyang snapshots for the engine (default 2,000)")
    parser.add_argument("--records", type=int, default=5000, metavar="N",
                        help="JSON Lines records for the batch runs (default 5,000)")
    parser.add_argument("--small", type=int, default=50, metavar="N",
                        help="records of the small input (default 50)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds (default 5)")
    parser.add_argument("--startup-rounds", type=int, default=10,
                        help="rounds of the start-up commands (default 10)")
    parser.add_argument("--quick", action="store_true",
                        help="a tiny run (the smoke test): 30 snapshots, 60 records, 2 rounds")
    parser.add_argument("--no-write", action="store_true", help="print the page only")
    args = parser.parse_args(argv)
    if args.quick:
        args.snapshots, args.records, args.small = 30, 60, 10
        args.rounds, args.startup_rounds = 2, 2
    print("engine…", file=sys.stderr, flush=True)
    e = engine(args.snapshots, args.rounds)
    with tempfile.TemporaryDirectory() as folder:
        print("batch…", file=sys.stderr, flush=True)
        b = batch(args.records, args.small, args.rounds, Path(folder))
    print("start-up…", file=sys.stderr, flush=True)
    s = startup(args.startup_rounds)
    text = "\n".join(page(e, b, s, args.rounds))
    if args.no_write:
        print(text)
    else:
        OUTPUT.write_text(text, encoding="utf-8")
        print(text)
        print(f"written to {OUTPUT.relative_to(REPO)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
