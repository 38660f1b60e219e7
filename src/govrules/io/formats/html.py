"""One self-contained HTML report (to print or attach): verdict, timeline, findings.

Everything is inline (CSS and the SVG timeline of :mod:`govrules.io.formats.timeline`): the
file opens offline, in any browser, and prints on A4. Chinese comes first and English
follows each text, as in the reports' own bilingual fields.
"""

from __future__ import annotations

from html import escape
from typing import TextIO

from govrules.io.batch import Outcome, Piece, Summary, describe
from govrules.io.formats.common import FormatContext, reports_of
from govrules.io.formats.timeline import timeline_svg
from govrules.model.report import CombinedReport, Finding, Report

__all__ = ["STATUSES", "VERDICTS", "HtmlEncoder", "HtmlWriter", "report_html"]

VERDICTS: dict[str, tuple[str, str]] = {
    "compliant": ("合规", "compliant"),
    "non_compliant": ("不合规", "non-compliant"),
    "undetermined": ("无法判定", "undetermined"),
    "not_applicable": ("不适用", "not applicable"),
}
STATUSES: dict[str, tuple[str, str]] = {
    "violated": ("违反", "violated"),
    "satisfied": ("符合", "satisfied"),
    "undetermined": ("无法判定", "undetermined"),
    "not_applicable": ("不适用", "not applicable"),
    "waived": ("已豁免", "waived"),
}

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:0 auto;max-width:
1100px;padding:16px;color:#1b1b1b;line-height:1.5}
h1{font-size:1.4em}h2{font-size:1.2em;border-bottom:1px solid #ccc;padding-bottom:4px}
.en{color:#555}.timeline .en{display:none}
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;font-weight:bold}
.v-compliant{background:#d8f0dc}.v-non_compliant{background:#f7d4d0}
.v-undetermined{background:#fbeec6}.v-not_applicable{background:#e4e4e4}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 6px;
vertical-align:top;text-align:left}th{background:#f2f2f2}
.s-violated{color:#a31e12;font-weight:bold}.s-undetermined{color:#7a5c00}
blockquote{margin:4px 0;padding:4px 8px;border-left:3px solid #999;background:#fafafa}
.errors{color:#a31e12}
@media print{body{max-width:none}details{page-break-inside:avoid}}
"""


def _both(zh: str, en: str) -> str:
    return f'{escape(zh)} <span class="en" lang="en">{escape(en)}</span>'


def _finding_row(finding: Finding) -> str:
    zh, en = STATUSES.get(finding.status, (finding.status, finding.status))
    art = finding.article
    quote = f"<blockquote>{escape(art.quote)}</blockquote>" if art.quote else ""
    missing = (f"<p>缺少事实 <span class=\"en\">missing facts</span>: "
               f"{escape(', '.join(finding.missing))}</p>" if finding.missing else "")
    return (f'<tr><td class="s-{finding.status}">{_both(zh, en)}</td>'
            f"<td>{escape(finding.severity)}</td><td>{escape(art.label)}</td>"
            f"<td>{escape(finding.due.isoformat()) if finding.due else ''}</td>"
            f"<td><details><summary>{escape(finding.message.zh)}<br>"
            f'<span class="en" lang="en">{escape(finding.message.en)}</span></summary>'
            f"<p><code>{escape(finding.rule)}</code></p>{quote}{missing}</details></td></tr>")


def _report(report: Report) -> str:
    zh, en = VERDICTS[report.verdict]
    pack = report.pack
    parts = [f"<h3>{escape(pack.title_zh)} <span class=\"en\" lang=\"en\">"
             f"{escape(pack.title_en)}</span></h3>",
             f'<p><span class="verdict v-{report.verdict}">{_both(zh, en)}</span> '
             f"{escape(pack.id)} v{escape(pack.version)} · {escape(pack.doc_number or '-')} · "
             f"{'有约束力' if report.binding else '无约束力'} "
             f"<span class=\"en\">{'binding' if report.binding else 'not binding'}</span></p>"]
    if report.findings:
        parts.append("<table><thead><tr><th>状态 <span class=\"en\">status</span></th>"
                     "<th>级别 <span class=\"en\">severity</span></th>"
                     "<th>条款 <span class=\"en\">article</span></th>"
                     "<th>期限 <span class=\"en\">due</span></th>"
                     "<th>说明 <span class=\"en\">finding</span></th></tr></thead><tbody>"
                     + "".join(_finding_row(f) for f in report.findings) + "</tbody></table>")
    if report.next_steps:
        parts.append("<h4>下一步 <span class=\"en\">Next steps</span></h4><ol>")
        for step in report.next_steps:
            due = f" — {step.due}" if step.due else ""
            late = " <strong>已逾期 overdue</strong>" if step.overdue else ""
            parts.append(f"<li>{_both(step.text.zh, step.text.en)}{escape(due)}{late} "
                         f"({escape(step.article.label)})</li>")
        parts.append("</ol>")
    if report.warnings:
        parts.append("<h4>提示 <span class=\"en\">Warnings</span></h4><ul>"
                     + "".join(f"<li><code>{escape(w.code)}</code> {escape(w.message)}</li>"
                               for w in report.warnings) + "</ul>")
    return "".join(parts)


def report_html(result: Report | CombinedReport, source: str) -> str:
    """One record's section: heading, timeline, then each pack's report."""
    zh, en = VERDICTS[result.verdict]
    head = (f"<section><h2>{escape(result.snapshot_id or source)} · 检查日 "
            f"<span class=\"en\">as of</span> {result.as_of} · "
            f'<span class="verdict v-{result.verdict}">{_both(zh, en)}</span></h2>'
            f"<p><small>{escape(source)}</small></p>")
    body = "".join(_report(r) for r in reports_of(result))
    return head + timeline_svg(result) + body + "</section>"


class HtmlEncoder:
    def __init__(self, context: FormatContext) -> None:
        del context

    def __call__(self, outcome: Outcome) -> str:
        if outcome.result is None:
            lines = "".join(f"<li><code>{escape(describe(d))}</code></li>"
                            for d in outcome.diagnostics)
            return (f'<section class="errors"><h2>{escape(outcome.record.source)}: 无法检查 '
                    f'<span class="en">not checked</span></h2><ul>{lines}</ul></section>')
        return report_html(outcome.result, outcome.record.source)


class HtmlWriter:
    """The document head, the sections in input order, the run's summary."""

    def __init__(self, context: FormatContext, out: TextIO) -> None:
        del context
        self.out = out
        self.out.write('<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8">'
                       '<meta name="viewport" content="width=device-width, initial-scale=1">'
                       "<title>govrules 检查报告 / report</title>"
                       f"<style>{_CSS}</style></head><body>"
                       "<h1>合规检查报告 <span class=\"en\" lang=\"en\">Compliance report"
                       "</span></h1>\n")

    def write(self, piece: Piece) -> None:
        self.out.write(str(piece.payload) + "\n")

    def finish(self, summary: Summary) -> None:
        self.out.write(f"<footer><p>{summary.records} 条记录 <span class=\"en\">records</span>"
                       f": {summary.checked} 已检查 <span class=\"en\">checked</span>, "
                       f"{summary.errors} 错误 <span class=\"en\">errors</span></p></footer>"
                       "</body></html>\n")
