"""``govrules new-pack``: write a skeleton pack that loads and lints."""

from __future__ import annotations

import argparse
import json
import re
import sys
from importlib import resources
from pathlib import Path
from typing import TextIO

from govrules.base.errors import Diagnostic, InputError
from govrules.base.i18n import N_, _
from govrules.base.loader import Span
from govrules.cli.common import EXIT_OK, add_output_options
from govrules.tools.articles import articles_yaml, extract, start_at
from govrules.tools.schemas import pack_files_schema

NAME = "new-pack"
HELP = N_("write a skeleton pack (optionally with the articles of a regulation's text)")
DESCRIPTION = (N_("Write a skeleton pack for a new regulation. With --from-text, the articles "
               "are split from the regulation's text verbatim (labels, chapters, headings); "
               "write the summaries, the metadata and the rules, then run `govrules lint`."))

_TEMPLATE = """\
# yaml-language-server: $schema={schema}
# {id}: a new policy pack. Fill in the metadata and the English summaries, then write one
# rule per checkable duty, or declare the article under gaps: (extent none or partial)
# with a reason in Chinese and English.
# Check it with `govrules lint {path}`; run its examples with `govrules test {path}`.
# Guide: docs/tutorial.md; every key: docs/pack-reference.md.
pack:
  id: {id}
  version: "0.1.0"
  city: {{zh: 待填写, en: To be filled in}}
  title: {{zh: {title}, en: To be filled in}}
  issuer: {{zh: {issuer}, en: To be filled in}}
  doc_number: {doc_number}
  issued: {issued}
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
    parser.add_argument("id", metavar="ID", help=_("pack id: lower case, e.g. wuhan"))
    parser.add_argument("--from-text", metavar="SEED.txt",
                        help=_("the regulation's text: its articles are filled in verbatim"))
    parser.add_argument("--start", default="", metavar="TEXT",
                        help=_("where the measures begin in the text (e.g. 第一条)"))
    parser.add_argument("--last", action="store_true",
                        help=_("use the last occurrence of --start (texts captured twice)"))
    parser.add_argument("--out", metavar="FILE", help=_("where to write (default: ./ID.yaml; "
                        "never into the built-in packs)"))
    parser.add_argument("--force", action="store_true", help=_("overwrite an existing file"))
    add_output_options(parser, formats=None, output=False)


_SCHEMA_FILE = "govrules-pack.schema.json"
_DOC_NUMBER = re.compile(r"(?:发文字号\s*[|:：]?\s*|^\s*)([\u4e00-\u9fff]{1,12}〔(?:19|20)\d\d〕"
                         r"\d{1,4}号)", re.MULTILINE)
_WRITTEN = re.compile(r"(成文日期|印发日期|发布日期)\s*[|:：]?\s*"
                      r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
_TITLE = re.compile(r"《([^《》]{4,60}(办法|规定|细则|规范|制度))》")
_ISSUER = re.compile(r"(公开主体|发布机构|发文机关)\s*[|:：]\s*([\u4e00-\u9fff]{2,30})")


def seed_metadata(text: str) -> dict[str, str]:
    """What the header of a captured regulation says: document number (发文字号), date
    written (成文日期), title, issuer; only what is there.

    >>> seed_metadata("发文字号 | 并政办发〔2020〕44号 | 成文日期 | 2020-11-27 |")
    {'doc_number': '并政办发〔2020〕44号', 'issued': '2020-11-27'}
    """
    head = text[:3000]
    found: dict[str, str] = {}
    if (m := _DOC_NUMBER.search(head)) is not None:
        found["doc_number"] = m.group(1)
    if (m := _WRITTEN.search(head)) is not None:
        found["issued"] = f"{m.group(2)}-{int(m.group(3)):02d}-{int(m.group(4)):02d}"
    if (m := _TITLE.search(head)) is not None:
        found["title"] = m.group(1)
    if (m := _ISSUER.search(head)) is not None:
        found["issuer"] = m.group(2)
    return found


def repeated_runs(text: str) -> list[int]:
    """Lines (1-based) where a run of articles starts again at 第一条: a capture that
    holds the measures more than once, or other notices with articles of their own."""
    return [i for i, line in enumerate(text.splitlines(), 1)
            if re.search(r"(^|[\s)）》】]|[章则])第一条", line)]


def builtin_folder() -> Path:
    """The folder of the built-in packs of this installation."""
    return Path(str(resources.files("govrules.policies")))


def skeleton(pack_id: str, text: str | None = None, source: str | None = None,
             path: str = "", meta: dict[str, str] | None = None, *,
             schema: str = _SCHEMA_FILE) -> str:
    """The skeleton pack's YAML (``text``: the regulation's text, from where it starts;
    ``meta``: what :func:`seed_metadata` found in its header)."""
    meta = meta or {}
    articles = extract(text) if text is not None else _PLACEHOLDER
    if not articles:
        raise InputError(Diagnostic("seed-no-articles", _("no article (第N条) found in the text"),
                                    Span(source), hint=_("check --start, or the file's encoding")))
    body = articles_yaml(articles, summary="To be written: an English summary.")
    return _TEMPLATE.format(
        id=pack_id, source=source or "to-be-filled-in.txt", path=path, articles=body,
        schema=schema, title=meta.get("title", "待填写"), issuer=meta.get("issuer", "待填写"),
        doc_number=meta.get("doc_number", "null"), issued=meta.get("issued", "null"))


def run(args: argparse.Namespace, out: TextIO) -> int:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", args.id):
        raise InputError(Diagnostic("pack-value", _("{id!r} is not a pack id").format(id=args.id),
                                    hint=_("lower-case letters, digits and _, e.g. wuhan")))
    target = Path(args.out) if args.out else Path(f"{args.id}.yaml")
    if target.resolve().parent == builtin_folder().resolve():
        raise InputError(Diagnostic(
            "new-pack-builtin", _("a new pack is never written into the built-in packs"),
            Span(str(target)), hint=_("write it elsewhere (--out), and move it in once "
            "`govrules lint --strict` and `govrules test` pass")))
    if target.exists() and not args.force:
        raise InputError(Diagnostic("file-exists", _("the file already exists"),
                                    Span(str(target)), hint=_("choose --out, or pass --force")))
    text = None
    meta: dict[str, str] = {}
    if args.from_text:
        try:
            raw = Path(args.from_text).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(Diagnostic("file-unreadable", _("cannot read: {exc}").format(exc=exc),
                                        Span(args.from_text))) from None
        meta = seed_metadata(raw)
        text = start_at(raw, args.start, last=args.last, file=args.from_text)
        runs = repeated_runs(text)
        if len(runs) > 1:
            offset = raw[:len(raw) - len(text)].count("\n")
            lines = ", ".join(str(n + offset) for n in runs)
            print(_("{file}: warning: {runs} runs of articles start at 第一条 (lines {lines}); "
                    "use --start 第一条 --last to keep the last").format(
                      file=args.from_text, runs=len(runs), lines=lines), file=sys.stderr)
    source = Path(args.from_text).name if args.from_text else None
    content = skeleton(args.id, text, source, str(target), meta)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")
    schema = target.parent / _SCHEMA_FILE
    wrote_schema = not schema.exists()
    if wrote_schema:  # the modeline's schema, for editors (docs/integrations.md, Editors)
        schema.write_text(json.dumps(pack_files_schema(), ensure_ascii=False, indent=2) + "\n",
                          encoding="utf-8")
    if not args.quiet:
        also = _(" (and {schema} for editors)").format(schema=schema) if wrote_schema else ""
        out.write(_("wrote {target}{also}: next, `govrules lint {target}`").format(
            target=target, also=also) + "\n")
    return EXIT_OK
