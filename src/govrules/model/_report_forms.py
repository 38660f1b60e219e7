"""How a report is written as JSON and read back: the ``articles`` table and the line form.

**The articles table.** In the JSON form the texts that describe an article (its title and
English summary, and the full text a reason cites) are said once per report, in
``articles`` keyed ``pack.number``; each citation keeps pack, number, label, item, chapter
and its verbatim quote. Reading puts the texts back into each citation.

**The line form** (``Report.to_line_json``, ``detail: "line"``; what ``govrules check
--format jsonl`` prints by default) is the same report without what the full form adds for
a person or an audit: the ``articles`` table, the query plan, due-date explanations and
rule titles (:data:`LINE_EXCLUDE`). It also leaves out what the rest of the line already
says: a finding's ``version`` when it is the pack's (no dated rule version), its
``conduct`` when that is the state on ``as_of``, ``binding`` when true, a next step's null
``item``, and its quote and chapter when a finding of the report quotes the same article
item, and the receipt's nulls that are their fields' defaults. A reason's full text
(``cites.quote``) stays in its citation. Reading a line puts all of that back; what only
the full form has (article titles and summaries, rule titles, explanations, the query
plan) stays empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel

from govrules.model.audit import CalendarUse, CalendarYearUse, LoadedPack, SnapshotRef

__all__ = [
    "LINE_EXCLUDE",
    "TABLE",
    "LineState",
    "finding_line",
    "line_context",
    "line_of",
    "line_restored",
    "moved",
    "report_line",
    "restored",
    "said_once",
    "step_line",
    "table_of",
]

TABLE = "govrules.articles"
"""Serialisation context key: the ``articles`` table a report's citations fill."""
_LINE = "govrules.line"
"""Serialisation context key of the line form: the report being written."""
_ARTICLE_TEXTS = ("title", "summary")
"""What describes an article, said once per report in the JSON form (``articles``); the
chapter stays in each finding's citation (the report contract requires it there)."""
_CITING = ("findings", "next_steps")

LINE_EXCLUDE: dict[str, Any] = {
    "articles": True,
    "query_plan": True,
    "findings": {"__all__": {"title"}},
    "next_steps": {"__all__": {"due_explanation"}},
}
"""What the line form of a report leaves out of the full form."""


# -- the articles table ---------------------------------------------------------------------


def moved(key: str) -> tuple[tuple[str, str], ...]:
    """(name in the citation, name in ``articles``) of what a citation says once: a
    reason's citation (``cites``) quotes the article's full text, said once as ``text``."""
    names = tuple((n, n) for n in _ARTICLE_TEXTS)
    return (*names, ("quote", "text")) if key == "cites" else names


def table_of(context: Any) -> dict[str, dict[str, Any]] | None:
    table = context.get(TABLE) if isinstance(context, dict) else None
    return table if isinstance(table, dict) else None


def said_once(kwargs: dict[str, Any]) -> dict[str, Any]:
    """A whole report's dump says article texts once (a partial one, such as the
    receipt's hash of findings and steps, keeps them in place)."""
    if kwargs.get("context") is None and kwargs.get("include") is None \
            and kwargs.get("exclude") is None:
        kwargs["context"] = {TABLE: {}}
    return kwargs


def restored(data: dict[str, Any]) -> dict[str, Any]:
    """Reading a report: each citation gets its article's texts back from ``articles``
    (and, from a line, what the line left out)."""
    table = data.get("articles") or {}
    out = {k: v for k, v in data.items() if k != "articles"}
    if out.get("detail") == "line":
        out = line_restored(out)
    for collection in _CITING:
        items = out.get(collection)
        if not isinstance(items, list):
            continue
        again = []
        for original in items:
            item = dict(original) if isinstance(original, dict) else original
            if isinstance(item, dict):
                for key in ("article", "cites"):
                    ref = item.get(key)
                    if isinstance(ref, dict):
                        texts = table.get(f"{ref.get('pack')}.{ref.get('number')}") or {}
                        item[key] = {**{n: texts[t] for n, t in moved(key) if t in texts},
                                     **ref}
            again.append(item)
        out[collection] = again
    return out


# -- the line form ---------------------------------------------------------------------------


@dataclass(slots=True)
class LineState:
    """What the line form of one report needs while its parts are written."""

    pack_version: str
    as_of: str
    quoted: dict[tuple[Any, Any, Any], tuple[Any, Any]] = field(default_factory=dict)
    """(pack, number, item) → (chapter, quote) of the articles the findings cite."""


def line_context() -> dict[str, Any]:
    """The serialisation context of the line form."""
    return {TABLE: {}, _LINE: True}


def line_of(context: Any) -> LineState | None:
    """The report being written in the line form, if it is."""
    state = context.get(_LINE) if isinstance(context, dict) else None
    return state if isinstance(state, LineState) else None


