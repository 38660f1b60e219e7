"""Lint's checks on a pack's articles, quotes, titles, examples and registers.

Each check is a generator of diagnostics over a :class:`LintContext`; the conditions'
own checks (reachability, guards) are in :mod:`govrules.tools.lint_conditions`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from govrules import lang as expr
from govrules.base.diagnose import did_you_mean
from govrules.base.errors import Diagnostic, ExpressionError
from govrules.base.i18n import _
from govrules.base.loader import Document, Loc, Span, format_path
from govrules.lang.syntax import Node, children
from govrules.lang.syntax import Path as PathNode
from govrules.model.pack import normalise_ws
from govrules.model.pack_format import BilingualText, PackFile
from govrules.model.snapshot import Snapshot
from govrules.tools.compare import suggest_topic

__all__ = ["IN_PRINCIPLE", "PLACEHOLDERS", "LintContext", "check_articles", "check_examples",
           "check_in_principle", "check_in_principle_scope", "check_interpretations",
           "check_placeholders", "check_presumptions", "check_source", "check_titles",
           "check_topics", "conditions", "parse"]

IN_PRINCIPLE = "原则上"

PLACEHOLDERS = ("待填写", "待补充", "To be filled in", "To be written", "TODO", "TBD",
                "to-be-filled-in")
"""Words a skeleton (``govrules new-pack``) leaves for the analyst to replace."""


@dataclass(frozen=True)
class LintContext:
    """What every check reads: the pack, its document, its names, the source text."""

    spec: PackFile
    doc: Document
    env: expr.Env | None
    source: str | None

    def at(self, loc: Loc) -> Span:
        return self.doc.span_of(loc)


def parse(text: str) -> Node | None:
    """The condition's tree, or None when it does not parse (the loader says why)."""
    try:
        return expr.parse_expression(text)
    except ExpressionError:
        return None


def conditions(spec: PackFile) -> Iterator[tuple[Loc, str, str | None]]:
    """Every condition text of the pack, with its place and rule id."""
    for i, d in enumerate(spec.derived):
        yield ("derived", i, "expr"), d.expr, None
    for i, s in enumerate(spec.scope):
        yield ("scope", i, "applies_when"), s.applies_when, s.id
    for i, e in enumerate(spec.exceptions):
        yield ("exceptions", i, "when"), e.when, e.id
    for i, r in enumerate(spec.rules):
        loc: Loc = ("rules", i)
        yield (*loc, "applies_when"), r.applies_when, r.id
        if r.violated_when is not None:
            yield (*loc, "violated_when"), r.violated_when, r.id
        if r.deadline is not None:
            for key in ("after", "done_on", "done"):
                text = getattr(r.deadline, key)
                if text is not None:
                    yield (*loc, "deadline", key), text, r.id
        if r.conduct is not None:
            yield (*loc, "conduct"), r.conduct, r.id
        if r.periodic is not None:
            for key, text in (("from", r.periodic.start), ("until", r.periodic.until),
                              ("ongoing_when", r.periodic.ongoing_when)):
                if text is not None:
                    yield (*loc, "periodic", key), text, r.id
            for j, text in enumerate(r.periodic.start_evidence):
                yield (*loc, "periodic", "from_evidence", j), text, r.id
        for j, step in enumerate(r.next_steps):
            for key in ("when", "due"):
                text = getattr(step, key)
                if text is not None:
                    yield (*loc, "next_steps", j, key), text, r.id


# -- articles ---------------------------------------------------------------------------


def check_articles(ctx: LintContext) -> Iterator[Diagnostic]:
    """Every article is encoded or declared as a gap, and not both."""
    spec = ctx.spec
    ruled = {r.article for r in spec.rules} | {s.article for s in spec.scope} | {
        e.article for e in spec.exceptions}
    listed = {n.article for n in spec.not_checkable} | {g.article for g in spec.gaps}
    seen: set[int] = set()
    for i, article in enumerate(spec.articles):
        if article.number in seen or article.number in ruled | listed:
            seen.add(article.number)
            continue
        seen.add(article.number)
        yield Diagnostic("lint-article-no-rule", _(
            "{article} has no rule yet and is not declared as a gap").format(
            article=article.label), ctx.at(("articles", i, "number")),
            hint=_("write a rule citing it, or add it to gaps: with extent: none and a reason"),
            severity="warning")
    for i, item in enumerate(spec.not_checkable):
        yield Diagnostic("lint-not-checkable-deprecated", _(
            "not_checkable: is deprecated; article {number} is read as a gap with extent: "
            "none").format(number=item.article), ctx.at(("not_checkable", i)),
            hint=_("write it under gaps: as {{article: {number}, extent: none, reason: "
                   "{{zh: ..., en: ...}}}}").format(number=item.article), severity="warning")
        if item.article in ruled:
            yield Diagnostic("lint-article-both", _(
                "article {number} has rules but is listed as not checkable").format(
                number=item.article), ctx.at(("not_checkable", i, "article")),
                hint=_("remove it from not_checkable:"), severity="warning")
    yield from _gap_problems(ctx, ruled)


