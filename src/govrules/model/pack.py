"""Load a policy pack, check it, and compile it once into an immutable :class:`Pack`.

Loading collects every problem in the file (structure, references, quotes, every
condition) and raises them together in one :class:`PackError`, sorted by line. A loaded
pack holds only compiled closures and frozen values: it is safe to share across threads
and to evaluate any number of snapshots without touching a string again.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from govrules import lang as expr
from govrules.base.diagnose import diagnostics_from_validation, did_you_mean
from govrules.base.errors import Diagnostic, ExpressionError, InputError, PackError
from govrules.base.loader import Document, Loc, Span, load_document, parse_document
from govrules.lang._parser import MAX_DEPTH
from govrules.model import amend, vocabulary
from govrules.model.compiled import (
    CitedVersion,
    CompiledException,
    CompiledPeriodic,
    CompiledRule,
    CompiledScope,
    CompiledStep,
    Pack,
    Template,
    normalise_ws,
)
from govrules.model.dated import Window, describe, intersect, overlaps, window_of
from govrules.model.pack_format import (
    ArticleSpec,
    BilingualText,
    ExceptionSpec,
    Gap,
    NextStepSpec,
    PackFile,
    RuleSpec,
    ScopeSpec,
)
from govrules.model.quotes import explain_mismatch
from govrules.model.report import ArticleRef, Text
from govrules.model.snapshot import Snapshot

__all__ = [
    "CitedVersion",
    "CompiledException",
    "CompiledPeriodic",
    "CompiledRule",
    "CompiledScope",
    "CompiledStep",
    "Pack",
    "PackBuild",
    "Template",
    "build_pack",
    "builtin_pack",
    "builtin_pack_ids",
    "load_pack",
    "normalise_ws",
    "parse_pack",
]

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SPECIAL_PLACEHOLDERS = frozenset({"due", "periods", "as_of"})
_ROOT_TYPE = expr.type_from_model(Snapshot)


class _Compiler:
    """Collects diagnostics while turning a validated PackFile into a Pack."""

    def __init__(self, spec: PackFile, document: Document) -> None:
        self.spec = spec
        self.doc = document
        self.problems: list[Diagnostic] = []
        self.env = expr.Env(_ROOT_TYPE)
        self.facts: tuple[vocabulary.FactDecl, ...] = ()
        self.snapshot_model: type[Snapshot] = Snapshot
        self.articles: dict[int, ArticleSpec] = {}
        self.versions: dict[int, list[ArticleSpec]] = {}
        self._getters: dict[str, expr.Compiled | None] = {}

    # -- helpers ------------------------------------------------------------------

    def problem(self, code: str, message: str, loc: Loc, hint: str | None = None,
                rule: str | None = None) -> None:
        self.problems.append(Diagnostic(code, message, self.doc.span_of(loc), hint=hint,
                                        rule=rule))

    def compile(self, text: str, loc: Loc, expect: Any = expr.Bool,
                rule: str | None = None, shift: int = 0) -> expr.Compiled | None:
        """Compile ``text``, which starts at character ``shift`` of the string at ``loc``."""
        def origin(offset: int) -> Span:
            return self.doc.text_span(loc, shift + offset)

        try:
            return expr.compile_expression(text, self.env, expect=expect, origin=origin)
        except ExpressionError as exc:
            self.problems.extend(
                Diagnostic(d.code, d.message, d.span, d.path, d.hint, d.severity, rule)
                for d in exc.diagnostics
            )
            return None

    def synthesise(self, text: str, loc: Loc, expect: Any = expr.Bool) -> expr.Compiled | None:
        """Compile text the loader generated from checked parts (errors point at ``loc``)."""
        try:
            return expr.compile_expression(text, self.env, expect=expect,
                                           origin=lambda _o: self.doc.span_of(loc))
        except ExpressionError as exc:
            self.problems.extend(exc.diagnostics)
            return None

    def citation(self, article: int, item: int | str | None, quote: str, loc: Loc,
                 rule: str, *, window: Window = (None, None), amended_by: str | None = None,
                 ) -> tuple[ArticleRef, tuple[CitedVersion, ...]]:
        """The rule's citation, and one per version of the article within ``window``."""
        versions = self.versions.get(article)
        if not versions:
            self.problem("pack-unknown-article", f"article {article} is not in the pack",
                         (*loc, "article"),
                         did_you_mean(str(article), map(str, self.articles)), rule)
            ref = ArticleRef(pack=self.spec.pack.id, number=article, label=f"第{article}条",
                             item=item, quote=quote)
            return ref, (CitedVersion(window, ref),)
        cited: list[CitedVersion] = []
        for spec in versions:
            shared = intersect(window_of(spec), window)
            if shared is None:
                continue
            if normalise_ws(quote) not in normalise_ws(spec.text):
                dated = f" (version {describe(window_of(spec))})" if len(versions) > 1 else ""
                texts = {n: (a.label, a.text) for n, a in self.articles.items()}
                texts[article] = (spec.label, spec.text)
                self.problem("pack-quote-not-in-article",
                             f"the quote is not in the text of {spec.label}{dated}",
                             (*loc, "quote"), explain_mismatch(quote, texts, article), rule)
            cited.append(CitedVersion(shared, ArticleRef(
                pack=self.spec.pack.id, number=article, label=spec.label, title=spec.title,
                item=item, chapter=spec.chapter, quote=quote, summary=spec.summary,
                effective=spec.effective, repealed=spec.repealed,
                amended_by=spec.amended_by or amended_by)))
        if not cited:  # never in force together: the rule never applies (lint says so)
            latest = self.articles[article]
            return ArticleRef(pack=self.spec.pack.id, number=article, label=latest.label,
                              title=latest.title, item=item, chapter=latest.chapter,
                              quote=quote, summary=latest.summary), ()
        return cited[-1].citation, tuple(cited)

    def template(self, text: str, loc: Loc, rule: str) -> Template:
        parts: list[str | expr.Compiled] = []
        specials: list[str] = []
        pos = 0
        for match in _PLACEHOLDER.finditer(text):
            parts.append(text[pos:match.start()])
            name = match.group(1).strip()
            if name in _SPECIAL_PLACEHOLDERS:
                parts.append("{" + name + "}")
                specials.append(name)
            else:
                start = match.start(1) + len(match.group(1)) - len(match.group(1).lstrip())
                compiled = self.compile(name, loc, expect=None, rule=rule, shift=start)
                if compiled is not None:
                    parts.append(compiled)
            pos = match.end()
        parts.append(text[pos:])
        return Template(tuple(p for p in parts if p != ""), tuple(specials))

    # -- sections -----------------------------------------------------------------

    def run(self) -> tuple[tuple[CompiledScope, ...], tuple[CompiledRule, ...],
                           tuple[CompiledException, ...]]:
        self.declare_facts()
        self.check_articles()
        self.compile_derived()
        scope = tuple(s for s in (self.compile_scope(i, s) for i, s in
                                  enumerate(self.spec.scope)) if s is not None)
        seen: dict[str, list[int]] = {}
        groups: dict[str, list[CompiledRule]] = {}
        for i, rule in enumerate(self.spec.rules):
            prior = seen.setdefault(rule.id, [])
            if any(overlaps(window_of(self.spec.rules[j]), window_of(rule)) for j in prior):
                self.problem("pack-duplicate-rule", f"rule id {rule.id!r} is used twice",
                             ("rules", i, "id"), f"first at rules[{prior[0]}]; versions of "
                             "one rule need effective/repealed dates that do not overlap",
                             rule.id)
                continue
            prior.append(i)
            compiled = self.compile_rule(i, rule)
            if compiled is not None:
                groups.setdefault(rule.id, []).append(compiled)
        rules = tuple(_latest_with_history(versions) for versions in groups.values())
        known = {r.id for r in rules}
        exceptions = tuple(e for e in (self.compile_exception(i, e, known) for i, e in
                                       enumerate(self.spec.exceptions)) if e is not None)
        return scope, rules, exceptions

    def compile_exception(self, i: int, spec: ExceptionSpec, known: set[str]
                          ) -> CompiledException | None:
        loc: Loc = ("exceptions", i)
        citation = self.clause_citation(loc, spec, "exception")
        when = self.compile(spec.when, (*loc, "when"), rule=spec.id)
        for j, rid in enumerate(spec.rules or []):
            if rid not in known:
                self.problem("pack-unknown-rule", f"exception names no rule {rid!r}",
                             (*loc, "rules", j), did_you_mean(rid, sorted(known)), spec.id)
        if when is None:
            return None
        return CompiledException(spec, citation, when,
                                 frozenset(spec.rules) if spec.rules is not None else None,
                                 Text(zh=spec.message.zh, en=spec.message.en))

    def declare_facts(self) -> None:
        """The pack's own facts (``facts:`` and ``vocabulary:`` files) extend the snapshot
        model the conditions are typed against and snapshots are read with."""
        decls: list[tuple[vocabulary.FactDecl, Document, Loc]] = [
            (d, self.doc, ("facts", i)) for i, d in enumerate(self.spec.facts)]
        for i, name in enumerate(self.spec.vocabulary):
            decls.extend(self.vocabulary_file(name, ("vocabulary", i)))
        if not decls:
            return
        model, problems = vocabulary.extend_snapshot([d for d, _, _ in decls])
        for p in problems:
            _, document, loc = decls[p.index]
            self.problems.append(Diagnostic(
                p.code, p.message, document.span_of((*loc, p.field)),
                hint="see docs/pack-format.md, section Declaring new facts"))
        if problems:
            return
        self.facts = tuple(d for d, _, _ in decls)
        self.snapshot_model = model
        self.env = expr.Env(expr.type_from_model(model))

    def vocabulary_file(self, name: str,
                        loc: Loc) -> list[tuple[vocabulary.FactDecl, Document, Loc]]:
        """The declarations of a vocabulary file named relative to the pack file."""
        folder = Path(self.doc.file).parent if self.doc.file else Path.cwd()
        try:
            document = load_document(folder / name)
        except InputError as exc:
            self.problems.extend(
                d if d.span is not None and d.span.line else
                Diagnostic(d.code, d.message, self.doc.span_of(loc), hint=d.hint)
                for d in exc.diagnostics)
            return []
        try:
            spec = vocabulary.VocabularyFile.model_validate(document.data)
        except ValidationError as exc:
            self.problems.extend(diagnostics_from_validation(
                exc, vocabulary.VocabularyFile, document=document, file=document.file,
                prefix="vocab"))
            return []
        return [(d, document, ("facts", i)) for i, d in enumerate(spec.facts)]

    def check_articles(self) -> None:
        """Index the articles; versions of one article must not overlap in time."""
        for i, article in enumerate(self.spec.articles):
            prior = self.versions.setdefault(article.number, [])
            if any(intersect(window_of(p), window_of(article)) is not None for p in prior):
                self.problem("pack-duplicate-article", f"article {article.number} appears twice",
                             ("articles", i, "number"), "versions of one article need "
                             "effective/repealed dates that do not overlap")
            prior.append(article)
            latest = self.articles.get(article.number)
            if latest is None or (article.effective or date.min) >= (latest.effective
                                                                     or date.min):
                self.articles[article.number] = article
        cited: list[tuple[str, int, int]] = [
            *(("not_checkable", i, n.article) for i, n in enumerate(self.spec.not_checkable)),
            *(("gaps", i, g.article) for i, g in enumerate(self.spec.gaps))]
        for section, i, number in cited:
            if number not in self.articles:
                self.problem("pack-unknown-article", f"article {number} is not in the pack",
                             (section, i, "article"))

    def compile_derived(self) -> None:
        types = {"bool": expr.Bool, "number": expr.Number, "date": expr.Date,
                 "string": expr.String(), "quarter": expr.QuarterT}
        depth: dict[str, int] = {}  # links in the longest chain of derived facts below
        for i, spec in enumerate(self.spec.derived):
            compiled = self.compile(spec.expr, ("derived", i, "expr"), expect=types[spec.type])
            if compiled is None:
                continue
            depth[spec.name] = 1 + max((depth.get(u, 0) for u in compiled.uses), default=0)
            if depth[spec.name] == MAX_DEPTH + 1:  # reported where a chain first goes too far
                self.problem("expr-too-complex", f"derived fact {spec.name!r} rests on a chain "
                             f"of more than {MAX_DEPTH} derived facts "
                             f"/ 派生事实链超过 {MAX_DEPTH} 层", ("derived", i, "expr"))
            try:
                self.env = self.env.with_derived(spec.name, compiled)
            except ExpressionError as exc:
                self.problems.extend(
                    Diagnostic(d.code, d.message, self.doc.span_of(("derived", i, "name")),
                               hint=d.hint) for d in exc.diagnostics
                )

    def clause_citation(self, loc: Loc, spec: ScopeSpec | ExceptionSpec, kind: str
                        ) -> ArticleRef:
        """A scope or exception clause's citation; its id must name the pack."""
        citation, _ = self.citation(spec.article, spec.item, spec.quote, loc, spec.id)
        if not spec.id.startswith(self.spec.pack.id + "."):
            self.problem("pack-rule-id", f"{kind} id must start with {self.spec.pack.id!r}.",
                         (*loc, "id"), rule=spec.id)
        return citation

    def compile_scope(self, i: int, spec: ScopeSpec) -> CompiledScope | None:
        loc: Loc = ("scope", i)
        citation = self.clause_citation(loc, spec, "scope")
        applies = self.compile(spec.applies_when, (*loc, "applies_when"), rule=spec.id)
        if applies is None:
            return None
        return CompiledScope(spec, citation, applies, Text(zh=spec.message.zh, en=spec.message.en))

    def compile_rule(self, i: int, spec: RuleSpec) -> CompiledRule | None:
        loc: Loc = ("rules", i)
        rid = spec.id
        prefix = f"{self.spec.pack.id}.{spec.article}."
        if not rid.startswith(prefix):
            self.problem("pack-rule-id", f"rule id must start with {prefix!r}", (*loc, "id"),
                         "the id names the pack and the article the rule cites", rid)
        citation, versions = self.citation(spec.article, spec.item, spec.quote, loc, rid,
                                           window=window_of(spec), amended_by=spec.amended_by)
        applies = self.compile(spec.applies_when, (*loc, "applies_when"), rule=rid)
        violated: expr.Compiled | None = None
        due: expr.Compiled | None = None
        pending: expr.Compiled | None = None
        periodic: CompiledPeriodic | None = None
        if spec.violated_when is not None:
            violated = self.compile(spec.violated_when, (*loc, "violated_when"), rule=rid)
        elif spec.deadline is not None:
            violated, due, pending = self.compile_deadline(loc, spec)
        elif spec.periodic is not None:
            periodic = self.compile_periodic(loc, spec)
        steps = tuple(s for s in (self.compile_step((*loc, "next_steps", j), step, rid)
                                  for j, step in enumerate(spec.next_steps)) if s is not None)
        zh = self.template(spec.message.zh, (*loc, "message", "zh"), rid)
        en = self.template(spec.message.en, (*loc, "message", "en"), rid)
        if applies is None or (violated is None and periodic is None):
            return None
        facts = applies.facts | (violated.facts if violated else frozenset())
        if periodic is not None:
            facts |= periodic.start.facts
        conduct, conduct_fact = self.compile_conduct(loc, spec)
        return CompiledRule(spec, citation, applies, violated, due, periodic, zh, en, steps,
                            facts, self.fact_getters(facts), pending, versions,
                            conduct, conduct_fact, rule_title(spec))

    def compile_conduct(self, loc: Loc, spec: RuleSpec) -> tuple[expr.Compiled | None,
                                                                  str | None]:
        """The date of the conduct the rule judges (None: as_of, or each period's end)."""
        if spec.conduct is not None:
            return (self.compile(spec.conduct, (*loc, "conduct"), expr.Date, spec.id),
                    spec.conduct.strip())
        if spec.deadline is not None:
            return (self.compile(spec.deadline.after, (*loc, "deadline", "after"), expr.Date,
                                 spec.id), spec.deadline.after.strip())
        return None, None

    def fact_getters(self, facts: frozenset[str]) -> tuple[tuple[str, expr.Compiled], ...]:
        """Getters for the scalar facts a rule reads, shown in its findings."""
        out: list[tuple[str, expr.Compiled]] = []
        for path in sorted(facts):
            getter = self._getters.get(path)
            if getter is None and path not in self._getters:
                try:
                    getter = expr.compile_expression(path, self.env, expect=None)
                except ExpressionError:
                    getter = None  # a field reached through a list item: not one value
                if getter is not None and isinstance(getter.type, expr.ListOf):
                    getter = None
                self._getters[path] = getter
            if getter is not None:
                out.append((path, getter))
        return tuple(out)

    def compile_deadline(self, loc: Loc, spec: RuleSpec) -> tuple[
            expr.Compiled | None, expr.Compiled | None, expr.Compiled | None]:
        deadline = spec.deadline
        assert deadline is not None
        dloc = (*loc, "deadline")
        after = self.compile(deadline.after, (*dloc, "after"), expr.Date, spec.id)
        done_on = self.compile(deadline.done_on, (*dloc, "done_on"), expr.Date, spec.id)
        done_text = deadline.done
        if done_text is None:
            twin = deadline.done_on.strip()
            if twin.endswith("_on") and expr.is_fact_path(twin[:-3], self.env, expr.Bool):
                done_text = twin[:-3]
            else:
                self.problem("pack-deadline-done", "cannot tell whether the act was done",
                             (*dloc, "done_on"),
                             "add `done:` with a true/false condition", spec.id)
                return None, None, None
        elif self.compile(done_text, (*dloc, "done"), expr.Bool, spec.id) is None:
            return None, None, None
        if after is None or done_on is None:
            return None, None, None
        within = deadline.within
        due_text = f"{within.function()}({deadline.after}, {within.amount})"
        d_on = f"({deadline.done_on})"
        # Kleene form of "done late, or not done and overdue" that keeps unknowns unknown:
        # a project that did it on time, or whose deadline has not passed, never violates.
        text = (f"({d_on} is known and {d_on} > {due_text}) or ({d_on} is unknown and "
                f"as_of > {due_text} and (not ({done_text}) or {d_on} > {due_text}))")
        # Pending: the event happened, the act is not known to be done, the deadline
        # has not passed; the rule's remedial steps are then shown as upcoming.
        pending = (f"{d_on} is unknown and not (({done_text}) is known and ({done_text})) "
                   f"and as_of <= {due_text}")
        return (self.synthesise(text, dloc), self.synthesise(due_text, dloc, expr.Date),
                self.synthesise(pending, dloc))

    def compile_periodic(self, loc: Loc, spec: RuleSpec) -> CompiledPeriodic | None:
        periodic = spec.periodic
        assert periodic is not None
        ploc = (*loc, "periodic")
        start = self.compile(periodic.start, (*ploc, "from"), expr.Date, spec.id)
        until = (self.compile(periodic.until, (*ploc, "until"), expr.Date, spec.id)
                 if periodic.until else None)
        ongoing = (self.compile(periodic.ongoing_when, (*ploc, "ongoing_when"), expr.Bool,
                                spec.id) if periodic.ongoing_when else None)
        records = self.compile(periodic.records, (*ploc, "records"), None, spec.id)
        if records is not None and not expr.is_report_list(records.type):
            self.problem("pack-periodic-records",
                         f"{periodic.records!r} is not a list of period reports",
                         (*ploc, "records"), "use e.g. reports.quarterly_progress", spec.id)
            return None
        if start is None or records is None or (periodic.until and until is None) or (
                periodic.ongoing_when and ongoing is None):
            return None
        evidence = tuple(self.compile(text, (*ploc, "from_evidence", j), expr.Date, spec.id)
                         for j, text in enumerate(periodic.start_evidence))
        if any(e is None for e in evidence):
            return None
        within = periodic.within
        return CompiledPeriodic(start, until, ongoing, records, periodic.records.strip(),
                                within.unit if within else None, within.amount if within else 0,
                                tuple(e for e in evidence if e is not None))

    def compile_step(self, loc: Loc, spec: NextStepSpec, rid: str) -> CompiledStep | None:
        when = self.compile(spec.when, (*loc, "when"), rule=rid) if spec.when else None
        due = self.compile(spec.due, (*loc, "due"), expr.Date, rid) if spec.due else None
        if (spec.when and when is None) or (spec.due and due is None):
            return None
        return CompiledStep(spec, when, due)


