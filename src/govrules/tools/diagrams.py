"""Pictures for the docs, as SVG written by ``govrules docs`` (no script, no CDN).

- :func:`lifecycle_svg`: the project lifecycle (规划 → … → 运行维护), with each city's
  obligations hung on the phase they belong to;
- :func:`timeline_svg`: one pack's deadlines: the event, the period, what is due.

A rule's phase is read off the facts it is about: a deadline's act (``done_on``), else
the snapshot groups its conditions read, the latest phase among them. Every shape has a
``<title>`` (hover text) naming the rules, and the text is real text (searchable,
translatable); Chinese runs carry ``lang="zh-CN"``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from govrules.model.pack import CompiledRule, Pack

__all__ = ["PHASES", "lifecycle_svg", "rule_phase", "timeline_svg"]

PHASES: tuple[tuple[str, str, str], ...] = (
    ("planning", "规划", "planning"),
    ("approved", "申报与审批", "declaration, approval"),
    ("procurement", "采购", "procurement"),
    ("contracted", "合同", "contract"),
    ("implementation", "建设实施", "implementation"),
    ("trial_run", "试运行", "trial run"),
    ("acceptance", "验收", "acceptance"),
    ("operation", "运行维护", "operation and evaluation"),
)
"""The lifecycle as the snapshot's ``project.phase`` names it, grouped for a picture."""

_GROUP_PHASE = {
    "planning": "planning", "budget": "approved", "funding": "approved",
    "procurement": "procurement", "contract": "contracted", "service": "contracted",
    "construction": "implementation", "deployment": "implementation", "data":
    "implementation", "security": "implementation", "reports": "implementation",
    "trial_run": "trial_run", "acceptance": "acceptance", "operation": "operation",
    "performance": "operation", "inspection": "operation", "rectification": "operation",
}
_ORDER = [p for p, _, _ in PHASES]
_FONT = ("font-family=\"'Noto Sans CJK SC','Source Han Sans SC','PingFang SC',"
         "'Microsoft YaHei',sans-serif\"")
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b")


def rule_phase(rule: CompiledRule) -> str | None:
    """The lifecycle phase a rule's obligation belongs to (None: not tied to one)."""
    deadline = rule.spec.deadline
    if deadline is not None:
        group = deadline.done_on.split(".")[0]
        if group in _GROUP_PHASE:
            return _GROUP_PHASE[group]
    phases = {_GROUP_PHASE[f.split(".")[0]] for f in rule.facts
              if f.split(".")[0] in _GROUP_PHASE}
    if not phases:
        return None
    return max(phases, key=_ORDER.index)


def _zh(text: str, x: float, y: float, *, size: int = 13, anchor: str = "middle",
        weight: str = "normal") -> str:
    return (f'<text x="{x:g}" y="{y:g}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" lang="zh-CN">{escape(text)}</text>')


def _en(text: str, x: float, y: float, *, size: int = 11, anchor: str = "middle",
        fill: str = "#555") -> str:
    return (f'<text x="{x:g}" y="{y:g}" font-size="{size}" text-anchor="{anchor}" '
            f'fill="{fill}">{escape(text)}</text>')


def _svg(width: float, height: float, title: str, body: Sequence[str]) -> str:
    return "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'width="100%" role="img" aria-label="{escape(title)}" {_FONT}>',
        f"<title>{escape(title)}</title>", *body, "</svg>", ""])


