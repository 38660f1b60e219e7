"""The conformance suite of the condition language: YAML cases, a runner, and a gate.

Each ``*.yaml`` file here declares the facts its expressions may read (``schema:``) and
a list of ``cases``, each an expression, the facts, optionally ``as_of``, and either the
value expected (``want``: true, false, a number, a date, a text, a list,
``{quarter: 2025Q3}``, or ``{unknown: [facts]}`` for an unknown value and the facts it
names) or the error code expected (``want_error``). The files say nothing about Python:
another implementation of the language can run them as they are.

The gate derives the language's inventory from the implementation's own tables: every
function of the whitelist, every operator and keyword the lexer accepts, every kind of
syntax node and every quantifier must appear in some case that evaluates; every
function must also have a case where an unknown argument makes its result unknown.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, create_model

from govrules import lang as expr
from govrules.base.calendar import Calendar, Quarter
from govrules.base.errors import ExpressionError
from govrules.base.loader import load_document
from govrules.lang import _lexer as lexer
from govrules.lang import _nodes as nodes
from govrules.lang import _parser as parser
from govrules.lang._problems import Problem

HERE = Path(__file__).parent
AS_OF = date(2025, 6, 30)
_SCALARS: dict[str, Any] = {"number": Decimal, "bool": bool, "date": date, "string": str,
                            "quarter": Quarter}


@dataclass(frozen=True)
class Case:
    file: str
    line: int | None
    note: str
    text: str
    facts: dict[str, Any]
    as_of: date
    want: Any = None
    want_error: str | None = None
    model: type[BaseModel] | None = field(default=None, repr=False, compare=False)

    @property
    def id(self) -> str:
        return f"{self.file}:{self.line}"


# -- loading ----------------------------------------------------------------------------


def _type(spec: Any, name: str) -> Any:
    if isinstance(spec, str):
        return _SCALARS[spec]
    if isinstance(spec, dict) and set(spec) == {"choice"}:
        return Literal[tuple(spec["choice"])]
    if isinstance(spec, dict) and set(spec) == {"list"}:
        return list[_type(spec["list"], name + "_item")]  # type: ignore[misc]
    if isinstance(spec, dict) and set(spec) == {"record"}:
        return _model(spec["record"], name)
    if isinstance(spec, dict):  # a record written out: a list item's fields
        return _model(spec, name)
    raise ValueError(f"bad type {spec!r} for {name}")


def _model(fields: dict[str, Any], name: str) -> type[BaseModel]:
    built: dict[str, Any] = {key: (Optional[_type(value, f"{name}_{key}")], None)  # noqa: UP045
                             for key, value in fields.items()}
    return create_model(name.title().replace("_", ""), __config__=ConfigDict(
        frozen=True, extra="forbid"), **built)


def load_cases(folder: Path = HERE) -> list[Case]:
    cases: list[Case] = []
    for path in sorted(folder.glob("*.yaml")):
        document = load_document(path)
        data = document.data
        model = _model(data.get("schema") or {}, path.stem)
        for i, raw in enumerate(data["cases"]):
            span = document.span_of(("cases", i))
            cases.append(Case(
                file=path.name, line=span.line, note=raw.get("note", ""),
                text=raw["expr"], facts=raw.get("facts") or {},
                as_of=raw.get("as_of", AS_OF), want=raw.get("want"),
                want_error=raw.get("want_error"), model=model))
    return cases


# -- running ----------------------------------------------------------------------------


def _compiled(case: Case) -> expr.Compiled:
    assert case.model is not None
    env = expr.Env(expr.type_from_model(case.model))
    return expr.compile_expression(case.text, env, expect=None)


def evaluate(case: Case) -> Any:
    """The case's value, or the codes of the compile errors (a list of ``error:`` texts)."""
    try:
        compiled = _compiled(case)
    except ExpressionError as exc:
        return [f"error:{d.code}" for d in exc.diagnostics]
    assert case.model is not None
    root = case.model.model_validate(case.facts)
    return compiled.fn(expr.EvalContext(root=root, as_of=case.as_of,
                                        calendar=Calendar.default()))


def _normal(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value)).normalize()
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    return value


def expected(case: Case) -> Any:
    want = case.want
    if isinstance(want, dict) and set(want) == {"unknown"}:
        return ("unknown", sorted(want["unknown"]))
    if isinstance(want, dict) and set(want) == {"quarter"}:
        return Quarter.parse(str(want["quarter"]))
    return _normal(want)