_CLAUSE = re.compile(r"[,，;；。:：!！?？]")


def fallback_title(message: str) -> str:
    """A short title from a message: its first clause, placeholders dropped."""
    text = re.sub(r"\{[^{}]*\}", "…", message).strip()
    head = _CLAUSE.split(text, maxsplit=1)[0].strip() or text
    return head if len(head) <= 60 else head[:59] + "…"


def rule_title(spec: RuleSpec) -> Text:
    """The rule's bilingual title; a missing half comes from the message (lint warns)."""
    title = spec.title
    if isinstance(title, BilingualText):
        return Text(zh=title.zh, en=title.en)
    en = title if isinstance(title, str) else fallback_title(spec.message.en)
    return Text(zh=fallback_title(spec.message.zh), en=en)


def _latest_with_history(versions: list[CompiledRule]) -> CompiledRule:
    """The newest version of a rule, carrying the earlier ones (newest first)."""
    if len(versions) == 1:
        return versions[0]
    ordered = sorted(versions, key=lambda r: r.spec.effective or date.min, reverse=True)
    return dataclasses.replace(ordered[0], earlier=tuple(ordered[1:]))


@dataclass(frozen=True)
class PackBuild:
    """What loading a pack document gave: the pack, or every problem found.

    ``document`` is the resolved document (an amendment merged with its base); ``spec``
    is set once the document matches the format, ``env`` once the derived facts compiled.
    The lint tool starts from here; :func:`load_pack` raises the problems instead.
    """

    document: Document
    spec: PackFile | None
    env: expr.Env | None
    pack: Pack | None
    problems: tuple[Diagnostic, ...]


