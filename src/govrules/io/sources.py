"""Where records come from: the files, folders and globs named, and what standard input
holds (its format sniffed from the first bytes)."""

from __future__ import annotations

import glob
import io
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Literal, cast

from govrules.base.errors import Diagnostic, GovrulesError, InputError
from govrules.base.location import Span

__all__ = ["EXTENSIONS", "INPUT_FORMATS", "STDIN", "InputFormat", "Prepended",
           "checked_format", "expand", "sniff"]

InputFormat = Literal["yaml", "json", "jsonl", "csv", "xlsx"]
INPUT_FORMATS: tuple[str, ...] = ("yaml", "json", "jsonl", "csv")
EXTENSIONS: dict[str, InputFormat] = {
    ".yaml": "yaml", ".yml": "yaml", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl",
    ".csv": "csv", ".xlsx": "xlsx",
}
"""File extensions read when walking a folder or matching a glob, and their format."""

STDIN = "<stdin>"
"""The file name records read from standard input carry."""

_GLOB_CHARS = frozenset("*?[")


def checked_format(name: str | None) -> InputFormat | None:
    if name is None or name == "auto":
        return None
    if name not in INPUT_FORMATS:
        raise InputError(Diagnostic("input-format", f"no input format {name!r}",
                                    hint=f"use one of {', '.join(INPUT_FORMATS)}"))
    return cast(InputFormat, name)


def expand(inputs: Iterable[str], fmt: InputFormat | None
            ) -> Iterator[tuple[str, InputFormat | None, GovrulesError | None]]:
    """``(file, format, None)`` per file to read, ``(arg, None, error)`` for a bad arg."""
    seen: set[str] = set()

    def once(file: str) -> bool:
        key = os.path.normcase(os.path.abspath(file))
        if key in seen:
            return False
        seen.add(key)
        return True

    for arg in inputs:
        if arg == "-":
            yield STDIN, fmt, None
        elif os.path.isdir(arg):
            found = [f for f in walk(arg) if once(f)]
            if not found:
                yield arg, None, no_match(arg, "the folder holds no snapshot files")
            for file in found:
                yield file, EXTENSIONS[Path(file).suffix.lower()], None
        elif not os.path.exists(arg) and _GLOB_CHARS & set(arg):
            matched = sorted(glob.glob(arg, recursive=True))
            files: list[str] = []
            for match in matched:
                files += walk(match) if os.path.isdir(match) else (
                    [match] if Path(match).suffix.lower() in EXTENSIONS else [])
            files = [f for f in files if once(f)]
            if not files:
                yield arg, None, no_match(arg, "the pattern matches no snapshot file")
            for file in files:
                yield file, EXTENSIONS[Path(file).suffix.lower()], None
        elif once(arg):
            yield arg, EXTENSIONS.get(Path(arg).suffix.lower(), fmt or "yaml"), None


def walk(folder: str) -> list[str]:
    """Snapshot files under ``folder``, sorted, hidden folders skipped."""
    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [os.path.normpath(os.path.join(root, f)) for f in sorted(files)
                  if Path(f).suffix.lower() in EXTENSIONS and not f.startswith(".")]
    return found


def no_match(arg: str, why: str) -> InputError:
    return InputError(Diagnostic("input-no-match", why, Span(arg),
                                 hint=f"extensions read: {', '.join(EXTENSIONS)}"))


def sniff(head: bytes) -> InputFormat:
    """Guess the format of standard input from its first bytes."""
    text = head.decode("utf-8-sig", errors="replace").lstrip()
    if text.startswith("["):
        return "json"
    first_line, newline, _rest = text.partition("\n")
    if text.startswith("{"):
        if not newline:
            return "jsonl"
        try:
            json.loads(first_line)
        except ValueError:
            return "json"
        return "jsonl"
    stripped = first_line.strip()
    if "," in stripped and ": " not in stripped and not stripped.startswith(("-", "#")):
        return "csv"
    return "yaml"


class Prepended(io.RawIOBase):
    """Bytes already read, then the rest of a binary stream."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self.head = head
        self.rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size] = self.head[:size]
            self.head = self.head[size:]
            return size
        data = self.rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)
