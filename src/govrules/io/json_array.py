"""Reading a top-level JSON array element by element, in chunks, with positions.

A JSON array of snapshots can be larger than memory should hold: the text is decoded a
chunk at a time and each element is handed on as soon as it is whole, with the line and
column where it starts.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import BinaryIO

from govrules.base.errors import Diagnostic, InputError
from govrules.base.loader import MAX_DOCUMENT_BYTES, JsonValueError, Span, decode_json

__all__ = ["CHUNK", "read_json_array"]

CHUNK = 64 * 1024
"""Bytes read from the stream at a time."""


class _Buffer:
    """Text read so far from a stream, with the line and column of its start."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        # Bytes that are not UTF-8 become surrogate escapes, so decoding never stops in
        # the middle of a chunk: the element holding them is refused at their place.
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="surrogateescape")
        self.text = ""
        self.pos = 0
        self.line = 1
        self.col = 1
        self.eof = False

    def fill(self) -> bool:
        """Read another chunk; false at the end of the stream."""
        if self.eof:
            return False
        chunk = self.stream.read(CHUNK)
        self.eof = not chunk
        self.text += self.decoder.decode(chunk, final=self.eof)
        return not self.eof

    def drop_consumed(self) -> None:
        done = self.text[:self.pos]
        newlines = done.count("\n")
        if newlines:
            self.line += newlines
            self.col = len(done) - done.rfind("\n")
        else:
            self.col += len(done)
        self.text = self.text[self.pos:]
        self.pos = 0

    def span(self, file: str, pos: int) -> Span:
        before = self.text[:pos]
        newlines = before.count("\n")
        if newlines:
            return Span(file, self.line + newlines, len(before) - before.rfind("\n"))
        return Span(file, self.line, self.col + len(before))

    def next_char(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
                self.pos += 1
            if self.pos < len(self.text) or not self.fill():
                return self.text[self.pos] if self.pos < len(self.text) else ""


def read_json_array(stream: BinaryIO, file: str
                    ) -> Iterator[tuple[Span, object | InputError]]:
    """``(span of the element, value)`` for each element of a top-level JSON array.

    An element that is well-formed JSON but cannot be read (bytes that are not UTF-8,
    a duplicate key, a number too long) is an error of its own and the array goes on.
    A syntax error ends the stream: the elements before it are kept, and one
    ``(span, error)`` at the element being read (else at the error) stands for the rest.
    """
    buf = _Buffer(stream)
    span: Span | None = None  # start of the element being read
    try:
        buf.next_char()  # the caller saw the "["
        buf.pos += 1
        expect_value, first = True, True
        while True:
            char = buf.next_char()
            if char == "]" and (first or not expect_value):
                buf.pos += 1
                if buf.next_char():
                    raise _syntax(buf, file, buf.pos, "extra data after the array")
                return
            if char == "":
                raise _syntax(buf, file, buf.pos, "the array is not closed")
            if not expect_value:
                if char != ",":
                    raise _syntax(buf, file, buf.pos, "expected ',' or ']'")
                buf.pos += 1
                expect_value = True
                continue
            if char == "]":
                raise _syntax(buf, file, buf.pos, "expected a value after ','")
            if buf.pos > CHUNK:
                buf.drop_consumed()
            span = buf.span(file, buf.pos)
            try:
                value, buf.pos = _element(buf, span)
            except _ElementError as refused:
                value, buf.pos = refused.error, refused.end
            yield span, value
            expect_value, first, span = False, False, None
    except InputError as err:
        yield span or err.diagnostics[0].span or Span(file), err


def _element(buf: _Buffer, span: Span) -> tuple[object, int]:
    """Decode the value at ``buf.pos``, reading more text until it is whole.

    An element holding bytes that are not UTF-8 is an :class:`_ElementError`: the
    reader reports it and goes on with the next element.
    """
    start = buf.pos
    while True:
        try:
            value, end = decode_json(buf.text, start, whole=False)
        except JsonValueError as problem:
            if problem.code == "json-syntax" and _incomplete(buf, problem):
                if len(buf.text) - start > MAX_DOCUMENT_BYTES:
                    raise InputError(Diagnostic(
                        "input-too-large", f"array element is larger than "
                        f"{MAX_DOCUMENT_BYTES} bytes / 数组元素超过 {MAX_DOCUMENT_BYTES} 字节",
                        span)) from None
                if buf.fill():
                    continue
            bad = _SURROGATE.search(buf.text, start, problem.pos + 1)
            if bad is not None and problem.code == "json-syntax":
                raise _encoding(buf, span.file or "", bad.start()) from None
            if problem.code == "json-syntax":
                raise _syntax(buf, span.file or "", problem.pos,
                              problem.message.removeprefix("not valid JSON: ")) from None
            error = InputError(Diagnostic(problem.code, problem.message,
                                          buf.span(span.file or "", problem.pos)))
            skipped = _skip_element(buf, start)
            if skipped is None:
                raise error from None  # cannot find where it ends: the array ends here
            raise _ElementError(error, skipped) from None
        if end < len(buf.text) or not buf.fill():
            bad = _SURROGATE.search(buf.text, start, end)
            if bad is not None:
                raise _ElementError(_encoding(buf, span.file or "", bad.start()), end)
            return value, end


_SURROGATE = re.compile("[\udc80-\udcff]")
_MARGIN = 16
"""An error this close to the end of the text read may only mean the element goes on."""


def _incomplete(buf: _Buffer, problem: JsonValueError) -> bool:
    """Whether reading more text could make the element whole."""
    if buf.eof:
        return False
    return (problem.message.startswith("not valid JSON: Unterminated string")
            or problem.pos >= len(buf.text) - _MARGIN)


_LENIENT = json.JSONDecoder(parse_int=str, parse_float=str)


def _skip_element(buf: _Buffer, start: int) -> int | None:
    """The end of the well-formed but refused element at ``start`` (None: not found)."""
    while True:
        try:
            return _LENIENT.raw_decode(buf.text, start)[1]
        except json.JSONDecodeError:
            if len(buf.text) - start > MAX_DOCUMENT_BYTES or not buf.fill():
                return None
        except RecursionError:
            return None


class _ElementError(Exception):
    """An element that is valid JSON but cannot be a record; the array goes on."""

    def __init__(self, error: InputError, end: int) -> None:
        super().__init__(str(error))
        self.error = error
        self.end = end


def _encoding(buf: _Buffer, file: str, pos: int) -> InputError:
    byte = ord(buf.text[pos]) - 0xDC00
    return InputError(Diagnostic("file-encoding", f"not UTF-8 text (byte 0x{byte:02x}) "
                                 "/ 不是 UTF-8 文本", buf.span(file, pos),
                                 hint="save the file as UTF-8"))


def _syntax(buf: _Buffer, file: str, pos: int, message: str) -> InputError:
    return InputError(Diagnostic("json-syntax", f"not valid JSON: {message}",
                                 buf.span(file, pos),
                                 hint="the records before this place were read"))
