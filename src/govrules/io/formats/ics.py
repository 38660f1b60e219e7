"""iCalendar (RFC 5545) export of due dates, so they land in people's calendars.

One all-day ``VEVENT`` per due item (:func:`govrules.io.formats.timeline.due_items`): the
summary in Chinese and English, the article and rule in the description, a ``UID``
stable across runs (the same obligation of the same project keeps its event, so a
calendar that re-imports the file updates it instead of duplicating it). ``DTSTAMP`` is
the report's ``as_of`` day, so the same report always gives the same bytes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import timedelta
from typing import TextIO

from govrules.io.batch import Outcome, Piece, Summary
from govrules.io.formats.common import FormatContext
from govrules.io.formats.timeline import DueItem, due_items

__all__ = ["IcsEncoder", "IcsWriter", "ics_calendar", "ics_events"]

_PRODID = "-//govrules//due dates//ZH"


def _escape(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
               .replace("\r\n", "\\n").replace("\n", "\\n"))
    return _CONTROL.sub("\ufffd", escaped)  # RFC 5545 TEXT holds no control characters


_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space (RFC 5545 3.1)."""
    out: list[str] = []
    current = ""
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > 75:
            out.append(current)
            current, size = " ", 1
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def ics_events(items: Iterable[DueItem], project: str | None = None) -> list[str]:
    """One VEVENT block (CRLF-separated, folded) per item still to do."""
    events: list[str] = []
    for item in items:
        if not item.to_do:
            continue
        who = project or item.snapshot_id or ""
        key = f"{who}|{item.pack}|{item.rule}|{item.action}|{item.due}"
        uid = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@govrules"
        state = {"overdue": "已逾期 overdue", "due": "待办 due", "open": "未决 open"}[item.state]
        summary = f"{item.zh} / {item.en}"
        if who:
            summary = f"[{who}] {summary}"
        description = (f"{state}; {item.pack} {item.article}; {item.rule}; "
                       f"检查日 as of {item.as_of}")
        lines = [
            "BEGIN:VEVENT",
            f"UID:{uid}",
            f"DTSTAMP:{item.as_of:%Y%m%d}T000000Z",
            f"DTSTART;VALUE=DATE:{item.due:%Y%m%d}",
            f"DTEND;VALUE=DATE:{item.due + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(description)}",
            f"CATEGORIES:{_escape(item.state.upper())}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
        events.append("\r\n".join(_fold(line) for line in lines))
    return events


def ics_calendar(events: Iterable[str], name: str = "govrules") -> str:
    """A whole VCALENDAR around the given VEVENT blocks."""
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_PRODID}", "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH", _fold(f"X-WR-CALNAME:{_escape(name)}")]
    body = list(events)
    return "\r\n".join([*head, *body, "END:VCALENDAR"]) + "\r\n"


class IcsEncoder:
    """The record's events (none for a record that could not be checked)."""

    def __init__(self, context: FormatContext) -> None:
        del context

    def __call__(self, outcome: Outcome) -> list[str]:
        if outcome.result is None:
            return []  # its diagnostics go to stderr
        return ics_events(due_items(outcome.result))


class IcsWriter:
    """One calendar for the whole run."""

    def __init__(self, context: FormatContext, out: TextIO) -> None:
        del context
        self.out = out
        self.events: list[str] = []

    def write(self, piece: Piece) -> None:
        self.events.extend(piece.payload)

    def finish(self, summary: Summary) -> None:
        del summary
        self.out.write(ics_calendar(self.events))
