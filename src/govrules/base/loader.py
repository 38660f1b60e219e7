"""Source positions and the strict document loader.

Every YAML document govrules reads (packs, snapshots, calendars, test files) goes
through :func:`load_document`: safe scalars only, no aliases, no duplicate keys, a size
limit, and a table from each value's path to its line and column, so that a later
validation error on ``rules[3].violated_when`` can still say ``guiyang.yaml:41:17``.
JSON documents are read with :mod:`json` (faster, exact) and keep line and column for
syntax errors only.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from govrules.base._compose import MAX_NESTING, TOO_DEEP, compose
from govrules.base._json import JsonValueError, decode_json
from govrules.base.errors import Diagnostic, InputError
from govrules.base.files import MAX_DOCUMENT_BYTES, encoding_error, open_regular, read_bounded
from govrules.base.i18n import N_, _
from govrules.base.location import Span

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "MAX_DOCUMENT_BYTES",
    "Document",
    "JsonValueError",
    "Loc",
    "Span",
    "check_year",
    "decode_json",
    "encoding_error",
    "format_path",
    "iso_day",
    "line_col",
    "load_document",
    "open_regular",
    "parse_document",
    "read_bounded",
]

Loc = tuple[str | int, ...]
"""A path inside a document: mapping keys and list indexes, as pydantic reports them."""


FIRST_YEAR, LAST_YEAR = 1900, 2999
"""Years a date in a snapshot or on the command line may have: every deadline and
reporting period computed from such a date stays within Python's calendar."""
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def iso_day(text: str) -> date:
    """The date written ``YYYY-MM-DD`` (nothing else: not ``20251120``, not
    ``2025-W47-4``), in the years :data:`FIRST_YEAR` to :data:`LAST_YEAR`; raise
    :class:`ValueError` with the reason.

    >>> iso_day("2025-11-20")
    datetime.date(2025, 11, 20)
    """
    if not _ISO_DAY.fullmatch(text):
        raise ValueError(_("{text!r} is not a date written YYYY-MM-DD").format(text=text))
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(_("{text!r} is not a date: {reason}").format(
            text=text, reason=exc)) from None
    check_year(day)
    return day


def check_year(day: date) -> None:
    """Raise :class:`ValueError` for a date outside :data:`FIRST_YEAR`..:data:`LAST_YEAR`."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(_("{day} is outside the years {first} to {last}").format(
            day=day.isoformat(), first=FIRST_YEAR, last=LAST_YEAR))


def format_path(loc: Loc) -> str:
    """``("rules", 3, "id")`` -> ``rules[3].id``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Scalar:
    """Where a string scalar sits, so an expression's offset maps to line and column."""

    span: Span
    text_start: Span
    block_col: int | None
    lines: tuple[tuple[int, int, str], ...] = ()
    """A block scalar's content lines: (line, column, text), to place offsets in folded
    (``>``) text, whose line breaks became spaces."""


@dataclass
class Document:
    """A loaded document: its data, and where each value came from."""

    data: Any
    file: str | None
    spans: dict[Loc, Span] = field(default_factory=dict)
    scalars: dict[Loc, Scalar] = field(default_factory=dict)
    sha256: str = ""
    """Hash of the source bytes: reports cite it, so a result can be replayed."""

    def span_of(self, loc: Sequence[str | int]) -> Span:
        """The span of the value at ``loc``, or of its nearest ancestor that has one."""
        key: Loc = tuple(loc)
        while key:
            found = self.spans.get(key)
            if found is not None:
                return found
            key = key[:-1]
        return self.spans.get((), Span(self.file, 1, 1) if self.spans else Span(self.file))

    def text_span(self, loc: Sequence[str | int], offset: int) -> Span:
        """The span of character ``offset`` inside the string scalar at ``loc``."""
        scalar = self.scalars.get(tuple(loc))
        if scalar is None:
            return self.span_of(loc)
        value = _get(self.data, tuple(loc))
        text = value if isinstance(value, str) else ""
        if scalar.lines:
            pos = 0
            for line, col, content in scalar.lines:
                found = text.find(content, pos)
                if found < 0:
                    break
                if offset < found + len(content) or line == scalar.lines[-1][0]:
                    return Span(scalar.span.file, line, col + max(0, offset - found))
                pos = found + len(content)
        return scalar.text_start.shifted(text, offset, base_col=scalar.block_col)


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in (
    "str", "int", "float", "bool", "null", "timestamp"))
_CONTAINER_TAGS = frozenset(("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"))


