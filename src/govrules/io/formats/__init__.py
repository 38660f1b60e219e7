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

from typing import TextIO

from govrules.io.batch import Encoder
from govrules.io.formats.common import FormatContext, Writer
from govrules.io.formats.concise import ConciseEncoder, ConciseWriter
from govrules.io.formats.github import GithubEncoder, GithubWriter
from govrules.io.formats.html import HtmlEncoder, HtmlWriter
from govrules.io.formats.ics import IcsEncoder, IcsWriter
from govrules.io.formats.junit import JunitEncoder, JunitWriter
from govrules.io.formats.markdown import MarkdownEncoder, MarkdownWriter
from govrules.io.formats.plain import (
    JsonEncoder,
    JsonlEncoder,
    JsonlWriter,
    JsonWriter,
    TextEncoder,
    TextWriter,
)
from govrules.io.formats.sarif import SarifEncoder, SarifWriter
from govrules.io.formats.xlsx import XlsxEncoder, XlsxWriter

__all__ = ["FORMATS", "FormatContext", "Writer", "make_encoder", "make_writer",
           "needs_all_findings"]

_FORMATS: dict[str, tuple[type, type]] = {
    "text": (TextEncoder, TextWriter),
    "json": (JsonEncoder, JsonWriter),
    "jsonl": (JsonlEncoder, JsonlWriter),
    "sarif": (SarifEncoder, SarifWriter),
    "junit": (JunitEncoder, JunitWriter),
    "markdown": (MarkdownEncoder, MarkdownWriter),
    "concise": (ConciseEncoder, ConciseWriter),
    "github": (GithubEncoder, GithubWriter),
    "xlsx": (XlsxEncoder, XlsxWriter),
    "html": (HtmlEncoder, HtmlWriter),
    "ics": (IcsEncoder, IcsWriter),
}
FORMATS: tuple[str, ...] = tuple(_FORMATS)


def needs_all_findings(fmt: str) -> bool:
    """JUnit lists every rule (satisfied ones pass), so it needs the audit trail."""
    return fmt == "junit"


def make_encoder(fmt: str, context: FormatContext) -> Encoder:
    """The format's encoder (``functools.partial(make_encoder, fmt, context)`` pickles)."""
    encoder: Encoder = _FORMATS[fmt][0](context)
    return encoder


def make_writer(fmt: str, context: FormatContext, out: TextIO) -> Writer:
    writer: Writer = _FORMATS[fmt][1](context, out)
    return writer
