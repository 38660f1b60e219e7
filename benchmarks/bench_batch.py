"""Throughput and memory of ``govrules check`` over many records (a benchmark, not a test).

Generates JSON Lines records in a temporary folder, varied from the example projects of
every city (dates moved, facts dropped so that rules turn undetermined, flags flipped,
one line in a thousand malformed), and checks them against every built-in pack:

1. throughput: ``--records`` records, one process, then ``--jobs`` processes;
2. memory: peak resident memory of the main process and of the largest worker, for a
   tenth of ``--memory-records`` lines and for all of them (against ``--memory-city``,
   one pack, to keep the run short: memory does not depend on the packs' number): a
   streaming run's peak does not grow with the input.

Each run is a separate ``python`` process (so peak memory is its own), writing
``--format jsonl`` to the null device. Figures, with the machine and versions, go to
``docs/performance/batch.md`` (``--no-write`` to only print them).

    python benchmarks/bench_batch.py                     # 100,000 and 200,000 records
    python benchmarks/bench_batch.py --records 2000 --memory-records 4000 --no-write
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import textwrap
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from govrules import __version__
from govrules.model.pack import builtin_pack_ids

REPO = Path(__file__).resolve().parents[1]
OUTPUT = REPO / "docs" / "performance" / "batch.md"

_RUNNER = textwrap.dedent("""
    import json, resource, sys, time
    from govrules.cli.main import main
    start = time.perf_counter()
    code = main(sys.argv[2:])
    seconds = time.perf_counter() - start
    usage = resource.getrusage
    stats = {"code": code, "seconds": seconds,
             "rss_kb": usage(resource.RUSAGE_SELF).ru_maxrss,
             "children_rss_kb": usage(resource.RUSAGE_CHILDREN).ru_maxrss}
    with open(sys.argv[1], "w") as out:
        json.dump(stats, out)