def parse_pack(text: str, file: str | None = None) -> Pack:
    """Load a pack from YAML text; raise :class:`PackError` listing every problem."""
    try:
        document = parse_document(text, file)
    except InputError as exc:
        raise PackError(exc.diagnostics) from None
    return _from_document(document, document.sha256)


def _from_document(document: Document, sha256: str) -> Pack:
    built = build_pack(document, sha256)
    if built.pack is None:
        raise PackError(built.problems)
    return built.pack


def build_pack(document: Document, sha256: str) -> PackBuild:
    """Resolve ``extends``, validate and compile ``document``, collecting every problem."""
    merging: tuple[Diagnostic, ...] = ()
    if amend.is_amendment(document.data):
        try:
            document, sha256, merging = amend.resolve(document, sha256)
        except PackError as exc:
            return PackBuild(document, None, None, None, exc.diagnostics)
    if not isinstance(document.data, dict):
        return PackBuild(document, None, None, None, (Diagnostic(
            "pack-not-mapping", "a pack must be a YAML mapping with pack, articles and rules",
            document.span_of(())),))
    try:
        spec = PackFile.model_validate(document.data)
    except ValidationError as exc:
        return PackBuild(document, None, None, None, (*merging, *diagnostics_from_validation(
            exc, PackFile, document=document, file=document.file, prefix="pack")))
    compiler = _Compiler(spec, document)
    scope, rules, exceptions = compiler.run()
    if compiler.problems or merging:
        return PackBuild(document, spec, compiler.env, None, (*merging, *compiler.problems))
    return PackBuild(document, spec, compiler.env, Pack(
        meta=spec.pack,
        articles=dict(compiler.articles),
        scope=scope,
        rules=rules,
        derived=tuple(spec.derived),
        not_checkable=tuple(spec.not_checkable),
        examples=tuple(spec.examples),
        env=compiler.env,
        file=document.file,
        sha256=sha256,
        spec=spec,
        document=document,
        rules_by_id={r.id: r for r in rules},
        facts=compiler.facts,
        snapshot_model=compiler.snapshot_model,
        exceptions=exceptions,
        gaps=declared_gaps(spec),
    ), ())


