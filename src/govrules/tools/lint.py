"""Check policy packs without a snapshot: the loader's problems, then lint's own checks.

The loader already rejects what cannot run (structure, unknown facts and functions,
types, duplicate ids, quotes not in their article). Lint adds what runs but is probably
wrong: articles nobody encoded, rules that can never apply or never be violated,
``x is known`` guards that hide violations, in-principle flags that disagree with the
text, quotes not in the regulation's source, expectations about rules that do not exist.
Each check is a small generator of diagnostics; :func:`lint_document` runs them all and
gives every diagnostic a hint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from govrules import lang as expr
from govrules.base.diagnose import did_you_mean
from govrules.base.errors import Diagnostic, ExpressionError, InputError
from govrules.base.loader import Document, Loc, Span, format_path, load_document
from govrules.lang._nodes import Compare, IsKnown, Logic, Node, Not, children
from govrules.lang._nodes import Path as PathNode
from govrules.model.dated import intersect, window_of
from govrules.model.pack import build_pack, normalise_ws
from govrules.model.pack_format import BilingualText, PackFile
from govrules.model.snapshot import Snapshot
from govrules.tools.compare import suggest_topic
from govrules.tools.discovery import discover
from govrules.tools.lint_logic import contradiction

__all__ = ["LintResult", "lint_document", "lint_file", "lint_paths"]

IN_PRINCIPLE = "原则上"

_HINTS = {
    "pack-unknown-field": "check the spelling against docs/pack-reference.md",
    "pack-missing-field": "add the field: docs/pack-reference.md lists the required ones",
    "pack-type": "docs/pack-reference.md gives each field's type",
    "pack-value": "docs/pack-reference.md lists the allowed values",
    "pack-invalid": "see docs/pack-format.md",
    "pack-rule-id": "rule ids are <pack>.<article>[.<item>].<slug>",
    "pack-duplicate-rule": "rule ids are unique and never reused: rename one",
    "pack-duplicate-article": "keep one version, or date the versions with effective/repealed",
    "pack-unknown-article": "add the article under articles:, or cite one the pack has",
    "pack-not-mapping": "a pack starts with pack:, articles: and rules:",
    "expr-syntax": "docs/condition-language.md describes the syntax",
    "expr-unknown-fact": "docs/snapshot.md lists every fact",
    "expr-type": "docs/condition-language.md gives each operator's types",
    "expr-unknown-function": "docs/condition-language.md lists the functions",
    "expr-arity": "docs/condition-language.md gives each function's arguments",
    "expr-bad-value": "docs/snapshot.md lists the values a field can take",
}
_GUARD_HINT = ("`x is known` turns unknown into false: use it only as positive evidence, "
               "never to guard a comparison; write the comparison alone and let the finding "
               "be undetermined (docs/condition-language.md)")


@dataclass(frozen=True)
class LintResult:
    """The diagnostics of one pack file, sorted by place."""

    file: str
    pack: str | None
    diagnostics: tuple[Diagnostic, ...]

    def count(self, severity: str) -> int:
        return sum(d.severity == severity for d in self.diagnostics)


@dataclass(frozen=True)
class _Ctx:
    spec: PackFile
    doc: Document
    env: expr.Env | None
    source: str | None

    def at(self, loc: Loc) -> Span:
        return self.doc.span_of(loc)


def lint_file(path: str | Path, *, source: str | Path | None = None) -> LintResult:
    """Lint one pack file; ``source`` is the regulation's text (a file, or a folder
    holding the file the pack names in ``pack.source``)."""
    try:
        document = load_document(path)
    except InputError as exc:
        return LintResult(str(path), None, exc.diagnostics)
    return lint_document(document, document.sha256, source=source)


def lint_document(document: Document, sha256: str = "",
                  *, source: str | Path | None = None) -> LintResult:
    """Lint a loaded pack document."""
    built = build_pack(document, sha256)
    found = list(built.problems)
    if built.spec is not None:
        text, problems = _source_text(built.spec, source)
        found += problems
        ctx = _Ctx(built.spec, built.document, built.env, text)
        for check in _CHECKS:
            found.extend(check(ctx))
    ordered = sorted((_with_hint(d) for d in found), key=Diagnostic.sort_key)
    pack_id = built.spec.pack.id if built.spec is not None else None
    return LintResult(document.file or "<input>", pack_id, tuple(ordered))


_MONEY_HINT = ("amounts in conditions are numbers of yuan, unquoted: write 5000000 (or "
               "5_000_000) for 500万元; snapshots may write '500万元'")


def _with_hint(diagnostic: Diagnostic) -> Diagnostic:
    if diagnostic.code == "expr-type" and "number with text" in diagnostic.message and (
            diagnostic.hint is None or "docs/condition-language" in diagnostic.hint):
        return replace(diagnostic, hint=_MONEY_HINT)
    if diagnostic.hint:
        return diagnostic
    return replace(diagnostic, hint=_HINTS.get(diagnostic.code,
                                               f"see docs/errors.md ({diagnostic.code})"))


def _source_text(spec: PackFile, source: str | Path | None) -> tuple[str | None,
                                                                     list[Diagnostic]]:
    if source is None:
        return None, []
    path = Path(source)
    if path.is_dir():
        path = path / spec.pack.source
    try:
        return normalise_ws(path.read_text(encoding="utf-8")), []
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Diagnostic("file-not-found", f"cannot read the source text: {exc}",
                                 Span(str(path)), hint="--source names the regulation's "
                                 "text file, or the folder that holds pack.source")]


# -- articles ---------------------------------------------------------------------------


def check_articles(ctx: _Ctx) -> Iterator[Diagnostic]:
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
        yield Diagnostic("lint-article-no-rule", f"{article.label} has no rule yet and is "
                         "not declared as a gap", ctx.at(("articles", i, "number")),
                         hint="write a rule citing it, or add it to gaps: with extent: none "
                         "and a reason", severity="warning")
    for i, item in enumerate(spec.not_checkable):
        yield Diagnostic("lint-not-checkable-deprecated", f"not_checkable: is deprecated; "
                         f"article {item.article} is read as a gap with extent: none",
                         ctx.at(("not_checkable", i)), hint="write it under gaps: as "
                         f"{{article: {item.article}, extent: none, reason: {{zh: ..., "
                         "en: ...}}", severity="warning")
        if item.article in ruled:
            yield Diagnostic("lint-article-both", f"article {item.article} has rules but is "
                             "listed as not checkable", ctx.at(("not_checkable", i, "article")),
                             hint="remove it from not_checkable:", severity="warning")
    yield from _gap_problems(ctx, ruled)


def _gap_problems(ctx: _Ctx, ruled: set[int]) -> Iterator[Diagnostic]:
    for i, gap in enumerate(ctx.spec.gaps):
        where = ctx.at(("gaps", i))
        if gap.extent == "none" and gap.item is None and gap.article in ruled:
            yield Diagnostic("lint-article-both", f"article {gap.article} has rules but is "
                             "declared as not encoded at all (extent: none)",
                             ctx.at(("gaps", i, "extent")), hint="use extent: partial and "
                             "say what the rules leave out", severity="warning")
        elif gap.extent == "partial" and gap.article not in ruled:
            yield Diagnostic("lint-gap-partial-no-rule", f"article {gap.article} is declared "
                             "partly encoded, but no rule cites it",
                             ctx.at(("gaps", i, "extent")), hint="use extent: none, or write "
                             "the rules that encode the part that is checked",
                             severity="warning")
        if gap.accepted is None and where.file == ctx.doc.file:  # not a base pack's gap
            yield Diagnostic("lint-gap-unaccepted", f"the gap in article {gap.article}"
                             + (f" item {gap.item}" if gap.item is not None else "")
                             + f" ({gap.extent}) has not been accepted by a reviewer", where,
                             hint="once reviewed, add accepted: {by: NAME, on: YYYY-MM-DD}",
                             severity="warning")


def check_in_principle(ctx: _Ctx) -> Iterator[Diagnostic]:
    """``in_principle`` agrees with 原则上 in the quote."""
    for i, rule in enumerate(ctx.spec.rules):
        marked = IN_PRINCIPLE in rule.quote
        if rule.in_principle and not marked:
            yield Diagnostic("lint-in-principle-quote", "an in-principle rule whose quote lacks "
                             f"{IN_PRINCIPLE}", ctx.at(("rules", i, "quote")),
                             hint=f"quote the words with {IN_PRINCIPLE}, or set in_principle: "
                             "false", severity="warning", rule=rule.id)
        elif marked and not rule.in_principle:
            yield Diagnostic("lint-in-principle-flag", f"the quote says {IN_PRINCIPLE} but the "
                             "rule is not in principle", ctx.at(("rules", i, "id")),
                             hint="add in_principle: true so that an approved exception can "
                             "waive it", severity="warning", rule=rule.id)


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


def check_in_principle_scope(ctx: _Ctx) -> Iterator[Diagnostic]:
    """An in-principle rule covers only the clause 原则上 qualifies; its ``mandatory_part``
    names a rule of the pack that is not in principle."""
    by_id = {r.id: r for r in ctx.spec.rules}
    for i, rule in enumerate(ctx.spec.rules):
        if not rule.in_principle:
            continue
        reach = _mandatory_after_in_principle(rule.quote)
        if reach is not None:
            yield Diagnostic("in-principle-covers-mandatory", "the in-principle rule's quote "
                             f"reaches past the {IN_PRINCIPLE} clause into a mandatory one: "
                             f"「{reach}」", ctx.at(("rules", i, "quote")), rule=rule.id,
                             hint="quote only the clause 原则上 qualifies and encode the "
                             "mandatory part as its own rule (name it in mandatory_part:); a "
                             "waiver never covers it", severity="warning")
        part = rule.mandatory_part
        if part is not None and (part not in by_id or by_id[part].in_principle):
            yield Diagnostic("lint-mandatory-part", f"mandatory_part {part!r} is not a rule "
                             "of the pack without in_principle",
                             ctx.at(("rules", i, "mandatory_part")),
                             rule=rule.id, hint=did_you_mean(part, by_id) or "name the rule that "
                             "encodes the article's mandatory part")


def check_titles(ctx: _Ctx) -> Iterator[Diagnostic]:
    """Every rule has a title (findings and reports name rules by it); for an amendment,
    only the rules it writes."""
    for i, rule in enumerate(ctx.spec.rules):
        if isinstance(rule.title, BilingualText) or ctx.at(("rules", i)).file != ctx.doc.file:
            continue
        if rule.title is None:  # a plain-string title: check_interpretations warns
            yield Diagnostic("rule-title-missing", "the rule has no title: reports use its "
                             "message's first clause", ctx.at(("rules", i, "id")), rule=rule.id,
                             hint="add title: {zh: …, en: …}", severity="warning")


def check_presumptions(ctx: _Ctx) -> Iterator[Diagnostic]:
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
            yield Diagnostic("lint-presume-missing", f"the exception reads {fact}, which is "
                             "not a true/false fact: say what is presumed when the record is "
                             "silent", ctx.at(("exceptions", i, "when")), rule=exc.id,
                             hint=f"add presume: {{{fact}: …}}")


def check_source(ctx: _Ctx) -> Iterator[Diagnostic]:
    """With ``--source``: articles and quotes are verbatim from the regulation's text.

    Articles and rules an amendment introduced (``amended_by``) come from the amending
    act, not from this source, and are left out.
    """
    if ctx.source is None:
        return
    for i, article in enumerate(ctx.spec.articles):
        if article.amended_by is None and normalise_ws(article.text) not in ctx.source:
            yield Diagnostic("lint-article-not-in-source", f"the text of {article.label} is "
                             "not in the source text", ctx.at(("articles", i, "text")),
                             hint="copy the article verbatim (whitespace aside)")
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
            yield Diagnostic("lint-quote-not-in-source", "the quote is not in the source text",
                             ctx.at((section, i, "quote")), rule=rid,
                             hint="quotes are verbatim from the regulation (whitespace aside)")


# -- examples and derived facts ------------------------------------------------------------


def check_examples(ctx: _Ctx) -> Iterator[Diagnostic]:
    """Examples expect statuses only of rules, scope and exception clauses the pack has."""
    ids = {r.id for r in ctx.spec.rules} | {s.id for s in ctx.spec.scope} | {
        e.id for e in ctx.spec.exceptions}
    for i, example in enumerate(ctx.spec.examples):
        for rule in example.expect:
            if rule not in ids:
                yield Diagnostic("example-unknown-rule", f"no rule {rule!r} in the pack",
                                 ctx.at(("examples", i, "expect", rule)), rule=rule,
                                 hint=did_you_mean(rule, ids) or "expect only the pack's rule ids")


def _conditions(spec: PackFile) -> Iterator[tuple[Loc, str, str | None]]:
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


def check_unused_derived(ctx: _Ctx) -> Iterator[Diagnostic]:
    """A derived fact no condition uses is dead weight (or a rule forgot it)."""
    used: set[str] = set()
    for _loc, text, _rule in _conditions(ctx.spec):
        node = _parse(text)
        if node is not None:
            used |= expr.free_names(node)
    for i, d in enumerate(ctx.spec.derived):
        if d.name not in used:
            yield Diagnostic("lint-unused-derived", f"derived fact {d.name!r} is not used",
                             ctx.at(("derived", i, "name")), severity="info",
                             hint="use it in a rule, or remove it")


# -- conditions ----------------------------------------------------------------------------


def _parse(text: str) -> Node | None:
    try:
        return expr.parse_expression(text)
    except ExpressionError:
        return None


def _always_false(ctx: _Ctx, text: str) -> bool:
    """Whether a condition reads no fact and folds to false."""
    if ctx.env is None:
        return False
    try:
        compiled = expr.compile_expression(text, ctx.env)
    except ExpressionError:
        return False
    if compiled.facts or compiled.uses or "as_of" in expr.free_names(compiled.node):
        return False
    return compiled.fn(expr.EvalContext(Snapshot(), date.today())) is False


def check_reachability(ctx: _Ctx) -> Iterator[Diagnostic]:
    """Rules that can never apply, or never be violated, as far as can be seen."""
    for i, scope in enumerate(ctx.spec.scope):
        loc: Loc = ("scope", i, "applies_when")
        found = _never(ctx, loc, scope.applies_when)
        if found is not None:
            yield Diagnostic("lint-unreachable-rule", f"the scope clause can never hold: {found}",
                             found_span(ctx, loc, scope.applies_when), rule=scope.id,
                             hint="no project would be in scope", severity="warning")
    versions: dict[int, list[tuple[date | None, date | None]]] = {}
    for article in ctx.spec.articles:
        versions.setdefault(article.number, []).append(window_of(article))
    for i, rule in enumerate(ctx.spec.rules):
        loc = ("rules", i)
        window = window_of(rule)
        dated = versions.get(rule.article, [])
        if intersect(window, (None, None)) is None or (
                dated and all(intersect(window, w) is None for w in dated)):
            yield Diagnostic("lint-unreachable-rule", "the rule is never in force: its dates "
                             "do not meet any version of its article",
                             ctx.at((*loc, "effective" if rule.effective else "repealed")),
                             rule=rule.id, hint="check effective/repealed on the rule and "
                             "its article", severity="warning")
        applies = _never(ctx, (*loc, "applies_when"), rule.applies_when)
        if applies is not None:
            yield Diagnostic("lint-unreachable-rule", f"the rule can never apply: {applies}",
                             found_span(ctx, (*loc, "applies_when"), rule.applies_when),
                             rule=rule.id, hint="applies_when is false for every project",
                             severity="warning")
            continue
        if rule.violated_when is None:
            continue
        vloc: Loc = (*loc, "violated_when")
        never = _never(ctx, vloc, rule.violated_when, also=rule.applies_when)
        if never is not None:
            yield Diagnostic("lint-never-violated", f"the rule can never be violated: {never}",
                             found_span(ctx, vloc, rule.violated_when), rule=rule.id,
                             hint="violated_when (with applies_when) is false for every "
                             "project", severity="warning")


def _never(ctx: _Ctx, loc: Loc, text: str, also: str | None = None) -> str | None:
    """Why ``text`` (and ``also``) can never be true, or None."""
    if _always_false(ctx, text):
        return "it is always false"
    node = _parse(text)
    if node is None:
        return None
    nodes = [node]
    if also is not None and (extra := _parse(also)) is not None:
        nodes.append(extra)
    found = contradiction(nodes)
    return found[1] if found is not None else None


def found_span(ctx: _Ctx, loc: Loc, text: str) -> Span:
    """Where a condition's contradiction (or, failing that, the condition) starts."""
    node = _parse(text)
    found = contradiction([node]) if node is not None else None
    return ctx.doc.text_span(loc, found[0].start if found else 0)


