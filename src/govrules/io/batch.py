"""Checking many records: one outcome per record, in input order, streamed.

:func:`run` takes the records of :func:`govrules.io.inputs.read_records` and yields one
:class:`Piece` per record, in input order: what the summary counts (verdict, failing or
not, error lines) and the record's output already encoded by the chosen format. Only
pieces travel between processes and stay in memory, never snapshots or reports, so a
run over millions of records keeps a constant footprint.

With ``jobs > 1`` and at least :data:`POOL_MIN_CHUNKS` chunks of records, chunks go to a
process pool whose initializer loads the packs once per worker; results come back in
input order.
A record that cannot be read or checked becomes an error piece; a bad record never
stops the run.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from govrules.base.calendar import Calendar
from govrules.base.errors import Diagnostic, GovrulesError, InputError
from govrules.base.interrupts import interrupted
from govrules.base.loader import Document
from govrules.engine.evaluate import combine, evaluate_pack
from govrules.engine.gaps import apply_gap_mode
from govrules.engine.receipt import SnapshotSource
from govrules.io._options import CheckOptions, fails
from govrules.io.inputs import Record, decode, locate
from govrules.io.summary import Summary
from govrules.model.pack import Pack, resolve_packs
from govrules.model.report import CombinedReport, Report, Verdict
from govrules.model.snapshot import Snapshot, parse_snapshot
from govrules.model.vocabulary import merged_model

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

# concurrent.futures' process pool and multiprocessing are imported when a run starts
# worker processes (a check of one file never does: they cost a tenth of its start-up).

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
POOL_MIN_CHUNKS = 4
"""Worker processes only for inputs of at least this many chunks: below, starting them
costs more than they save."""


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
        self._models: dict[tuple[str, ...], type[Snapshot]] = {}
        self._frozen: set[str] = set()
        if self.fixed is not None:
            self.model(self.fixed)  # clashing declarations are a bad-policy error: exit 2
            self._freeze(self.fixed)

    def _freeze(self, packs: Sequence[Pack]) -> None:
        """Once packs are loaded, move everything alive to the collector's permanent
        generation: the compiled packs (hundreds of thousands of objects) are never
        garbage, and the cyclic collector no longer walks them on every collection."""
        new = {p.sha256 for p in packs} - self._frozen
        if new:
            self._frozen |= new
            gc.freeze()

    def packs_for(self, snapshot: Snapshot, document: Document | None = None) -> list[Pack]:
        if self.fixed is not None:
            return self.fixed
        if not snapshot.city:
            raise InputError(Diagnostic(
                "no-city", "the snapshot names no city and no --city was given "
                "/ 快照未写明城市,也未给出 --city",
                hint="add `city: guiyang` to the snapshot or pass --city"))
        try:
            return resolve_packs([snapshot.city])
        except GovrulesError as err:
            if document is None:
                raise
            where = document.span_of(("city",))  # the error is about the `city:` value
            raise type(err)(replace(d, span=where) if d.span is None else d
                            for d in err.diagnostics) from None

    def packs_named(self, data: object) -> list[Pack] | None:
        """The packs of the record's own ``city``, read before the snapshot is validated
        (their declared facts are part of its vocabulary); None when the city cannot be
        resolved (validation, then :meth:`packs_for`, report why)."""
        city = data.get("city") if isinstance(data, Mapping) else None
        if not isinstance(city, str) or not city.strip():
            return None
        try:
            return resolve_packs([city.strip()])
        except GovrulesError:
            return None

    def model(self, packs: Sequence[Pack]) -> type[Snapshot]:
        """One snapshot model for ``packs`` (built once per set of packs)."""
        key = tuple(p.sha256 for p in packs)
        found = self._models.get(key)
        if found is None:
            found = self._models[key] = merged_model([p.facts for p in packs])
        return found

    def check(self, record: Record) -> Outcome:
        """The record's outcome; never raises for bad input."""
        try:
            data, document = decode(record)
            packs = self.fixed if self.fixed is not None else self.packs_named(data)
            model = self.model(packs) if packs is not None else Snapshot
            snapshot = parse_snapshot(data, document=document, file=record.span.file,
                                      model=model)
            packs = packs if packs is not None else self.packs_for(snapshot, document)
            self._freeze(packs)
            day = self.options.as_of or snapshot.as_of or date.today()
            source = SnapshotSource.of_record(record, document)
            reports = tuple(evaluate_pack(p, snapshot, day, self.calendar,
                                          include_all=self.include_all,
                                          backend=self.options.backend,
                                          strict_presumptions=self.options.strict_presumptions,
                                          source=source, detail=self.options.detail)
                            for p in packs)
            gapped = [apply_gap_mode(r, self.options.gaps) for r in reports]
            reports = tuple(r for r, _ in gapped)
        except GovrulesError as err:
            return Outcome(record, diagnostics=locate(record, err))
        except Exception as exc:  # a bug: keep the record counted, report it, go on
            if interrupted():  # Ctrl-C, wrapped by a library on its way up: stop
                raise KeyboardInterrupt from exc
            if os.environ.get("GOVRULES_DEBUG"):
                raise
            return Outcome(record, internal=True, diagnostics=(Diagnostic(
                "internal-error", f"{type(exc).__name__}: {exc}", record.span,
                hint="set GOVRULES_DEBUG=1 for details"),))
        several = len(reports) > 1 or self.always_combined
        result = combine(snapshot, day, reports) if several else reports[0]
        failing = any(fails(r, self.options.fail_on, self.options.fail_on_nonbinding,
                            self.options.fail_on_undetermined)
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


# -- running ------------------------------------------------------------------------


def run(records: Iterable[Record], options: CheckOptions,
        make_encoder: Callable[[], Encoder], *, jobs: int = 1,
        chunk_size: int = DEFAULT_CHUNK, include_all: bool | None = None,
        evaluator: Evaluator | None = None) -> Iterator[Piece]:
    """One piece per record, in input order.

    ``make_encoder`` must be picklable (a module-level function or a
    :func:`functools.partial` of one) when ``jobs > 1``. Packs are loaded before the
    first record is read, so a bad ``--policy`` fails at once.

    A worker process that dies (killed, out of memory) breaks the pool: the chunks it
    had not returned are sent once more to a fresh pool, and a chunk that is lost a
    second time gives each of its records a ``worker-lost`` error, so no record is ever
    silently missing.
    """
    evaluator = evaluator or Evaluator(options, include_all=include_all)
    encoder = make_encoder()
    chunks = _chunks(records, chunk_size)
    ahead = list(islice(chunks, POOL_MIN_CHUNKS if jobs != 1 else 0))
    if jobs == 1 or len(ahead) < POOL_MIN_CHUNKS or len(ahead[-1]) < chunk_size:
        for chunk in chain(ahead, chunks):
            yield from (_piece(evaluator.check(record), encoder) for record in chunk)
        return
    # The first chunk is checked here: the packs its records name are loaded before the
    # workers fork, so they start with them.
    yield from (_piece(evaluator.check(record), encoder) for record in ahead[0])
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    pool = _Pool(workers, (options, make_encoder, include_all))
    try:
        for chunk in chain(ahead[1:], chunks):
            pool.submit(chunk)
            while pool.full():  # bounded: results wait in memory
                yield from pool.take(evaluator, encoder)
        while pool.pending:
            yield from pool.take(evaluator, encoder)
    finally:
        pool.close()


@dataclass
class _Task:
    chunk: list[Record]
    future: Future[list[Piece]]


class _Pool:
    """A process pool that survives the death of a worker (see :func:`run`)."""

    def __init__(self, workers: int, initargs: tuple[Any, ...]) -> None:
        self.workers = workers
        self.initargs = initargs
        self.pending: deque[_Task] = deque()
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        import multiprocessing  # noqa: PLC0415 - see the imports above
        from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415

        context = (multiprocessing.get_context("fork") if sys.platform.startswith("linux")
                   else None)
        return ProcessPoolExecutor(self.workers, mp_context=context,
                                   initializer=_init_worker, initargs=self.initargs)

    def submit(self, chunk: list[Record]) -> None:
        from concurrent.futures import Future  # noqa: PLC0415
        from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

        try:
            future = self.executor.submit(_work, chunk)
        except BrokenProcessPool:  # a worker died since the last take(): recovered there
            future = Future()
            future.set_exception(BrokenProcessPool("a worker process died"))
        self.pending.append(_Task(chunk, future))

    def full(self) -> bool:
        return len(self.pending) >= self.workers * 2

    def take(self, evaluator: Evaluator, encoder: Encoder) -> list[Piece]:
        """The pieces of the oldest chunk, however its worker fared."""
        from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

        task = self.pending[0]
        try:
            task.future.result()
        except BrokenProcessPool:
            self._recover(encoder)
        except Exception:
            task.future = _done([_piece(evaluator.check(r), encoder) for r in task.chunk])
        return self.pending.popleft().future.result()

    def _recover(self, encoder: Encoder) -> None:
        """A worker died: retry each unfinished chunk alone in a fresh pool, in order.

        Alone, so that a chunk that kills its worker again is known for certain: its
        records get ``worker-lost`` errors and the other chunks are unharmed.
        """
        from concurrent.futures.process import BrokenProcessPool  # noqa: PLC0415

        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._start()
        for task in self.pending:
            if task.future.done() and not isinstance(task.future.exception(),
                                                     BrokenProcessPool):
                continue  # finished before the pool broke
            try:
                task.future = _done(self.executor.submit(_work, task.chunk).result())
            except BrokenProcessPool:
                task.future = _done([_lost(record, encoder) for record in task.chunk])
                self.executor.shutdown(wait=False, cancel_futures=True)
                self.executor = self._start()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _done(pieces: list[Piece]) -> Future[list[Piece]]:
    from concurrent.futures import Future  # noqa: PLC0415 - see the imports above

    future: Future[list[Piece]] = Future()
    future.set_result(pieces)
    return future


def _lost(record: Record, encoder: Encoder) -> Piece:
    """A record whose worker died twice: an error of its own, never a silent gap."""
    return _piece(Outcome(record, internal=True, diagnostics=(Diagnostic(
        "worker-lost",
        "the worker process checking this record died, and again when retried (killed "
        "or out of memory) / 检查该记录的工作进程意外终止,重试时再次终止(被终止或内存不足)",
        record.span, hint="check it alone with --jobs 1"),)), encoder)


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, size)):
        yield chunk


_worker: tuple[Evaluator, Encoder] | None = None


def _init_worker(options: CheckOptions, make_encoder: Callable[[], Encoder],
                 include_all: bool | None) -> None:
    """Load the packs and calendar once per worker process.

    Workers ignore Ctrl-C: the main process handles it and shuts the pool down.
    """
    global _worker  # noqa: PLW0603 - per-process state is the point of an initializer
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = (Evaluator(options, include_all=include_all), make_encoder())


def _work(chunk: list[Record]) -> list[Piece]:
    assert _worker is not None, "worker used before its initializer ran"
    evaluator, encoder = _worker
    return [_piece(evaluator.check(record), encoder) for record in chunk]
