"""Checking many records: one outcome per record, in input order, streamed.

:func:`run` takes the records of :func:`govrules.inputs.read_records` and yields one
:class:`Piece` per record, in input order: what the summary counts (verdict, failing or
not, error lines) and the record's output already encoded by the chosen format. Only
pieces travel between processes and stay in memory, never snapshots or reports, so a
run over millions of records keeps a constant footprint.

With ``jobs > 1`` and more than one chunk of records, chunks go to a process pool whose
initializer loads the packs once per worker; results come back in input order.
A record that cannot be read or checked becomes an error piece; a bad record never
stops the run.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from typing import Any

from govrules.calendar import Calendar
from govrules.engine import combine, evaluate_pack
from govrules.errors import Diagnostic, GovrulesError, InputError
from govrules.gaps import apply_gap_mode
from govrules.inputs import Record, decode, locate
from govrules.pack import Pack, resolve_packs
from govrules.receipt import SnapshotSource
from govrules.report import CombinedReport, Report, Verdict
from govrules.snapshot import Snapshot, parse_snapshot
from govrules.source import Document

__all__ = [
    "CheckOptions",
    "Encoder",
    "Evaluator",
    "Outcome",
    "Piece",
    "Summary",
    "describe",
    "fails",
    "run",
]

DEFAULT_CHUNK = 256
"""Records per task sent to a worker process."""


@dataclass(frozen=True)
class CheckOptions:
    """What to check records against, and what fails (picklable: sent to workers)."""

    cities: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()
    as_of: date | None = None
    calendars: tuple[str, ...] = ()
    include_all: bool = False
    backend: str = "native"
    fail_on: str = "error"
    fail_on_nonbinding: bool = False
    strict_presumptions: bool = False
    gaps: str = "warn"


def fails(report: Report, fail_on: str, nonbinding: bool) -> bool:
    """Whether ``report`` should make the exit code 1 under ``--fail-on``."""
    if fail_on == "never" or (not report.binding and not nonbinding):
        return False
    levels = {"error"} if fail_on == "error" else {"error", "warning"}
    return any(f.status == "violated" and f.severity in levels for f in report.findings)


@dataclass(frozen=True)
class Outcome:
    """One record checked: its result, or the diagnostics that stopped it."""

    record: Record
    result: Report | CombinedReport | None = None
    reports: tuple[Report, ...] = ()
    packs: tuple[Pack, ...] = ()
    snapshot: Snapshot | None = None
    document: Document | None = None
    diagnostics: tuple[Diagnostic, ...] = ()
    failing: bool = False
    internal: bool = False

    @property
    def verdict(self) -> Verdict | None:
        return self.result.verdict if self.result is not None else None


Encoder = Callable[[Outcome], Any]
"""Turns an outcome into a format's piece of output (runs where the record was checked)."""


@dataclass(frozen=True, slots=True)
class Piece:
    """What the main process keeps of one record: counts, error lines, encoded output."""

    index: int
    source: str
    kind: str
    verdict: Verdict | None
    failing: bool
    internal: bool
    errors: tuple[str, ...]
    payload: Any


class Evaluator:
    """Packs and calendar loaded once; checks one record at a time."""

    def __init__(self, options: CheckOptions, *, include_all: bool | None = None) -> None:
        self.options = options
        self.include_all = options.include_all if include_all is None else include_all
        self.calendar = (Calendar.load(list(options.calendars)) if options.calendars
                         else Calendar.default())
        self.fixed: list[Pack] | None = None
        if options.cities or options.policies:
            self.fixed = resolve_packs(list(options.cities), list(options.policies))
        self.always_combined = any("all" in c.split(",") for c in options.cities)

    def packs_for(self, snapshot: Snapshot) -> list[Pack]:
        if self.fixed is not None:
            return self.fixed
        if not snapshot.city:
            raise InputError(Diagnostic(
                "no-city", "the snapshot names no city and no --city was given",
                hint="add `city: guiyang` to the snapshot or pass --city"))
        return resolve_packs([snapshot.city])

    def check(self, record: Record) -> Outcome:
        """The record's outcome; never raises for bad input."""
        try:
            data, document = decode(record)
            snapshot = parse_snapshot(data, document=document, file=record.span.file)
            packs = self.packs_for(snapshot)
            day = self.options.as_of or snapshot.as_of or date.today()
            source = SnapshotSource.of_record(record, document)
            reports = tuple(evaluate_pack(p, snapshot, day, self.calendar,
                                          include_all=self.include_all,
                                          backend=self.options.backend,
                                          strict_presumptions=self.options.strict_presumptions,
                                          source=source)
                            for p in packs)
            gapped = [apply_gap_mode(r, self.options.gaps) for r in reports]
            reports = tuple(r for r, _ in gapped)
        except GovrulesError as err:
            return Outcome(record, diagnostics=locate(record, err))
        except Exception as exc:  # a bug: keep the record counted, report it, go on
            if os.environ.get("GOVRULES_DEBUG"):
                raise
            return Outcome(record, internal=True, diagnostics=(Diagnostic(
                "internal-error", f"{type(exc).__name__}: {exc}", record.span,
                hint="set GOVRULES_DEBUG=1 for details"),))
        several = len(reports) > 1 or self.always_combined
        result = combine(snapshot, day, reports) if several else reports[0]
        failing = any(fails(r, self.options.fail_on, self.options.fail_on_nonbinding)
                      for r in reports) or any(gap_fails for _, gap_fails in gapped)
        return Outcome(record, result=result, reports=reports, packs=tuple(packs),
                       snapshot=snapshot, document=document, failing=failing)


