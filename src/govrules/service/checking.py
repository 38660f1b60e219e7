"""Checking a request body: the CLI's own reader, evaluator and JSON Lines encoder.

A body is read as ``govrules check -`` reads standard input (:func:`govrules.io.inputs.
read_records`: YAML or JSON document, JSON array, JSON Lines, CSV), or as an Excel
workbook (:mod:`govrules.io.xlsx_records`); every record goes through the CLI's
:class:`govrules.io.batch.Evaluator` and is encoded by the ``jsonl`` format, so the service
and ``govrules check --format jsonl`` give the same objects for the same input. Only the
file name differs: the body's records are placed in the ``name`` the client gives
(``project.yaml:3:5``), where the CLI reading stdin would say ``<stdin>:3:5``.
"""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from govrules.base.errors import Diagnostic, GovrulesError, InputError
from govrules.base.loader import Span
from govrules.io import batch
from govrules.io.batch import CheckOptions, Evaluator, Outcome, Summary
from govrules.io.formats.common import Detail, FormatContext
from govrules.io.formats.plain import JsonlEncoder
from govrules.io.formats.timeline import timeline_svg
from govrules.io.inputs import INPUT_FORMATS, STDIN, Record, read_records
from govrules.io.xlsx_records import read_xlsx
from govrules.model.pack import Pack

__all__ = [
    "BODY_FORMATS",
    "CheckResult",
    "Limits",
    "RequestError",
    "body_records",
    "check_body",
    "evaluator_for",
    "service_error",
]

BODY_FORMATS: tuple[str, ...] = ("auto", *INPUT_FORMATS, "xlsx")
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    """What one request may ask: body bytes, records, seconds of checking."""

    max_body_bytes: int = 8 * 1024 * 1024
    max_records: int = 1000
    time_limit: float = 30.0


class RequestError(Exception):
    """A request the service refuses as a whole: an HTTP status and diagnostics."""

    def __init__(self, status: int, diagnostics: list[dict[str, Any]]) -> None:
        super().__init__(diagnostics[0]["code"] if diagnostics else str(status))
        self.status = status
        self.diagnostics = diagnostics


def service_error(status: int, code: str, zh: str, en: str, *,
                  hint: str | None = None, path: str | None = None) -> RequestError:
    """A request-level error with its message in Chinese and English."""
    return RequestError(status, [{"code": code, "message": en, "message_zh": zh,
                                  "file": None, "line": None, "col": None, "path": path,
                                  "hint": hint, "severity": "error", "rule": None}])


def diagnostics_of(err: GovrulesError, name: str | None = None) -> list[dict[str, Any]]:
    """The CLI's diagnostics as JSON objects, placed in ``name`` instead of stdin."""
    out: list[dict[str, Any]] = []
    for diagnostic in err.diagnostics:
        item = diagnostic.to_dict()
        if name and isinstance(item["file"], str) and item["file"].startswith(STDIN):
            item["file"] = name + item["file"][len(STDIN):]
        out.append(item)
    return out


@dataclass
class CheckResult:
    """The encoded result of each record, in order, and the run's summary."""

    items: list[str] = field(default_factory=list)
    timelines: list[str | None] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)

    def body(self, *, with_timelines: bool = False) -> str:
        """``{"results": [...], "summary": {...}}`` with each item spliced in as is."""
        text = '{"results":[' + ",".join(self.items) + '],"summary":' + json.dumps(
            self.summary.to_dict())
        if with_timelines:
            text += ',"timelines":' + json.dumps(self.timelines, ensure_ascii=False)
        return text + "}"


def body_records(body: bytes, fmt: str, name: str) -> Iterator[Record]:
    """The body's records, as ``check -`` (or the xlsx reader) reads them."""
    if fmt == "xlsx" or (fmt == "auto" and body.startswith(_ZIP_MAGIC)):
        yield from _xlsx_records(body, name)
        return
    yield from read_records(["-"], None if fmt == "auto" else fmt, stdin=io.BytesIO(body))


def _xlsx_records(body: bytes, name: str) -> Iterator[Record]:
    index = 0
    for span, value in read_xlsx(io.BytesIO(body), name):
        if isinstance(value, GovrulesError):
            yield Record(index, span, "row", error=value)
        else:
            yield Record(index, span, "row", data=value, fmt="csv")
        index += 1
    if index == 0:
        yield Record(0, Span(name), "document", error=InputError(Diagnostic(
            "input-no-records", "the workbook holds no snapshot rows", Span(name),
            hint="the first row of a sheet names the fields, each later row is a project")))


