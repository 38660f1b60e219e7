"""Tracing an evaluation: each part of a condition with the value it took."""

from __future__ import annotations

from govrules.lang._compiler import _Builder
from govrules.lang._env import Compiled
from govrules.lang._runtime import EvalContext

__all__ = ["explain"]


def explain(compiled: Compiled, ctx: EvalContext) -> list[tuple[str, object]]:
    """Evaluate again, listing ``(source text, value)`` of each part in evaluation order.

    Parts skipped by short-circuiting are not listed; parts inside a quantifier are
    listed once per item. Literals are left out.
    """
    if compiled.env is None:
        raise ValueError("this condition was compiled without an environment")
    traced = _Builder(compiled.env, compiled.text, trace=True).compile(compiled.node, None, None)
    saved, ctx.trace = ctx.trace, []
    steps = ctx.trace
    try:
        traced.fn(ctx)
    finally:
        ctx.trace = saved
    return steps