""")


def _bases() -> list[dict[str, Any]]:
    """The example projects, as JSON-ready dicts (one or more per city)."""
    bases = []
    for path in sorted((REPO / "examples").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("city"):
            bases.append(json.loads(json.dumps(data, default=str)))
    return bases


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _leaves(v, (*path, k))] or [path]
    if isinstance(data, list) and data and isinstance(data[0], dict):
        return [p for i, v in enumerate(data) for p in _leaves(v, (*path, i))]
    return [path]


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def record(bases: list[dict[str, Any]], n: int) -> str:
    """One JSON Lines line: an example project, varied."""
    rng = random.Random(n)
    if rng.random() < 0.001:
        return f'{{"id": "broken-{n}", "budget": {{'
    data = copy.deepcopy(bases[n % len(bases)])
    data["id"] = f"{data.get('id', 'P')}-{n:06d}"
    as_of = date.fromisoformat(str(data.get("as_of", "2025-06-30")))
    data["as_of"] = str(as_of + timedelta(days=rng.randint(-400, 200)))
    leaves = [p for p in _leaves(data) if p and p[0] not in ("id", "city", "as_of")]
    for path in rng.sample(leaves, k=min(len(leaves), rng.randint(0, 12))):
        parent = _parent(data, path)
        key = path[-1]
        if isinstance(parent, dict) and key in parent:
            if isinstance(parent[key], bool) and rng.random() < 0.5:
                parent[key] = not parent[key]
            else:
                del parent[key]
    return json.dumps(data, ensure_ascii=False)


def write_records(path: Path, count: int) -> None:
    bases = _bases()
    with path.open("w", encoding="utf-8") as out:
        for n in range(count):
            out.write(record(bases, n) + "\n")


def measure(args: list[str], work: Path) -> dict[str, Any]:
    """Run ``govrules <args>`` in a fresh process; its time and peak memory."""
    stats_file = work / "stats.json"
    subprocess.run([sys.executable, "-c", _RUNNER, str(stats_file), *args],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=REPO)
    stats: dict[str, Any] = json.loads(stats_file.read_text(encoding="utf-8"))
    return stats


def _machine() -> list[str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return [f"- machine: {cpu}, {os.cpu_count()} CPUs{memory}, {platform.system()} "
            f"{platform.release()}",
            f"- Python {platform.python_version()}, govrules {__version__}, "
            f"built-in packs: {', '.join(builtin_pack_ids())}",
            f"- date: {date.today()}"]


def _mib(kb: int) -> str:
    return f"{kb / 1024:.0f}" if kb else "–"


def report(options: argparse.Namespace, loads: tuple[tuple[float, ...], tuple[float, ...]],
           throughput: list[dict[str, Any]], memory: list[dict[str, Any]]) -> str:
    """The Markdown page: machine, method, and a table for each measurement."""
    rows = [f"| {s['jobs']} | {s['records']:,} | {s['seconds']:.1f} | "
            f"{s['records'] / s['seconds']:,.0f} | {_mib(s['rss_kb'])} | "
            f"{_mib(s['children_rss_kb'])} |" for s in throughput]
    speedup = throughput[0]["seconds"] / throughput[-1]["seconds"]
    memory_rows = [f"| {s['records']:,} | {s['mib']:,.0f} | {s['jobs']} | "
                   f"{s['seconds']:.1f} | {s['records'] / s['seconds']:,.0f} | "
                   f"{_mib(s['rss_kb'])} | {_mib(s['children_rss_kb'])} |" for s in memory]
    growth = (memory[-1]["rss_kb"] - memory[0]["rss_kb"]) / 1024
    before, after = (", ".join(f"{x:.2f}" for x in load) for load in loads)
    return "\n".join([
        "# Batch performance", "",
        "Written by `benchmarks/bench_batch.py` (`make bench`); not a timed test.", "",
        *_machine(),
        f"- load average (1, 5, 15 min) before the runs: {before}; after: {after}. Other "
        "work on the machine slows the runs, `--jobs` most.", "",
        "Records: JSON Lines varied from the example projects of every city (dates moved,",
        "facts dropped, flags flipped, one line in a thousand malformed), written to a",
        "temporary folder and checked with `--format jsonl` to the null device. Each run is",
        "a fresh process; times exclude interpreter start-up but include loading the packs.",
        "",
        "## Throughput", "",
        "Against every built-in pack (`--city all`: one report per pack and record).", "",
        "| jobs | records | seconds | records/s | main peak RSS (MiB) | "
        "largest worker peak RSS (MiB) |",
        "|---:|---:|---:|---:|---:|---:|", *rows, "",
        f"`--jobs {throughput[-1]['jobs']}` runs {speedup:.2f}× as fast. The main process "
        "of a parallel run holds the chunks in flight (their encoded results).", "",
        "## Memory and input size", "",
        f"Against `{options.memory_city}`, with `--jobs {options.jobs}`, for a tenth of the "
        "lines and for all of them.", "",
        "| lines | input (MiB) | jobs | seconds | records/s | main peak RSS (MiB) | "
        "largest worker peak RSS (MiB) |",
        "|---:|---:|---:|---:|---:|---:|---:|", *memory_rows, "",
        f"Ten times the input, {growth:+.0f} MiB of peak memory in the main process: records "
        "are streamed and only the chunks in flight are held.", ""])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--memory-records", type=int, default=200_000)
    parser.add_argument("--memory-city", default="guiyang")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-write", action="store_true", help="print only")
    options = parser.parse_args()
    check = ["check", "--format", "jsonl", "-o", os.devnull, "--quiet"]
    load_before = os.getloadavg()
    throughput: list[dict[str, Any]] = []
    memory: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        data = work / "records.jsonl"
        write_records(data, options.records)
        for jobs in (1, options.jobs):
            stats = measure([*check, "--city", "all", str(data), "--jobs", str(jobs)], work)
            throughput.append({**stats, "jobs": jobs, "records": options.records})
            print(throughput[-1], flush=True)
        for count in (options.memory_records // 10, options.memory_records):
            write_records(data, count)
            stats = measure([*check, "--city", options.memory_city, str(data),
                             "--jobs", str(options.jobs)], work)
            memory.append({**stats, "jobs": options.jobs, "records": count,
                           "mib": data.stat().st_size / 1024 / 1024})
            print(memory[-1], flush=True)
    text = report(options, (load_before, os.getloadavg()), throughput, memory)
    print(text)
    if not options.no_write:
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
