"""Check JSON Lines records on a Dask cluster: one ``map_partitions`` over the records,
the compiled packs loaded once per worker process.

Each partition is checked by :func:`check_partition`, which keeps one
:class:`govrules.io.batch.Evaluator` per worker process (packs loaded and compiled on
first use, then reused by every partition that worker gets) and returns the lines
``govrules check --format jsonl`` would write for the same records. Records are
independent, so the run scales with the workers; nothing but text travels between them.

    pip install 'govrules[dask]'
    python examples/distributed/dask_check.py OUT.jsonl records-*.jsonl
    python examples/distributed/dask_check.py OUT.jsonl records.jsonl --scheduler tcp://host:8786

With one partition per file (the default here), each result's ``source`` is
``file:line``, as in ``govrules check``; cut large files into several partitions with
``--blocksize 64MiB`` (line numbers then count from the start of each block).
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Iterable, Sequence

from govrules.base.location import Span
from govrules.io.batch import CheckOptions, Evaluator
from govrules.io.formats import FormatContext, make_encoder
from govrules.io.inputs import Record

__all__ = ["check_partition", "main", "run"]

_lock = threading.Lock()
_evaluators: dict[CheckOptions, Evaluator] = {}


def evaluator(options: CheckOptions) -> Evaluator:
    """This worker's evaluator for ``options`` (its packs loaded once per process)."""
    with _lock:
        found = _evaluators.get(options)
        if found is None:
            found = _evaluators[options] = Evaluator(options)
        return found


def check_partition(lines: Iterable[str], options: CheckOptions, file: str) -> list[str]:
    """The JSON Lines output of one partition: one line per non-blank input line."""
    checker = evaluator(options)
    encode = make_encoder("jsonl", FormatContext())
    out: list[str] = []
    index = 0
    for number, line in enumerate(lines, 1):
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        record = Record(index, Span(file, number), "line", text=text, fmt="json")
        out.append(str(encode(checker.check(record))))
        index += 1
    return out


def run(paths: Sequence[str], options: CheckOptions, blocksize: str | None = None
        ) -> list[str]:
    """Every record of ``paths`` checked on the current Dask client (or the local
    scheduler): one ``map_partitions`` per file, results in input order."""
    import dask.bag as db  # noqa: PLC0415 - the example's one dependency

    bags = [db.read_text(path, blocksize=blocksize).map_partitions(
        check_partition, options, path) for path in paths]
    return list(db.concat(bags).compute())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("output", help="the JSON Lines results")
    parser.add_argument("inputs", nargs="+", help="JSON Lines files of records")
    parser.add_argument("--city", action="append", default=[],
                        help="check against these packs (default: each record's own city)")
    parser.add_argument("--scheduler", help="a Dask scheduler address (default: a local "
                        "cluster of one worker process per CPU)")
    parser.add_argument("--blocksize", default=None, help="cut files into partitions of "
                        "this size (default: one partition per file)")
    args = parser.parse_args(argv)
    from dask.distributed import Client, LocalCluster  # noqa: PLC0415

    cluster = None if args.scheduler else LocalCluster(threads_per_worker=1)
    with Client(args.scheduler or cluster):
        lines = run(args.inputs, CheckOptions(cities=tuple(args.city)), args.blocksize)
    if cluster is not None:
        cluster.close()
    with open(args.output, "w", encoding="utf-8") as out:
        out.writelines(line + "\n" for line in lines)
    print(f"{len(lines)} records checked / 已检查 {len(lines)} 条记录", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
