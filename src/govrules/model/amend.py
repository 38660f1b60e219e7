"""Amendments: a pack that ``extends`` another and replaces, adds or repeals parts of it.

An amending file names its base (a built-in id or a path relative to itself) and lists
only what changes. :func:`resolve` merges the two into one document before the pack is
validated and compiled, so the rest of the loader sees an ordinary pack. Every value of
the merged document keeps the place it came from: a mistake in the amendment is
reported at the amendment's line, one in the base at the base's.

With an effective date, an amendment keeps history: a replaced article or rule ends the
day before and its new version starts that day; a repealed rule gets ``repealed:``. So
one pack answers for conduct on either side of the amendment.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from govrules.base.diagnose import diagnostics_from_validation
from govrules.base.errors import Diagnostic, InputError, PackError
from govrules.base.loader import Document, Loc, Scalar, Span, load_document
from govrules.model.pack_format import AmendmentFile, RepealSpec

__all__ = ["MAX_DEPTH", "is_amendment", "resolve"]

MAX_DEPTH = 8
"""Longest chain of packs extending packs."""

_SECTIONS: dict[str, str | None] = {
    "scope": "id", "exceptions": "id", "articles": "number", "gaps": "article",
    "not_checkable": "article",
    "derived": "name", "rules": "id", "examples": None, "interpretations": "id",
}


def is_amendment(data: object) -> bool:
    """Whether a loaded document is an amending pack (it has ``extends``)."""
    return isinstance(data, dict) and "extends" in data


def resolve(document: Document, sha256: str, chain: tuple[str, ...] = ()) -> tuple[
        Document, str, tuple[Diagnostic, ...]]:
    """The base pack with ``document``'s changes applied, a hash of both files, and the
    problems found while merging (a repeal of something the base lacks).

    Raise :class:`PackError` when there is nothing to merge: a malformed amendment, a
    base that cannot be found, a cycle of packs extending each other.
    """
    try:
        spec = AmendmentFile.model_validate(document.data)
    except ValidationError as exc:
        raise PackError(diagnostics_from_validation(
            exc, AmendmentFile, document=document, file=document.file, prefix="pack")) from None
    here = _key(document.file)
    where = document.span_of(("extends",))
    with _base_file(spec.extends, document, where) as path:
        key = _key(str(path))
        if key in chain or key == here or len(chain) >= MAX_DEPTH:
            raise PackError(Diagnostic(
                "pack-extends-cycle", f"{spec.extends!r} extends this pack again "
                "(directly or through other packs)" if len(chain) < MAX_DEPTH else
                f"more than {MAX_DEPTH} packs extend each other", where,
                hint="a pack may not extend itself; amend the original pack instead"))
        try:
            base = load_document(path)
        except InputError as exc:
            raise PackError(Diagnostic("pack-extends-unknown", f"cannot read the base pack "
                                       f"{spec.extends!r}", where,
                                       hint=str(exc.diagnostics[0]))) from None
    base_sha = base.sha256
    inherited: tuple[Diagnostic, ...] = ()
    if is_amendment(base.data):
        base, base_sha, inherited = resolve(base, base_sha, (*chain, here))
    if not isinstance(base.data, dict):
        raise PackError(Diagnostic("pack-extends-unknown", f"{spec.extends!r} is not a pack",
                                   where, hint="the base must be a pack file (a mapping)"))
    merge = _Merge(base, document, spec, base_sha)
    merged = merge.run()
    digest = hashlib.sha256((base_sha + sha256).encode("ascii")).hexdigest()
    return merged, digest, (*inherited, *merge.problems)


def _key(file: str | None) -> str:
    return str(Path(file).resolve()) if file else "<input>"


@contextmanager
def _base_file(name: str, document: Document, where: Span) -> Iterator[Path]:
    """The path of the base pack: a built-in id, or a path relative to the amendment."""
    if "/" not in name and not name.endswith((".yaml", ".yml")):
        resource = resources.files("govrules.policies").joinpath(f"{name}.yaml")
        if not resource.is_file():
            ids = sorted(p.name.removesuffix(".yaml") for p in
                         resources.files("govrules.policies").iterdir()
                         if p.name.endswith(".yaml"))
            raise PackError(Diagnostic("pack-extends-unknown", f"no built-in pack {name!r}",
                                       where, hint=f"built-in packs: {', '.join(ids)}; or "
                                       "give a path such as ../policies/x.yaml"))
        with resources.as_file(resource) as path:
            yield Path(path)
        return
    folder = Path(document.file).parent if document.file else Path.cwd()
    path = folder / name
    if not path.is_file():
        raise PackError(Diagnostic("pack-extends-unknown", f"no pack file {name!r}", where,
                                   hint=f"paths are relative to this file's folder ({folder})"))
    yield path


@dataclass(eq=False)
class _Item:
    """One entry of a merged list: its value, and where it came from."""

    data: Any
    doc: Document
    loc: Loc
    patched: dict[str, Span] = field(default_factory=dict)

    def patch(self, key: str, value: object, span: Span) -> None:
        """Set ``key`` (copying the value first), blaming ``span`` for it."""
        if not isinstance(self.data, dict):
            return
        if not self.patched:
            self.data = copy.copy(self.data)
        self.data[key] = value
        self.patched[key] = span

    def get(self, key: str) -> Any:
        return self.data.get(key) if isinstance(self.data, dict) else None


def _index(doc: Document) -> tuple[dict[Loc, list[tuple[Loc, Span]]],
                                   dict[Loc, list[tuple[Loc, Scalar]]]]:
    """The document's spans and scalars grouped by their first two path parts."""
    spans: dict[Loc, list[tuple[Loc, Span]]] = {}
    scalars: dict[Loc, list[tuple[Loc, Scalar]]] = {}
    for loc, span in doc.spans.items():
        if len(loc) >= 2:
            spans.setdefault(loc[:2], []).append((loc[2:], span))
    for loc, scalar in doc.scalars.items():
        if len(loc) >= 2:
            scalars.setdefault(loc[:2], []).append((loc[2:], scalar))
    return spans, scalars