def check_known_guards(ctx: _Ctx) -> Iterator[Diagnostic]:
    """``x is known and x > y`` in ``violated_when`` hides (or invents) violations."""
    for i, rule in enumerate(ctx.spec.rules):
        if rule.violated_when is None:
            continue
        node = _parse(rule.violated_when)
        if node is None:
            continue
        for guard, positive in _guards(node, True):
            name = ".".join(guard.operand.parts) if isinstance(guard.operand, PathNode) else ""
            what = ("hides a violation when it is missing" if positive else
                    "turns a missing value into a violation")
            yield Diagnostic("lint-known-guard", f"'{name} is known' guards a comparison on "
                             f"{name}: it {what}",
                             ctx.doc.text_span(("rules", i, "violated_when"), guard.start),
                             rule=rule.id, hint=_GUARD_HINT, severity="warning")


def _guards(node: Node, positive: bool) -> Iterator[tuple[IsKnown, bool]]:
    if isinstance(node, Not):
        yield from _guards(node.operand, not positive)
        return
    if isinstance(node, Logic) and node.op == "and":
        for operand in node.operands:
            if isinstance(operand, IsKnown) and operand.known and isinstance(operand.operand,
                                                                             PathNode):
                name = operand.operand.parts
                others = [o for o in node.operands if o is not operand]
                if any(_compares(o, name) for o in others):
                    yield operand, positive
    for child in children(node):
        yield from _guards(child, positive)


