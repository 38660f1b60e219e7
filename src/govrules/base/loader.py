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

from govrules.base._json import JsonValueError, decode_json
from govrules.base.errors import Diagnostic, InputError
from govrules.base.files import MAX_DOCUMENT_BYTES, encoding_error, open_regular, read_bounded
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
        raise ValueError(f"{text!r} is not a date written YYYY-MM-DD / 日期须写作 YYYY-MM-DD")
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a date: {exc} / 不是有效日期") from None
    check_year(day)
    return day


def check_year(day: date) -> None:
    """Raise :class:`ValueError` for a date outside :data:`FIRST_YEAR`..:data:`LAST_YEAR`."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"{day.isoformat()} is outside the years {FIRST_YEAR} to {LAST_YEAR} "
                         f"/ 日期须在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间")


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


MAX_NESTING = 200
"""Deepest nesting of mappings and lists a document may have (real ones stay under 10)."""
_TOO_DEEP = "nested too deeply"
_PLAIN_TAGS = frozenset(f"tag:yaml.org,2002:{name}" for name in (
    "str", "int", "float", "bool", "null", "timestamp"))
_CONTAINER_TAGS = frozenset(("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"))


class _StrictLoader(yaml.SafeLoader):
    """Private SafeLoader subclass: the global loader is never modified.

    It counts nesting while composing, so a too-deep document is refused at the place
    where it goes too deep, before Python's recursion limit is reached.
    """

    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self.depth += 1
        try:
            if self.depth > MAX_NESTING:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(None, None, _TOO_DEEP, event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


_CParser: Any = getattr(yaml.cyaml, "CParser", None) if yaml.__with_libyaml__ else None
"""libyaml's parser when PyYAML was built with it, else None (the pure-Python one)."""
"""libyaml's parser when PyYAML was built with it (``yaml.__with_libyaml__``)."""

