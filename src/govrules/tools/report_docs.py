"""What each field of a report means, for the report's JSON Schema and its docs.

``govrules schema report`` adds these descriptions to the properties the models leave
undescribed (a model's own ``Field(description=...)`` wins), so that every property of
the schema says what it holds. Keys are ``Model.field``.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FIELD_DOCS", "describe_schema"]

FIELD_DOCS: dict[str, str] = {
    "Report.govrules_version": "Version of govrules that made the report.",
    "Report.snapshot_id": "The snapshot's `id`, if it has one.",
    "Report.as_of": "The evaluation date (YYYY-MM-DD): the day the project is judged on.",
    "Report.pack": "The pack the snapshot was checked against, and whether it bound on as_of.",
    "Report.verdict": "compliant, non_compliant (a rule violated), undetermined (facts "
                      "missing) or not_applicable (outside the regulation's scope).",
    "Report.binding": "Whether the findings bind on as_of (false for drafts and texts not "
                      "in force).",
    "Report.findings": "One per rule and scope clause reported: by default violated, "
                       "undetermined and waived ones; all with the audit trail.",
    "Report.next_steps": "What to do next, remedial and upcoming, with due dates.",
    "Report.warnings": "Things the reader should know about the evaluation itself.",
    "Report.missing_facts": "Facts to supply, each with the rules it would decide.",
    "Report.counts": "Number of findings per status.",
    "Report.provenance": "What the report was made with: engine, pack and calendar versions.",
    "CombinedReport.govrules_version": "Version of govrules that made the report.",
    "CombinedReport.snapshot_id": "The snapshot's `id`, if it has one.",
    "CombinedReport.as_of": "The evaluation date (YYYY-MM-DD).",
    "CombinedReport.verdict": "The worst verdict of the reports.",
    "CombinedReport.binding_verdict": "The worst verdict among packs binding on as_of.",
    "CombinedReport.reports": "One report per pack.",
    "ArticleRef.pack": "Id of the pack the article belongs to.",
    "ArticleRef.number": "Article number (第N条).",
    "ArticleRef.label": "The article's label as printed, e.g. 第十五条.",
    "ArticleRef.item": "The item of the article (e.g. 3 for (三)), if the rule cites one.",
    "ArticleRef.chapter": "The chapter heading, if the text has chapters.",
    "ArticleRef.quote": "The words of the article the rule encodes, verbatim.",
    "ArticleRef.title": "The article's heading, if it has one.",
    "ArticleRef.summary": "English summary of the article.",
    "ArticleRef.effective": "First day of the article version cited, if dated.",
    "ArticleRef.repealed": "First day the cited version no longer applies, if dated.",
    "ArticleRef.amended_by": "The amending act that introduced the version cited.",
    "Finding.rule": "Stable rule id: <pack>.<article>[.<item>].<slug>.",
    "Finding.status": "violated, satisfied, undetermined, not_applicable or waived.",
    "Finding.severity": "The rule's severity: error, warning or info.",
    "Finding.article": "The article the rule rests on (the version in force on as_of).",
    "Finding.message": "What the finding means, in Chinese and English; for undetermined "
                       "findings, what a violation would mean.",
    "Finding.facts": "The facts the rule read, with their values.",
    "Finding.missing": "Facts whose absence left the finding undetermined.",
    "Finding.in_principle": "The rule binds in principle (原则上): an approved exception "
                            "waives it.",
    "Finding.exception": "The recorded exception that waived the rule, if any.",
    "Finding.consequence": "What the text says follows from a violation, if it says.",
    "Finding.due": "The due date of a deadline rule.",
    "Finding.details": "Rule-kind details, e.g. the missing and late periods of a "
                       "periodic report.",
    "MissingFact.fact": "A fact path to supply.",
    "MissingFact.decides": "The rules it would decide.",
    "NextStep.action": "Stable action slug.",
    "NextStep.kind": "remedial (the rule is violated) or upcoming (something falls due).",
    "NextStep.text": "What to do, in Chinese and English.",
    "NextStep.responsible": "Who must act, e.g. 业主单位.",
    "NextStep.recipient": "To whom, e.g. 市大数据局.",
    "NextStep.due": "The due date, if the step has one.",
    "NextStep.overdue": "Whether the due date has passed on as_of.",
    "NextStep.article": "The article the step rests on.",
    "NextStep.because": "The rules that call for it.",
    "PackInfo.id": "Pack id.",
    "PackInfo.title_zh": "Title of the regulation in Chinese.",
    "PackInfo.title_en": "Title of the regulation in English.",
    "PackInfo.doc_number": "Document number (发文字号), if known.",
    "PackInfo.status": "Status of the regulation as published: in_force, draft, expired "
                       "or repealed.",
    "PackInfo.in_force_on_as_of": "Whether the text was in force on as_of.",
    "PackInfo.binding": "Whether its findings bind on as_of.",
    "PackInfo.effective": "First day in force, if stated.",
    "PackInfo.expires": "Last day in force, if limited.",
    "PackInfo.validity": "The validity on as_of, in words.",
    "PackInfo.version": "Version of the pack.",
    "PackInfo.sha256": "SHA-256 of the pack file as read.",
    "Provenance.engine_version": "Version of the engine.",
    "Provenance.pack_id": "Id of the pack used.",
    "Provenance.pack_version": "Version of the pack used.",
    "Provenance.pack_sha256": "SHA-256 of the pack file as read.",
    "Provenance.calendar_version": "Version of the working-day calendar data.",
    "Provenance.backend": "The evaluation backend.",
    "RecordedExceptionRef.index": "Position in the snapshot's exceptions list.",
    "RecordedExceptionRef.reason": "Why the project departs from the rule.",
    "RecordedExceptionRef.approved_by": "Who approved the exception.",
    "RecordedExceptionRef.approved_on": "When it was approved.",
    "RecordedExceptionRef.reference": "Document number of the approval.",
    "ReportWarning.code": "Stable warning code (see docs/errors.md).",
    "ReportWarning.message": "The warning, for a person.",
    "Report.presumptions": "Exception facts the record is silent on, presumed absent, "
                           "with the clause and the rules affected.",
    "ClauseRef.pack": "Id of the pack the clause belongs to.",
    "ClauseRef.label": "The article's label as printed, e.g. 第三条.",
    "ClauseRef.item": "The item of the article, if the clause cites one.",
    "ClauseRef.quote": "The words of the clause, verbatim.",
    "CalendarUse.version": "Version of the working-day calendar data used.",
    "CalendarUse.years": "Each calendar year the evaluation consulted, with its source.",
    "CalendarYearUse.year": "The calendar year.",
    "CalendarYearUse.notice": "The State Council notice the year's holidays come from.",
    "FactOutcome.value": "A candidate value of the fact.",
    "FactOutcome.status": "The finding's status if the fact had that value.",
    "GapRef.extent": "none (the article is not encoded) or partial (only some of it is).",
    "GapRef.reason": "Why the pack does not encode it, in Chinese and English.",
    "GapRef.article": "Number of the article with the gap.",
    "GapRef.item": "The item of the article, if the gap is about one item.",
    "GapRef.accepted": "Who accepted the gap and when (null: not accepted by a reviewer).",
    "LoadedPack.id": "Id of the pack (or of the pack an amendment amends).",
    "LoadedPack.kind": "pack, or amendment (a file that extends a pack).",
    "LoadedPack.version": "Version of the pack file.",
    "LoadedPack.sha256": "SHA-256 of the file's bytes as read.",
    "LoadedPack.doc_number": "Document number (发文字号) of the regulation or amendment.",
    "LoadedPack.status": "Status as published: in_force, draft, expired or repealed.",
    "LoadedPack.effective": "First day in force, if known.",
    "LoadedPack.expires": "Last day in force, if limited.",
    "LoadedPack.repealed": "Day it was repealed, if it was.",
    "NoticeRef.title": "Title of the notice (国务院办公厅关于…部分节假日安排的通知).",
    "NoticeRef.doc_number": "Its document number, where verified; null otherwise.",
    "NoticeRef.issued": "Date it was issued, where verified.",
    "NoticeRef.url": "Where it was published, if recorded.",
    "NoticeRef.note": "Why a number or date is missing, or what else fixed the year's days.",
    "QueryDecision.rule": "The undetermined rule the fact can decide.",
    "QueryDecision.severity": "The rule's severity.",
    "QueryDecision.binding": "Whether the rule's finding would bind.",
    "QueryDecision.outcomes": "The status the finding takes for each candidate value.",
    "QueryItem.rank": "Position in the plan (1: the fact to supply first).",
    "QueryItem.fact": "The fact path to supply.",
    "QueryItem.score": "How much supplying it can change the outcome (findings it decides, "
                       "weighted by severity and binding).",
    "QueryItem.decides": "The findings it would decide, and how.",
    "QueryItem.text": "The request to supply it, in Chinese and English.",
    "Receipt.engine_version": "Version of govrules that made the report.",
    "Receipt.report_schema": "Version of the report's schema.",
    "Receipt.as_of": "The evaluation date.",
    "Receipt.options": "Options that change the result (audit trail, backend, strict "
                       "presumptions), so a replay uses the same.",
    "Receipt.packs": "Every pack and amendment file loaded, with its hash and validity.",
    "Receipt.calendar": "The calendar data used and the notice of each year consulted.",
    "Receipt.presumptions": "The presumptions the report rests on.",
    "Receipt.snapshot": "The snapshot: id, where it was read, and hashes of its bytes and "
                        "facts.",
    "SnapshotRef.id": "The snapshot's `id`, if it has one.",
    "_Bilingual.zh": "Chinese text.",
    "_Bilingual.en": "English text.",
    "Text.zh": "Chinese text.",
    "Text.en": "English text.",
}


def describe_schema(defs: dict[str, Any]) -> None:
    """Give each property of the schema definitions ``defs`` (by model name) the
    description :data:`FIELD_DOCS` has for it, where it has none of its own."""
    for name, node in defs.items():
        for key, prop in node.get("properties", {}).items():
            text = FIELD_DOCS.get(f"{name}.{key}")
            if text and "description" not in prop:
                prop["description"] = text
