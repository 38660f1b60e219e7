"""Load a policy pack, check it, and compile it once into an immutable :class:`Pack`.

Loading collects every problem in the file (structure, references, quotes, every
condition) and raises them together in one :class:`PackError`, sorted by line. A loaded
pack holds only compiled closures and frozen values: it is safe to share across threads
and to evaluate any number of snapshots without touching a string again.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from govrules import lang as expr
from govrules.base.diagnose import diagnostics_from_validation, did_you_mean
from govrules.base.errors import Diagnostic, InputError, PackError
from govrules.base.loader import Document, load_document, parse_document
from govrules.model import amend
from govrules.model._pack_compiler import _Compiler
from govrules.model.compiled import (
    CitedVersion,
    CompiledException,
    CompiledPeriodic,
    CompiledRule,
    CompiledScope,
    CompiledStep,
    Pack,
    Template,
    normalise_ws,
)
from govrules.model.pack_format import (
    BilingualText,
    Gap,
    PackFile,
)

__all__ = [
    "CitedVersion",
    "CompiledException",
    "CompiledPeriodic",
    "CompiledRule",
    "CompiledScope",
    "CompiledStep",
    "Pack",
    "PackBuild",
    "Template",
    "build_pack",
    "builtin_pack",
    "builtin_pack_ids",
    "load_pack",
    "normalise_ws",
    "parse_pack",
]

@dataclass(frozen=True)
class PackBuild:
    """What loading a pack document gave: the pack, or every problem found.

    ``document`` is the resolved document (an amendment merged with its base); ``spec``
    is set once the document matches the format, ``env`` once the derived facts compiled.
    The lint tool starts from here; :func:`load_pack` raises the problems instead.
    """

    document: Document
    spec: PackFile | None
    env: expr.Env | None
    pack: Pack | None
    problems: tuple[Diagnostic, ...]


def parse_pack(text: str, file: str | None = None) -> Pack:
    """Load a pack from YAML text; raise :class:`PackError` listing every problem."""
    try:
        document = parse_document(text, file)
    except InputError as exc:
        raise PackError(exc.diagnostics) from None
    return _from_document(document, document.sha256)


def _from_document(document: Document, sha256: str) -> Pack:
    built = build_pack(document, sha256)
    if built.pack is None:
        raise PackError(built.problems)
    return built.pack


def build_pack(document: Document, sha256: str) -> PackBuild:
    """Resolve ``extends``, validate and compile ``document``, collecting every problem."""
    merging: tuple[Diagnostic, ...] = ()
    if amend.is_amendment(document.data):
        try:
            document, sha256, merging = amend.resolve(document, sha256)
        except PackError as exc:
            return PackBuild(document, None, None, None, exc.diagnostics)
    if not isinstance(document.data, dict):
        return PackBuild(document, None, None, None, (Diagnostic(
            "pack-not-mapping", "a pack must be a YAML mapping with pack, articles and rules",
            document.span_of(())),))
    try:
        spec = PackFile.model_validate(document.data)
    except ValidationError as exc:
        return PackBuild(document, None, None, None, (*merging, *diagnostics_from_validation(
            exc, PackFile, document=document, file=document.file, prefix="pack")))
    compiler = _Compiler(spec, document)
    scope, rules, exceptions = compiler.run()
    if compiler.problems or merging:
        return PackBuild(document, spec, compiler.env, None, (*merging, *compiler.problems))
    return PackBuild(document, spec, compiler.env, Pack(
        meta=spec.pack,
        articles=dict(compiler.articles),
        scope=scope,
        rules=rules,
        derived=tuple(spec.derived),
        not_checkable=tuple(spec.not_checkable),
        examples=tuple(spec.examples),
        env=compiler.env,
        file=document.file,
        sha256=sha256,
        spec=spec,
        document=document,
        rules_by_id={r.id: r for r in rules},
        facts=compiler.facts,
        snapshot_model=compiler.snapshot_model,
        exceptions=exceptions,
        gaps=declared_gaps(spec),
    ), ())


def declared_gaps(spec: PackFile) -> tuple[Gap, ...]:
    """The pack's gaps; each deprecated ``not_checkable`` entry read as ``extent: none``."""
    return (*spec.gaps, *(Gap(article=n.article, extent="none",
                              reason=BilingualText(zh=n.reason, en=n.reason))
                          for n in spec.not_checkable))


def load_pack(path: str | Path) -> Pack:
    """Load a pack file; errors name the file, line and column."""
    try:
        document = load_document(path)
    except InputError as exc:
        raise PackError(exc.diagnostics) from None
    return _from_document(document, document.sha256)


_builtin_lock = threading.Lock()
_builtin_cache: dict[str, Pack] = {}


def builtin_pack_ids() -> list[str]:
    """Ids of the packs shipped with govrules, sorted."""
    folder = resources.files("govrules.policies")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir()
                  if p.name.endswith(".yaml"))


def builtin_pack(pack_id: str) -> Pack:
    """A built-in pack, loaded and compiled once per process (thread-safe)."""
    with _builtin_lock:
        cached = _builtin_cache.get(pack_id)
        if cached is not None:
            return cached
        ids = builtin_pack_ids()
        if pack_id not in ids:
            hint = did_you_mean(pack_id, ids)
            raise InputError(Diagnostic("unknown-city", f"no built-in pack {pack_id!r}",
                                        hint=hint or f"available: {', '.join(ids)}"))
        resource = resources.files("govrules.policies").joinpath(f"{pack_id}.yaml")
        with resources.as_file(resource) as path:
            pack = load_pack(path)
        _builtin_cache[pack_id] = pack
        return pack


def resolve_packs(cities: Sequence[str], policy_paths: Sequence[str | Path] = ()) -> list[Pack]:
    """Packs named by ``--city`` (ids, ``all``) and ``--policy`` paths, in order."""
    packs: list[Pack] = []
    for city in cities:
        for name in (c.strip() for c in city.split(",")):
            if not name:
                continue
            if name == "all":
                packs.extend(builtin_pack(i) for i in builtin_pack_ids())
            else:
                packs.append(builtin_pack(name))
    packs.extend(load_pack(p) for p in policy_paths)
    unique: dict[tuple[str, str], Pack] = {}
    for pack in packs:
        unique.setdefault((pack.id, pack.sha256), pack)
    return list(unique.values())