class _Merge:
    """Applies one amendment to its (already resolved) base document."""

    def __init__(self, base: Document, amendment: Document, spec: AmendmentFile,
                 base_sha256: str = "") -> None:
        self.base, self.doc, self.spec = base, amendment, spec
        self.base_sha256 = base_sha256
        act = spec.amendment
        self.effective: date | None = act.effective if act else None
        self.tag = (act and (act.doc_number or (f"v{act.version}" if act.version else None))
                    ) or Path(amendment.file or "amendment").name
        self.problems: list[Diagnostic] = []
        self.indexes = {id(base): _index(base), id(amendment): _index(amendment)}
        self.lists: dict[str, list[_Item]] = {}
        self.removed_rules: set[str] = set()

    def at(self, *loc: str | int) -> Span:
        return self.doc.span_of(loc)

    def amended(self, section: str) -> Iterator[tuple[int, Any]]:
        values = self.doc.data.get(section) or []
        yield from enumerate(values if isinstance(values, list) else [])

    def run(self) -> Document:
        base = self.base.data
        for section in _SECTIONS:
            values = base.get(section) or []
            self.lists[section] = [_Item(v, self.base, (section, i))
                                   for i, v in enumerate(values if isinstance(values, list)
                                                         else [])]
        self.merge_articles()
        for section in ("scope", "exceptions", "derived", "rules", "gaps", "not_checkable",
                        "examples", "interpretations"):
            self.merge_by_key(section)
        self.repeal_rules()
        self.repeal_articles()
        self.tidy()
        return self.document()

    # -- merging --------------------------------------------------------------------------

    def merge_by_key(self, section: str) -> None:
        key = _SECTIONS[section]
        items = self.lists[section]
        for i, value in self.amended(section):
            item = _Item(value, self.doc, (section, i))
            if section == "rules":
                item.patch("amended_by", item.get("amended_by") or self.tag, self.at(section, i))
            same = [n for n, old in enumerate(items)
                    if key is not None and old.get(key) is not None
                    and old.get(key) == item.get(key)
                    and (section != "gaps" or old.get("item") == item.get("item"))]
            starts = item.get("effective") or self.effective
            if same and section == "rules" and isinstance(starts, date):
                self.new_rule_version([items[n] for n in same], item, starts)
                items.append(item)
            elif same:
                items[same[0]] = item
            else:
                items.append(item)

    def new_rule_version(self, old: list[_Item], item: _Item, starts: date) -> None:
        """A rule replaced from ``starts``: earlier versions end the day before, so the
        old version still governs conduct before the amendment took effect."""
        span = self.doc.span_of(item.loc)
        for version in old:
            ends = version.get("repealed")
            if not isinstance(ends, date) or ends > starts:
                version.patch("repealed", starts, span)
        item.patch("effective", starts, span)

    def merge_articles(self) -> None:
        items = self.lists["articles"]
        for i, value in self.amended("articles"):
            item = _Item(value, self.doc, ("articles", i))
            span = self.at("articles", i)
            number = item.get("number")
            starts = item.get("effective") or self.effective
            existing = [old for old in items if old.get("number") == number]
            if existing and isinstance(starts, date):
                for old in existing:
                    ends = old.get("repealed")
                    if not isinstance(ends, date) or ends > starts:
                        old.patch("repealed", starts, span)
                item.patch("effective", starts, span)
            else:
                items[:] = [old for old in items if all(old is not e for e in existing)]
            item.patch("amended_by", item.get("amended_by") or self.tag, span)
            items.append(item)
        items.sort(key=lambda it: it.get("number") if isinstance(it.get("number"), int) else 0)

    def repeals(self, section: str, field_name: str) -> Iterator[tuple[int, object, date | None]]:
        entries: list[str | int | RepealSpec] = list(
            self.spec.repeal_rules if section == "repeal_rules" else self.spec.repeal_articles)
        for k, entry in enumerate(entries):
            if isinstance(entry, RepealSpec):
                yield k, getattr(entry, field_name), entry.on or self.effective
            else:
                yield k, entry, self.effective

    def repeal_rules(self) -> None:
        rules = self.lists["rules"]
        for k, rule_id, on in self.repeals("repeal_rules", "id"):
            span = self.at("repeal_rules", k)
            found = [r for r in rules if r.get("id") == rule_id]
            if not found:
                self.problems.append(Diagnostic(
                    "pack-repeal-unknown", f"no rule {rule_id!r} to repeal", span,
                    hint="repeal_rules lists ids of the base pack's rules"))
            elif on is not None:
                for rule in found:
                    rule.patch("repealed", on, span)
            else:
                self.removed_rules.add(str(rule_id))
                rules[:] = [r for r in rules if all(r is not f for f in found)]

    def repeal_articles(self) -> None:
        articles = self.lists["articles"]
        for k, number, on in self.repeals("repeal_articles", "number"):
            span = self.at("repeal_articles", k)
            found = [a for a in articles if a.get("number") == number]
            if not found:
                self.problems.append(Diagnostic(
                    "pack-repeal-unknown", f"no article {number!r} to repeal", span,
                    hint="repeal_articles lists article numbers of the base pack"))
                continue
            if on is not None:
                for article in found:
                    ends = article.get("repealed")
                    if not isinstance(ends, date) or ends > on:
                        article.patch("repealed", on, span)
                continue
            articles[:] = [a for a in articles if all(a is not f for f in found)]
            for section in ("rules", "scope", "exceptions", "gaps", "not_checkable"):
                key = "article"
                gone = [x for x in self.lists[section] if x.get(key) == number]
                if section == "rules":
                    self.removed_rules |= {str(x.get("id")) for x in gone}
                self.lists[section] = [x for x in self.lists[section]
                                       if all(x is not g for g in gone)]

    def tidy(self) -> None:
        """Drop what the changes made stale: not-checkable entries for articles that now
        have a rule, and expectations about rules that no longer exist."""
        new_rules = {r.get("article") for r in self.lists["rules"] if r.doc is self.doc}
        self.lists["not_checkable"] = [n for n in self.lists["not_checkable"]
                                       if n.doc is self.doc or n.get("article") not in new_rules]
        self.lists["gaps"] = [g for g in self.lists["gaps"] if g.doc is self.doc
                              or g.get("extent") != "none" or g.get("article") not in new_rules]
        if not self.removed_rules:
            return
        for example in self.lists["examples"]:
            expect = example.get("expect")
            if isinstance(expect, dict) and self.removed_rules & set(expect):
                example.patch("expect", {k: v for k, v in expect.items()
                                         if k not in self.removed_rules},
                              example.doc.span_of((*example.loc, "expect")))

    # -- the merged document -----------------------------------------------------------------

    def document(self) -> Document:
        spans: dict[Loc, Span] = {(): self.doc.span_of(())}
        scalars: dict[Loc, Scalar] = {}
        data: dict[str, Any] = {}

        def graft(new: Loc, item: _Item) -> None:
            span_index, scalar_index = self.indexes[id(item.doc)]
            spans[new] = item.doc.span_of(item.loc)
            for rest, span in span_index.get(item.loc, []):
                if not (rest and rest[0] in item.patched):
                    spans[(*new, *rest)] = span
            for rest, scalar in scalar_index.get(item.loc, []):
                if not (rest and rest[0] in item.patched):
                    scalars[(*new, *rest)] = scalar
            for key, span in item.patched.items():
                spans[(*new, key)] = span

        data["pack"] = self.metadata(graft)
        for section, items in self.lists.items():
            if not items and section not in self.base.data and section not in self.doc.data:
                continue
            spans[(section,)] = self.doc.span_of((section,)) if section in self.doc.data \
                else self.base.span_of((section,))
            data[section] = []
            for j, item in enumerate(items):
                data[section].append(item.data)
                graft((section, j), item)
        acts = [_Item(a, self.base, ("amendments", i))
                for i, a in enumerate(self.base.data.get("amendments") or [])]
        act = dict(self.doc.data.get("amendment") or {})
        base_meta = self.base.data.get("pack")
        act.update(file=self.doc.file, sha256=self.doc.sha256 or None, base_file=self.base.file,
                   base_version=str(base_meta.get("version")) if isinstance(base_meta, dict)
                   and base_meta.get("version") is not None else None,
                   base_sha256=self.base_sha256 or None)
        acts.append(_Item(act, self.doc, ("amendment",)))
        data["amendments"] = []
        for j, item in enumerate(acts):
            data["amendments"].append(item.data)
            if item.loc == ("amendment",):
                spans[("amendments", j)] = self.doc.span_of(("amendment",))
                for loc, span in self.doc.spans.items():
                    if loc[:1] == ("amendment",) and len(loc) > 1:
                        spans[("amendments", j, *loc[1:])] = span
            else:
                graft(("amendments", j), item)
        return Document(data, self.doc.file, spans, scalars)

    def metadata(self, graft: Callable[[Loc, _Item], None]) -> dict[str, Any]:
        base_meta = self.base.data.get("pack")
        meta: dict[str, Any] = dict(base_meta) if isinstance(base_meta, dict) else {}
        for key, value in meta.items():
            graft(("pack", key), _Item(value, self.base, ("pack", key)))
        changes = self.spec.pack
        if "id" in changes and changes["id"] != meta.get("id"):
            self.problems.append(Diagnostic(
                "pack-invalid", "an amendment keeps the pack id of the pack it extends",
                self.at("pack", "id"), hint=f"remove `id` or write {meta.get('id')!r}"))
        for key, value in changes.items():
            if key == "id":
                continue
            meta[key] = value
            graft(("pack", key), _Item(value, self.doc, ("pack", key)))
        act = self.spec.amendment
        if act is not None and act.version and "version" not in changes:
            meta["version"] = act.version
        return meta