def _compares(node: Node, name: tuple[str, ...]) -> bool:
    """Whether a comparison under ``node`` reads the path ``name``."""
    if isinstance(node, Compare):
        return any(_reads(side, name) for side in (node.left, node.right))
    if isinstance(node, IsKnown):
        return False
    return any(_compares(child, name) for child in children(node))


def _reads(node: Node, name: tuple[str, ...]) -> bool:
    if isinstance(node, PathNode):
        return node.parts == name
    return any(_reads(child, name) for child in children(node))


# -- placeholders -------------------------------------------------------------------------

PLACEHOLDERS = ("待填写", "待补充", "To be filled in", "To be written", "TODO", "TBD",
                "to-be-filled-in")
"""Words a skeleton (``govrules new-pack``) leaves for the analyst to replace."""


def _texts(value: object, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*loc, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*loc, index))


def check_placeholders(ctx: _Ctx) -> Iterator[Diagnostic]:
    """Text a skeleton left to fill in (titles, summaries, metadata)."""
    data = ctx.doc.data if isinstance(ctx.doc.data, dict) else {}
    for section in ("pack", "articles", "scope", "rules", "not_checkable"):
        for loc, text in _texts(data.get(section), (section,)):
            word = next((w for w in PLACEHOLDERS if w.lower() in text.lower()), None)
            if word is not None:
                yield Diagnostic("lint-placeholder", f"placeholder text {word!r} is still "
                                 f"here: {format_path(loc)}", ctx.at(loc), severity="warning",
                                 hint="write the real text (from the regulation) in its place")


