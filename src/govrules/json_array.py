"""Reading a top-level JSON array element by element, in chunks, with positions.

A JSON array of snapshots can be larger than memory should hold: the text is decoded a
chunk at a time and each element is handed on as soon as it is whole, with the line and
column where it starts.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import BinaryIO

from govrules.errors import Diagnostic, InputError
from govrules.source import MAX_DOCUMENT_BYTES, Span

__all__ = ["CHUNK", "read_json_array"]

CHUNK = 64 * 1024
"""Bytes read from the stream at a time."""


class _Buffer:
    """Text read so far from a stream, with the line and column of its start."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
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

    A syntax error ends the stream: the elements before it are kept, and one
    ``(span, error)`` at the element being read (else at the error) stands for the rest.
    """
    buf = _Buffer(stream)
    decoder = json.JSONDecoder(parse_float=Decimal)
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
            value, buf.pos = _element(buf, decoder, span)
            yield span, value
            expect_value, first, span = False, False, None
    except InputError as err:
        yield span or err.diagnostics[0].span or Span(file), err
    except UnicodeDecodeError as exc:
        where = buf.span(file, len(buf.text))
        yield where, InputError(Diagnostic(
            "file-encoding", f"not UTF-8 text (byte {exc.start} of a chunk)", where))


def _element(buf: _Buffer, decoder: json.JSONDecoder, span: Span) -> tuple[object, int]:
    """Decode the value at ``buf.pos``, reading more text until it is whole."""
    start = buf.pos
    while True:
        try:
            value, end = decoder.raw_decode(buf.text, start)
        except json.JSONDecodeError as exc:
            if len(buf.text) - start > MAX_DOCUMENT_BYTES:
                raise InputError(Diagnostic(
                    "input-too-large",
                    f"array element is larger than {MAX_DOCUMENT_BYTES} bytes", span)) from None
            if buf.fill():
                continue
            raise _syntax(buf, span.file or "", exc.pos, exc.msg) from None
        except RecursionError:
            raise InputError(Diagnostic("json-too-deep", "JSON nesting is too deep",
                                        span)) from None
        if end < len(buf.text) or not buf.fill():
            return value, end


def _syntax(buf: _Buffer, file: str, pos: int, message: str) -> InputError:
    return InputError(Diagnostic("json-syntax", f"not valid JSON: {message}",
                                 buf.span(file, pos),
                                 hint="the records before this place were read"))
