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
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from govrules.errors import Diagnostic, InputError
from govrules.location import Span

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "Document",
    "Loc",
    "Span",
    "format_path",
    "load_document",
    "parse_document",
]

MAX_DOCUMENT_BYTES = 4 * 1024 * 1024
"""Largest pack or snapshot file accepted (4 MiB): far above any real regulation."""

Loc = tuple[str | int, ...]
"""A path inside a document: mapping keys and list indexes, as pydantic reports them."""


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
        return scalar.text_start.shifted(text, offset, base_col=scalar.block_col)


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


class _StrictLoader(yaml.SafeLoader):
    """Private SafeLoader subclass: the global loader is never modified."""


def _mark_span(file: str | None, mark: yaml.Mark) -> Span:
    return Span(file, mark.line + 1, mark.column + 1)


def _yaml_error(file: str | None, exc: yaml.YAMLError) -> InputError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    span = _mark_span(file, mark) if mark is not None else Span(file)
    problem = getattr(exc, "problem", None) or str(exc)
    if "constructor for the tag" in problem:
        return InputError(Diagnostic("yaml-tag", f"tag not allowed: {problem}", span,
                                     hint="only plain YAML values are accepted"))
    return InputError(Diagnostic("yaml-syntax", f"not valid YAML: {problem}", span))


class _Builder:
    """Turns a composed node tree into plain Python values, recording spans."""

    def __init__(self, loader: _StrictLoader, file: str | None) -> None:
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
        if isinstance(node, yaml.ScalarNode) and node.tag.startswith("!"):
            self.problems.append(
                Diagnostic("yaml-tag", f"custom tag {node.tag} is not allowed",
                           _mark_span(self.file, node.start_mark))
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
            return Scalar(span, Span(span.file, text_line, indent), indent)
        if style in ("'", '"'):
            return Scalar(span, Span(span.file, span.line, (span.col or 1) + 1), None)
        return Scalar(span, span, None)

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
            return Document(json.loads(text, parse_float=_decimal), file,
                            {(): Span(file, 1, 1)}, sha256=digest)
        except json.JSONDecodeError as exc:
            raise InputError(
                Diagnostic("json-syntax", f"not valid JSON: {exc.msg}",
                           Span(file, exc.lineno, exc.colno))
            ) from None
        except RecursionError:
            raise InputError(
                Diagnostic("json-too-deep", "JSON nesting is too deep", Span(file))
            ) from None
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        raise _yaml_error(file, exc) from None
    except RecursionError:
        raise InputError(
            Diagnostic("yaml-too-deep", "YAML nesting is too deep", Span(file))
        ) from None
    finally:
        loader.dispose()
    if node is None:
        return Document(None, file, {(): Span(file, 1, 1)}, sha256=digest)
    builder = _Builder(loader, file)
    data = builder.build(node, ())
    if builder.problems:
        raise InputError(builder.problems)
    return Document(data, file, builder.spans, builder.scalars, sha256=digest)


def _decimal(text: str) -> Decimal:
    return Decimal(text)


def load_document(path: str | Path) -> Document:
    """Read a ``.yaml``/``.yml``/``.json`` file; errors name the file."""
    file = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(Diagnostic("file-not-found", "no such file", Span(file))) from None
    except IsADirectoryError:
        raise InputError(Diagnostic("file-is-directory", "is a directory", Span(file))) from None
    except OSError as exc:
        raise InputError(
            Diagnostic("file-unreadable", f"cannot read: {exc.strerror}", Span(file))
        ) from None
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise InputError(
            Diagnostic("input-too-large", f"file is larger than {MAX_DOCUMENT_BYTES} bytes",
                       Span(file))
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            Diagnostic("file-encoding", f"not UTF-8 text (byte {exc.start})", Span(file))
        ) from None
    fmt = "json" if file.lower().endswith(".json") else "yaml"
    return parse_document(text, file, fmt=fmt, sha256=hashlib.sha256(raw).hexdigest())
