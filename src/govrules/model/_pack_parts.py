"""The pack compiler's tools and the parts of a rule compiled on their own: conduct,
deadline, periodic obligation, next steps, the facts shown in findings, titles.

Part of :mod:`govrules.model.pack` (the compiler is in :mod:`govrules.model._pack_compiler`).
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from typing import Any

from govrules import lang as expr
from govrules.base.errors import Diagnostic, ExpressionError
from govrules.base.loader import Document, Loc, Span
from govrules.model import vocabulary
from govrules.model.compiled import (
    CompiledPeriodic,
    CompiledRule,
    CompiledStep,
)
from govrules.model.pack_format import (
    ArticleSpec,
    BilingualText,
    NextStepSpec,
    PackFile,
    RuleSpec,
)
from govrules.model.report import Text
from govrules.model.snapshot import Snapshot

_ROOT_TYPE = expr.type_from_model(Snapshot)


class PackParts:
    """Collects diagnostics and compiles conditions against the pack's environment."""

    def __init__(self, spec: PackFile, document: Document) -> None:
        self.spec = spec
        self.doc = document
        self.problems: list[Diagnostic] = []
        self.env = expr.Env(_ROOT_TYPE)
        self.facts: tuple[vocabulary.FactDecl, ...] = ()
        self.snapshot_model: type[Snapshot] = Snapshot
        self.articles: dict[int, ArticleSpec] = {}
        self.versions: dict[int, list[ArticleSpec]] = {}
        self._getters: dict[str, expr.Compiled | None] = {}

    # -- helpers ------------------------------------------------------------------

    def problem(self, code: str, message: str, loc: Loc, hint: str | None = None,
                rule: str | None = None) -> None:
        self.problems.append(Diagnostic(code, message, self.doc.span_of(loc), hint=hint,
                                        rule=rule))

    def compile(self, text: str, loc: Loc, expect: Any = expr.Bool,
                rule: str | None = None, shift: int = 0) -> expr.Compiled | None:
        """Compile ``text``, which starts at character ``shift`` of the string at ``loc``."""
        def origin(offset: int) -> Span:
            return self.doc.text_span(loc, shift + offset)

        try:
            return expr.compile_expression(text, self.env, expect=expect, origin=origin)
        except ExpressionError as exc:
            self.problems.extend(
                Diagnostic(d.code, d.message, d.span, d.path, d.hint, d.severity, rule)
                for d in exc.diagnostics
            )
            return None

    def synthesise(self, text: str, loc: Loc, expect: Any = expr.Bool) -> expr.Compiled | None:
        """Compile text the loader generated from checked parts (errors point at ``loc``)."""
        try:
            return expr.compile_expression(text, self.env, expect=expect,
                                           origin=lambda _o: self.doc.span_of(loc))
        except ExpressionError as exc:
            self.problems.extend(exc.diagnostics)
            return None

    def compile_conduct(self, loc: Loc, spec: RuleSpec) -> tuple[expr.Compiled | None,
                                                                  str | None]:
        """The date of the conduct the rule judges (None: as_of, or each period's end)."""
        if spec.conduct is not None:
            return (self.compile(spec.conduct, (*loc, "conduct"), expr.Date, spec.id),
                    spec.conduct.strip())
        if spec.deadline is not None:
            return (self.compile(spec.deadline.after, (*loc, "deadline", "after"), expr.Date,
                                 spec.id), spec.deadline.after.strip())
        return None, None

    def fact_getters(self, facts: frozenset[str]) -> tuple[tuple[str, expr.Compiled], ...]:
        """Getters for the scalar facts a rule reads, shown in its findings."""
        out: list[tuple[str, expr.Compiled]] = []
        for path in sorted(facts):
            getter = self._getters.get(path)
            if getter is None and path not in self._getters:
                try:
                    getter = expr.compile_expression(path, self.env, expect=None)
                except ExpressionError:
                    getter = None  # a field reached through a list item: not one value
                if getter is not None and isinstance(getter.type, expr.ListOf):
                    getter = None
                self._getters[path] = getter
            if getter is not None:
                out.append((path, getter))
        return tuple(out)

    def compile_deadline(self, loc: Loc, spec: RuleSpec) -> tuple[
            expr.Compiled | None, expr.Compiled | None, expr.Compiled | None]:
        deadline = spec.deadline
        assert deadline is not None
        dloc = (*loc, "deadline")
        after = self.compile(deadline.after, (*dloc, "after"), expr.Date, spec.id)
        done_on = self.compile(deadline.done_on, (*dloc, "done_on"), expr.Date, spec.id)
        done_text = deadline.done
        if done_text is None:
            twin = deadline.done_on.strip()
            if twin.endswith("_on") and expr.is_fact_path(twin[:-3], self.env, expr.Bool):
                done_text = twin[:-3]
            else:
                self.problem("pack-deadline-done", "cannot tell whether the act was done",
                             (*dloc, "done_on"),
                             "add `done:` with a true/false condition", spec.id)
                return None, None, None
        elif self.compile(done_text, (*dloc, "done"), expr.Bool, spec.id) is None:
            return None, None, None
        if after is None or done_on is None:
            return None, None, None
        within = deadline.within
        due_text = f"{within.function()}({deadline.after}, {within.amount})"
        d_on = f"({deadline.done_on})"
        # Kleene form of "done late, or not done and overdue" that keeps unknowns unknown:
        # a project that did it on time, or whose deadline has not passed, never violates.
        text = (f"({d_on} is known and {d_on} > {due_text}) or ({d_on} is unknown and "
                f"as_of > {due_text} and (not ({done_text}) or {d_on} > {due_text}))")
        # Pending: the event happened, the act is not known to be done, the deadline
        # has not passed; the rule's remedial steps are then shown as upcoming.
        pending = (f"{d_on} is unknown and not (({done_text}) is known and ({done_text})) "
                   f"and as_of <= {due_text}")
        return (self.synthesise(text, dloc), self.synthesise(due_text, dloc, expr.Date),
                self.synthesise(pending, dloc))

    def compile_periodic(self, loc: Loc, spec: RuleSpec) -> CompiledPeriodic | None:
        periodic = spec.periodic
        assert periodic is not None
        ploc = (*loc, "periodic")
        start = self.compile(periodic.start, (*ploc, "from"), expr.Date, spec.id)
        until = (self.compile(periodic.until, (*ploc, "until"), expr.Date, spec.id)
                 if periodic.until else None)
        ongoing = (self.compile(periodic.ongoing_when, (*ploc, "ongoing_when"), expr.Bool,
                                spec.id) if periodic.ongoing_when else None)
        records = self.compile(periodic.records, (*ploc, "records"), None, spec.id)
        if records is not None and not expr.is_report_list(records.type):
            self.problem("pack-periodic-records",
                         f"{periodic.records!r} is not a list of period reports",
                         (*ploc, "records"), "use e.g. reports.quarterly_progress", spec.id)
            return None
        if start is None or records is None or (periodic.until and until is None) or (
                periodic.ongoing_when and ongoing is None):
            return None
        evidence = tuple(self.compile(text, (*ploc, "from_evidence", j), expr.Date, spec.id)
                         for j, text in enumerate(periodic.start_evidence))
        if any(e is None for e in evidence):
            return None
        within = periodic.within
        return CompiledPeriodic(start, until, ongoing, records, periodic.records.strip(),
                                within.unit if within else None, within.amount if within else 0,
                                tuple(e for e in evidence if e is not None))

    def compile_step(self, loc: Loc, spec: NextStepSpec, rid: str) -> CompiledStep | None:
        when = self.compile(spec.when, (*loc, "when"), rule=rid) if spec.when else None
        due = self.compile(spec.due, (*loc, "due"), expr.Date, rid) if spec.due else None
        if (spec.when and when is None) or (spec.due and due is None):
            return None
        return CompiledStep(spec, when, due)



_CLAUSE = re.compile(r"[,，;；。:：!！?？]")


def fallback_title(message: str) -> str:
    """A short title from a message: its first clause, placeholders dropped."""
    text = re.sub(r"\{[^{}]*\}", "…", message).strip()
    head = _CLAUSE.split(text, maxsplit=1)[0].strip() or text
    return head if len(head) <= 60 else head[:59] + "…"


def rule_title(spec: RuleSpec) -> Text:
    """The rule's bilingual title; a missing half comes from the message (lint warns)."""
    title = spec.title
    if isinstance(title, BilingualText):
        return Text(zh=title.zh, en=title.en)
    en = title if isinstance(title, str) else fallback_title(spec.message.en)
    return Text(zh=fallback_title(spec.message.zh), en=en)


def latest_with_history(versions: list[CompiledRule]) -> CompiledRule:
    """The newest version of a rule, carrying the earlier ones (newest first)."""
    if len(versions) == 1:
        return versions[0]
    ordered = sorted(versions, key=lambda r: r.spec.effective or date.min, reverse=True)
    return dataclasses.replace(ordered[0], earlier=tuple(ordered[1:]))


