"""What a replay compares: the findings and next steps of two reports, and the receipts
that say why they can differ (engine, pack, calendar, snapshot, presumptions).

Part of :mod:`govrules.tools.replay`, which re-exports :class:`Difference` and
:class:`Cause`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from govrules.model.audit import Receipt
from govrules.model.report import Text

__all__ = ["Cause", "Difference", "compare_reports", "receipt_causes"]


@dataclass(frozen=True)
class Difference:
    """One finding or next step that is not what the report says."""

    kind: str
    """``finding``, ``step`` or ``verdict``."""
    key: str
    change: str
    """``added``, ``removed`` or ``changed``."""
    before: Any = None
    after: Any = None
    fields: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.change == "changed" and self.kind == "finding":
            parts = []
            for name in self.fields:
                old = (self.before or {}).get(name)
                new = (self.after or {}).get(name)
                parts.append(f"{name}: {_short(old)} → {_short(new)}")
            return f"finding {self.key} changed 结论变化: " + "; ".join(parts)
        if self.kind == "verdict":
            return f"verdict 总体结论: {self.before} → {self.after}"
        word = {"added": "now also 新增", "removed": "no longer 不再出现"}.get(self.change,
                                                                          self.change)
        if self.kind == "finding" and self.change == "removed" and self.before:
            now = (self.after or {}).get("status") or "not evaluated"
            return (f"finding {self.key}: {self.before.get('status')} → {now} (no longer "
                    "shown 不再列出)")
        return f"{self.kind} {self.key}: {word}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "change": self.change,
                "fields": list(self.fields), "before": self.before, "after": self.after}


@dataclass(frozen=True)
class Cause:
    """Why a replay can differ: an input or the engine is not what the receipt records."""

    kind: str
    """``pack``, ``calendar``, ``snapshot``, ``engine`` or ``presumptions``."""
    message: Text

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "message": self.message.model_dump()}


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


# -- reading reports ----------------------------------------------------------------------



def _findings(items: list[Any]) -> dict[str, dict[str, Any]]:
    return {str(f.get("rule")): f for f in items if isinstance(f, dict)}


def _step_key(step: Mapping[str, Any]) -> str:
    return (f"{step.get('action')} [{step.get('kind')}, due {step.get('due')}] because "
            f"{', '.join(step.get('because') or [])}: {(step.get('text') or {}).get('en')}")


def compare_reports(old: Mapping[str, Any], new: dict[str, Any]) -> list[Difference]:
    """What differs between a report as recorded and as made again (JSON forms)."""
    out: list[Difference] = []
    if old.get("verdict") != new.get("verdict"):
        out.append(Difference("verdict", "verdict", "changed", old.get("verdict"),
                              new.get("verdict")))
    before, after = _findings(old.get("findings") or []), _findings(new["findings"])
    for rule in sorted(set(before) | set(after)):
        a, b = before.get(rule), after.get(rule)
        if a == b:
            continue
        if a is None:
            out.append(Difference("finding", rule, "added", None, b))
        elif b is None:
            out.append(Difference("finding", rule, "removed", a, None))
        else:
            fields = tuple(k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k))
            out.append(Difference("finding", rule, "changed", a, b, fields))
    old_steps = [_step_key(s) for s in old.get("next_steps") or [] if isinstance(s, dict)]
    new_steps = [_step_key(s) for s in new["next_steps"]]
    old_full = [s for s in old.get("next_steps") or [] if isinstance(s, dict)]
    for key in sorted(set(old_steps) - set(new_steps)):
        out.append(Difference("step", key, "removed"))
    for key in sorted(set(new_steps) - set(old_steps)):
        out.append(Difference("step", key, "added"))
    if not set(old_steps) ^ set(new_steps) and old_full != new["next_steps"]:
        out.append(Difference("step", "next_steps", "changed", fields=("order or detail",)))
    return out


def receipt_causes(old: Receipt, new: Receipt) -> list[Cause]:
    """Why a replay can differ: what changed between the two receipts, in this order."""
    causes: list[Cause] = []
    if old.engine_version != new.engine_version:
        causes.append(Cause("engine", Text(
            zh=f"引擎版本已变化：{old.engine_version} → {new.engine_version}",
            en=f"engine version changed: {old.engine_version} → {new.engine_version}")))
    if old.pack_sha256 != new.pack_sha256:
        causes.append(_pack_cause(old, new))
    causes += _calendar_causes(old, new)
    causes += _snapshot_causes(old, new)
    if old.presumptions != new.presumptions:
        causes.append(Cause("presumptions", Text(zh="推定事项不同", en="the presumptions differ")))
    return causes


def _pack_cause(old: Receipt, new: Receipt) -> Cause:
    olds = {(p.kind, p.source or p.id): p for p in old.packs}
    news = {(p.kind, p.source or p.id): p for p in new.packs}
    detail = []
    for key in sorted(set(olds) | set(news)):
        a, b = olds.get(key), news.get(key)
        if a is None or b is None or a.sha256 != b.sha256 or a.version != b.version:
            detail.append(f"{key[0]} {key[1]}: version {a.version if a else '-'} → "
                          f"{b.version if b else '-'}, sha256 "
                          f"{(a.sha256 or '-')[:12] if a else '-'} → "
                          f"{(b.sha256 or '-')[:12] if b else '-'}")
    text = "; ".join(detail) or (f"sha256 {old.pack_sha256[:12]} → "
                                 f"{new.pack_sha256[:12]}")
    return Cause("pack", Text(zh=f"政策包已变化：{text}", en=f"pack changed: {text}"))


def _calendar_causes(old: Receipt, new: Receipt) -> list[Cause]:
    years_old = {y.year: y.sha256 for y in old.calendar.years}
    years_new = {y.year: y.sha256 for y in new.calendar.years}
    changed = [y for y in sorted(set(years_old) | set(years_new))
               if years_old.get(y) != years_new.get(y)]
    if not changed and old.calendar.version == new.calendar.version:
        return []
    what = (f"data for {', '.join(map(str, changed))} differs" if changed
            else "the data of the years used is the same")
    return [Cause("calendar", Text(
        zh=f"工作日日历已变化：{old.calendar.version} → {new.calendar.version}；"
           + (f"{'、'.join(map(str, changed))} 年数据不同" if changed else "所用年份数据相同"),
        en=f"calendar changed: {old.calendar.version} → {new.calendar.version}; {what}"))]


def _snapshot_causes(old: Receipt, new: Receipt) -> list[Cause]:
    was, now = old.snapshot, new.snapshot
    if was.canonical_sha256 != now.canonical_sha256:
        return [Cause("snapshot", Text(
            zh=f"项目快照已变化（规范化 sha256 {was.canonical_sha256[:12]} → "
               f"{now.canonical_sha256[:12]}）",
            en=f"snapshot changed: its facts differ (canonical sha256 "
               f"{was.canonical_sha256[:12]} → {now.canonical_sha256[:12]})"))]
    if was.sha256 and now.sha256 and was.sha256 != now.sha256:
        return [Cause("snapshot", Text(
            zh="快照文件的字节不同，但事实相同（仅格式变化）",
            en="the snapshot file's bytes differ but its facts are the same (layout only)"))]
    return []
