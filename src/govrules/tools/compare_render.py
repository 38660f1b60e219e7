"""``govrules compare`` for people: a matrix of topics by city, then why, as text or
Markdown (JSON is :meth:`govrules.tools.compare.Comparison.to_json_dict`)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from govrules.base.printable import printable
from govrules.io.formats.escape import code_span
from govrules.model.report import Finding
from govrules.tools.compare import Cell, CityColumn, Comparison

__all__ = ["comparison_markdown", "comparison_text"]

_MARK = {"violated": "✗", "undetermined": "?", "waived": "~", "satisfied": "✓",
         "not_applicable": "–", None: "·"}
_VERDICT = {"compliant": "✓ compliant", "non_compliant": "✗ non-compliant",
            "undetermined": "? undetermined", "not_applicable": "– not applicable"}
LEGEND = ("✗ violated  ? undetermined  ~ waived  ✓ satisfied  – not applicable  "
          "· no such obligation")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


def _cell_text(cell: Cell, *, limit: int | None = 1) -> str:
    mark = _MARK[cell.status]
    if not cell.articles:
        return mark
    shown = cell.articles if limit is None else cell.articles[:limit]
    more = len(cell.articles) - len(shown)
    return f"{mark} {', '.join(shown)}" + (f" +{more}" if more else "")


def comparison_text(comparison: Comparison) -> str:
    """The matrix for a terminal, then each city's violations with their articles."""
    cities = comparison.cities
    head = ["", *[c.pack for c in cities]]
    rows = [head, ["", *[c.city_zh for c in cities]],
            ["verdict", *[_VERDICT[c.verdict] for c in cities]],
            ["binding", *["yes" if c.binding else "NO" for c in cities]], []]
    rows += [[f"{r.en} {r.zh}", *[_cell_text(r.cells[c.pack]) for c in cities]]
             for r in comparison.rows]
    widths = [max((_width(row[i]) for row in rows if len(row) > i), default=0) + 2
              for i in range(len(head))]
    lines = [f"snapshot {printable(comparison.snapshot_id or '(no id)')} · "
             f"as of {comparison.as_of} · {len(cities)} regulations", ""]
    lines += ["".join(_pad(text, w) for text, w in zip(row, widths, strict=False)).rstrip()
              for row in rows]
    lines += ["", LEGEND, "", "Why"]
    for city in cities:
        lines += _why_text(city, comparison.violations.get(city.pack, []))
    return "\n".join(lines) + "\n"


def _why_text(city: CityColumn, found: Sequence[Finding]) -> list[str]:
    """One city's line of the "Why" section, then each violation with its article."""
    binding = "binding" if city.binding else f"NOT binding: {city.validity}"
    lines = [f"  {city.pack} ({city.city_zh}, {binding}): "
             + (f"{len(found)} violated" if found else "no violation")
             + (f", {city.undetermined} undetermined" if city.undetermined else "")]
    for finding in found:
        article = finding.article
        heading = f"{article.label} {article.title}" if article.title else article.label
        lines.append(f"    ✗ {finding.rule}  {heading}  [{finding.severity}]")
        if article.quote:
            lines.append(f"      「{article.quote}」")
        lines.append(f"      {finding.message.zh}")
        lines.append(f"      {finding.message.en}")
    return lines


def comparison_markdown(comparison: Comparison) -> str:
    """The matrix as a Markdown table, then each city's violations."""
    cities = comparison.cities
    lines = [f"## Project {code_span(comparison.snapshot_id or '(no id)')} under "
             f"{len(cities)} regulations (as of {comparison.as_of})", "",
             "| topic | " + " | ".join(f"{c.pack} {c.city_zh}" for c in cities) + " |",
             "|---|" + "---|" * len(cities),
             "| **verdict** | " + " | ".join(
                 _VERDICT[c.verdict] + ("" if c.binding else " (not binding)")
                 for c in cities) + " |"]
    lines += [f"| {r.en} {r.zh} | "
              + " | ".join(_cell_text(r.cells[c.pack], limit=None) for c in cities) + " |"
              for r in comparison.rows]
    lines += ["", f"_{LEGEND}_", "", "### Why", ""]
    for city in cities:
        found = comparison.violations.get(city.pack, [])
        lines.append(f"**{city.pack}** ({city.city_zh}"
                     + ("" if city.binding else ", not binding") + "): "
                     + (f"{len(found)} violated" if found else "no violation"))
        lines.append("")
        for finding in found:
            article = finding.article
            heading = f"{article.label} {article.title}" if article.title else article.label
            lines.append(f"- `{finding.rule}` {heading}: {finding.message.en} "
                         f"「{article.quote or ''}」")
        if found:
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
