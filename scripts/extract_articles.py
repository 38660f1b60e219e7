"""Split a regulation's text into articles, verbatim, as a pack's ``articles:`` YAML.

Usage: python scripts/extract_articles.py SEED.txt [--start TEXT] [--last]

``--start`` names the text where the measures begin (the first match, or the last one
with ``--last``, for captures that hold the text twice). Each article keeps its label
(第十五条), chapter, heading where the text has one, and its words verbatim; lines broken
mid-sentence by the capture are joined. Summaries are left for the analyst to write.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

NUMERALS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
            "九": 9, "十": 10, "百": 100}
CN = "零一二三四五六七八九十百"
ARTICLE = re.compile(rf"^\s*(第[{CN}]+条)\s*(.*)$")
CHAPTER = re.compile(rf"^\s*(第[{CN}]+章)\s*(.*)$")
JOINED = re.compile(rf"^(.*?)(第[{CN}]+章[^第]*?)(第[{CN}]+条.*)$")
STOP = ("http", "抄送", "网站地图", "转自", "评论前必须登录")


def cn_number(text: str) -> int:
    """第二十一条 -> 21."""
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


def extract(text: str) -> list[dict[str, object]]:
    articles: list[dict[str, object]] = []
    chapter: str | None = None
    current: dict[str, object] | None = None
    body: list[str] = []

    def flush() -> None:
        if current is not None:
            joined = ""
            for piece in (b.strip() for b in body):
                if not piece:
                    continue
                if joined and joined[-1] in "。：；:;）)":
                    joined += "\n"
                joined += piece
            current["text"] = joined
            articles.append(current)

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
            flush()
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
    flush()
    return articles


class _Dumper(yaml.SafeDumper):
    """Writes multi-line text as block literals, as an analyst would."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("seed")
    parser.add_argument("--start", default="")
    parser.add_argument("--last", action="store_true")
    args = parser.parse_args()
    text = Path(args.seed).read_text(encoding="utf-8")
    if args.start:
        index = text.rfind(args.start) if args.last else text.find(args.start)
        if index < 0:
            print(f"start text {args.start!r} not found", file=sys.stderr)
            return 2
        text = text[index:]
    for article in extract(text):
        article["summary"] = ""
        yaml.dump([article], sys.stdout, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                  width=1000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
