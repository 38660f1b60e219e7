"""Output formats of ``check``: each an encoder (runs where a record is checked, possibly
in a worker process) and a writer (streams the encoded pieces in input order).

``text`` for people, ``json`` (the report contract; an array with a summary for several
records), ``jsonl`` (one object per record), ``sarif`` (code scanning), ``junit`` (CI
test tabs), ``markdown`` (a pull-request comment), ``html`` (one self-contained report to
print or attach, with a timeline of due dates), ``ics`` (the due dates as iCalendar),
``concise`` (one line per finding), ``github`` (workflow annotations), ``xlsx`` (a
findings workbook).
"""

from __future__ import annotations

import importlib
from typing import TextIO

from govrules.io.batch import Encoder
from govrules.io.formats.common import FormatContext, Writer

__all__ = ["FORMATS", "FormatContext", "Writer", "make_encoder", "make_writer",
           "needs_all_findings"]

_FORMATS: dict[str, tuple[str, str, str]] = {
    "text": ("plain", "TextEncoder", "TextWriter"),
    "json": ("plain", "JsonEncoder", "JsonWriter"),
    "jsonl": ("plain", "JsonlEncoder", "JsonlWriter"),
    "sarif": ("sarif", "SarifEncoder", "SarifWriter"),
    "junit": ("junit", "JunitEncoder", "JunitWriter"),
    "markdown": ("markdown", "MarkdownEncoder", "MarkdownWriter"),
    "concise": ("concise", "ConciseEncoder", "ConciseWriter"),
    "github": ("github", "GithubEncoder", "GithubWriter"),
    "xlsx": ("xlsx", "XlsxEncoder", "XlsxWriter"),
    "html": ("html", "HtmlEncoder", "HtmlWriter"),
    "ics": ("ics", "IcsEncoder", "IcsWriter"),
}
"""Each format's module (in this package) and its encoder and writer classes: a module
is imported when its format is used (a text check does not load XML, HTML or the
workbook writer)."""

FORMATS: tuple[str, ...] = tuple(_FORMATS)


def needs_all_findings(fmt: str) -> bool:
    """JUnit lists every rule (satisfied ones pass), so it needs the audit trail."""
    return fmt == "junit"


def _part(fmt: str, which: int) -> type:
    module, *classes = _FORMATS[fmt]
    found: type = getattr(importlib.import_module(f"{__name__}.{module}"), classes[which])
    return found


def make_encoder(fmt: str, context: FormatContext) -> Encoder:
    """The format's encoder (``functools.partial(make_encoder, fmt, context)`` pickles)."""
    encoder: Encoder = _part(fmt, 0)(context)
    return encoder


def make_writer(fmt: str, context: FormatContext, out: TextIO) -> Writer:
    writer: Writer = _part(fmt, 1)(context, out)
    return writer
