"""Find the pack and test files an analyst names: files, or folders searched for YAML.

``govrules lint`` and ``govrules test`` take any mix of files and folders. A file named
on the command line is always used; in a folder, each YAML file is sorted by what it
holds: a mapping with ``pack`` or ``extends`` is a pack, a list is a test file, anything
else (a snapshot, a calendar) is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from govrules.base.errors import Diagnostic, InputError
from govrules.base.i18n import _
from govrules.base.loader import Document, Span, load_document

__all__ = ["Found", "discover", "kind_of"]

Kind = Literal["pack", "tests", "other"]


@dataclass(frozen=True)
class Found:
    """One file to work on: its path, its kind, and its document when it loaded."""

    path: Path
    kind: Kind
    document: Document | None
    problems: tuple[Diagnostic, ...] = ()
    named: bool = False


def kind_of(data: object) -> Kind:
    """What a loaded document is: a pack, a list of test cases, or something else."""
    if isinstance(data, dict) and ("pack" in data or "extends" in data):
        return "pack"
    if isinstance(data, list):
        return "tests"
    return "other"


def _yaml_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml")
                  and p.is_file() and not any(part.startswith(".") for part in
                                              p.relative_to(folder).parts))


def discover(paths: Sequence[str | Path], default: Kind = "pack") -> tuple[list[Found],
                                                                          list[Diagnostic]]:
    """The files under ``paths``; problems for paths that hold nothing usable.

    A named file that is neither a pack nor a test file counts as ``default``, so that
    its own loader reports what is wrong with it.
    """
    found: list[Found] = []
    problems: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = list(_load(_yaml_in(path), named=False))
            kept = [f for f in files if f.kind != "other"]
            if not kept:
                problems.append(Diagnostic("no-files", _("no pack or test files in this folder"),
                                           Span(str(path)), hint=_("packs and test files end "
                                           "in .yaml or .yml")))
            found.extend(kept)
        else:
            for item in _load([path], named=True):
                kind = item.kind if item.kind != "other" else default
                found.append(Found(item.path, kind, item.document, item.problems, True))
    return found, problems


def _load(paths: Iterable[Path], *, named: bool) -> Iterable[Found]:
    for path in paths:
        try:
            document = load_document(path)
        except InputError as exc:
            yield Found(path, "pack", None, exc.diagnostics, named)
            continue
        yield Found(path, kind_of(document.data), document, (), named)