def _renamed(payload: str, source: str, name: str, *, report: bool) -> str:
    """A JSON Lines item placed in ``name`` instead of ``<stdin>``."""
    if not source.startswith(STDIN):
        return payload
    new = name + source[len(STDIN):]
    old_head = '{"source":' + json.dumps(source, ensure_ascii=False)
    if report and payload.startswith(old_head) and f'"source":"{STDIN}' not in payload[
            len(old_head):]:  # the report names its place only there
        return '{"source":' + json.dumps(new, ensure_ascii=False) + payload[len(old_head):]
    item = json.loads(payload)
    item["source"] = new
    for one in item.get("reports", [item]):  # each receipt names where the snapshot was read
        snapshot = (one.get("receipt") or {}).get("snapshot") or {}
        for key in ("source", "record"):
            if isinstance(snapshot.get(key), str) and snapshot[key].startswith(STDIN):
                snapshot[key] = name + snapshot[key][len(STDIN):]
    for error in item.get("errors", []):
        if isinstance(error.get("file"), str) and error["file"].startswith(STDIN):
            error["file"] = name + error["file"][len(STDIN):]
    return json.dumps(item, ensure_ascii=False, separators=(",", ":"))


def _bounded(records: Iterable[Record], limit: int) -> Iterator[Record]:
    for count, record in enumerate(records, 1):
        if count > limit:
            raise service_error(
                413, "too-many-records", f"请求中的记录超过 {limit} 条",
                f"the request holds more than {limit} records",
                hint="split the input into several requests")
        yield record


_evaluators: dict[tuple[Any, ...], Evaluator] = {}
_evaluators_lock = threading.Lock()


def evaluator_for(cities: tuple[str, ...], as_of: date | None, include_all: bool,
                  pack: Pack | None = None, detail: Detail = "line") -> Evaluator:
    """The CLI's evaluator for these options (kept for built-in packs: packs load once).
    ``detail``: the form its reports are made for and written in (``line``: the line
    form only, as for ``govrules check --format jsonl``)."""
    options = CheckOptions(cities=cities, as_of=as_of, include_all=include_all,
                           detail=detail)
    if pack is not None:
        evaluator = Evaluator(options)
        evaluator.fixed = [pack]  # an uploaded pack, as `--policy FILE` would give
        return evaluator
    key = (cities, as_of, include_all, detail)
    with _evaluators_lock:
        cached = _evaluators.get(key)
    if cached is not None:
        return cached
    evaluator = Evaluator(options)  # an unknown city fails here, as for the CLI
    with _evaluators_lock:
        if len(_evaluators) > 256:
            _evaluators.clear()
        _evaluators[key] = evaluator
    return evaluator


def check_body(body: bytes, *, fmt: str, name: str, evaluator: Evaluator, limits: Limits,
               timelines: bool = False, keep: bool = False,
               clock: Callable[[], float] = time.monotonic) -> CheckResult:
    """Check every record of ``body``; raises :class:`RequestError` past a limit. Each
    item is what ``govrules check --format jsonl --detail DETAIL`` prints, DETAIL the
    form the evaluator's reports are made for (:func:`evaluator_for`)."""
    deadline = clock() + limits.time_limit
    encode = JsonlEncoder(FormatContext(single=True, detail=evaluator.options.detail))
    result = CheckResult()

    def encoder(outcome: Outcome) -> Outcome:
        return outcome

    records = _bounded(body_records(body, fmt, name or STDIN), limits.max_records)
    for piece in batch.run(records, evaluator.options, lambda: encoder, evaluator=evaluator):
        outcome: Outcome = piece.payload
        item = encode(outcome)
        if name:
            item = _renamed(item, piece.source, name, report=outcome.result is not None)
        result.items.append(item)
        if timelines:
            result.timelines.append(timeline_svg(outcome.result)
                                    if outcome.result is not None else None)
        if keep:
            result.outcomes.append(outcome)
        result.summary.add(piece)
        if clock() > deadline:
            raise service_error(
                503, "time-limit", f"检查超过每个请求 {limits.time_limit:g} 秒的时限",
                f"checking took longer than the {limits.time_limit:g} s allowed per request",
                hint="send fewer records per request")
    return result