def _gap_problems(ctx: LintContext, ruled: set[int]) -> Iterator[Diagnostic]:
    for i, gap in enumerate(ctx.spec.gaps):
        where = ctx.at(("gaps", i))
        if gap.extent == "none" and gap.item is None and gap.article in ruled:
            yield Diagnostic("lint-article-both", _(
                "article {number} has rules but is declared as not encoded at all "
                "(extent: none)").format(number=gap.article), ctx.at(("gaps", i, "extent")),
                hint=_("use extent: partial and say what the rules leave out"),
                severity="warning")
        elif gap.extent == "partial" and gap.article not in ruled:
            yield Diagnostic("lint-gap-partial-no-rule", _(
                "article {number} is declared partly encoded, but no rule cites it").format(
                number=gap.article), ctx.at(("gaps", i, "extent")),
                hint=_("use extent: none, or write the rules that encode the part that is "
                       "checked"), severity="warning")
        if gap.accepted is None and where.file == ctx.doc.file:  # not a base pack's gap
            text = (_("the gap in article {number} item {item} ({extent}) has not been "
                      "accepted by a reviewer") if gap.item is not None else
                    _("the gap in article {number} ({extent}) has not been accepted by a "
                      "reviewer"))
            yield Diagnostic("lint-gap-unaccepted", text.format(
                number=gap.article, item=gap.item, extent=gap.extent), where,
                hint=_("once reviewed, add accepted: {by: NAME, on: YYYY-MM-DD}"),
                severity="warning")


def check_in_principle(ctx: LintContext) -> Iterator[Diagnostic]:
    """``in_principle`` agrees with 原则上 in the quote."""
    for i, rule in enumerate(ctx.spec.rules):
        marked = IN_PRINCIPLE in rule.quote
        if rule.in_principle and not marked:
            yield Diagnostic("lint-in-principle-quote", _(
                "an in-principle rule whose quote lacks {words}").format(words=IN_PRINCIPLE),
                ctx.at(("rules", i, "quote")), hint=_(
                    "quote the words with {words}, or set in_principle: false").format(
                    words=IN_PRINCIPLE), severity="warning", rule=rule.id)
        elif marked and not rule.in_principle:
            yield Diagnostic("lint-in-principle-flag", _(
                "the quote says {words} but the rule is not in principle").format(
                words=IN_PRINCIPLE), ctx.at(("rules", i, "id")),
                hint=_("add in_principle: true so that an approved exception can waive it"),
                severity="warning", rule=rule.id)


_CLAUSE_BREAK = re.compile(r"[,，;；。]")
_MANDATORY = re.compile(r"须|应(?![用急])|不得|严禁|经批准后")


def _mandatory_after_in_principle(quote: str) -> str | None:
    """The first clause after the one 原则上 qualifies that is mandatory on its own."""
    clauses = [c for c in _CLAUSE_BREAK.split(quote) if c.strip()]
    for n, clause in enumerate(clauses):
        if IN_PRINCIPLE in clause:
            for later in clauses[n + 1:]:
                if IN_PRINCIPLE not in later and _MANDATORY.search(later):
                    return later.strip()
            return None
    return None


def check_in_principle_scope(ctx: LintContext) -> Iterator[Diagnostic]:
    """An in-principle rule covers only the clause 原则上 qualifies; its ``mandatory_part``
    names a rule of the pack that is not in principle."""
    by_id = {r.id: r for r in ctx.spec.rules}
    for i, rule in enumerate(ctx.spec.rules):
        if not rule.in_principle:
            continue
        reach = _mandatory_after_in_principle(rule.quote)
        if reach is not None:
            yield Diagnostic("in-principle-covers-mandatory", _(
                "the in-principle rule's quote reaches past the {words} clause into a "
                "mandatory one: 「{clause}」").format(words=IN_PRINCIPLE, clause=reach),
                ctx.at(("rules", i, "quote")), rule=rule.id, hint=_(
                    "quote only the clause 原则上 qualifies and encode the mandatory part as "
                    "its own rule (name it in mandatory_part:); a waiver never covers it"),
                severity="warning")
        part = rule.mandatory_part
        if part is not None and (part not in by_id or by_id[part].in_principle):
            yield Diagnostic("lint-mandatory-part", _(
                "mandatory_part {part!r} is not a rule of the pack without "
                "in_principle").format(part=part), ctx.at(("rules", i, "mandatory_part")),
                rule=rule.id, hint=did_you_mean(part, by_id) or _(
                    "name the rule that encodes the article's mandatory part"))


