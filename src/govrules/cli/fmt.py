"""``govrules fmt``: put pack files in canonical form, keeping comments.

Each entry starts with the keys that name it and what it cites (``id``/``name``/
``number``/``action``/``path``, then ``article``, ``item``, ``quote``; ``zh`` before
``en``), the other keys keep their order; lists are indented under their key; ``null``
is written out. Nothing else changes: comments, quoting, folded and literal conditions,
flow mappings (``{zh: …, en: …}``) and the order of sections, rules and articles stay. The
formatted file loads to the same data (checked before anything is written).

Round-tripping YAML with its comments needs ``ruamel.yaml`` (the parser the rest of
govrules uses, PyYAML, drops comments); it is imported only by this command and comes
with the ``fmt`` extra: ``pip install 'govrules[fmt]'``.
"""

from __future__ import annotations

import argparse
import difflib
import io
from collections.abc import Mapping, MutableMapping
from pathlib import Path
from typing import Any, TextIO

from pydantic import BaseModel

from govrules.base.diagnose import model_at
from govrules.base.errors import Diagnostic, InputError
from govrules.base.i18n import N_, _, ngettext
from govrules.base.loader import Span, parse_document
from govrules.cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS, add_output_options
from govrules.model.pack_format import AmendmentFile, CaseSpec, PackFile
from govrules.tools.discovery import discover

NAME = "fmt"
HELP = N_("put pack files in canonical form (key order, indentation), keeping comments")
DESCRIPTION = (N_("Rewrite pack, amendment and test files in canonical form: each entry starts "
               "with its id and citation, lists are indented under their key, null is written "
               "out; comments, quoting and conditions stay. --check: write nothing, exit 1 "
               "when a file would change; --diff: print the changes."))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help=_("pack file or folder"))
    parser.add_argument("--check", action="store_true",
                        help=_("write nothing; exit 1 when a file is not in canonical form"))
    parser.add_argument("--diff", action="store_true",
                        help=_("print a unified diff, write nothing"))
    add_output_options(parser, formats=None)


def _ruamel() -> Any:
    try:
        from ruamel.yaml import YAML  # noqa: PLC0415 - only this command needs it
    except ImportError:
        raise InputError(Diagnostic(
            "fmt-needs-ruamel", _("govrules fmt needs ruamel.yaml to keep comments"),
            hint=_("pip install 'govrules[fmt]'"))) from None
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a quote or a condition
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(
        type(None), lambda r, _d: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


_FIRST = ("id", "name", "number", "action", "path", "label", "article", "item", "quote",
          "zh", "en")
"""Keys that name an entry come first, then what it cites, in this order; the rest keep
the analyst's order (a pack reads top-down: what it is, then what it says)."""


def _order(node: Any, model: type[BaseModel] | None, *, root: bool = False) -> None:
    """Reorder the keys of every mapping under ``node`` as ``model`` lists its fields
    (the sections of a file, at its ``root``, keep the analyst's order)."""
    if isinstance(node, list):
        for item in node:
            _order(item, model)
        return
    if not isinstance(node, MutableMapping) or model is None:
        return
    keys = list(node.keys())
    rank = {name: i for i, name in enumerate(_FIRST)}
    wanted = sorted(keys, key=lambda k: (rank.get(str(k), len(rank)), keys.index(k)))
    if wanted != keys and not root:
        for key in wanted:
            node.move_to_end(key)  # type: ignore[attr-defined]  # a CommentedMap: comments move too
    for key in keys:
        child = model_at(model, (str(key),))
        _order(node[key], child)


def _model_for(data: Any) -> type[BaseModel] | None:
    if isinstance(data, list):
        return CaseSpec
    if isinstance(data, Mapping) and "extends" in data:
        return AmendmentFile
    return PackFile if isinstance(data, Mapping) else None


def format_text(text: str, file: str | None = None) -> str:
    """``text`` (a pack, amendment or test file) in canonical form."""
    yaml = _ruamel()
    data = yaml.load(text)
    _order(data, _model_for(data), root=isinstance(data, Mapping))
    out = io.StringIO()
    yaml.dump(data, out)
    result = out.getvalue()
    before = parse_document(text, file).data
    after = parse_document(result, file).data
    if before != after:  # pragma: no cover - a safeguard, never expected
        raise InputError(Diagnostic("fmt-changed-data", _("formatting would change the data"),
                                    Span(file), hint=_("please report this file")))
    return result


def run(args: argparse.Namespace, out: TextIO) -> int:
    found, problems = discover(args.paths)
    if problems:
        raise InputError(problems)
    changed: list[Path] = []
    for item in found:
        if item.kind not in ("pack", "tests"):
            continue
        path = Path(item.path)
        text = path.read_text(encoding="utf-8")
        new = format_text(text, str(path))
        if new == text:
            continue
        changed.append(path)
        if args.diff:
            out.writelines(difflib.unified_diff(text.splitlines(True), new.splitlines(True),
                                                str(path), str(path) + " (formatted)"))
        elif args.check:
            out.write(_("{path}: would be reformatted").format(path=path) + "\n")
        else:
            path.write_text(new, encoding="utf-8")
    if not args.quiet and not args.diff:
        n = len(changed)
        line = (ngettext("{n} file would be reformatted", "{n} files would be reformatted", n)
                if args.check else ngettext("{n} file reformatted", "{n} files reformatted", n))
        out.write(line.format(n=n) + "\n")
    if changed and (args.check or args.diff):
        return EXIT_VIOLATIONS
    return EXIT_OK if not problems else EXIT_BAD_INPUT
