"""Reading snapshots: every validation problem becomes one coded diagnostic.

Codes: ``snapshot-unknown-field`` (with a did-you-mean), ``snapshot-type`` (the value is
not of the expected kind), ``snapshot-value`` (right kind, value not allowed),
``snapshot-conflict`` (``<act>: false`` next to ``<act>_on``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from govrules.base import diagnose as validation
from govrules.base.diagnose import EXPECTED_KIND, did_you_mean
from govrules.base.errors import Diagnostic, SnapshotError
from govrules.base.i18n import _
from govrules.base.loader import Document, Span, format_path, load_document
from govrules.model.snapshot.base import show_value
from govrules.model.snapshot.model import Snapshot

__all__ = ["load_snapshot", "model_at", "parse_snapshot"]

_LIMITS: dict[str, str] = {
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "string_too_short": "must not be empty",
}
"""Range errors, phrased for analysts (``ctx`` supplies the limit)."""

_OWN_TYPE_ERRORS = frozenset({"date_format", "money_parsing", "number_parsing",
                              "quarter_parsing"})
"""Error types raised by the snapshot's own validators; their message is already clear."""


def parse_snapshot(
    data: object,
    *,
    document: Document | None = None,
    file: str | None = None,
    base: Sequence[str | int] = (),
    model: type[Snapshot] = Snapshot,
) -> Snapshot:
    """Validate ``data`` (a mapping) into a :class:`Snapshot`.

    Every problem is collected into one :class:`SnapshotError`, one diagnostic each,
    placed at ``line:col`` when ``document`` (as returned by
    :func:`govrules.base.loader.load_document`) has positions, else by field path. ``base``
    is where the snapshot sits inside ``document`` (a pack's example, a test case).
    ``model`` is the snapshot model to read with: a pack that declares facts of its own
    has one (``pack.snapshot_model``); its facts, and only those, are accepted besides
    the built-in ones.
    """
    if isinstance(data, model):
        return data
    file = document.file if document is not None and file is None else file
    if not isinstance(data, Mapping):
        what = "the document is empty" if data is None else f"got {show_value(data)}"
        raise SnapshotError(Diagnostic(
            "snapshot-type", f"a snapshot must be a mapping of fields, {what}",
            _span(document, tuple(base), file),
            hint="start with fields such as `id:` and `city:`"))
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
    raise SnapshotError([_diagnostic(err, document, file, tuple(base), model)
                         for err in errors])


def load_snapshot(path: str | Path, *, model: type[Snapshot] = Snapshot) -> Snapshot:
    """Read a snapshot from a YAML or JSON file (see :func:`parse_snapshot`)."""
    document = load_document(path)
    return parse_snapshot(document.data, document=document, model=model)


def model_at(loc: Sequence[str | int],
             model: type[Snapshot] = Snapshot) -> type[BaseModel] | None:
    """The snapshot model that holds the fields at ``loc`` (``()`` is :class:`Snapshot`)."""
    return validation.model_at(model, loc)


def _span(document: Document | None, loc: Sequence[str | int], file: str | None) -> Span:
    # A JSON document records only its root position; a line 1 for every error would
    # mislead, so those diagnostics carry the file and the field path instead.
    if document is None or len(document.spans) <= 1:
        return Span(file)
    return document.span_of(loc)


def _diagnostic(err: ErrorDetails, document: Document | None, file: str | None,
                base: tuple[str | int, ...] = (),
                root: type[Snapshot] = Snapshot) -> Diagnostic:
    loc = tuple(err["loc"])
    kind = err["type"]
    got = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_field(loc, document, file, base, root)
    if kind == "flag_contradicts_date":
        code, message, hint = "snapshot-conflict", err["msg"], None
    elif kind in _OWN_TYPE_ERRORS:
        code, message, hint = "snapshot-type", err["msg"], None
    elif kind in EXPECTED_KIND:
        code, message, hint = "snapshot-type", _("{expected}, got {value}").format(
            expected=_(EXPECTED_KIND[kind]), value=show_value(got)), None
    elif kind == "literal_error":
        code = "snapshot-value" if isinstance(got, str | int) else "snapshot-type"
        message = f"expected one of {ctx.get('expected')}, got {show_value(got)}"
        hint = _suggest(got, re.findall(r"'([^']*)'", str(ctx.get("expected", ""))))
    elif kind in _LIMITS:
        code, hint = "snapshot-value", None
        message = _LIMITS[kind].format(**ctx) + f", got {show_value(got)}"
    elif kind == "string_pattern_mismatch" and loc == ("city",):
        code, hint = "snapshot-value", None
        message = (f"expected a pack id such as 'guiyang' (lower-case letters, digits, _ and -), "
                   f"got {show_value(got)}")
    else:
        text = err["msg"].removeprefix("Value error, ")
        code, message, hint = "snapshot-value", f"{text}, got {show_value(got)}", None
    path = format_path(loc) or None
    return Diagnostic(code, message, _span(document, (*base, *loc), file), path=path, hint=hint)


def _unknown_field(loc: tuple[str | int, ...], document: Document | None,
                   file: str | None, base: tuple[str | int, ...] = (),
                   root: type[Snapshot] = Snapshot) -> Diagnostic:
    name = str(loc[-1])
    parent = loc[:-1]
    model = model_at(parent, root)
    known = list(model.model_fields) if model is not None else []
    where = format_path(parent) or _("the snapshot")
    hint = _suggest(name, known)
    if hint is None:
        hint = _("see docs/snapshot.md for the fields of {where}").format(where=where)
    return Diagnostic("snapshot-unknown-field", _("unknown field {name!r} in {where}").format(
        name=name, where=where),
                      _span(document, (*base, *loc), file), path=format_path(loc), hint=hint)


def _suggest(got: object, choices: list[str]) -> str | None:
    return did_you_mean(got, choices) if isinstance(got, str) and choices else None
