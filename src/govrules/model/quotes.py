"""Why a quote is not verbatim: the closest passage, the first character that differs,
and which article does contain it.

>>> hint = explain_mismatch("合同签订之日起5个工作日内,将合同报备", {2: ("第二条",
...     "项目建设单位应当自合同签订之日起5个工作日内，将合同报市大数据局备案。")}, 2)
>>> hint.split("; ")[1]
"first difference at character 14: ',' (half-width) where the text has '，' (full-width): \
Chinese texts use full-width punctuation"
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Mapping

from govrules.model.compiled import normalise_ws

__all__ = ["explain_mismatch"]


def _width(ch: str) -> str:
    kind = unicodedata.east_asian_width(ch)
    return "full-width" if kind in "FW" else "half-width" if kind in "NaH" else ""


def _closest(quote: str, text: str) -> tuple[str, int]:
    """The passage of ``text`` aligned with ``quote`` on their first common run (of
    three characters or more), and the index of the first character that differs."""
    matcher = difflib.SequenceMatcher(None, text, quote, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size >= min(3, len(quote))]
    start = max(0, blocks[0].a - blocks[0].b) if blocks else 0
    passage = text[start:start + len(quote)]
    first = next((i for i, (a, b) in enumerate(zip(passage, quote, strict=False)) if a != b),
                 min(len(passage), len(quote)))
    return passage, first


def explain_mismatch(quote: str, articles: Mapping[int, tuple[str, str]],
                     cited: int) -> str:
    """A hint for a quote not found in article ``cited``: ``articles`` maps each number
    to its label and text."""
    q = normalise_ws(quote)
    for number, (label, text) in articles.items():
        if number != cited and q in normalise_ws(text):
            return f"the quote is in {label}: did you mean article: {number}?"
    label, text = articles.get(cited, ("", ""))
    del label
    t = normalise_ws(text)
    if not q or not t:
        return "quotes must be verbatim (whitespace aside)"
    passage, first = _closest(q, t)
    hint = f"closest passage: {passage!r}"
    if first < len(q) and first < len(passage):
        got, want = q[first], passage[first]
        hint += (f"; first difference at character {first + 1}: {got!r}"
                 f"{f' ({_width(got)})' if _width(got) else ''} where the text has "
                 f"{want!r}{f' ({_width(want)})' if _width(want) else ''}")
        if unicodedata.normalize("NFKC", got) == unicodedata.normalize("NFKC", want):
            hint += ": Chinese texts use full-width punctuation"
    elif first < len(q):
        hint += f"; the quote goes on past the text with {q[first:first + 8]!r}"
    return hint