def declared_gaps(spec: PackFile) -> tuple[Gap, ...]:
    """The pack's gaps; each deprecated ``not_checkable`` entry read as ``extent: none``."""
    return (*spec.gaps, *(Gap(article=n.article, extent="none",
                              reason=BilingualText(zh=n.reason, en=n.reason))
                          for n in spec.not_checkable))


def load_pack(path: str | Path) -> Pack:
    """Load a pack file; errors name the file, line and column."""
    try:
        document = load_document(path)
    except InputError as exc:
        raise PackError(exc.diagnostics) from None
    return _from_document(document, document.sha256)


_builtin_lock = threading.Lock()
_builtin_cache: dict[str, Pack] = {}


def builtin_pack_ids() -> list[str]:
    """Ids of the packs shipped with govrules, sorted."""
    folder = resources.files("govrules.policies")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir()
                  if p.name.endswith(".yaml"))


def builtin_pack(pack_id: str) -> Pack:
    """A built-in pack, loaded and compiled once per process (thread-safe)."""
    with _builtin_lock:
        cached = _builtin_cache.get(pack_id)
        if cached is not None:
            return cached
        ids = builtin_pack_ids()
        if pack_id not in ids:
            hint = did_you_mean(pack_id, ids)
            raise InputError(Diagnostic("unknown-city", f"no built-in pack {pack_id!r}",
                                        hint=hint or f"available: {', '.join(ids)}"))
        resource = resources.files("govrules.policies").joinpath(f"{pack_id}.yaml")
        with resources.as_file(resource) as path:
            pack = load_pack(path)
        _builtin_cache[pack_id] = pack
        return pack


def resolve_packs(cities: Sequence[str], policy_paths: Sequence[str | Path] = ()) -> list[Pack]:
    """Packs named by ``--city`` (ids, ``all``) and ``--policy`` paths, in order."""
    packs: list[Pack] = []
    for city in cities:
        for name in (c.strip() for c in city.split(",")):
            if not name:
                continue
            if name == "all":
                packs.extend(builtin_pack(i) for i in builtin_pack_ids())
            else:
                packs.append(builtin_pack(name))
    packs.extend(load_pack(p) for p in policy_paths)
    unique: dict[tuple[str, str], Pack] = {}
    for pack in packs:
        unique.setdefault((pack.id, pack.sha256), pack)
    return list(unique.values())

