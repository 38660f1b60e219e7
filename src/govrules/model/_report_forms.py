"""How a report is written as JSON and read back: the ``articles`` table and the line form.

**The articles table.** In the JSON form the texts that describe an article (its title and
English summary, and the full text a reason cites) are said once per report, in
``articles`` keyed ``pack.number``; each citation keeps pack, number, label, item, chapter
and its verbatim quote. Reading puts the texts back into each citation.

**The line form** (``Report.to_line_json``, ``detail: "line"``; what ``govrules check
--format jsonl`` prints by default) is the same report without what the full form adds for
a person or an audit: the ``articles`` table, the query plan, due-date explanations, and
what the pack says of a rule whatever the record (its title and the consequence its
article attaches). It also leaves out what the rest of the line already says: a finding's
``version`` when it is the pack's (no dated rule version), its ``conduct`` when that is
the state on ``as_of``, ``binding`` when true; a next step's null ``item``, and its quote
and chapter when a finding of the report quotes the same article item; the
``provenance``, which the pack and the receipt say; and in the receipt, what ``pack``
and the top of the report say (engine version, ``as_of``, the pack's hash, version and
dates, the snapshot id, the presumptions) and the nulls that are their fields' defaults.
A reason's full text (``cites.quote``) stays in its citation. Reading a line puts all of
that back; what only the full form has (article titles and summaries, rule titles and
consequences, explanations, the query plan) stays empty.
"""

from __future__ import annotations

import contextlib
from typing import Any

from pydantic import BaseModel

from govrules.model.audit import (
    CalendarUse,
    CalendarYearUse,
    LoadedPack,
    NoticeRef,
    SnapshotRef,
)

__all__ = ["LINE_LEAVES_OUT", "TABLE", "complete_receipt", "line_context", "line_exclude",
           "line_of", "line_restored", "moved", "restored", "said_once", "table_of"]

TABLE = "govrules.articles"
"""Serialisation context key: the ``articles`` table a report's citations fill."""
_LINE = "govrules.line"
"""Serialisation context key of the line form: the report being written."""
_ARTICLE_TEXTS = ("title", "summary")
"""What describes an article, said once per report in the JSON form (``articles``); the
chapter stays in each finding's citation (the report contract requires it there)."""
_CITING = ("findings", "next_steps")

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


def line_context() -> dict[str, Any]:
    """The serialisation context of the line form (citations fill a table that is not
    written; a reason's full text stays in its citation)."""
    return {TABLE: {}, _LINE: True}


def line_of(context: Any) -> bool:
    """Whether a report is being written in the line form."""
    return isinstance(context, dict) and bool(context.get(_LINE))


def line_exclude(report: Any) -> dict[str, Any]:
    """What the line form leaves out of ``report`` (a :class:`~govrules.model.report.Report`),
    as pydantic's ``exclude``: computed from the model in one pass, so the report is still
    written by pydantic-core alone."""
    as_of = report.as_of
    pack_version = report.pack.version
    findings: dict[int, Any] = {}
    quoted: dict[tuple[Any, Any, Any], tuple[Any, Any]] = {}
    for index, finding in enumerate(report.findings):
        left: dict[str, Any] = {"title": True, "consequence": True}
        if finding.binding:
            left["binding"] = True
        version = finding.version
        if version is not None and version.pack == pack_version and version.effective \
                is None and version.repealed is None and version.amended_by is None:
            left["version"] = True
        conduct = finding.conduct
        if conduct is not None and conduct.fact == "as_of" and conduct.date == as_of:
            left["conduct"] = True
        findings[index] = left
        ref = finding.article
        quoted.setdefault((ref.pack, ref.number, ref.item), (ref.chapter, ref.quote))
    steps: dict[int, Any] = {}
    for index, step in enumerate(report.next_steps):
        ref = step.article
        left = {"due_explanation": True}
        cited = {"item"} if ref.item is None else set()
        if quoted.get((ref.pack, ref.number, ref.item)) == (ref.chapter, ref.quote):
            cited |= {"chapter", "quote"}
        if cited:
            left["article"] = cited
        steps[index] = left
    out: dict[str, Any] = {"articles": True, "query_plan": True, "findings": findings,
                           "next_steps": steps}
    receipt = report.receipt
    if receipt is not None:
        out["receipt"] = _receipt_left(report, receipt)
        if _provenance_of(report.pack, receipt) == report.provenance.model_dump():
            out["provenance"] = True
    return out


# -- what the receipt and the provenance repeat ----------------------------------------------

_PACK_COPIES = ("version", "sha256", "doc_number", "status", "effective", "expires")
"""What the receipt's entry for the report's own pack file repeats of ``pack``."""
_REPEATED = (("engine_version", "govrules_version"), ("as_of", "as_of"))
"""Receipt fields that repeat a top-level field of the report: (receipt, report)."""

LINE_LEAVES_OUT: dict[str, tuple[str, ...]] = {
    "Report": ("provenance",),
    "Receipt": (*(name for name, _top in _REPEATED), "pack_sha256"),
    "SnapshotRef": ("id",),
    "LoadedPack": _PACK_COPIES,
}
"""The fields of the full form a line may leave out when the rest of the line says them
(reading it puts them back), by model: the line form's JSON Schema does not require those
of them the full form requires."""


_REQUIRED: Any = object()