if _CParser is not None:

    class _FastStrictLoader(yaml.composer.Composer, _CParser,  # type: ignore[misc]
                            yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """libyaml scans and parses (in C); composing stays in Python, as in
        :class:`_StrictLoader`, so nesting is counted the same way, nodes carry the same
        marks (line and column in characters) and the strict builder sees the same tree.
        """

        depth = 0

        def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
            self.depth += 1
            try:
                if self.depth > MAX_NESTING:
                    event: Any = self.peek_event()
                    raise yaml.composer.ComposerError(None, None, _TOO_DEEP,
                                                      event.start_mark)
                return yaml.composer.Composer.compose_node(self, parent, index)
            finally:
                self.depth -= 1

        def __init__(self, text: str) -> None:
            _CParser.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self.buffer = text


def _compose(text: str) -> tuple[Any, yaml.Node | None]:
    """Compose ``text`` into a node tree; the loader is returned for the builder.

    Only valid documents take libyaml's path: any problem it meets is reported by the
    pure-Python parser, whose messages and places the diagnostics are written for.
    """
    yaml.reader.Reader(text)  # every character allowed, else a ReaderError
    if _CParser is not None:
        fast = _FastStrictLoader(text)
        try:
            return fast, fast.get_single_node()
        except (yaml.YAMLError, RecursionError):
            pass
        finally:
            fast.dispose()
    loader = _StrictLoader(text)
    try:
        return loader, loader.get_single_node()
    finally:
        loader.dispose()


def _mark_span(file: str | None, mark: yaml.Mark) -> Span:
    return Span(file, mark.line + 1, mark.column + 1)


def line_col(text: str, pos: int) -> tuple[int, int]:
    """1-based line and column of character ``pos`` of ``text``."""
    line = text.count("\n", 0, pos) + 1
    return line, pos - text.rfind("\n", 0, pos)


def _yaml_error(file: str | None, exc: yaml.YAMLError, text: str = "") -> InputError:
    if isinstance(exc, yaml.reader.ReaderError):
        # A character YAML does not allow (NUL, BEL, ESC, a vertical tab...): PyYAML
        # reports its offset in the text, not a mark.
        line, col = line_col(text, exc.position) if text else (None, None)
        return InputError(Diagnostic(
            "yaml-character", f"character U+{exc.character:04X} is not allowed in YAML "
            f"/ YAML 中不允许字符 U+{exc.character:04X}" if isinstance(exc.character, int)
            else f"a character is not allowed in YAML: {exc.reason}",
            Span(file, line, col), hint="remove control characters pasted from other documents"))
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    span = _mark_span(file, mark) if mark is not None else Span(file)
    problem = getattr(exc, "problem", None) or str(exc)
    if problem == _TOO_DEEP:
        return InputError(Diagnostic("yaml-too-deep", f"YAML nesting is deeper than "
                                     f"{MAX_NESTING} / YAML 嵌套超过 {MAX_NESTING} 层", span))
    if "constructor for the tag" in problem:
        return InputError(Diagnostic("yaml-tag", f"tag not allowed: {problem}", span,
                                     hint="only plain YAML values are accepted"))
    hint = None
    if "mapping values are not allowed" in problem:
        hint = ("a value that contains ': ' must be quoted: put the whole text in quotes, "
                "e.g. summary: \"Scope: ...\"")
    elif "found character '\\t'" in problem:
        hint = "indent with spaces, not tabs"
    return InputError(Diagnostic("yaml-syntax", f"not valid YAML: {problem}", span, hint=hint))


class _Builder:
    """Turns a composed node tree into plain Python values, recording spans."""

    def __init__(self, loader: Any, file: str | None) -> None:
        self.loader = loader
        self.file = file
        self.spans: dict[Loc, Span] = {}
        self.scalars: dict[Loc, Scalar] = {}
        self.problems: list[Diagnostic] = []
        self.seen: set[int] = set()

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        span = _mark_span(self.file, node.start_mark)
        self.spans[loc] = span
        if id(node) in self.seen:
            # PyYAML resolves an alias to the very node its anchor names: a node met
            # twice is an alias. Refused, which also rules out "billion laughs" inputs.
            self.problems.append(
                Diagnostic("yaml-alias", "anchors and aliases are not allowed", span,
                           hint="write the value out in full")
            )
            return None
        self.seen.add(id(node))
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _CONTAINER_TAGS:
            self.problems.append(Diagnostic(
                "yaml-tag", f"tag {node.tag} is not allowed / 不允许使用标签 {node.tag}", span,
                hint="only plain YAML values are accepted"))
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
                    Diagnostic("yaml-merge-key", "merge keys (<<) are not allowed",
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
                    Diagnostic("yaml-key", "mapping keys must be plain strings",
                               _mark_span(self.file, key_node.start_mark))
                )
                continue
            key = str(key)
            if key in out:
                first = self.spans.get((*loc, key))
                self.problems.append(
                    Diagnostic(
                        "yaml-duplicate-key",
                        f"duplicate key {key!r}",
                        _mark_span(self.file, key_node.start_mark),
                        hint=f"first defined at line {first.line}" if first else None,
                    )
                )
                continue
            out[key] = self.build(value_node, (*loc, key))
        return out

    def _scalar(self, node: yaml.ScalarNode, loc: Loc | None, span: Span | None) -> Any:
        if node.tag not in _PLAIN_TAGS:  # custom tags, !!binary, !!python/...: refused
            self.problems.append(
                Diagnostic("yaml-tag", f"tag {node.tag} is not allowed / 不允许使用标签 "
                           f"{node.tag}", _mark_span(self.file, node.start_mark),
                           hint="only plain YAML values are accepted")
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
                "yaml-value", f"invalid value {node.value!r}: {exc}",
                _mark_span(self.file, node.start_mark), hint="dates are YYYY-MM-DD"))
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

    def _block_lines(self, line: int, end_line: int) -> tuple[tuple[int, int, str], ...]:
        buffer: str = self.loader.buffer if isinstance(self.loader.buffer, str) else ""
        lines = buffer.split("\n")
        out: list[tuple[int, int, str]] = []
        for idx in range(line, min(end_line + 1, len(lines))):
            text = lines[idx].rstrip("\r\0")
            if text.strip():
                out.append((idx + 1, len(text) - len(text.lstrip(" ")) + 1, text.strip()))
        return tuple(out)

    def _block_indent(self, line: int, end_line: int) -> int:
        buffer: str = self.loader.buffer if isinstance(self.loader.buffer, str) else ""
        lines = buffer.split("\n")
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
            Diagnostic("input-too-large", f"document is larger than {MAX_DOCUMENT_BYTES} bytes",
                       Span(file), hint="split it into several files")
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
        loader, node = _compose(text)
    except yaml.YAMLError as exc:
        raise _yaml_error(file, exc, text) from None
    except RecursionError:  # pragma: no cover - MAX_NESTING stops composing long before
        raise InputError(
            Diagnostic("yaml-too-deep", "YAML nesting is too deep", Span(file))
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
