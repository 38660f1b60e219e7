"""The condition language: parse, type-check and compile conditions once; run them often.

>>> from datetime import date
>>> from pydantic import BaseModel
>>> class Budget(BaseModel):
...     original: int | None = None
...     current: int | None = None
>>> class Project(BaseModel):
...     budget: Budget | None = None
>>> env = Env(type_from_model(Project))
>>> rule = compile_expression("budget.current > budget.original * 110%", env)
>>> rule.fn(EvalContext(Project(budget=Budget(original=100, current=120)), date(2025, 1, 1)))
True
>>> rule.fn(EvalContext(Project(budget=Budget(original=100)), date(2025, 1, 1)))
Unknown(['budget.current'])
"""

from govrules.lang._compiler import compile_expression, parse_expression
from govrules.lang._env import Compiled, DerivedFact, Env
from govrules.lang._explain import explain
from govrules.lang._functions import BUILTINS, FUNCTIONS, Function, FunctionTable, function_names
from govrules.lang._names import is_fact_path
from govrules.lang._nodes import Node, free_names
from govrules.lang._runtime import (
    EvalContext,
    Unknown,
    kleene_and,
    kleene_not,
    kleene_or,
    summarise_missing,
)
from govrules.lang._types import (
    Bool,
    Date,
    ListOf,
    Number,
    Object,
    QuarterT,
    Span,
    String,
    Type,
    is_report_list,
    type_from_model,
)

__all__ = [
    "BUILTINS",
    "FUNCTIONS",
    "Bool",
    "Compiled",
    "Date",
    "DerivedFact",
    "Env",
    "EvalContext",
    "Function",
    "FunctionTable",
    "ListOf",
    "Node",
    "Number",
    "Object",
    "QuarterT",
    "Span",
    "String",
    "Type",
    "Unknown",
    "compile_expression",
    "explain",
    "free_names",
    "function_names",
    "is_fact_path",
    "is_report_list",
    "kleene_and",
    "kleene_not",
    "kleene_or",
    "parse_expression",
    "summarise_missing",
    "type_from_model",
]