def lifecycle_svg(packs: Iterable[Pack]) -> str:
    """The lifecycle with each pack's obligations per phase (dot size: how many)."""
    packs = list(packs)
    col, left, top = 132.0, 110.0, 78.0
    row = 34.0
    width = left + col * len(PHASES) + 10
    height = top + row * len(packs) + 20
    body = [f'<rect width="{width:g}" height="{height:g}" fill="#fff"/>']
    for i, (_key, zh, en) in enumerate(PHASES):
        x = left + col * i
        body.append(f'<rect x="{x + 4:g}" y="8" width="{col - 16:g}" height="44" rx="6" '
                    'fill="#eef3fb" stroke="#6b8fc7"/>')
        body.append(_zh(zh, x + col / 2 - 6, 28, weight="bold"))
        body.append(_en(en, x + col / 2 - 6, 44, size=10))
        if i < len(PHASES) - 1:
            body.append(f'<path d="M{x + col - 12:g} 30 l10 0 m-4 -4 l4 4 l-4 4" '
                        'stroke="#6b8fc7" fill="none"/>')
    for r, pack in enumerate(packs):
        y = top + row * r
        colour = _COLOURS[r % len(_COLOURS)]
        body.append(_zh(pack.meta.city.zh, 8, y + 5, anchor="start"))
        body.append(_en(pack.id, 8, y + 18, size=10, anchor="start"))
        body.append(f'<line x1="{left:g}" y1="{y:g}" x2="{width - 20:g}" y2="{y:g}" '
                    'stroke="#ddd"/>')
        counts: dict[str, list[str]] = {}
        for rule in pack.rules:
            phase = rule_phase(rule)
            if phase is not None:
                counts.setdefault(phase, []).append(rule.id)
        for i, (key, zh, _en_label) in enumerate(PHASES):
            ids = counts.get(key, [])
            if not ids:
                continue
            x = left + col * i + col / 2 - 6
            radius = min(13.0, 4.0 + 1.6 * len(ids))
            hover = f"{pack.meta.city.zh} {zh}: " + ", ".join(ids)
            body.append(f'<g><title>{escape(hover)}</title><circle cx="{x:g}" cy="{y:g}" '
                        f'r="{radius:g}" fill="{colour}" fill-opacity="0.8"/>')
            body.append(f'<text x="{x:g}" y="{y + 4:g}" font-size="11" text-anchor="middle" '
                        f'fill="#fff">{len(ids)}</text></g>')
    return _svg(width, height, "各市义务在项目生命周期中的分布 — obligations by lifecycle "
                "phase", body)


def _days(amount: int, unit: str) -> float:
    return amount * {"working_days": 1.4, "days": 1.0, "months": 30.4, "years": 365.0}[unit]


def timeline_svg(pack: Pack) -> str | None:
    """The pack's deadlines and reporting periods, longest last; None when it has none."""
    rows: list[tuple[float, str, str, str, str]] = []
    for rule in pack.rules:
        spec = rule.spec
        if spec.deadline is not None:
            within = spec.deadline.within
            unit = within.unit.replace("_", " ")
            rows.append((_days(within.amount, within.unit), rule.id, spec.deadline.after,
                         f"{within.amount} {unit}", spec.deadline.done_on))
        elif spec.periodic is not None and rule.periodic is not None:
            periodic = rule.periodic
            period = (f"{periodic.amount} {periodic.unit.replace('_', ' ')} after each "
                      f"{spec.periodic.period}" if periodic.unit
                      else f"by the end of the next {spec.periodic.period}")
            rows.append((91.0, rule.id, f"each {spec.periodic.period}", period,
                         periodic.records_path))
    if not rows:
        return None
    rows.sort(key=lambda r: (r[0], r[1]))
    longest = max(1.0, *(r[0] for r in rows))
    left, bar_max, row = 300.0, 360.0, 44.0
    width, height = left + bar_max + 250, 40 + row * len(rows)
    body = [f'<rect width="{width:g}" height="{height:g}" fill="#fff"/>',
            _en("event", left - 8, 22, anchor="end", size=11, fill="#333"),
            _en("period allowed (length ∝ √days)", left + bar_max / 2, 22, size=11,
                fill="#333"),
            _en("due: the act", left + bar_max + 10, 22, anchor="start", size=11,
                fill="#333")]
    for i, (days, rid, after, label, done) in enumerate(rows):
        y = 44 + row * i
        length = max(18.0, bar_max * (days / longest) ** 0.5)
        body.append(f"<g><title>{escape(rid)}: {escape(after)} + {escape(label)} → "
                    f"{escape(done)}</title>")
        body.append(_en(after, left - 8, y + 4, anchor="end", size=11, fill="#222"))
        body.append(_en(rid, left - 8, y + 17, anchor="end", size=9, fill="#888"))
        body.append(f'<rect x="{left:g}" y="{y - 7:g}" width="{length:g}" height="14" rx="3" '
                    'fill="#6b8fc7"/>')
        body.append(_en(label, left + length / 2, y + 22, size=10, fill="#335"))
        body.append(f'<path d="M{left + length + 2:g} {y:g} l8 0 m-4 -4 l4 4 l-4 4" '
                    'stroke="#333" fill="none"/>')
        body.append(_en(done, left + length + 14, y + 4, anchor="start", size=11,
                        fill="#222") + "</g>")
    return _svg(width, height, f"{pack.meta.title.zh} — deadlines", body)
