"""Static types from models, and parts of conditions compiled on their own.

Everything here is computed inside the tests (not when a module is imported), so that a
change to the language's code is seen by them under ``make mutate`` as well.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel

from govrules.base.calendar import Calendar, Quarter
from govrules.base.errors import ExpressionError
from govrules.lang import (
    Bool,
    Date,
    Env,
    EvalContext,
    ListOf,
    Number,
    Object,
    QuarterT,
    String,
    Unknown,
    compile_expression,
    parse_expression,
    type_from_model,
)
from govrules.lang._compiler import compile_part
from govrules.lang._nodes import Compare, Quantifier
from govrules.lang._types import _model


@pytest.fixture(autouse=True)
def _types_converted_afresh() -> None:
    """``type_from_model`` remembers each model's type; forget it, so that every test
    converts its models itself (and a changed conversion is seen under ``make mutate``)."""
    _model.cache_clear()


class Colour(enum.StrEnum):
    RED = "red"
    BLUE = "blue"


class Line(BaseModel):
    amount: Decimal | None = None
    note: str | None = None


class Model(BaseModel):
    flag: bool | None = None
    count: int | None = None
    ratio: float | None = None
    money: Decimal | None = None
    day: date | None = None
    quarter: Quarter | None = None
    name: str | None = None
    kind: Literal["a", "b"] | None = None
    colour: Colour | None = None
    tags: list[str] | None = None
    fixed: tuple[int, ...] | None = None
    lines: list[Line] | None = None
    labelled: Annotated[int | None, "a label"] = None


def test_each_python_type_maps_to_its_condition_type() -> None:
    root = type_from_model(Model)
    fields = root.fields
    assert fields["flag"] is Bool
    assert fields["count"] is Number
    assert fields["ratio"] is Number
    assert fields["money"] is Number
    assert fields["day"] is Date
    assert fields["quarter"] is QuarterT
    assert isinstance(fields["name"], String)
    assert fields["name"].choices is None
    assert isinstance(fields["kind"], String)
    assert fields["kind"].choices == frozenset({"a", "b"})
    assert isinstance(fields["colour"], String)
    assert fields["colour"].choices == frozenset({"red", "blue"})
    assert isinstance(fields["tags"], ListOf)
    assert isinstance(fields["tags"].item, String)
    assert isinstance(fields["fixed"], ListOf)
    assert fields["fixed"].item is Number
    assert isinstance(fields["lines"], ListOf)
    item = fields["lines"].item
    assert isinstance(item, Object)
    assert item.fields["amount"] is Number
    assert fields["labelled"] is Number
    assert set(root.paths()) >= {"flag", "lines", "kind", "labelled"}


class _DateTime(BaseModel):
    at: datetime | None = None


class _Union(BaseModel):
    x: int | str | None = None


class _IntLiteral(BaseModel):
    x: Literal[1, 2] | None = None


class _Pair(BaseModel):
    x: tuple[int, str] | None = None


class _IntEnum(enum.Enum):
    ONE = 1


class _Enum(BaseModel):
    x: _IntEnum | None = None


class _Bytes(BaseModel):
    x: bytes | None = None


class _Dict(BaseModel):
    x: dict[str, int] | None = None


class _Node(BaseModel):
    child: _Node | None = None


@pytest.mark.parametrize(("model", "message"), [
    (_DateTime, "_DateTime.at: date-times cannot be used in conditions; use a date"),
    (_Union, "_Union.x: a union of several types cannot be used in conditions"),
    (_IntLiteral, "_IntLiteral.x: only Literal of strings can be used in conditions"),
    (_Pair, r"_Pair.x: only tuple\[X, ...\] can be used in conditions"),
    (_Enum, "_Enum.x: only str enums can be used in conditions"),
    (_Bytes, "_Bytes.x: type bytes cannot be used in conditions"),
    (_Dict, r"_Dict.x: type dict\[str, int\] cannot be used in conditions"),
    (_Node, "_Node refers to itself: conditions need a finite model"),
])
def test_types_conditions_cannot_use_are_refused_by_name(model: type[BaseModel],
                                                         message: str) -> None:
    with pytest.raises(TypeError, match=f"^{message}$"):
        type_from_model(model)


# -- parts compiled on their own -------------------------------------------------------------

ENV_TEXT = "any(x in lines: x.amount > 5 and x.note == 'n') and count + 1 > 2"


def _env() -> Env:
    return Env(type_from_model(Model))


def test_a_part_compiles_and_evaluates_alone() -> None:
    node = parse_expression(ENV_TEXT)
    env = _env()
    right = node.operands[1]  # type: ignore[attr-defined]
    assert isinstance(right, Compare)
    sum_part = compile_part(right.left, ENV_TEXT, env)
    assert sum_part.type is Number
    ctx = EvalContext(Model(count=4), date(2025, 1, 1), Calendar.default())
    assert sum_part.fn(ctx) == 5
    assert sum_part.facts == {"count"}
    missing = sum_part.fn(EvalContext(Model(), date(2025, 1, 1)))
    assert isinstance(missing, Unknown)
    assert missing.missing == {"count"}


def test_a_part_inside_a_quantifier_reads_the_item_from_the_frame() -> None:
    node = parse_expression(ENV_TEXT)
    env = _env()
    quantifier = node.operands[0]  # type: ignore[attr-defined]
    assert isinstance(quantifier, Quantifier)
    body = quantifier.body
    amount = body.operands[0].left  # type: ignore[attr-defined]
    part = compile_part(amount, ENV_TEXT, env, within=(quantifier.var, quantifier.source))
    assert part.type is Number
    assert part.facts == {"lines", "lines.amount"}
    model = Model(lines=[Line(amount=Decimal(7)), Line()])
    ctx = EvalContext(model, date(2025, 1, 1))
    ctx.frame.extend([model.lines[0], 0])  # type: ignore[index]
    assert part.fn(ctx) == 7
    ctx.frame[0], ctx.frame[1] = model.lines[1], 1  # type: ignore[index]
    value = part.fn(ctx)
    assert isinstance(value, Unknown)
    assert value.missing == {"lines[1].amount"}
    whole = compile_part(body, ENV_TEXT, env, within=(quantifier.var, quantifier.source))
    assert whole.type is Bool
    ctx.frame[0], ctx.frame[1] = Line(amount=Decimal(6), note="n"), 0
    assert whole.fn(ctx) is True


def test_a_part_with_a_type_error_is_refused() -> None:
    text = "count + name"
    with pytest.raises(ExpressionError) as err:
        compile_part(parse_expression(text), text, _env())
    assert err.value.code == "expr-type"


# -- the names a derived fact may take ----------------------------------------------------------


@pytest.mark.parametrize(("name", "code", "message", "hint"), [
    ("count", "expr-name-clash", "derived fact 'count' has the name of a snapshot field",
     "choose another name"),
    ("as_of", "expr-name-clash", "'as_of' is the evaluation date", "choose another name"),
    ("and", "expr-syntax", "'and' cannot name a derived fact",
     "use ASCII letters, digits and '_', not a keyword"),
    ("2x", "expr-syntax", "'2x' cannot name a derived fact",
     "use ASCII letters, digits and '_', not a keyword"),
    ("größe", "expr-syntax", "'größe' cannot name a derived fact",
     "use ASCII letters, digits and '_', not a keyword"),
])
def test_a_derived_fact_name_is_checked(name: str, code: str, message: str, hint: str) -> None:
    env = _env()
    compiled = compile_expression("count + 1", env, expect=None)
    with pytest.raises(ExpressionError) as err:
        env.with_derived(name, compiled)
    (diagnostic,) = err.value.diagnostics
    assert (diagnostic.code, diagnostic.message, diagnostic.hint) == (code, message, hint)
    with pytest.raises(ExpressionError) as err:
        Env(env.root, {name: env.with_derived("ok_name", compiled).derived["ok_name"]})
    assert err.value.diagnostics[0].code == code


def test_a_derived_fact_defined_twice() -> None:
    env = _env()
    compiled = compile_expression("count + 1", env, expect=None)
    once = env.with_derived("next_count", compiled)
    with pytest.raises(ExpressionError) as err:
        once.with_derived("next_count", compiled)
    (diagnostic,) = err.value.diagnostics
    assert (diagnostic.code, diagnostic.message) == (
        "expr-name-clash", "derived fact 'next_count' is defined twice")
    assert once.names[-1] == "as_of"
    assert "next_count" in once.names
    assert "next_count" not in env.names
    assert once.functions is env.functions


@pytest.mark.parametrize(("text", "want"), [
    ("count / 2 / 4 == 0.625", True),       # 5 / 2 / 4: a chain of three operands
    ("count / 0 / 4 > 0", None),            # a division by zero inside the chain: no value
    ("count * 2 / 4 == 2.5", True),
    ("count / 2 / 4 + 1 == 1.625", True),
])
def test_chained_division_is_exact_and_unknown_by_zero(text: str, want: bool | None) -> None:
    value = compile_expression(text, _env()).fn(EvalContext(Model(count=5), date(2025, 1, 1)))
    if want is None:
        assert isinstance(value, Unknown)
        assert value.missing == frozenset()
    else:
        assert value is want
