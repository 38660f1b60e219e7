"""Declared encoding gaps: what a pack does not encode, and what a run does about them.

A pack's ``gaps:`` say, per article or item, what is not encoded (``extent: none``) or
encoded only in part (``extent: partial``), why, and whether a reviewer accepted it. A
finding whose article is only partly encoded carries the gap (``Finding.gap``) and the
report warns ``encoding-gap``. ``check --gaps`` decides the rest: ``warn`` (default)
keeps the warning, ``ignore`` drops it, ``error`` also fails the record when a finding
rests on a gap no reviewer accepted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from govrules.model.audit import GapRef
from govrules.model.report import ReportWarning

if TYPE_CHECKING:
    from govrules.model.compiled import Pack
    from govrules.model.report import Finding, Report

__all__ = ["GAP_MODES", "GAP_WARNING", "GapMode", "apply_gap_mode", "gap_of", "gap_warning",
           "unaccepted_gap_findings"]

GapMode = Literal["error", "warn", "ignore"]
GAP_MODES: tuple[str, ...] = ("error", "warn", "ignore")
GAP_WARNING = "encoding-gap"


def gap_of(pack: Pack, finding: Finding) -> GapRef | None:
    """The partial-encoding gap declared for the article (or item) a finding cites."""
    article = finding.article
    if article.pack != pack.id:
        return None
    for gap in pack.gaps:
        if gap.extent != "partial" or gap.article != article.number:
            continue
        if gap.item is not None and str(gap.item) != str(article.item):
            continue
        return GapRef(extent=gap.extent, reason={"zh": gap.reason.zh, "en": gap.reason.en},
                      article=gap.article, item=gap.item,
                      accepted=gap.accepted.model_dump(mode="json") if gap.accepted else None)
    return None


def gap_warning(findings: list[Finding]) -> ReportWarning | None:
    """One warning naming the findings whose article is only partly encoded."""
    tainted = [f.rule for f in findings if f.gap is not None]
    if not tainted:
        return None
    return ReportWarning(code=GAP_WARNING, message=(
        f"{len(tainted)} finding{'s' if len(tainted) != 1 else ''} rest on articles the pack "
        f"encodes only in part 以下结论所依据的条款仅部分编码: {', '.join(tainted)} (each "
        "finding's gap says what is not checked 各结论的 gap 说明未检查的内容)"))


def unaccepted_gap_findings(report: Report) -> list[str]:
    """Rules of findings shown in ``report`` that rest on a gap no reviewer accepted."""
    return [f.rule for f in report.findings if f.gap is not None and f.gap.accepted is None]


def apply_gap_mode(report: Report, mode: str) -> tuple[Report, bool]:
    """The report as ``--gaps mode`` wants it, and whether the gaps fail the record."""
    if mode == "ignore":
        kept = [w for w in report.warnings if w.code != GAP_WARNING]
        if len(kept) != len(report.warnings):
            report = report.model_copy(update={"warnings": kept})
        return report, False
    return report, mode == "error" and bool(unaccepted_gap_findings(report))