def check_titles(ctx: LintContext) -> Iterator[Diagnostic]:
    """Every rule has a title (findings and reports name rules by it); for an amendment,
    only the rules it writes."""
    for i, rule in enumerate(ctx.spec.rules):
        if isinstance(rule.title, BilingualText) or ctx.at(("rules", i)).file != ctx.doc.file:
            continue
        if rule.title is None:  # a plain-string title: check_interpretations warns
            yield Diagnostic("rule-title-missing", _(
                "the rule has no title: reports use its message's first clause"),
                ctx.at(("rules", i, "id")), rule=rule.id,
                hint=_("add title: {zh: …, en: …}"), severity="warning")


def check_presumptions(ctx: LintContext) -> Iterator[Diagnostic]:
    """An exception that reads a fact other than true/false says what is presumed of it."""
    root = expr.type_from_model(Snapshot)
    for i, exc in enumerate(ctx.spec.exceptions):
        try:
            compiled = expr.compile_expression(exc.when, ctx.env or expr.Env(root))
        except ExpressionError:
            continue
        for fact in sorted(compiled.facts):
            if fact in exc.presume or expr.is_fact_path(fact, ctx.env or expr.Env(root),
                                                        expr.Bool):
                continue
            yield Diagnostic("lint-presume-missing", _(
                "the exception reads {fact}, which is not a true/false fact: say what is "
                "presumed when the record is silent").format(fact=fact),
                ctx.at(("exceptions", i, "when")), rule=exc.id,
                hint=_("add presume: {{{fact}: …}}").format(fact=fact))


def check_source(ctx: LintContext) -> Iterator[Diagnostic]:
    """With ``--source``: articles and quotes are verbatim from the regulation's text.

    Articles and rules an amendment introduced (``amended_by``) come from the amending
    act, not from this source, and are left out.
    """
    if ctx.source is None:
        return
    for i, article in enumerate(ctx.spec.articles):
        if article.amended_by is None and normalise_ws(article.text) not in ctx.source:
            yield Diagnostic("lint-article-not-in-source", _(
                "the text of {article} is not in the source text").format(
                article=article.label), ctx.at(("articles", i, "text")),
                hint=_("copy the article verbatim (whitespace aside)"))
    clauses: list[tuple[str, int, str, str, str | None]] = [
        ("scope", i, c.quote, c.id, None) for i, c in enumerate(ctx.spec.scope)]
    clauses += [("exceptions", i, e.quote, e.id, None)
                for i, e in enumerate(ctx.spec.exceptions)]
    clauses += [("rules", i, r.quote, r.id, r.amended_by) for i, r in enumerate(ctx.spec.rules)]
    cited = {c.id: c.article for c in ctx.spec.scope}
    cited.update({e.id: e.article for e in ctx.spec.exceptions})
    cited.update({r.id: r.article for r in ctx.spec.rules})
    texts: dict[int, list[str]] = {}
    for article in ctx.spec.articles:
        texts.setdefault(article.number, []).append(normalise_ws(article.text))
    for section, i, quote, rid, amended in clauses:
        q = normalise_ws(quote)
        if not any(q in t for t in texts.get(cited[rid], [])):
            continue  # not in its own article: the loader says so, with the closest passage
        if amended is None and q not in ctx.source:
            yield Diagnostic("lint-quote-not-in-source", _(
                "the quote is not in the source text"), ctx.at((section, i, "quote")),
                rule=rid, hint=_("quotes are verbatim from the regulation (whitespace aside)"))


def check_examples(ctx: LintContext) -> Iterator[Diagnostic]:
    """Examples expect statuses only of rules, scope and exception clauses the pack has."""
    ids = {r.id for r in ctx.spec.rules} | {s.id for s in ctx.spec.scope} | {
        e.id for e in ctx.spec.exceptions}
    for i, example in enumerate(ctx.spec.examples):
        for rule in example.expect:
            if rule not in ids:
                yield Diagnostic("example-unknown-rule", _(
                    "no rule {rule!r} in the pack").format(rule=rule),
                    ctx.at(("examples", i, "expect", rule)), rule=rule,
                    hint=did_you_mean(rule, ids) or _("expect only the pack's rule ids"))


# -- placeholders, topics, the interpretation register -----------------------------------


def _texts(value: object, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*loc, index))


