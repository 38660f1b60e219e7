"""Reading snapshot records from files, folders, globs and streams.

One *record* is one project snapshot and knows where it came from: a YAML or JSON file
holding one object is one record (positions of every field kept, as for a single
``check``); a JSON Lines file is one record per line; a JSON array one record per
element; a CSV file one record per row (:mod:`govrules.io.csv_records`). Nothing is lost:
anything that cannot be read becomes a record carrying its error, at its place, and the
reader moves on to the next record wherever the format allows it.

Readers stream: JSON Lines and CSV are read line by line, JSON arrays chunk by chunk, so
memory does not grow with the input. Decoding a record's JSON and loading a document
file is left to :func:`decode`, which the evaluator calls (in a worker process when
``--jobs`` is used).
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal

from govrules.base.errors import Diagnostic, GovrulesError, InputError
from govrules.base.loader import (
    MAX_DOCUMENT_BYTES,
    Document,
    JsonValueError,
    Span,
    decode_json,
    encoding_error,
    load_document,
    open_regular,
    parse_document,
    read_bounded,
)
from govrules.io.csv_records import read_csv

if TYPE_CHECKING:
    from govrules.model.snapshot import Snapshot
from govrules.io.json_array import read_json_array
from govrules.io.sources import (
    EXTENSIONS,
    INPUT_FORMATS,
    STDIN,
    InputFormat,
    Prepended,
    checked_format,
    expand,
    sniff,
)

__all__ = [
    "EXTENSIONS",
    "INPUT_FORMATS",
    "STDIN",
    "ReaderFailureError",
    "Record",
    "decode",
    "locate",
    "read_records",
]

_CHUNK = 64 * 1024
RecordKind = Literal["document", "line", "element", "row"]


class ReaderFailureError(Exception):
    """A reader stopped on something other than bad input (a bug): the rest of that
    file is one record with this error, which the evaluator reports as an internal
    error (exit 3). Only the text travels, so it pickles whatever the cause."""

    def __init__(self, cause: BaseException | str) -> None:
        text = cause if isinstance(cause, str) else f"{type(cause).__name__}: {cause}"
        super().__init__(text)
        self.error = RuntimeError(f"reading the file failed: {text}")


@dataclass(frozen=True, slots=True)
class Record:
    """One snapshot to check, and where it is.

    Exactly one of ``path`` (a document file, loaded by :func:`decode`), ``text`` (a JSON
    Lines line, or a whole document read from standard input), ``data`` (a decoded JSON
    array element or CSV row) and ``error`` (the record could not be read) says what it
    holds. ``span`` is where it starts: the file, and the line (and column) inside a
    stream.
    """

    index: int
    span: Span
    kind: RecordKind
    path: str | None = None
    text: str | None = None
    data: object = None
    fmt: InputFormat = "yaml"
    error: GovrulesError | ReaderFailureError | None = None

    @property
    def source(self) -> str:
        """``file`` for a document, ``file:line`` (``:col`` in a JSON array) in a stream."""
        return str(self.span)

    @property
    def in_stream(self) -> bool:
        """The record is one of many in its file (diagnostics then use its line)."""
        return self.kind != "document"


def read_records(inputs: Iterable[str], input_format: str | None = None,
                 stdin: BinaryIO | None = None, *,
                 model: type[Snapshot] | None = None) -> Iterator[Record]:
    """Every record of the inputs, in order, numbered from 0.

    ``inputs`` are file paths, folders (walked recursively for the extensions in
    :data:`EXTENSIONS`), glob patterns and ``-`` for ``stdin``. ``input_format`` is the
    format of standard input and of named files whose extension is not known (sniffed
    from the content when ``None``). ``model`` is the snapshot model of the packs the run
    uses, when they are fixed: CSV and .xlsx columns may then name the facts they declare.
    """
    fmt = checked_format(input_format)
    names = list(inputs)
    index = 0
    for file, file_fmt, problem in expand(names, fmt):
        if problem is not None:
            yield Record(index, problem.diagnostics[0].span or Span(file), "document",
                         error=problem)
            index += 1
            continue
        if file == STDIN:
            records = _stdin_records(stdin, file_fmt, index, model)
        elif file_fmt == "jsonl":
            records = _stream_file(file, index, _jsonl)
        elif file_fmt == "csv":
            records = _stream_file(file, index, functools.partial(_csv, model=model))
        elif file_fmt == "xlsx":
            records = _stream_file(file, index, functools.partial(_xlsx, model=model))
        elif file_fmt == "json":
            records = _json_file(file, index)
        else:
            records = iter([Record(index, Span(file), "document", path=file, fmt="yaml")])
        try:
            for record in records:
                yield record
                index = record.index + 1
        except Exception as exc:  # a reader bug: report it as the file's next record
            if os.environ.get("GOVRULES_DEBUG"):
                raise
            yield Record(index, Span(file), "document", error=ReaderFailureError(exc))
            index += 1
    if index == 0:  # a run that checks nothing must not pass silently
        where = Span(names[0] if len(names) == 1 else None)
        yield Record(0, where, "document", error=InputError(Diagnostic(
            "input-no-records", "the inputs hold no snapshot records", where,
            hint="an empty file or stream checks nothing")))


def decode(record: Record) -> tuple[object, Document | None]:
    """The record's value, and its document (field positions) for a document file.

    Raises :class:`GovrulesError` for a record that cannot be read or is not JSON.
    """
    if isinstance(record.error, ReaderFailureError):
        raise record.error.error
    if record.error is not None:
        raise record.error
    file = record.span.file
    if record.path is not None:
        document = _load(record.path, record.fmt)
        return document.data, document
    if record.kind == "document":
        document = parse_document(record.text or "", file, fmt=record.fmt)
        return document.data, document
    if record.text is not None:
        try:
            return decode_json(record.text)[0], None
        except JsonValueError as problem:
            raise InputError(Diagnostic(problem.code, problem.message,
                                        Span(file, record.span.line, problem.pos + 1))) from None
    return record.data, None


def locate(record: Record, error: GovrulesError) -> tuple[Diagnostic, ...]:
    """The error's diagnostics, each placed at least at the record.

    A diagnostic without a place (an unknown city) gets the record's; one inside a
    stream record that has only the file (a field error in a JSON Lines record) gets
    the record's line.
    """
    return tuple(replace(d, span=record.span) if _unplaced(d.span, record) else d
                 for d in error.diagnostics)


def _unplaced(span: Span | None, record: Record) -> bool:
    if span is None or span.file is None:
        return True
    return record.in_stream and span.line is None and span.file == record.span.file


# -- which files ----------------------------------------------------------------------


# -- files ----------------------------------------------------------------------------


def _open_error(file: str, exc: OSError) -> InputError:
    if isinstance(exc, FileNotFoundError):
        return InputError(Diagnostic("file-not-found", "no such file", Span(file)))
    if isinstance(exc, IsADirectoryError):
        return InputError(Diagnostic("file-is-directory", "is a directory", Span(file)))
    return InputError(Diagnostic("file-unreadable", f"cannot read: {exc.strerror}",
                                 Span(file)))


def _load(path: str, fmt: InputFormat) -> Document:
    """A document file; the extension decides YAML or JSON, else ``fmt``."""
    if Path(path).suffix.lower() in EXTENSIONS:
        return load_document(path)
    raw = read_bounded(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise encoding_error(path, raw, exc) from None
    return parse_document(text, path, fmt="json" if fmt == "json" else "yaml",
                          sha256=hashlib.sha256(raw).hexdigest())


_StreamReader = Callable[[BinaryIO, str, int], Iterator["Record"]]
"""``(binary stream, file name, index of its first record) -> records``."""


def _stream_file(file: str, index: int, reader: _StreamReader) -> Iterator[Record]:
    try:
        stream = open_regular(file, limit=None)  # streams may be large, not endless
    except InputError as err:
        yield Record(index, Span(file), "document", error=err)
        return
    with stream:
        yield from reader(stream, file, index)


def _json_file(file: str, index: int) -> Iterator[Record]:
    """A JSON file: an array is a stream of records, anything else one document."""
    try:
        with open_regular(file, limit=None) as stream:
            head = stream.read(_CHUNK)
    except InputError as err:
        yield Record(index, Span(file), "document", error=err)
        return
    except OSError as exc:
        yield Record(index, Span(file), "document", error=_open_error(file, exc))
        return
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        yield from _stream_file(file, index, _json_array)
    else:
        yield Record(index, Span(file), "document", path=file, fmt="json")


# -- JSON Lines ---------------------------------------------------------------------


def _jsonl(stream: BinaryIO, file: str, index: int) -> Iterator[Record]:
    """One record per non-blank line; each line decoded on its own."""
    number = 0
    while True:
        raw = stream.readline(MAX_DOCUMENT_BYTES + 1)
        if not raw:
            return
        number += 1
        span = Span(file, number)
        if len(raw) > MAX_DOCUMENT_BYTES and not raw.endswith(b"\n"):
            while (rest := stream.readline(_CHUNK)) and not rest.endswith(b"\n"):
                pass  # skip the rest of the over-long line
            yield Record(index, span, "line", error=InputError(Diagnostic(
                "input-too-large", f"line is longer than {MAX_DOCUMENT_BYTES} bytes", span)))
            index += 1
            continue
        if number == 1:
            raw = raw.removeprefix(codecs.BOM_UTF8)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Record(index, span, "line", error=encoding_error(file, raw, exc, line=number))
            index += 1
            continue
        if not text.strip():
            continue
        yield Record(index, span, "line", text=text.rstrip("\r\n"), fmt="json")
        index += 1


def _csv(stream: BinaryIO, file: str, index: int, *,
         model: type[Snapshot] | None = None) -> Iterator[Record]:
    """One record per CSV row (see :mod:`govrules.io.csv_records`)."""
    for span, value in read_csv(stream, file, model=model):
        if isinstance(value, GovrulesError):
            yield Record(index, span, "row", error=value)
        else:
            yield Record(index, span, "row", data=value, fmt="csv")
        index += 1


def _xlsx(stream: BinaryIO, file: str, index: int, *,
          model: type[Snapshot] | None = None) -> Iterator[Record]:
    """One record per worksheet row (see :mod:`govrules.io.xlsx_records`)."""
    from govrules.io.xlsx_records import read_xlsx  # noqa: PLC0415 - openpyxl only when needed

    try:
        import openpyxl  # noqa: F401, PLC0415 - only to say clearly when it is missing
    except ImportError:
        yield Record(index, Span(file), "document", error=InputError(Diagnostic(
            "xlsx-needs-openpyxl", "reading .xlsx needs openpyxl", Span(file),
            hint="pip install 'govrules[xlsx]', or save the sheet as CSV")))
        return
    for span, value in read_xlsx(stream, file, model=model):
        if isinstance(value, GovrulesError):
            yield Record(index, span, "row", error=value)
        else:
            yield Record(index, span, "row", data=value, fmt="csv")
        index += 1


def _json_array(stream: BinaryIO, file: str, index: int) -> Iterator[Record]:
    """One record per element of a JSON array (see :mod:`govrules.io.json_array`)."""
    for span, value in read_json_array(stream, file):
        if isinstance(value, InputError):
            yield Record(index, span, "element", error=value)
        else:
            yield Record(index, span, "element", data=value, fmt="json")
        index += 1


# -- standard input ---------------------------------------------------------------------


def _stdin_records(stdin: BinaryIO | None, fmt: InputFormat | None,
                   index: int, model: type[Snapshot] | None = None) -> Iterator[Record]:
    if stdin is None:
        if sys.stdin is None:  # started with standard input closed (`<&-`)
            yield Record(index, Span(STDIN), "document", error=InputError(Diagnostic(
                "stdin-closed", "standard input is closed / 标准输入已关闭", Span(STDIN),
                hint="redirect a file to it, or name the file instead of -")))
            return
        stdin = sys.stdin.buffer
    head = stdin.read(_CHUNK) or b""
    stream: BinaryIO = io.BufferedReader(Prepended(head, stdin))
    chosen = fmt or sniff(head)
    if chosen == "jsonl":
        yield from _jsonl(stream, STDIN, index)
    elif chosen == "csv":
        yield from _csv(stream, STDIN, index, model=model)
    elif chosen == "json" and head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        yield from _json_array(stream, STDIN, index)
    else:
        raw = stream.read(MAX_DOCUMENT_BYTES + 1)
        if len(raw) > MAX_DOCUMENT_BYTES:
            yield Record(index, Span(STDIN), "document", error=InputError(Diagnostic(
                "input-too-large", f"document is larger than {MAX_DOCUMENT_BYTES} bytes",
                Span(STDIN), hint="use JSON Lines for many records")))
            return
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            yield Record(index, Span(STDIN), "document", error=encoding_error(STDIN, raw, exc))
            return
        yield Record(index, Span(STDIN), "document", text=text, fmt=chosen or "yaml")
