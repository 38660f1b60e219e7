"""Split a regulation's text into articles, verbatim, in a pack's ``articles:`` form.

Each article keeps its label (第十五条), its number, its chapter, its heading where the
text has one, and its words verbatim; lines broken mid-sentence by a web capture are
joined. Summaries are left for the analyst to write.

>>> articles = extract("第一章 总则\\n第一条 为了规范管理,\\n制定本办法。\\n第二条 施行。")
>>> [(a["number"], a["label"], a["chapter"]) for a in articles]
[(1, '第一条', '第一章 总则'), (2, '第二条', '第一章 总则')]
>>> articles[0]["text"]
'为了规范管理,制定本办法。'
"""

from __future__ import annotations

import re

import yaml

from govrules.base.errors import Diagnostic, InputError
from govrules.base.i18n import _
from govrules.base.loader import Span

__all__ = ["analyst_yaml", "articles_yaml", "cn_number", "extract", "start_at"]

NUMERALS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
            "九": 9, "十": 10, "百": 100}
CN = "零一二三四五六七八九十百"
ARTICLE = re.compile(rf"^\s*(第[{CN}]+条)\s*(.*)$")
CHAPTER = re.compile(rf"^\s*(第[{CN}]+章)\s*(.*)$")
JOINED = re.compile(rf"^(.*?)(第[{CN}]+章[^第]*?)(第[{CN}]+条.*)$")
STOP = ("http", "抄送", "网站地图", "转自", "评论前必须登录")


def cn_number(text: str) -> int:
    """第二十一条 -> 21.

    >>> cn_number("第二十一条"), cn_number("第十条"), cn_number("第一百零二条")
    (21, 10, 102)
    """
    digits = text.strip("第条章")
    total, current = 0, 0
    for ch in digits:
        value = NUMERALS[ch]
        if value >= 10:
            total += (current or 1) * value
            current = 0
        else:
            current = value
    return total + current


def _lines(text: str) -> list[str]:
    out: list[str] = []
    for line in text.splitlines():
        match = JOINED.match(line.strip())
        if match and match.group(2):
            out.extend(x for x in (match.group(1), match.group(2), match.group(3)) if x)
        else:
            out.append(line)
    return out


def _join(body: list[str]) -> str:
    joined = ""
    for piece in (b.strip() for b in body):
        if not piece:
            continue
        if joined and joined[-1] in "。：；:;）)":
            joined += "\n"
        joined += piece
    return joined


def extract(text: str) -> list[dict[str, object]]:
    """The articles of ``text``, in order, as mappings ready for a pack's ``articles:``."""
    articles: list[dict[str, object]] = []
    chapter: str | None = None
    current: dict[str, object] | None = None
    body: list[str] = []
    for raw in _lines(text):
        line = raw.strip()
        if line.startswith(STOP):
            break
        chapter_match = CHAPTER.match(line)
        if chapter_match and len(line) <= 20:
            chapter = " ".join(x for x in chapter_match.groups() if x).replace("  ", " ")
            continue
        article_match = ARTICLE.match(line)
        if article_match:
            if current is not None:
                current["text"] = _join(body)
                articles.append(current)
            label, rest = article_match.groups()
            current = {"number": cn_number(label), "label": label, "chapter": chapter}
            body = []
            heading = re.match(r"^([^。，,；]{2,10})。$", rest.strip())
            if heading:
                current["title"] = heading.group(1)
            elif rest.strip():
                body.append(rest)
            continue
        if current is not None:
            body.append(line)
    if current is not None:
        current["text"] = _join(body)
        articles.append(current)
    return articles


def start_at(text: str, start: str, *, last: bool = False, file: str | None = None) -> str:
    """``text`` from the first (or ``last``) occurrence of ``start``, where the measures
    begin in a capture that holds other material."""
    if not start:
        return text
    index = text.rfind(start) if last else text.find(start)
    if index < 0:
        raise InputError(Diagnostic(
            "seed-start-not-found", _("start text {start!r} not found").format(start=start),
            Span(file), hint=_("copy the first words of the measures (e.g. the title or 第一条) "
                               "from the text")))
    return text[index:]


class _Dumper(yaml.SafeDumper):
    """Writes multi-line text as block literals, as an analyst would, and never an alias
    (the loader refuses them)."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def analyst_yaml(data: object) -> str:
    """``data`` as YAML the way an analyst writes it: keys in order, Chinese as is,
    multi-line text as block literals."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def articles_yaml(articles: list[dict[str, object]], summary: str = "") -> str:
    """The articles as YAML list items (``- number: ...``), each with a ``summary`` to write."""
    out: list[str] = []
    for article in articles:
        item = {k: v for k, v in article.items() if v is not None}
        item["summary"] = summary
        out.append(yaml.dump([item], Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                             width=1000))
    return "".join(out)
