"""Lint's checks on conditions: derived facts nobody uses, rules that can never apply or
never be violated, ``x is known`` guards that hide violations."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from govrules import lang as expr
from govrules.base.errors import Diagnostic, ExpressionError
from govrules.base.i18n import _
from govrules.base.loader import Loc, Span
from govrules.lang.syntax import Compare, IsKnown, Logic, Node, Not, children
from govrules.lang.syntax import Path as PathNode
from govrules.model.dated import intersect, window_of
from govrules.model.snapshot import Snapshot
from govrules.tools.lint_checks import LintContext, conditions, parse
from govrules.tools.lint_logic import contradiction

__all__ = ["check_known_guards", "check_reachability", "check_unused_derived", "found_span"]


def _guard_hint() -> str:
    return _("`x is known` turns unknown into false: use it only as positive evidence, "
             "never to guard a comparison; write the comparison alone and let the finding "
             "be undetermined (docs/condition-language.md)")


def check_unused_derived(ctx: LintContext) -> Iterator[Diagnostic]:
    """A derived fact no condition uses is dead weight (or a rule forgot it)."""
    used: set[str] = set()
    for _loc, text, _rule in conditions(ctx.spec):
        node = parse(text)
        if node is not None:
            used |= expr.free_names(node)
    for i, d in enumerate(ctx.spec.derived):
        if d.name not in used:
            yield Diagnostic("lint-unused-derived", _(
                "derived fact {name!r} is not used").format(name=d.name),
                ctx.at(("derived", i, "name")), severity="info",
                hint=_("use it in a rule, or remove it"))


def _always_false(ctx: LintContext, text: str) -> bool:
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


def check_reachability(ctx: LintContext) -> Iterator[Diagnostic]:
    """Rules that can never apply, or never be violated, as far as can be seen."""
    for i, scope in enumerate(ctx.spec.scope):
        loc: Loc = ("scope", i, "applies_when")
        found = _never(ctx, loc, scope.applies_when)
        if found is not None:
            yield Diagnostic("lint-unreachable-rule", _(
                "the scope clause can never hold: {why}").format(why=found),
                found_span(ctx, loc, scope.applies_when), rule=scope.id,
                hint=_("no project would be in scope"), severity="warning")
    versions: dict[int, list[tuple[date | None, date | None]]] = {}
    for article in ctx.spec.articles:
        versions.setdefault(article.number, []).append(window_of(article))
    for i, rule in enumerate(ctx.spec.rules):
        loc = ("rules", i)
        window = window_of(rule)
        dated = versions.get(rule.article, [])
        if intersect(window, (None, None)) is None or (
                dated and all(intersect(window, w) is None for w in dated)):
            yield Diagnostic("lint-unreachable-rule", _(
                "the rule is never in force: its dates do not meet any version of its "
                "article"), ctx.at((*loc, "effective" if rule.effective else "repealed")),
                rule=rule.id, hint=_("check effective/repealed on the rule and its article"),
                severity="warning")
        applies = _never(ctx, (*loc, "applies_when"), rule.applies_when)
        if applies is not None:
            yield Diagnostic("lint-unreachable-rule", _(
                "the rule can never apply: {why}").format(why=applies),
                found_span(ctx, (*loc, "applies_when"), rule.applies_when),
                rule=rule.id, hint=_("applies_when is false for every project"),
                severity="warning")
            continue
        if rule.violated_when is None:
            continue
        vloc: Loc = (*loc, "violated_when")
        never = _never(ctx, vloc, rule.violated_when, also=rule.applies_when)
        if never is not None:
            yield Diagnostic("lint-never-violated", _(
                "the rule can never be violated: {why}").format(why=never),
                found_span(ctx, vloc, rule.violated_when), rule=rule.id,
                hint=_("violated_when (with applies_when) is false for every project"),
                severity="warning")


def _never(ctx: LintContext, loc: Loc, text: str, also: str | None = None) -> str | None:
    """Why ``text`` (and ``also``) can never be true, or None."""
    if _always_false(ctx, text):
        return _("it is always false")
    node = parse(text)
    if node is None:
        return None
    nodes = [node]
    if also is not None and (extra := parse(also)) is not None:
        nodes.append(extra)
    found = contradiction(nodes)
    return found[1] if found is not None else None


def found_span(ctx: LintContext, loc: Loc, text: str) -> Span:
    """Where a condition's contradiction (or, failing that, the condition) starts."""
    node = parse(text)
    found = contradiction([node]) if node is not None else None
    return ctx.doc.text_span(loc, found[0].start if found else 0)


def check_known_guards(ctx: LintContext) -> Iterator[Diagnostic]:
    """``x is known and x > y`` in ``violated_when`` hides (or invents) violations."""
    for i, rule in enumerate(ctx.spec.rules):
        if rule.violated_when is None:
            continue
        node = parse(rule.violated_when)
        if node is None:
            continue
        for guard, positive in _guards(node, True):
            name = ".".join(guard.operand.parts) if isinstance(guard.operand, PathNode) else ""
            text = (_("'{name} is known' guards a comparison on {name}: it hides a violation "
                      "when it is missing") if positive else
                    _("'{name} is known' guards a comparison on {name}: it turns a missing "
                      "value into a violation"))
            yield Diagnostic("lint-known-guard", text.format(name=name),
                             ctx.doc.text_span(("rules", i, "violated_when"), guard.start),
                             rule=rule.id, hint=_guard_hint(), severity="warning")


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