def _get(source: Any, name: str, default: Any = _REQUIRED) -> Any:
    """A field of a model, or a key of its JSON: ``default`` when absent, if given
    (otherwise KeyError or AttributeError)."""
    if default is _REQUIRED:
        return source[name] if isinstance(source, dict) else getattr(source, name)
    return source.get(name, default) if isinstance(source, dict) \
        else getattr(source, name, default)


def _provenance_of(pack: Any, receipt: Any) -> dict[str, Any]:
    """The provenance that the pack and the receipt say (``Provenance``'s fields), from
    the models or from their JSON."""
    return {"engine_version": _get(receipt, "engine_version"), "pack_id": _get(pack, "id"),
            "pack_version": _get(pack, "version"), "pack_sha256": _get(pack, "sha256"),
            "calendar_version": _get(_get(receipt, "calendar"), "version"),
            "backend": _get(receipt, "options").get("backend", "native")}


def _own_entry(packs: list[Any], pack_id: Any) -> int | None:
    """The index of the receipt's entry for the report's own pack file, if any."""
    for index, entry in enumerate(packs):
        if isinstance(entry, dict | BaseModel) and _get(entry, "kind", None) == "pack" \
                and _get(entry, "id", None) == pack_id:
            return index
    return None


def _receipt_left(report: Any, receipt: Any) -> dict[str, Any]:
    """What the line leaves out of the receipt: the nulls that are their fields'
    defaults, and what the rest of the report already says."""
    out = _receipt_nulls(receipt)
    for name, top in _REPEATED:
        if getattr(receipt, name) == getattr(report, top):
            out[name] = True
    pack = report.pack
    if receipt.pack_sha256 == pack.sha256:
        out["pack_sha256"] = True
    if receipt.snapshot.id == report.snapshot_id:
        out["snapshot"] = {*out.get("snapshot", ()), "id"}
    if receipt.presumptions == [p.model_dump(mode="json") for p in report.presumptions]:
        out["presumptions"] = True
    own = _own_entry(receipt.packs, pack.id)
    if own is not None:
        entry = receipt.packs[own]
        packs = out.setdefault("packs", {})
        left = set(packs.get(own, ())) - set(_PACK_COPIES)  # a null the pack does not say
        left |= {n for n in _PACK_COPIES if getattr(entry, n) == getattr(pack, n)}
        packs[own] = left
    return out


def complete_receipt(data: dict[str, Any]) -> Any:
    """The receipt of a report's JSON, whole: from a line, with what the line left out of
    it put back (else as written; None when there is none)."""
    if data.get("detail") != "line":
        return data.get("receipt")
    return _receipt_restored(data).get("receipt")


def _receipt_restored(data: dict[str, Any]) -> dict[str, Any]:
    """Reading a line: the receipt and provenance get back what the report says."""
    receipt = data.get("receipt")
    pack = data.get("pack")
    if not isinstance(receipt, dict) or not isinstance(pack, dict):
        return data
    receipt = dict(receipt)
    for name, top in _REPEATED:
        if name not in receipt and top in data:
            receipt[name] = data[top]
    if "pack_sha256" not in receipt and "sha256" in pack:
        receipt["pack_sha256"] = pack["sha256"]
    snapshot = receipt.get("snapshot")
    if isinstance(snapshot, dict) and "id" not in snapshot:
        receipt["snapshot"] = {"id": data.get("snapshot_id"), **snapshot}
    if "presumptions" not in receipt and isinstance(data.get("presumptions"), list):
        receipt["presumptions"] = data["presumptions"]
    packs = receipt.get("packs")
    if isinstance(packs, list):
        own = _own_entry(packs, pack.get("id"))
        if own is not None:
            packs = list(packs)
            packs[own] = {**{n: pack[n] for n in _PACK_COPIES if n in pack}, **packs[own]}
            receipt["packs"] = packs
    out = {**data, "receipt": receipt}
    if "provenance" not in data:
        with contextlib.suppress(KeyError, TypeError, AttributeError):
            out["provenance"] = _provenance_of(pack, receipt)  # else validation says what
    return out


def _nulls(model: Any, names: frozenset[str]) -> set[str]:
    return {name for name in names if getattr(model, name) is None}


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
    out = _receipt_restored(dict(data))
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
_NOTICE_NULLS = _null_by_default(NoticeRef)


def _year_nulls(year: CalendarYearUse) -> dict[str, Any]:
    left: dict[str, Any] = dict.fromkeys(_nulls(year, _YEAR_NULLS), True)
    if year.notice is not None and (notice := _nulls(year.notice, _NOTICE_NULLS)):
        left["notice"] = notice
    return left


def _receipt_nulls(receipt: Any) -> dict[str, Any]:
    """The receipt's nulls that are their fields' defaults (reading puts them back)."""
    calendar: dict[str, Any] = dict.fromkeys(
        _nulls(receipt.calendar, _RECEIPT_NULLS["calendar"]), True)
    years = {i: left for i, y in enumerate(receipt.calendar.years)
             if (left := _year_nulls(y))}
    if years:
        calendar["years"] = years
    out: dict[str, Any] = {}
    packs = {i: nulls for i, p in enumerate(receipt.packs)
             if (nulls := _nulls(p, _RECEIPT_NULLS["packs"]))}
    if packs:
        out["packs"] = packs
    if calendar:
        out["calendar"] = calendar
    snapshot = _nulls(receipt.snapshot, _RECEIPT_NULLS["snapshot"])
    if snapshot:
        out["snapshot"] = snapshot
    return out