def report_line(context: Any, pack_version: str, as_of: date,
                write: Callable[[], Any]) -> Any:
    """Write one report (``write``), in the line form when the context asks for it."""
    if not isinstance(context, dict) or _LINE not in context:
        return write()
    outer = context[_LINE]
    context[_LINE] = LineState(pack_version, as_of.isoformat())
    try:
        data = write()
    finally:
        context[_LINE] = outer
    if isinstance(data, dict):
        data["detail"] = "line"
        receipt = data.get("receipt")
        if isinstance(receipt, dict):
            data["receipt"] = _receipt_without_nulls(receipt)
    return data


def _key(ref: Any) -> tuple[Any, Any, Any]:
    return ref.pack, ref.number, ref.item


def finding_line(data: Any, article: Any, state: LineState) -> Any:
    """A finding's line: without ``binding`` when true, ``version`` when the pack's and
    ``conduct`` when the state on ``as_of``; its article item is noted as quoted."""
    if not isinstance(data, dict):
        return data
    if data.get("binding") is True:
        del data["binding"]
    if data.get("version") == {"pack": state.pack_version}:
        del data["version"]
    conduct = data.get("conduct")
    if isinstance(conduct, dict) and conduct.get("fact") == "as_of" \
            and _iso(conduct.get("date")) == state.as_of:
        del data["conduct"]
    state.quoted.setdefault(_key(article), (article.chapter, article.quote))
    return data


def step_line(data: Any, article: Any, state: LineState) -> Any:
    """A next step's line: its citation without a null item, and without quote and
    chapter when a finding of the report quotes the same article item."""
    cited = data.get("article") if isinstance(data, dict) else None
    if not isinstance(cited, dict):
        return data
    said = state.quoted.get(_key(article)) == (article.chapter, article.quote)
    data["article"] = {k: v for k, v in cited.items()
                       if not (said and k in ("chapter", "quote"))
                       and not (k == "item" and v is None)}
    return data


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def line_restored(data: dict[str, Any]) -> dict[str, Any]:
    """Reading a line: each finding gets back its version and conduct, each next step the
    quote and chapter of the finding that quotes the same article item."""
    pack = data.get("pack")
    version = pack.get("version") if isinstance(pack, dict) else None
    quoted: dict[tuple[Any, Any, Any], dict[str, Any]] = {}
    findings = []
    for original in data.get("findings") or []:
        item = original
        if isinstance(original, dict):
            item = dict(original)
            if "version" not in item and version is not None:
                item["version"] = {"pack": version}
            if "conduct" not in item:
                item["conduct"] = {"date": data.get("as_of"), "fact": "as_of"}
            ref = item.get("article")
            if isinstance(ref, dict):
                quoted.setdefault((ref.get("pack"), ref.get("number"), ref.get("item")),
                                  {k: ref[k] for k in ("chapter", "quote") if k in ref})
        findings.append(item)
    steps = []
    for original in data.get("next_steps") or []:
        item = original
        if isinstance(original, dict) and isinstance(original.get("article"), dict):
            ref = original["article"]
            key = (ref.get("pack"), ref.get("number"), ref.get("item"))
            if "quote" not in ref and key in quoted:
                item = {**original, "article": {**quoted[key], **ref}}
        steps.append(item)
    out = dict(data)
    if "findings" in data:
        out["findings"] = findings
    if "next_steps" in data:
        out["next_steps"] = steps
    return out


def _null_by_default(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(name for name, info in model.model_fields.items()
                     if not info.is_required() and info.default is None)


_RECEIPT_NULLS = {"packs": _null_by_default(LoadedPack),
                  "calendar": _null_by_default(CalendarUse),
                  "snapshot": _null_by_default(SnapshotRef)}
_YEAR_NULLS = _null_by_default(CalendarYearUse)


def _receipt_without_nulls(receipt: dict[str, Any]) -> dict[str, Any]:
    """The receipt's packs, calendar and snapshot without the nulls that are their fields'
    defaults (reading puts them back)."""
    def bare(value: Any, nulls: frozenset[str]) -> Any:
        return {k: v for k, v in value.items() if v is not None or k not in nulls} \
            if isinstance(value, dict) else value

    out = dict(receipt)
    for key, nulls in _RECEIPT_NULLS.items():
        value = out.get(key)
        if isinstance(value, list):
            out[key] = [bare(v, nulls) for v in value]
        elif isinstance(value, dict):
            out[key] = bare(value, nulls)
    calendar = out.get("calendar")
    if isinstance(calendar, dict) and isinstance(calendar.get("years"), list):
        calendar["years"] = [bare(y, _YEAR_NULLS) for y in calendar["years"]]
    return out
