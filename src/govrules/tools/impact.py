"""What changing a pack changes: evaluate a corpus of snapshots under two versions.

For each project the verdict and every rule's status are compared; each finding that
appears, disappears or changes status is explained by what differs between the packs:
the rule itself (added, removed, which fields changed), its article's text or dates, the
derived facts it uses, or the scope.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from govrules.base.calendar import Calendar
from govrules.base.errors import Diagnostic, GovrulesError, InputError
from govrules.base.i18n import _
from govrules.base.loader import Span
from govrules.engine.evaluate import evaluate_pack
from govrules.model.pack import CompiledRule, Pack
from govrules.model.snapshot import load_snapshot

__all__ = ["FindingChange", "ImpactReport", "PackDiff", "ProjectImpact", "diff_packs",
           "measure_impact", "snapshot_files"]

_SHOWN = frozenset({"violated", "undetermined", "waived"})


@dataclass(frozen=True)
class PackDiff:
    """The differences between two versions of a pack, by rule and by article."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: dict[str, tuple[str, ...]]
    articles: tuple[int, ...]
    derived: tuple[str, ...]
    scope_changed: bool

    def why(self, rule: str, old: Pack, new: Pack) -> str:
        """Why a rule's finding may differ between the two packs."""
        if rule in self.added:
            return "rule added in the new pack"
        if rule in self.removed:
            return "rule removed in the new pack"
        reasons: list[str] = []
        if rule in self.changed:
            reasons.append("rule changed: " + ", ".join(self.changed[rule]))
        compiled = new.rules_by_id.get(rule) or old.rules_by_id.get(rule)
        if compiled is not None:
            if compiled.spec.article in self.articles:
                reasons.append(f"{compiled.citation.label} changed")
            used = _uses(compiled) & set(self.derived)
            if used:
                reasons.append("derived facts changed: " + ", ".join(sorted(used)))
        if self.scope_changed:
            reasons.append("scope changed")
        return "; ".join(reasons) or "the rule and its article are unchanged"

    def to_dict(self) -> dict[str, Any]:
        return {"rules_added": list(self.added), "rules_removed": list(self.removed),
                "rules_changed": {k: list(v) for k, v in self.changed.items()},
                "articles_changed": list(self.articles), "derived_changed": list(self.derived),
                "scope_changed": self.scope_changed}


def _uses(rule: CompiledRule) -> set[str]:
    uses = set(rule.applies.uses)
    if rule.violated is not None:
        uses |= rule.violated.uses
    return uses


def diff_packs(old: Pack, new: Pack) -> PackDiff:
    """What differs between ``old`` and ``new`` (ignoring where each came from)."""
    old_rules = {r.id: r.spec.model_dump(exclude={"amended_by"}) for r in old.rules}
    new_rules = {r.id: r.spec.model_dump(exclude={"amended_by"}) for r in new.rules}
    changed = {rid: tuple(k for k in spec if spec[k] != old_rules[rid].get(k))
               for rid, spec in new_rules.items() if rid in old_rules and spec != old_rules[rid]}

    def versions(pack: Pack) -> dict[int, list[dict[str, Any]]]:
        out: dict[int, list[dict[str, Any]]] = {}
        for article in pack.spec.articles:
            out.setdefault(article.number, []).append(
                article.model_dump(include={"text", "effective", "repealed"}))
        return out

    old_articles, new_articles = versions(old), versions(new)
    articles = sorted(n for n in set(old_articles) | set(new_articles)
                      if old_articles.get(n) != new_articles.get(n))
    old_derived = {d.name: d for d in old.derived}
    derived = sorted(d.name for d in new.derived if old_derived.get(d.name) != d)
    derived += sorted(set(old_derived) - {d.name for d in new.derived})
    return PackDiff(
        added=tuple(r for r in new_rules if r not in old_rules),
        removed=tuple(r for r in old_rules if r not in new_rules),
        changed=changed, articles=tuple(articles), derived=tuple(derived),
        scope_changed=[c.spec for c in old.scope] != [c.spec for c in new.scope])


