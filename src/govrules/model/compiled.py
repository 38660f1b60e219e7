"""The values a loaded pack is made of: compiled rules, scope clauses, steps, the Pack.

:mod:`govrules.model.pack` builds them when it loads a file; the engine, the tester and the
analyst tools read them. They are frozen: a loaded pack is safe to share across threads.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from govrules import lang as expr
from govrules.base.loader import Document, Span
from govrules.model.dated import Window, contains
from govrules.model.pack_format import (
    ArticleSpec,
    DerivedSpec,
    ExampleSpec,
    ExceptionSpec,
    Gap,
    Metadata,
    NextStepSpec,
    NotCheckable,
    PackFile,
    RuleSpec,
    ScopeSpec,
)
from govrules.model.report import ArticleRef, Text
from govrules.model.snapshot import Snapshot
from govrules.model.vocabulary import FactDecl

__all__ = [
    "CitedVersion",
    "CompiledException",
    "CompiledPeriodic",
    "CompiledRule",
    "CompiledScope",
    "CompiledStep",
    "Pack",
    "Template",
    "normalise_ws",
]


def normalise_ws(text: str) -> str:
    """Text with all whitespace removed: quotes are verbatim "whitespace aside"."""
    return re.sub(r"\s+", "", text)


_UNTITLED = Text(zh="(无标题)", en="(untitled)")


@dataclass(frozen=True, slots=True)
class Template:
    """A message with ``{fact.path}`` placeholders, compiled once."""

    parts: tuple[str | expr.Compiled, ...]
    specials: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CompiledStep:
    spec: NextStepSpec
    when: expr.Compiled | None
    due: expr.Compiled | None


@dataclass(frozen=True, slots=True)
class CompiledPeriodic:
    start: expr.Compiled
    until: expr.Compiled | None
    ongoing: expr.Compiled | None
    records: expr.Compiled
    records_path: str
    unit: str | None
    amount: int
    evidence: tuple[expr.Compiled, ...] = ()


@dataclass(frozen=True, slots=True)
class CompiledScope:
    spec: ScopeSpec
    citation: ArticleRef
    applies: expr.Compiled
    message: Text


@dataclass(frozen=True, slots=True)
class CompiledException:
    """An exception clause: the rules it takes out when ``when`` holds."""

    spec: ExceptionSpec
    citation: ArticleRef
    when: expr.Compiled
    rules: frozenset[str] | None
    message: Text

    def covers(self, rule_id: str) -> bool:
        return self.rules is None or rule_id in self.rules


@dataclass(frozen=True, slots=True)
class CitedVersion:
    """The days a rule applies under one version of its article, and that citation."""

    window: Window
    citation: ArticleRef


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule ready to evaluate: conditions compiled, citation attached."""

    spec: RuleSpec
    citation: ArticleRef
    applies: expr.Compiled
    violated: expr.Compiled | None
    due: expr.Compiled | None
    periodic: CompiledPeriodic | None
    message_zh: Template
    message_en: Template
    next_steps: tuple[CompiledStep, ...]
    facts: frozenset[str]
    fact_getters: tuple[tuple[str, expr.Compiled], ...]
    pending: expr.Compiled | None = None
    versions: tuple[CitedVersion, ...] = ()
    conduct: expr.Compiled | None = None
    """The conduct date (None: as_of; a periodic rule judges each period's end)."""
    conduct_fact: str | None = None
    """The fact the conduct date is read from, for the report (e.g. contract.signed_on)."""
    title: Text = _UNTITLED
    earlier: tuple[CompiledRule, ...] = ()
    """Earlier versions of the rule under the same id, newest first (amendments)."""
    timeless: bool = field(init=False, repr=False, compare=False)
    """One version, in force on every day: its own version on any day (set from the rest)."""
    plain: bool = field(init=False, repr=False, compare=False)
    """Timeless, judged on ``as_of`` and not periodic: no step of the law of the time of
    the conduct can change its decision while ``as_of`` is inside the text's validity."""

    def __post_init__(self) -> None:
        timeless = not self.earlier and any(v.window == (None, None) for v in self.versions)
        object.__setattr__(self, "timeless", timeless)
        object.__setattr__(self, "plain", timeless and self.periodic is None and (
            self.conduct is None or self.conduct_fact is None))

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def all_versions(self) -> tuple[CompiledRule, ...]:
        """This version and the earlier ones, newest first."""
        return (self, *self.earlier)

    def version_on(self, day: date) -> CompiledRule | None:
        """The version of the rule in force on ``day``, if any."""
        for version in self.all_versions:
            if version.in_force_on(day):
                return version
        return None

    def in_force_on(self, day: date) -> bool:
        """Whether the rule, and a version of its article, apply on ``day``."""
        return any(contains(v.window, day) for v in self.versions)

    def citation_on(self, day: date) -> ArticleRef:
        """The citation of the article version in force on ``day`` (else the latest)."""
        for version in self.versions:
            if contains(version.window, day):
                return version.citation
        return self.citation


@dataclass(frozen=True)
class Pack:
    """A loaded, checked and compiled policy pack (immutable; share freely)."""

    meta: Metadata
    articles: Mapping[int, ArticleSpec]
    scope: tuple[CompiledScope, ...]
    rules: tuple[CompiledRule, ...]
    """One entry per rule id: its latest version (earlier ones in ``earlier``)."""
    derived: tuple[DerivedSpec, ...]
    not_checkable: tuple[NotCheckable, ...]
    examples: tuple[ExampleSpec, ...]
    env: expr.Env
    file: str | None
    sha256: str
    spec: PackFile = field(repr=False)
    document: Document | None = field(default=None, repr=False, compare=False)

    rules_by_id: Mapping[str, CompiledRule] = field(default_factory=dict, repr=False)
    exceptions: tuple[CompiledException, ...] = ()
    facts: tuple[FactDecl, ...] = field(default=(), repr=False)
    """Facts the pack declares beyond the built-in snapshot model (see vocabulary)."""
    snapshot_model: type[Snapshot] = field(default=Snapshot, repr=False, compare=False)
    """The snapshot model of this pack: the built-in one plus ``facts``."""
    gaps: tuple[Gap, ...] = field(default=(), repr=False)
    """Declared encoding gaps; deprecated ``not_checkable`` entries read as extent none."""

    @property
    def id(self) -> str:
        return self.meta.id

    def __repr__(self) -> str:
        return f"Pack({self.id!r}, version={self.meta.version!r}, rules={len(self.rules)})"

    def rule(self, rule_id: str) -> CompiledRule:
        return self.rules_by_id[rule_id]

    def example_span(self, index: int) -> Span:
        """Where example ``index`` is in the pack file."""
        if self.document is None:
            return Span(self.file)
        return self.document.span_of(("examples", index))