def describe(diagnostic: Diagnostic) -> str:
    """``file:line:col: code: message (hint)``, naming the field when there is one."""
    if diagnostic.path and diagnostic.span is not None and diagnostic.span.line is not None:
        hint = f"; {diagnostic.hint}" if diagnostic.hint else ""
        return (f"{diagnostic.span}: {diagnostic.code}: {diagnostic.message} "
                f"(at {diagnostic.path}{hint})")
    return str(diagnostic)


def _piece(outcome: Outcome, encoder: Encoder) -> Piece:
    return Piece(outcome.record.index, outcome.record.source, outcome.record.kind,
                 outcome.verdict,
                 outcome.failing, outcome.internal,
                 tuple(describe(d) for d in outcome.diagnostics), encoder(outcome))


@dataclass
class Summary:
    """Counts over a run: every record is checked (with a verdict) or an error."""

    records: int = 0
    checked: int = 0
    compliant: int = 0
    non_compliant: int = 0
    undetermined: int = 0
    not_applicable: int = 0
    errors: int = 0
    failing: int = 0
    internal: int = field(default=0, repr=False)

    def add(self, piece: Piece) -> None:
        self.records += 1
        if piece.verdict is None:
            self.errors += 1
            self.internal += piece.internal
            return
        self.checked += 1
        setattr(self, piece.verdict, getattr(self, piece.verdict) + 1)
        self.failing += piece.failing

    @property
    def exit_code(self) -> int:
        """3 internal error, 2 bad input, 1 failing violations, 0 otherwise."""
        if self.internal:
            return 3
        if self.errors:
            return 2
        return 1 if self.failing else 0

    def to_dict(self) -> dict[str, int]:
        return {"records": self.records, "checked": self.checked,
                "compliant": self.compliant, "non_compliant": self.non_compliant,
                "undetermined": self.undetermined, "not_applicable": self.not_applicable,
                "errors": self.errors, "failing": self.failing, "exit_code": self.exit_code}

    def line(self) -> str:
        """The one-line summary printed to stderr."""
        return (f"govrules: {self.records} record{'s' if self.records != 1 else ''}: "
                f"{self.checked} checked ({self.compliant} compliant, {self.non_compliant} "
                f"non-compliant, {self.undetermined} undetermined, {self.not_applicable} "
                f"not applicable), {self.errors} error{'s' if self.errors != 1 else ''}"
                f"; {self.failing} failing")


# -- running ------------------------------------------------------------------------


def run(records: Iterable[Record], options: CheckOptions,
        make_encoder: Callable[[], Encoder], *, jobs: int = 1,
        chunk_size: int = DEFAULT_CHUNK, include_all: bool | None = None,
        evaluator: Evaluator | None = None) -> Iterator[Piece]:
    """One piece per record, in input order.

    ``make_encoder`` must be picklable (a module-level function or a
    :func:`functools.partial` of one) when ``jobs > 1``. Packs are loaded before the
    first record is read, so a bad ``--policy`` fails at once.
    """
    evaluator = evaluator or Evaluator(options, include_all=include_all)
    encoder = make_encoder()
    chunks = _chunks(records, chunk_size)
    first = next(chunks, [])
    if jobs == 1 or len(first) < chunk_size:
        for chunk in chain([first], chunks):
            yield from (_piece(evaluator.check(record), encoder) for record in chunk)
        return
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(options, make_encoder, include_all)) as pool:
        pending: deque[Future[list[Piece]]] = deque()
        for chunk in chain([first], chunks):
            pending.append(pool.submit(_work, chunk))
            while len(pending) >= workers * 2:  # bounded: results wait in memory
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


_worker: tuple[Evaluator, Encoder] | None = None


def _init_worker(options: CheckOptions, make_encoder: Callable[[], Encoder],
                 include_all: bool | None) -> None:
    """Load the packs and calendar once per worker process."""
    global _worker  # noqa: PLW0603 - per-process state is the point of an initializer
    _worker = (Evaluator(options, include_all=include_all), make_encoder())


def _work(chunk: list[Record]) -> list[Piece]:
    assert _worker is not None, "worker used before its initializer ran"
    evaluator, encoder = _worker
    return [_piece(evaluator.check(record), encoder) for record in chunk]