def actual(value: Any) -> Any:
    if isinstance(value, expr.Unknown):
        return ("unknown", sorted(value.missing))
    return _normal(value)


def check(case: Case) -> str | None:
    """None when the case holds; otherwise what went wrong."""
    got = evaluate(case)
    if case.want_error is not None:
        if isinstance(got, list) and f"error:{case.want_error}" in got:
            return None
        return f"expected error {case.want_error}, got {got!r}"
    if isinstance(got, list) and got and all(str(g).startswith("error:") for g in got):
        return f"expected {case.want!r}, got {got}"
    if actual(got) != expected(case):
        return f"expected {expected(case)!r}, got {actual(got)!r}"
    return None


# -- the gate -----------------------------------------------------------------------------


def function_inventory() -> frozenset[str]:
    """The whitelist's names, read through the language's public accessor."""
    names = getattr(expr, "function_names", None)
    if callable(names):
        return frozenset(names())
    return frozenset(getattr(expr, "FUNCTIONS"))  # noqa: B009 - older releases


def operator_inventory() -> frozenset[str]:
    """Every operator and keyword token the lexer accepts (probed, not listed by hand)."""
    found: set[str] = set(lexer.KEYWORDS)
    marks = [c for c in string.punctuation if c not in "'\"#_"]
    for text in [*marks, *(a + b for a in marks for b in marks)]:
        try:
            tokens = lexer.tokenize(text)
        except Problem:  # a character the lexer rejects
            continue
        if len(tokens) == 2 and tokens[0].kind == text:
            found.add(text)
    return frozenset(found)


def node_inventory() -> frozenset[str]:
    seen: set[str] = set()
    stack = [nodes.Node]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            seen.add(sub.__name__)
            stack.append(sub)
    return frozenset(seen)


def quantifier_inventory() -> frozenset[str]:
    return frozenset(parser.QUANTIFIERS)


def _walk(node: nodes.Node) -> Iterator[nodes.Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(nodes.children(current))


@dataclass
class Coverage:
    functions: set[str] = field(default_factory=set)
    unknown_functions: set[str] = field(default_factory=set)
    operators: set[str] = field(default_factory=set)
    nodes: set[str] = field(default_factory=set)
    quantifiers: set[str] = field(default_factory=set)
    literal_only: set[str] = field(default_factory=set)
    """Functions only ever called with text literals (``date('2025-01-01')``): evaluated
    when the condition compiles, so no argument can be unknown."""


def coverage(cases: Iterable[Case]) -> Coverage:
    """What the evaluating cases (not the error cases) exercise."""
    out = Coverage()
    with_facts: set[str] = set()
    for case in cases:
        if case.want_error is not None:
            continue
        unknown = isinstance(case.want, dict) and "unknown" in case.want
        out.operators |= {t.kind for t in lexer.tokenize(case.text)
                          if t.kind not in ("name", "number", "string", "end")}
        for node in _walk(parser.parse(case.text)):
            out.nodes.add(type(node).__name__)
            if isinstance(node, nodes.Call):
                out.functions.add(node.name)
                if not all(isinstance(a, nodes.StringLit) for a in node.args):
                    with_facts.add(node.name)
                if unknown:
                    out.unknown_functions.add(node.name)
            if isinstance(node, nodes.Quantifier):
                out.quantifiers.add(node.kind)
    out.literal_only = out.functions - with_facts
    return out


def gate(cases: Iterable[Case], *, functions: frozenset[str] | None = None,
         operators: frozenset[str] | None = None, node_kinds: frozenset[str] | None = None,
         quantifiers: frozenset[str] | None = None) -> list[str]:
    """What of the language no case covers (empty: the suite covers it all)."""
    seen = coverage(cases)
    functions = function_inventory() if functions is None else functions
    missing = [f"function {name}() has no case" for name in sorted(functions - seen.functions)]
    missing += [f"function {name}() has no case with an unknown argument"
                for name in sorted(functions - seen.unknown_functions)
                if name in seen.functions and name not in seen.literal_only]
    for what, inventory, covered in (
            ("operator or keyword", operators or operator_inventory(), seen.operators),
            ("syntax node", node_kinds or node_inventory(), seen.nodes),
            ("quantifier", quantifiers or quantifier_inventory(), seen.quantifiers)):
        missing += [f"{what} {name!r} has no case" for name in sorted(inventory - covered)]
    return missing
