"""Turn pydantic validation errors into govrules diagnostics with places and hints.

Used for every document validated against a model (packs, snapshots, test files), so
that all of them report the same way: the field path, the line and column where the
document has them, what was expected, and a did-you-mean for misspelt keys.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from govrules.base.errors import Diagnostic
from govrules.base.i18n import N_, _
from govrules.base.loader import Document, Loc, Span, format_path

__all__ = ["EXPECTED_KIND", "diagnostics_from_validation", "did_you_mean", "model_at"]

EXPECTED_KIND: dict[str, str] = {
    "bool_type": N_("expected true or false"),
    "bool_parsing": N_("expected true or false"),
    "int_type": N_("expected a whole number"),
    "int_parsing": N_("expected a whole number"),
    "int_from_float": N_("expected a whole number"),
    "decimal_parsing": N_("expected a number"),
    "decimal_type": N_("expected a number"),
    "date_type": N_("expected a date (YYYY-MM-DD)"),
    "date_parsing": N_("expected a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("expected a date (YYYY-MM-DD)"),
    "date_from_datetime_inexact": N_("expected a date (YYYY-MM-DD)"),
    "string_type": N_("expected text"),
    "list_type": N_("expected a list"),
    "dict_type": N_("expected a mapping of keys to values"),
    "model_type": N_("expected a mapping of keys to values"),
    "model_attributes_type": N_("expected a mapping of keys to values"),
    "invalid_key": N_("expected a field name (text)"),
}
"""pydantic error types that mean "wrong kind of value", with what was expected (marked
for the catalog: translate with ``_`` where shown)."""


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """``did you mean 'x'?`` for the closest candidate, or None when none is close (the
    one did-you-mean: documents, packs, snapshots and conditions all use it)."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return _("did you mean {name!r}?").format(name=matches[0]) if matches else None


def model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class reached by following the field names of ``loc`` from ``model``."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _unwrap(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _unwrap(annotation: Any) -> Any:
    """Strip Optional / list / dict / Annotated down to the model inside, if any."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _unwrap(arg)
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
        return None
    if origin in (list, tuple, set, frozenset):
        return _unwrap(typing.get_args(annotation)[0])
    if origin is dict:
        return _unwrap(typing.get_args(annotation)[1])
    return annotation


def _clean_loc(loc: tuple[Any, ...]) -> Loc:
    """Drop pydantic's internal loc parts (union branches, function validators)."""
    out: list[str | int] = []
    for part in loc:
        internal = isinstance(part, str) and (
            part.startswith(("function-", "lax-", "json-")) or "[" in part)
        if isinstance(part, int | str) and not internal:
            out.append(part)
    return tuple(out)


def diagnostics_from_validation(
    exc: ValidationError,
    model: type[BaseModel],
    *,
    document: Document | None,
    file: str | None,
    prefix: str,
    base: Loc = (),
) -> list[Diagnostic]:
    """One diagnostic per pydantic error; codes are ``<prefix>-unknown-field`` etc."""
    out: list[Diagnostic] = []
    for err in exc.errors(include_url=False):
        loc = _clean_loc(err["loc"])
        full = (*base, *loc)
        span = document.span_of(full) if document is not None else Span(file)
        path = format_path(loc) or "(top level)"
        kind = err["type"]
        if kind == "extra_forbidden":
            owner = model_at(model, loc[:-1])
            key = str(loc[-1]) if loc else ""
            hint = did_you_mean(key, owner.model_fields) if owner else None
            allowed = ", ".join(sorted(owner.model_fields)) if owner else ""
            out.append(Diagnostic(f"{prefix}-unknown-field", _("unknown field {key!r}").format(
                key=key), span, path, hint or (_("allowed: {fields}").format(fields=allowed)
                                               if allowed else None)))
        elif kind == "missing":
            name = str(loc[-1]) if loc else "?"
            where = format_path(loc[:-1])
            text = (_("missing field {name!r} in {where}") if where else
                    _("missing field {name!r}"))
            out.append(Diagnostic(f"{prefix}-missing-field", text.format(name=name, where=where),
                                  span, path))
        elif kind == "literal_error":
            expected = err.get("ctx", {}).get("expected", "")
            given = err.get("input")
            choices = [c.strip().strip("'") for c in str(expected).replace(" or ", ",").split(",")]
            hint = did_you_mean(str(given), choices) if isinstance(given, str) else None
            out.append(Diagnostic(f"{prefix}-value", _(
                "{given!r} is not allowed: expected {expected}").format(
                given=given, expected=expected), span, path, hint))
        elif kind in EXPECTED_KIND:
            out.append(Diagnostic(f"{prefix}-type", _("{expected}, got {value}").format(
                expected=_(EXPECTED_KIND[kind]), value=_describe(err.get("input"))), span,
                path))
        else:
            message = err["msg"].removeprefix("Value error, ")
            out.append(Diagnostic(f"{prefix}-invalid", message, span, path))
    return out


def _describe(value: Any) -> str:
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return _("text {value!r}").format(value=shown)
    if isinstance(value, bool):
        return str(value).lower()
    if value is None:
        return "null"
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    return repr(value)
