"""Why a rule does not govern a conduct outside its text's validity, and the article cited."""

from __future__ import annotations

from govrules.model.compiled import Pack
from govrules.model.pack_format import Metadata
from govrules.model.report import ArticleRef, Text

__all__ = ["validity_citation", "validity_reason"]


def validity_reason(kind: str, day: object, meta: Metadata) -> Text:
    """The reason, in both languages, for a conduct on ``day`` outside the window."""
    first, last = meta.effective, meta.expires
    if kind == "before":
        return Text(zh=f"行为日期{day}早于本办法施行日期{first}:不适用本办法。",
                    en=f"The conduct on {day} predates the text, in force from {first}: "
                       "it is not governed by it.")
    if kind == "predates":
        note = meta.not_before_reason
        return Text(zh=f"行为日期{day}早于本办法可能施行的最早日期{meta.not_before}:不适用本办法。"
                       + (note.zh if note else ""),
                    en=f"The conduct on {day} predates the earliest day the text can have "
                       f"been in force ({meta.not_before}): it is not governed by it. "
                       + (note.en if note else ""))
    if kind == "repealed":
        return Text(zh=f"行为日期{day}在本办法废止({meta.repealed})之后:不适用本办法。",
                    en=f"The conduct on {day} is after the text was repealed on "
                       f"{meta.repealed}: it is not governed by it.")
    return Text(zh=f"行为日期{day}在本办法有效期届满({last})之后:不适用本办法。",
                en=f"The conduct on {day} is after the text lapsed on {last}: it is not "
                   "governed by it.")


def validity_citation(pack: Pack) -> ArticleRef | None:
    """The article that fixes the text's validity, when the pack names it."""
    number = pack.meta.validity_article
    article = pack.articles.get(number) if number is not None else None
    if article is None:
        return None
    return ArticleRef(pack=pack.id, number=article.number, label=article.label,
                      title=article.title, chapter=article.chapter, quote=article.text)