def _mark_span(file: str | None, mark: yaml.Mark) -> Span:
    return Span(file, mark.line + 1, mark.column + 1)


def line_col(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of character ``pos`` of ``text``."""
    line = text.count("\n", 0, pos) + 1
    return line, pos - text.rfind("\n", 0, pos)


_PLAIN_ONLY = N_("only plain YAML values are accepted")
_TAG_REFUSED = N_("tag {tag} is not allowed")


def _yaml_error(file: str | None, exc: yaml.YAMLError, text: str = "") -> InputError:

    if isinstance(exc, yaml.reader.ReaderError):
        # A character YAML does not allow (NUL, BEL, ESC, a vertical tab...): PyYAML
        # reports its offset in the text, not a mark.
        line, col = line_col(text, exc.position) if text else (None, None)
        return InputError(Diagnostic(
            "yaml-character", _("character {code} is not allowed in YAML").format(
                code=f"U+{exc.character:04X}") if isinstance(exc.character, int)
            else _("a character is not allowed in YAML: {reason}").format(reason=exc.reason),
            Span(file, line, col),
            hint=_("remove control characters pasted from other documents")))
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    span = _mark_span(file, mark) if mark is not None else Span(file)
    problem = getattr(exc, "problem", None) or str(exc)
    if problem == TOO_DEEP:
        return InputError(Diagnostic("yaml-too-deep", _(
            "YAML nesting is deeper than {limit}").format(limit=MAX_NESTING), span))
    if "constructor for the tag" in problem:
        return InputError(Diagnostic("yaml-tag", _("tag not allowed: {problem}").format(
            problem=problem), span, hint=_(_PLAIN_ONLY)))
    hint = None
    if "mapping values are not allowed" in problem:
        hint = _("a value that contains ': ' must be quoted: put the whole text in quotes, "
                 "e.g. summary: \"Scope: ...\"")
    elif "found character '\\t'" in problem:
        hint = _("indent with spaces, not tabs")
    return InputError(Diagnostic("yaml-syntax", _("not valid YAML: {problem}").format(
        problem=problem), span, hint=hint))


class _Builder:
    """Turns a composed node tree into plain Python values, recording spans."""

    def __init__(self, loader: Any, file: str | None) -> None:
        self.loader = loader
        self.file = file
        self.spans: dict[Loc, Span] = {}
        self.scalars: dict[Loc, Scalar] = {}
        self.problems: list[Diagnostic] = []
        self.seen: set[int] = set()
        self.source_lines: list[str] | None = None

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        span = _mark_span(self.file, node.start_mark)
        self.spans[loc] = span
        if id(node) in self.seen:
            # PyYAML resolves an alias to the very node its anchor names: a node met
            # twice is an alias. Refused, which also rules out "billion laughs" inputs.
            self.problems.append(
                Diagnostic("yaml-alias", _("anchors and aliases are not allowed"), span,
                           hint=_("write the value out in full"))
            )
            return None
        self.seen.add(id(node))
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _CONTAINER_TAGS:
            self.problems.append(Diagnostic(
                "yaml-tag", _(_TAG_REFUSED).format(tag=node.tag), span, hint=_(_PLAIN_ONLY)))
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, (*loc, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, loc, span)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    Diagnostic("yaml-merge-key", _("merge keys (<<) are not allowed"),
                               _mark_span(self.file, key_node.start_mark))
                )
                continue
            key = (self._scalar(key_node, None, None)
                   if isinstance(key_node, yaml.ScalarNode) else None)
            if isinstance(key, bool) and not key_node.style:  # plain: None, or "" from libyaml
                # A key is a name: `on:`, `yes:` or `no:` is the word, as YAML 1.2 (and
                # every editor) reads it, never YAML 1.1's boolean.
                key = key_node.value
            if not isinstance(key, str | int):
                self.problems.append(
                    Diagnostic("yaml-key", _("mapping keys must be plain strings"),
                               _mark_span(self.file, key_node.start_mark))
                )
                continue
            key = str(key)
            if key in out:
                first = self.spans.get((*loc, key))
                self.problems.append(
                    Diagnostic(
                        "yaml-duplicate-key",
                        _("duplicate key {key!r}").format(key=key),
                        _mark_span(self.file, key_node.start_mark),
                        hint=_("first defined at line {line}").format(line=first.line)
                        if first else None,
                    )
                )
                continue
            out[key] = self.build(value_node, (*loc, key))
        return out

    def _scalar(self, node: yaml.ScalarNode, loc: Loc | None, span: Span | None) -> Any:
        if node.tag not in _PLAIN_TAGS:  # custom tags, !!binary, !!python/...: refused
            self.problems.append(
                Diagnostic("yaml-tag", _(_TAG_REFUSED).format(tag=node.tag),
                           _mark_span(self.file, node.start_mark), hint=_(_PLAIN_ONLY))
            )
            return None
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            self.problems.append(_yaml_error(self.file, exc).diagnostics[0])
            return None
        except ValueError as exc:
            # An impossible date such as 2025-13-01 matches the timestamp pattern but
            # fails to construct: report it where it is.
            self.problems.append(Diagnostic(
                "yaml-value", _("invalid value {value!r}: {reason}").format(
                    value=node.value, reason=exc),
                _mark_span(self.file, node.start_mark), hint=_("dates are YYYY-MM-DD")))
            return None
        if loc is not None and span is not None and isinstance(value, str):
            self.scalars[loc] = self._scalar_position(node, span)
        return value

    def _scalar_position(self, node: yaml.ScalarNode, span: Span) -> Scalar:
        style = node.style
        if style in ("|", ">"):
            # Block scalar: the text starts on the next line, at the block's indentation.
            end_line = node.end_mark.line
            text_line = span.line + 1 if span.line is not None else None
            indent = self._block_indent(node.start_mark.line + 1, end_line)
            return Scalar(span, Span(span.file, text_line, indent), indent,
                          self._block_lines(node.start_mark.line + 1, end_line))
        if style in ("'", '"'):
            return Scalar(span, Span(span.file, span.line, (span.col or 1) + 1), None)
        return Scalar(span, span, None)

    def _lines(self) -> list[str]:
        """The source's lines, split once per document (block scalars look them up)."""
        if self.source_lines is None:
            buffer = self.loader.buffer if isinstance(self.loader.buffer, str) else ""
            self.source_lines = buffer.split("\n")
        return self.source_lines

    def _block_lines(self, line: int, end_line: int) -> tuple[tuple[int, int, str], ...]:
        lines = self._lines()
        out: list[tuple[int, int, str]] = []
        for idx in range(line, min(end_line + 1, len(lines))):
            text = lines[idx].rstrip("\r\0")
            if text.strip():
                out.append((idx + 1, len(text) - len(text.lstrip(" ")) + 1, text.strip()))
        return tuple(out)

    def _block_indent(self, line: int, end_line: int) -> int:
        lines = self._lines()
        for idx in range(line, min(end_line + 1, len(lines))):
            text = lines[idx]
            if text.strip():
                return len(text) - len(text.lstrip(" ")) + 1
        return 1


def parse_document(text: str, file: str | None = None, *, fmt: str = "yaml",
                   sha256: str | None = None) -> Document:
    """Parse YAML or JSON text strictly; raise :class:`InputError` with places.

    ``sha256`` is the hash of the source bytes (default: of ``text`` in UTF-8)."""
    digest = sha256 or hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    if len(text.encode("utf-8", "surrogatepass")) > MAX_DOCUMENT_BYTES:
        raise InputError(
            Diagnostic("input-too-large", _("document is larger than {limit} bytes").format(
                limit=MAX_DOCUMENT_BYTES), Span(file), hint=_("split it into several files"))
        )
    if fmt == "json":
        try:
            data, _end = decode_json(text)
        except JsonValueError as problem:
            line, col = line_col(text, problem.pos)
            raise InputError(Diagnostic(problem.code, problem.message,
                                        Span(file, line, col))) from None
        return Document(data, file, {(): Span(file, 1, 1)}, sha256=digest)
    try:
        loader, node = compose(text)
    except yaml.YAMLError as exc:
        raise _yaml_error(file, exc, text) from None
    except RecursionError:  # pragma: no cover - MAX_NESTING stops composing long before
        raise InputError(
            Diagnostic("yaml-too-deep", _("YAML nesting is too deep"), Span(file))
        ) from None
    if node is None:
        return Document(None, file, {(): Span(file, 1, 1)}, sha256=digest)
    builder = _Builder(loader, file)
    data = builder.build(node, ())
    if builder.problems:
        raise InputError(builder.problems)
    return Document(data, file, builder.spans, builder.scalars, sha256=digest)


def load_document(path: str | Path) -> Document:
    """Read a ``.yaml``/``.yml``/``.json`` file; errors name the file."""
    file = str(path)
    raw = read_bounded(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise encoding_error(file, raw, exc) from None
    fmt = "json" if file.lower().endswith(".json") else "yaml"
    return parse_document(text, file, fmt=fmt, sha256=hashlib.sha256(raw).hexdigest())
