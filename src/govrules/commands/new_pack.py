"""``govrules new-pack``: write a skeleton pack that loads and lints."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TextIO

from govrules.articles import articles_yaml, extract, start_at
from govrules.commands.common import EXIT_OK
from govrules.errors import Diagnostic, InputError
from govrules.source import Span

NAME = "new-pack"
HELP = "write a skeleton pack (optionally with the articles of a regulation's text)"
DESCRIPTION = ("Write a skeleton pack for a new regulation. With --from-text, the articles "
               "are split from the regulation's text verbatim (labels, chapters, headings); "
               "write the summaries, the metadata and the rules, then run `govrules lint`.")

_TEMPLATE = """\
# {id}: a new policy pack. Fill in the metadata and the English summaries, then write one
# rule per checkable duty, or declare the article under gaps: (extent none or partial)
# with a reason in Chinese and English.
# Check it with `govrules lint {path}`; run its examples with `govrules test {path}`.
# Guide: docs/tutorial.md; every key: docs/pack-reference.md.
pack:
  id: {id}
  version: "0.1.0"
  city: {{zh: 待填写, en: To be filled in}}
  title: {{zh: 待填写, en: To be filled in}}
  issuer: {{zh: 待填写, en: To be filled in}}
  doc_number: null
  issued: null
  effective: null      # first day in force; null when the source does not say
  status: in_force     # in_force | draft | expired | repealed
  source: {source}

scope: []

derived: []

rules: []
# One rule per obligation, citing its article word for word, for example:
#  - id: {id}.15.change-explanation
#    article: 15
#    quote: 调整内容不超过原项目预算10%的,业主单位应编制变更说明
#    violated_when: >-
#      any(a in budget.adjustments:
#          abs(a.amount) <= budget.original * 10% and not a.explanation_filed)
#    message:
#      zh: 调整未编制变更说明。
#      en: An adjustment has no change explanation.

gaps: []

articles:
{articles}
examples: []
"""

_PLACEHOLDER = [{"number": 1, "label": "第一条", "text": "待填写:第一条的原文。"}]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="pack id: lower case, e.g. wuhan")
    parser.add_argument("--from-text", metavar="SEED.txt",
                        help="the regulation's text: its articles are filled in verbatim")
    parser.add_argument("--start", default="", metavar="TEXT",
                        help="where the measures begin in the text (e.g. 第一条)")
    parser.add_argument("--last", action="store_true",
                        help="use the last occurrence of --start (texts captured twice)")
    parser.add_argument("--out", metavar="FILE", help="where to write (default: "
                        "policies/ID.yaml when ./policies exists, else ./ID.yaml)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")


def skeleton(pack_id: str, text: str | None = None, source: str | None = None,
             path: str = "") -> str:
    """The skeleton pack's YAML (``text``: the regulation's text, from where it starts)."""
    articles = extract(text) if text is not None else _PLACEHOLDER
    if not articles:
        raise InputError(Diagnostic("seed-no-articles", "no article (第N条) found in the text",
                                    Span(source), hint="check --start, or the file's encoding"))
    body = articles_yaml(articles, summary="To be written: an English summary.")
    return _TEMPLATE.format(id=pack_id, source=source or "to-be-filled-in.txt", path=path,
                            articles=body)


def run(args: argparse.Namespace, out: TextIO) -> int:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", args.id):
        raise InputError(Diagnostic("pack-value", f"{args.id!r} is not a pack id",
                                    hint="lower-case letters, digits and _, e.g. wuhan"))
    target = Path(args.out) if args.out else (
        Path("policies") / f"{args.id}.yaml" if Path("policies").is_dir()
        else Path(f"{args.id}.yaml"))
    if target.exists() and not args.force:
        raise InputError(Diagnostic("file-exists", "the file already exists",
                                    Span(str(target)), hint="choose --out, or pass --force"))
    text = None
    if args.from_text:
        try:
            raw = Path(args.from_text).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(Diagnostic("file-unreadable", f"cannot read: {exc}",
                                        Span(args.from_text))) from None
        text = start_at(raw, args.start, last=args.last, file=args.from_text)
    source = Path(args.from_text).name if args.from_text else None
    content = skeleton(args.id, text, source, str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")
    out.write(f"wrote {target}: next, `govrules lint {target}`\n")
    return EXIT_OK
