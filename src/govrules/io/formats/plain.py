"""Text for a terminal, a JSON array, and JSON Lines (one object per record)."""

from __future__ import annotations

import textwrap
from typing import TextIO

from govrules.base.printable import printable
from govrules.io.batch import Outcome, Piece, Summary
from govrules.io.formats.common import LINE_BY_DEFAULT, FormatContext, json_item, with_source
from govrules.io.formats.render import render_text

__all__ = ["JsonEncoder", "JsonWriter", "JsonlEncoder", "JsonlWriter", "TextEncoder",
           "TextWriter"]


def _alone(context: FormatContext, kind: str) -> bool:
    """The run's only input is one document: print it as a single ``check`` does."""
    return context.single and kind == "document"


class TextEncoder:
    """The report as text, headed by the record's place when there are several."""

    def __init__(self, context: FormatContext) -> None:
        self.context = context

    def __call__(self, outcome: Outcome) -> str | None:
        if outcome.result is None:
            return None  # its diagnostics go to stderr
        text = render_text(outcome.result, width=self.context.width,
                           colour=self.context.colour)
        if _alone(self.context, outcome.record.kind):
            return text
        return f"=== {printable(outcome.record.source)} ===\n{text}"


class TextWriter:
    def __init__(self, context: FormatContext, out: TextIO) -> None:
        self.out = out
        self.written = 0

    def write(self, piece: Piece) -> None:
        if piece.payload is None:
            return
        self.out.write(("\n" if self.written else "") + str(piece.payload))
        self.written += 1

    def finish(self, summary: Summary) -> None:
        del summary  # printed to stderr by the command


class JsonEncoder:
    """The record's item of the JSON array: the full report unless ``--detail line``."""

    def __init__(self, context: FormatContext) -> None:
        self.line = context.line_form(LINE_BY_DEFAULT["json"])

    def __call__(self, outcome: Outcome) -> str:
        return json_item(outcome, indent=2, line=self.line)


class JsonWriter:
    """A JSON array with one item per record, whatever the number of inputs: the record's
    report (with its ``source``), or ``{"source", "errors"}`` for a record that could not
    be checked. One file or many, one document or a stream, the shape is the same
    (``for report in json.load(f)``); the run's counts go to stderr, as for text.
    """

    def __init__(self, context: FormatContext, out: TextIO) -> None:
        del context
        self.out = out
        self.written = 0

    def write(self, piece: Piece) -> None:
        text = str(piece.payload)
        if piece.verdict is not None:
            text = with_source(text, piece.source, indent=2)
        self.out.write(("[\n" if self.written == 0 else ",\n") + textwrap.indent(text, "  "))
        self.written += 1

    def finish(self, summary: Summary) -> None:
        del summary  # printed to stderr by the command
        self.out.write("[]\n" if self.written == 0 else "\n]\n")


class JsonlEncoder:
    """One line per record: the report with its ``source`` (in the line form unless
    ``--detail full``), or ``{source, errors}``."""

    def __init__(self, context: FormatContext) -> None:
        self.line = context.line_form(LINE_BY_DEFAULT["jsonl"])

    def __call__(self, outcome: Outcome) -> str:
        text = json_item(outcome, indent=None, line=self.line)
        if outcome.result is not None:
            text = with_source(text, outcome.record.source, indent=None)
        return text


class JsonlWriter:
    def __init__(self, context: FormatContext, out: TextIO) -> None:
        del context
        self.out = out

    def write(self, piece: Piece) -> None:
        self.out.write(str(piece.payload) + "\n")

    def finish(self, summary: Summary) -> None:
        del summary  # one line per record, nothing else: the summary goes to stderr
