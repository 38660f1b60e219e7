"""Check policy packs without a snapshot: the loader's problems, then lint's own checks.

The loader already rejects what cannot run (structure, unknown facts and functions,
types, duplicate ids, quotes not in their article). Lint adds what runs but is probably
wrong: articles nobody encoded, rules that can never apply or never be violated,
``x is known`` guards that hide violations, in-principle flags that disagree with the
text, quotes not in the regulation's source, expectations about rules that do not exist.
Each check is a small generator of diagnostics (:mod:`govrules.tools.lint_checks`,
:mod:`govrules.tools.lint_conditions`); :func:`lint_document` runs them all and gives
every diagnostic a hint. Messages and hints are in the language chosen
(:mod:`govrules.base.i18n`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from govrules.base.errors import Diagnostic, InputError
from govrules.base.i18n import N_, _
from govrules.base.loader import Document, Span, load_document
from govrules.lang import Number, String
from govrules.model.pack import build_pack, normalise_ws
from govrules.model.pack_format import PackFile
from govrules.tools.discovery import discover
from govrules.tools.lint_checks import (
    IN_PRINCIPLE,
    PLACEHOLDERS,
    LintContext,
    check_articles,
    check_examples,
    check_in_principle,
    check_in_principle_scope,
    check_interpretations,
    check_placeholders,
    check_presumptions,
    check_source,
    check_titles,
    check_topics,
)
from govrules.tools.lint_conditions import (
    check_known_guards,
    check_reachability,
    check_unused_derived,
)

__all__ = ["IN_PRINCIPLE", "PLACEHOLDERS", "LintResult", "lint_document", "lint_file",
           "lint_paths"]

_HINTS = {
    "pack-unknown-field": N_("check the spelling against docs/pack-reference.md"),
    "pack-missing-field": N_("add the field: docs/pack-reference.md lists the required ones"),
    "pack-type": N_("docs/pack-reference.md gives each field's type"),
    "pack-value": N_("docs/pack-reference.md lists the allowed values"),
    "pack-invalid": N_("see docs/pack-format.md"),
    "pack-rule-id": N_("rule ids are <pack>.<article>[.<item>].<slug>"),
    "pack-duplicate-rule": N_("rule ids are unique and never reused: rename one"),
    "pack-duplicate-article": N_("keep one version, or date the versions with "
                                 "effective/repealed"),
    "pack-unknown-article": N_("add the article under articles:, or cite one the pack has"),
    "pack-not-mapping": N_("a pack starts with pack:, articles: and rules:"),
    "expr-syntax": N_("docs/condition-language.md describes the syntax"),
    "expr-unknown-fact": N_("docs/snapshot.md lists every fact"),
    "expr-type": N_("docs/condition-language.md gives each operator's types"),
    "expr-unknown-function": N_("docs/condition-language.md lists the functions"),
    "expr-arity": N_("docs/condition-language.md gives each function's arguments"),
    "expr-bad-value": N_("docs/snapshot.md lists the values a field can take"),
}
_MONEY_HINT = N_("amounts in conditions are numbers of yuan, unquoted: write 5000000 (or "
                 "5_000_000) for 500万元; snapshots may write '500万元'")

_CHECKS = (check_articles, check_in_principle, check_in_principle_scope, check_titles,
           check_presumptions, check_source, check_examples, check_unused_derived,
           check_reachability, check_known_guards, check_interpretations, check_placeholders,
           check_topics)


@dataclass(frozen=True)
class LintResult:
    """The diagnostics of one pack file, sorted by place."""

    file: str
    pack: str | None
    diagnostics: tuple[Diagnostic, ...]

    def count(self, severity: str) -> int:
        return sum(d.severity == severity for d in self.diagnostics)


def lint_file(path: str | Path, *, source: str | Path | None = None) -> LintResult:
    """Lint one pack file; ``source`` is the regulation's text (a file, or a folder
    holding the file the pack names in ``pack.source``)."""
    try:
        document = load_document(path)
    except InputError as exc:
        return LintResult(str(path), None, exc.diagnostics)
    return lint_document(document, document.sha256, source=source)


def lint_document(document: Document, sha256: str = "",
                  *, source: str | Path | None = None) -> LintResult:
    """Lint a loaded pack document."""
    built = build_pack(document, sha256)
    found = list(built.problems)
    if built.spec is not None:
        text, problems = _source_text(built.spec, source)
        found += problems
        ctx = LintContext(built.spec, built.document, built.env, text)
        for check in _CHECKS:
            found.extend(check(ctx))
    ordered = sorted((_with_hint(d) for d in found), key=Diagnostic.sort_key)
    pack_id = built.spec.pack.id if built.spec is not None else None
    return LintResult(document.file or "<input>", pack_id, tuple(ordered))


def _with_hint(diagnostic: Diagnostic) -> Diagnostic:
    number_with_text = _("cannot compare {left} with {right}").format(
        left=Number, right=String())
    if diagnostic.code == "expr-type" and number_with_text in diagnostic.message and (
            diagnostic.hint is None or "docs/condition-language" in diagnostic.hint):
        return replace(diagnostic, hint=_(_MONEY_HINT))
    if diagnostic.hint:
        return diagnostic
    hint = _HINTS.get(diagnostic.code)
    return replace(diagnostic, hint=_(hint) if hint is not None else
                   _("see docs/errors.md ({code})").format(code=diagnostic.code))


def _source_text(spec: PackFile, source: str | Path | None) -> tuple[str | None,
                                                                     list[Diagnostic]]:
    if source is None:
        return None, []
    path = Path(source)
    if path.is_dir():
        path = path / spec.pack.source
    try:
        return normalise_ws(path.read_text(encoding="utf-8")), []
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Diagnostic("file-not-found",
                                 _("cannot read the source text: {reason}").format(reason=exc),
                                 Span(str(path)), hint=_("--source names the regulation's "
                                 "text file, or the folder that holds pack.source"))]


def lint_paths(paths: Sequence[str | Path], *, source: str | Path | None = None
               ) -> tuple[list[LintResult], list[Diagnostic]]:
    """Lint every pack under ``paths``; the second list holds problems with the paths."""
    found, problems = discover(paths)
    results: list[LintResult] = []
    for item in found:
        if item.kind != "pack" and not item.named:
            continue  # a test file met in a folder; a file named on the command line is linted
        if item.document is None:
            results.append(LintResult(str(item.path), None, item.problems))
            continue
        results.append(lint_document(item.document, item.document.sha256, source=source))
    return results, problems