def check_placeholders(ctx: LintContext) -> Iterator[Diagnostic]:
    """Text a skeleton left to fill in (titles, summaries, metadata)."""
    data = ctx.doc.data if isinstance(ctx.doc.data, dict) else {}
    for section in ("pack", "articles", "scope", "rules", "not_checkable"):
        for loc, text in _texts(data.get(section), (section,)):
            word = next((w for w in PLACEHOLDERS if w.lower() in text.lower()), None)
            if word is not None:
                yield Diagnostic("lint-placeholder", _(
                    "placeholder text {word!r} is still here: {path}").format(
                    word=word, path=format_path(loc)), ctx.at(loc), severity="warning",
                    hint=_("write the real text (from the regulation) in its place"))


def _paths(node: Node) -> Iterator[str]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, PathNode):
            yield current.dotted
        stack.extend(children(current))


def check_topics(ctx: LintContext) -> Iterator[Diagnostic]:
    """A rule without ``topic:`` lands under "other" in ``govrules compare``."""
    facts: dict[str, set[str]] = {}
    for _loc, text, rule in conditions(ctx.spec):
        node = parse(text) if rule is not None else None
        if node is not None and rule is not None:
            facts.setdefault(rule, set()).update(_paths(node))
    for i, spec in enumerate(ctx.spec.rules):
        if spec.topic is None:
            guess = suggest_topic(spec.id, sorted(facts.get(spec.id, ())))
            hint = (_("suggested: topic: {topic}").format(topic=guess) if guess else
                    _("add topic: <slug>"))
            yield Diagnostic("rule-topic-missing", _("rule {rule!r} has no topic").format(
                rule=spec.id), ctx.at(("rules", i, "id")), severity="info", rule=spec.id,
                hint=hint + _(" (see docs/pack-format.md)"))


def check_interpretations(ctx: LintContext) -> Iterator[Diagnostic]:
    """The interpretation register: ids unique, every id a rule names resolves, every
    rule an entry names exists, each entry cites an article of the pack and quotes it."""
    spec = ctx.spec
    ids: set[str] = set()
    for i, entry in enumerate(spec.interpretations):
        if entry.id in ids:
            yield Diagnostic("lint-duplicate-interpretation", _(
                "interpretation {id!r} is listed twice").format(id=entry.id),
                ctx.at(("interpretations", i, "id")),
                hint=_("interpretation ids are unique: rename or merge one"))
        ids.add(entry.id)
    rule_ids = {r.id for r in spec.rules} | {s.id for s in spec.scope} | {
        e.id for e in spec.exceptions}
    texts: dict[int, list[str]] = {}
    for article in spec.articles:
        texts.setdefault(article.number, []).append(normalise_ws(article.text))
    for i, entry in enumerate(spec.interpretations):
        if entry.article not in texts:
            yield Diagnostic("pack-unknown-article", _(
                "interpretation {id!r} cites article {number}, which the pack does not "
                "have").format(id=entry.id, number=entry.article),
                ctx.at(("interpretations", i, "article")))
        elif not any(normalise_ws(entry.quote) in text for text in texts[entry.article]):
            yield Diagnostic("lint-interpretation-quote", _(
                "the quote is not in the text of article {number}").format(
                number=entry.article), ctx.at(("interpretations", i, "quote")),
                hint=_("quote the words read, verbatim (whitespace aside)"))
        for j, rid in enumerate(entry.rules or []):
            if rid not in rule_ids:
                yield Diagnostic("lint-unknown-interpretation-rule", _(
                    "no rule {rule!r} in the pack").format(rule=rid),
                    ctx.at(("interpretations", i, "rules", j)), rule=rid,
                    hint=did_you_mean(rid, rule_ids) or _("name the pack's rule ids"))
    yield from _rule_interpretations(ctx, ids)


def _rule_interpretations(ctx: LintContext, ids: set[str]) -> Iterator[Diagnostic]:
    for i, rule in enumerate(ctx.spec.rules):
        for j, ident in enumerate(rule.interpretations):
            if ident not in ids:
                yield Diagnostic("lint-unknown-interpretation", _(
                    "no interpretation {id!r} in the pack's register").format(id=ident),
                    ctx.at(("rules", i, "interpretations", j)), rule=rule.id,
                    hint=did_you_mean(ident, ids) or _(
                        "add it under interpretations:, or remove the id"))
        if isinstance(rule.title, str):
            yield Diagnostic("rule-title-not-bilingual", _(
                "the title is a plain string (read as English)"),
                ctx.at(("rules", i, "title")), rule=rule.id,
                hint=_("write title: {zh: …, en: …}"), severity="warning")