@dataclass(frozen=True)
class FindingChange:
    """One rule whose finding differs: ``appears``, ``disappears`` or ``changes``."""

    rule: str
    article: str
    old: str | None
    new: str | None
    why: str

    @property
    def kind(self) -> str:
        was, now = self.old in _SHOWN, self.new in _SHOWN
        return "appears" if now and not was else "disappears" if was and not now else "changes"

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "article": self.article, "old": self.old, "new": self.new,
                "kind": self.kind, "why": self.why}


@dataclass(frozen=True)
class ProjectImpact:
    """One snapshot under both packs."""

    source: str
    snapshot_id: str | None
    as_of: date
    old_verdict: str
    new_verdict: str
    changes: tuple[FindingChange, ...]

    @property
    def outcome_changed(self) -> bool:
        return self.old_verdict != self.new_verdict

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "snapshot_id": self.snapshot_id,
                "as_of": str(self.as_of), "old_verdict": self.old_verdict,
                "new_verdict": self.new_verdict, "outcome_changed": self.outcome_changed,
                "changes": [c.to_dict() for c in self.changes]}


@dataclass(frozen=True)
class ImpactReport:
    """A corpus evaluated under two versions of a pack."""

    old: Pack
    new: Pack
    diff: PackDiff
    projects: tuple[ProjectImpact, ...]
    errors: tuple[Diagnostic, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        def pack(p: Pack) -> dict[str, Any]:
            return {"id": p.id, "version": p.meta.version, "file": p.file, "sha256": p.sha256}

        return {"old": pack(self.old), "new": pack(self.new), "diff": self.diff.to_dict(),
                "projects": [p.to_dict() for p in self.projects],
                "summary": {"projects": len(self.projects),
                            "outcome_changed": sum(p.outcome_changed for p in self.projects),
                            "findings_changed": sum(bool(p.changes) for p in self.projects)},
                "errors": [d.to_dict() for d in self.errors]}


def snapshot_files(paths: Sequence[str | Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The snapshot files named, or found in the folders named."""
    files: list[Path] = []
    problems: list[Diagnostic] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file()
                           and p.suffix in (".yaml", ".yml", ".json"))
            if not found:
                problems.append(Diagnostic("no-files", _("no snapshot files in this folder"),
                                           Span(str(path))))
            files.extend(found)
        else:
            files.append(path)
    return files, problems


def measure_impact(old: Pack, new: Pack, records: Iterable[str | Path], *,
                   as_of: date | None = None, calendar: Calendar | None = None) -> ImpactReport:
    """Evaluate every record under ``old`` and ``new``; keep what differs."""
    if old.id != new.id:
        raise InputError(Diagnostic(
            "pack-value", _("cannot compare pack {old!r} with {new!r}").format(old=old.id,
                                                                              new=new.id),
            hint=_("--old and --new are two versions of one pack")))
    cal = calendar or Calendar.default()
    diff = diff_packs(old, new)
    files, errors = snapshot_files(list(records))
    projects: list[ProjectImpact] = []
    for path in files:
        try:
            snapshot = load_snapshot(path)
        except GovrulesError as err:
            errors.extend(err.diagnostics)
            continue
        day = as_of or snapshot.as_of or date.today()
        before = evaluate_pack(old, snapshot, day, cal, include_all=True)
        after = evaluate_pack(new, snapshot, day, cal, include_all=True)
        was = {f.rule: f for f in before.findings}
        now = {f.rule: f for f in after.findings}
        changes = []
        for rule in [*now, *(r for r in was if r not in now)]:
            old_status = was[rule].status if rule in was else None
            new_status = now[rule].status if rule in now else None
            if old_status != new_status and {old_status, new_status} != {None,
                                                                         "not_applicable"}:
                label = (now.get(rule) or was[rule]).article.label
                changes.append(FindingChange(rule, label, old_status, new_status,
                                             diff.why(rule, old, new)))
        projects.append(ProjectImpact(str(path), snapshot.id, day, before.verdict,
                                      after.verdict, tuple(changes)))
    return ImpactReport(old, new, diff, tuple(projects), tuple(errors))
