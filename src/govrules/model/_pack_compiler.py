"""The pack compiler: a validated :class:`PackFile` into a :class:`Pack`.

Part of :mod:`govrules.model.pack`, the public way in.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from govrules import lang as expr
from govrules.base.diagnose import diagnostics_from_validation, did_you_mean
from govrules.base.errors import Diagnostic, ExpressionError, InputError
from govrules.base.loader import Document, Loc, load_document
from govrules.lang.syntax import MAX_DEPTH
from govrules.model import vocabulary
from govrules.model._pack_parts import PackParts, latest_with_history, rule_title
from govrules.model.compiled import (
    CitedVersion,
    CompiledException,
    CompiledPeriodic,
    CompiledRule,
    CompiledScope,
    Template,
    normalise_ws,
)
from govrules.model.dated import Window, describe, intersect, overlaps, window_of
from govrules.model.pack_format import (
    ExceptionSpec,
    RuleSpec,
    ScopeSpec,
)
from govrules.model.quotes import explain_mismatch
from govrules.model.report import ArticleRef, Text

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_SPECIAL_PLACEHOLDERS = frozenset({"due", "periods", "as_of"})



class _Compiler(PackParts):
    """Collects diagnostics while turning a validated PackFile into a Pack."""

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
        rules = tuple(latest_with_history(versions) for versions in groups.values())
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

