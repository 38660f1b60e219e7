"""Packs as the API and the web page show them: article by article, rules under each."""

from __future__ import annotations

from typing import Any

from govrules.base.errors import Diagnostic, InputError
from govrules.model.pack import Pack, builtin_pack, builtin_pack_ids
from govrules.model.pack_format import ArticleSpec

__all__ = ["article_view", "pack_list", "pack_view"]


def _rule_form(rule: Any) -> str:
    spec = rule.spec
    if getattr(spec, "deadline", None) is not None:
        return "deadline"
    if getattr(spec, "periodic", None) is not None:
        return "periodic"
    return "condition"


def _rule(rule: Any) -> dict[str, Any]:
    spec = rule.spec.model_dump(mode="json", by_alias=True, exclude_none=True)
    return {"id": rule.id, "title": spec.get("title"), "severity": spec.get("severity"),
            "in_principle": bool(spec.get("in_principle", False)),
            "item": rule.citation.item, "quote": rule.citation.quote, "form": _rule_form(rule),
            "spec": spec}


def _summary(pack: Pack) -> dict[str, Any]:
    meta = pack.meta
    return {"id": pack.id, "version": meta.version, "status": meta.status,
            "city": meta.city.model_dump(), "title": meta.title.model_dump(),
            "issuer": meta.issuer.model_dump(), "doc_number": meta.doc_number,
            "effective": meta.effective.isoformat() if meta.effective else None,
            "expires": meta.expires.isoformat() if meta.expires else None,
            "sha256": pack.sha256, "articles": len(pack.articles), "rules": len(pack.rules)}


def pack_list() -> list[dict[str, Any]]:
    """Every built-in pack's metadata and counts."""
    return [_summary(builtin_pack(pack_id)) for pack_id in builtin_pack_ids()]


def _article(pack: Pack, article: ArticleSpec) -> dict[str, Any]:
    data = article.model_dump(mode="json", exclude_none=True)
    data["rules"] = [_rule(r) for r in pack.rules if r.citation.number == article.number]
    data["scope"] = [{"id": c.spec.id, "quote": c.citation.quote} for c in pack.scope
                     if c.citation.number == article.number]
    data["not_checkable"] = [n.reason for n in pack.not_checkable
                             if n.article == article.number]
    return data


def pack_view(pack_id: str) -> dict[str, Any]:
    """A built-in pack: metadata, then every article with the rules that cite it."""
    pack = builtin_pack(pack_id)
    view = _summary(pack)
    view["validity_note"] = pack.meta.validity_note
    view["article_list"] = [_article(pack, a) for _, a in sorted(pack.articles.items())]
    return view


def article_view(pack_id: str, number: int) -> dict[str, Any]:
    """One article of a built-in pack with its rules; unknown numbers are located errors."""
    pack = builtin_pack(pack_id)
    article = pack.articles.get(number)
    if article is None:
        raise InputError(Diagnostic(
            "unknown-article", f"pack {pack_id!r} has no article {number}", path="number",
            hint=f"articles: {min(pack.articles)}..{max(pack.articles)}"))
    return {"pack": _summary(pack), **_article(pack, article)}