def _paths(node: Node) -> Iterator[str]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, PathNode):
            yield current.dotted
        stack.extend(children(current))


def check_topics(ctx: _Ctx) -> Iterator[Diagnostic]:
    """A rule without ``topic:`` lands under "other" in ``govrules compare``."""
    facts: dict[str, set[str]] = {}
    for _loc, text, rule in _conditions(ctx.spec):
        node = _parse(text) if rule is not None else None
        if node is not None and rule is not None:
            facts.setdefault(rule, set()).update(_paths(node))
    for i, spec in enumerate(ctx.spec.rules):
        if spec.topic is None:
            guess = suggest_topic(spec.id, sorted(facts.get(spec.id, ())))
            yield Diagnostic("rule-topic-missing", f"rule {spec.id!r} has no topic",
                             ctx.at(("rules", i, "id")), severity="info", rule=spec.id,
                             hint=(f"suggested: topic: {guess}" if guess else
                                   "add topic: <slug>") + " (see docs/pack-format.md)")


def check_interpretations(ctx: _Ctx) -> Iterator[Diagnostic]:
    """The interpretation register: ids unique, every id a rule names resolves, every
    rule an entry names exists, each entry cites an article of the pack and quotes it."""
    spec = ctx.spec
    ids: set[str] = set()
    for i, entry in enumerate(spec.interpretations):
        if entry.id in ids:
            yield Diagnostic("lint-duplicate-interpretation", f"interpretation {entry.id!r} "
                             "is listed twice", ctx.at(("interpretations", i, "id")),
                             hint="interpretation ids are unique: rename or merge one")
        ids.add(entry.id)
    rule_ids = {r.id for r in spec.rules} | {s.id for s in spec.scope} | {
        e.id for e in spec.exceptions}
    texts: dict[int, list[str]] = {}
    for article in spec.articles:
        texts.setdefault(article.number, []).append(normalise_ws(article.text))
    for i, entry in enumerate(spec.interpretations):
        if entry.article not in texts:
            yield Diagnostic("pack-unknown-article", f"interpretation {entry.id!r} cites "
                             f"article {entry.article}, which the pack does not have",
                             ctx.at(("interpretations", i, "article")))
        elif not any(normalise_ws(entry.quote) in text for text in texts[entry.article]):
            yield Diagnostic("lint-interpretation-quote", "the quote is not in the text of "
                             f"article {entry.article}", ctx.at(("interpretations", i, "quote")),
                             hint="quote the words read, verbatim (whitespace aside)")
        for j, rid in enumerate(entry.rules or []):
            if rid not in rule_ids:
                yield Diagnostic("lint-unknown-interpretation-rule", f"no rule {rid!r} in the "
                                 "pack", ctx.at(("interpretations", i, "rules", j)), rule=rid,
                                 hint=did_you_mean(rid, rule_ids) or "name the pack's rule ids")
    for i, rule in enumerate(spec.rules):
        for j, ident in enumerate(rule.interpretations):
            if ident not in ids:
                yield Diagnostic("lint-unknown-interpretation", f"no interpretation {ident!r} "
                                 "in the pack's register", ctx.at(("rules", i,
                                                                   "interpretations", j)),
                                 rule=rule.id, hint=did_you_mean(ident, ids) or "add it under "
                                 "interpretations:, or remove the id")
        if isinstance(rule.title, str):
            yield Diagnostic("rule-title-not-bilingual", "the title is a plain string (read "
                             "as English)", ctx.at(("rules", i, "title")), rule=rule.id,
                             hint="write title: {zh: …, en: …}", severity="warning")


_CHECKS = (check_articles, check_in_principle, check_in_principle_scope, check_titles,
           check_presumptions, check_source, check_examples, check_unused_derived,
           check_reachability, check_known_guards, check_interpretations, check_placeholders,
           check_topics)


def lint_paths(paths: Sequence[str | Path], *, source: str | Path | None = None
               ) -> tuple[list[LintResult], list[Diagnostic]]:
    """Lint every pack under ``paths``; the second list holds problems with the paths."""
    found, problems = discover(paths)
    results: list[LintResult] = []
    for item in found:
        if item.kind != "pack" and not item.named:
            continue  # a test file met in a folder; a file named on the command line is linted
        if item.document is None:
            results.append(LintResult(str(item.path), None, item.problems))
            continue
        results.append(lint_document(item.document, item.document.sha256, source=source))
    return results, problems
