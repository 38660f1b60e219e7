"""Generate the analysts' documentation from the packs and the pack format itself.

``docs/packs/<id>.md`` shows one built-in pack as a reader wants it: metadata and
validity, then each article with its Chinese text, English summary, notes, and the rules
that encode it (conditions, quote, messages, next steps), the examples, and what is not
checkable. ``docs/pack-reference.md`` is the pack file format, field by field, taken from
the pydantic models' descriptions. The output depends only on its inputs, so a test can
require the committed files to be current.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Iterator
from pathlib import Path

from govrules.model.dated import describe, intersect
from govrules.model.pack import Pack
from govrules.model.pack_format import ArticleSpec, PackFile, RuleSpec, ScopeSpec
from govrules.model.vocabulary import declared_facts
from govrules.tools.diagrams import lifecycle_svg, timeline_svg
from govrules.tools.docsref import reference_page

__all__ = ["generated_files", "index_page", "interpretations_page", "mkdocs_nav", "pack_page",
           "stale_files"]

_STATUS = {"in_force": "in force", "draft": "draft for public comment", "expired": "expired",
           "repealed": "repealed"}


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|") if text is not None else "—"


def _code(text: str) -> list[str]:
    return ["```text", *text.strip().splitlines(), "```"]


def _quote(text: str, marks: Iterable[str] = ()) -> list[str]:
    """The article text as a Chinese block quote, the rules' quotes marked in it."""
    out: list[str] = []
    for line in text.strip().splitlines():
        if not line.strip():
            out.append(">")
            continue
        shown = html.escape(line, quote=False)
        for quote in sorted(set(marks), key=lambda q: (-len(q), q)):
            q = html.escape(quote.strip(), quote=False)
            if q and q in shown and f"<mark>{q}" not in shown:
                shown = shown.replace(q, f"<mark>{q}</mark>", 1)
        out.append(f'> <span lang="zh-CN">{shown}</span>')
    return out


def _rel(pack: Pack) -> str:
    """The pack's file as a repository path (``policies/guiyang.yaml``)."""
    return f"policies/{Path(pack.file).name}" if pack.file else pack.id


def _metadata(pack: Pack) -> list[str]:
    meta = pack.meta
    rows = [
        ("pack id", f"`{meta.id}`"), ("pack version", meta.version),
        ("city", f"{meta.city.zh} ({meta.city.en})"),
        ("issuer", f"{meta.issuer.zh} ({meta.issuer.en})"),
        ("document number", meta.doc_number), ("issued", meta.issued),
        ("effective", meta.effective or "not stated in the source"),
        ("expires", meta.expires), ("repealed", meta.repealed),
        ("status", _STATUS[meta.status]), ("validity", meta.validity_note),
        ("comment period", f"{meta.comment_period.start} to {meta.comment_period.end}"
         if meta.comment_period else None),
        ("supersedes", "; ".join(" ".join(str(x) for x in (s.doc_number, s.title, s.issued)
                                          if x) for s in meta.supersedes) or None),
        ("source", f"`{meta.source}`"), ("source URL", meta.source_url),
    ]
    lines = ["| field | value |", "|---|---|"]
    lines += [f"| {k} | {_cell(v)} |" for k, v in rows if v is not None]
    return lines


def _scope(pack: Pack) -> list[str]:
    if not pack.scope and not pack.exceptions:
        return []
    lines = ["## Scope", "", "A project outside any of these clauses is `not_applicable`; "
             "one whose scope facts are unknown is `undetermined`.", ""]
    for clause in pack.scope:
        spec: ScopeSpec = clause.spec
        lines += [f"- **`{spec.id}`** ({clause.citation.label}) 「{spec.quote}」",
                  f"  applies when `{' '.join(spec.applies_when.split())}`. "
                  f"Otherwise: {spec.message.en}"]
    if pack.exceptions:
        lines += ["", "## Exceptions", "", "An exception takes the rules it covers out when "
                  "its condition holds; when the record is silent it is presumed not to apply, "
                  "and the report lists the presumption.", ""]
    for exc in pack.exceptions:
        covers = ", ".join(f"`{r}`" for r in sorted(exc.rules)) if exc.rules else "every rule"
        lines += [f"- **`{exc.spec.id}`** ({exc.citation.label}) 「{exc.spec.quote}」",
                  f"  applies when `{' '.join(exc.spec.when.split())}`; covers {covers}. "
                  f"{exc.spec.message.en}"]
    return [*lines, ""]


def _rule(rule: RuleSpec) -> list[str]:
    title = f" — {rule.title_both}" if rule.title else ""
    facts = [f"severity **{rule.severity}**",
             "in principle (原则上): an approved exception waives it" if rule.in_principle
             else "binding without exception"]
    if rule.effective or rule.repealed:
        facts.append(f"in force {describe((rule.effective, rule.repealed))}")
    if rule.amended_by:
        facts.append(f"introduced by {rule.amended_by}")
    lines = [f"#### `{rule.id}`{title}", "", "; ".join(facts) + ".", "",
             f"Quote: 「{rule.quote}」", ""]
    if rule.applies_when.strip() != "true":
        lines += ["Applies when:", "", *_code(rule.applies_when), ""]
    if rule.violated_when is not None:
        lines += ["Violated when:", "", *_code(rule.violated_when), ""]
    if rule.deadline is not None:
        d = rule.deadline
        lines += [f"Deadline: `{d.done_on}` within {d.within.amount} "
                  f"{d.within.unit.replace('_', ' ')} after `{d.after}`"
                  + (f" (done: `{d.done}`)" if d.done else "") + ".", ""]
    if rule.periodic is not None:
        p = rule.periodic
        within = (f"within {p.within.amount} {p.within.unit.replace('_', ' ')} of each "
                  "period's end" if p.within else "by the end of the following period")
        lines += [f"Periodic: a `{p.records}` report every {p.period} from `{p.start}`"
                  + (f" until `{p.until}`" if p.until else "") + f", {within}.", ""]
    if rule.conduct is not None:
        lines += [f"Judged on the day of the conduct: `{rule.conduct}`.", ""]
    if rule.mandatory_part is not None:
        lines += [f"Its mandatory part, never waived: `{rule.mandatory_part}`.", ""]
    lines += [f"Message: {rule.message.zh}", f"<br>{rule.message.en}", ""]
    if rule.consequence:
        lines += [f"Consequence: {rule.consequence.zh}<br>{rule.consequence.en}", ""]
    if rule.next_steps:
        lines += ["| next step | kind | who | to whom | due |", "|---|---|---|---|---|"]
        for step in rule.next_steps:
            lines.append(f"| `{step.action}`: {_cell(step.text.en)} | {step.kind} | "
                         f"{_cell(step.responsible)} | {_cell(step.recipient)} | "
                         f"{_cell(step.due)} |")
        lines.append("")
    return lines


def _article(article: ArticleSpec, rules: list[RuleSpec], reason: str | None,
             first: bool) -> list[str]:
    title = f" {article.title}" if article.title else ""
    anchor = f'<a id="art-{article.number}"></a>' if first else ""
    lines = [anchor, f"### {article.label}{title}", ""]
    if article.effective or article.repealed:
        lines += [f"*Version in force {describe((article.effective, article.repealed))}"
                  + (f", introduced by {article.amended_by}" if article.amended_by else "")
                  + ".*", ""]
    lines += [*_quote(article.text, (r.quote for r in rules)), "", article.summary.strip(), ""]
    if article.notes:
        lines += [f"*Notes:* {' '.join(article.notes.split())}", ""]
    if reason:
        lines += [reason, ""]
    for rule in rules:
        lines += _rule(rule)
    return lines


def _articles(pack: Pack) -> list[str]:
    spec: PackFile = pack.spec
    lines = [] if spec.articles and spec.articles[0].chapter else ["## Articles", ""]
    reasons: dict[int, str] = {}
    for gap in pack.gaps:
        label = ("*Not encoded 未编码" if gap.extent == "none" else "*Only partly encoded "
                 "仅部分编码") + (f" (item {gap.item})" if gap.item is not None else "") + ":* "
        text = f"{label}{gap.reason.en} / {gap.reason.zh}"
        reasons[gap.article] = f"{reasons[gap.article]}\n\n{text}" if gap.article in reasons \
            else text
    seen: set[int] = set()
    chapter: str | None = None
    for article in spec.articles:
        if article.chapter and article.chapter != chapter:
            chapter = article.chapter
            lines += [f"## {chapter}", ""]
        rules = [r for r in spec.rules if r.article == article.number
                 and _meets(r, article)]
        lines += _article(article, rules, reasons.get(article.number), article.number not in seen)
        seen.add(article.number)
    return lines


def _meets(rule: RuleSpec, article: ArticleSpec) -> bool:
    """Whether a rule belongs under this version of its article."""
    return intersect((rule.effective, rule.repealed),
                     (article.effective, article.repealed)) is not None


def _examples(pack: Pack) -> list[str]:
    if not pack.examples:
        return []
    lines = ["## Examples", "",
             "Each example is run by `govrules test`; it must give these statuses.", ""]
    for example in pack.examples:
        verdict = f"; verdict `{example.verdict}`" if example.verdict else ""
        lines += [f"- **{example.name}** (as of {example.as_of}{verdict}): "
                  + ", ".join(f"`{rule}` {status}" for rule, status in example.expect.items())]
    return [*lines, ""]


def _amendments(pack: Pack) -> list[str]:
    if not pack.spec.amendments:
        return []
    lines = ["## Amendments", ""]
    for act in pack.spec.amendments:
        title = act.title.zh if act.title else "(untitled)"
        lines.append(f"- {title} {act.doc_number or ''} — effective "
                     f"{act.effective or 'on a date not stated'}"
                     + (f": {' '.join(act.note.split())}" if act.note else ""))
    return [*lines, ""]


def pack_page(pack: Pack) -> str:
    """The Markdown page of one pack."""
    meta = pack.meta
    lines = [f"# {meta.title.zh}", "", f"*{meta.title.en}*", "",
             f"<!-- Generated by `govrules docs` from {_rel(pack)}: edit the pack, not "
             "this page. -->", "", *_metadata(pack), ""]
    if meta.status == "draft":
        lines += ["!!! warning \"Draft\"", "    This text is a draft for public comment: its "
                  "findings never bind.", ""]
    lines += ["## Rules at a glance", "", "| rule | article | severity | in principle | "
              "title |", "|---|---|---|---|---|"]
    for rule in pack.rules:
        lines.append(f"| `{rule.id}` | [{rule.citation.label}](#art-{rule.spec.article}) | "
                     f"{rule.spec.severity} | {'yes' if rule.spec.in_principle else ''} | "
                     f"{_cell(rule.spec.title_both)} |")
    lines.append("")
    if timeline_svg(pack) is not None:
        lines += ["## Deadlines", "",
                  f"![The deadlines of {meta.id}: event, period allowed, what is due]"
                  f"({meta.id}-timeline.svg)", ""]
    lines += _scope(pack)
    lines += declared_facts_section(pack)
    if pack.derived:
        lines += ["## Derived facts", "", "| name | type | meaning |", "|---|---|---|"]
        lines += [f"| `{d.name}` | {d.type} | {_cell(d.description)} |" for d in pack.derived]
        lines.append("")
    lines += _articles(pack) + _examples(pack) + _amendments(pack)
    if pack.gaps:
        lines += ["## Encoding gaps 未编码与部分编码", "",
                  "What this pack does not encode, or encodes only in part, and whether a "
                  "reviewer accepted it. A finding on a partly encoded article says so "
                  "(`gap` in JSON).", "",
                  "| article | extent | why | accepted |", "|---|---|---|---|"]
        for gap in pack.gaps:
            item = f" ({gap.item})" if gap.item is not None else ""
            accepted = (f"{_cell(gap.accepted.by)}, {gap.accepted.on}" if gap.accepted
                        else "not yet 未审")
            lines.append(f"| [{pack.articles[gap.article].label}{item}](#art-{gap.article}) | "
                         f"{gap.extent} | {_cell(gap.reason.en)} / {_cell(gap.reason.zh)} | "
                         f"{accepted} |")
        lines.append("")
    return _tidy(lines)


def declared_facts_section(pack: Pack) -> list[str]:
    """The facts the pack adds to the snapshot vocabulary (本规则包新增的事实)."""
    if not pack.facts:
        return []
    lines = ["## Facts this pack declares", "",
             "Snapshots checked with this pack may also carry these facts "
             "(本规则包新增的事实).", "",
             "| fact | type | unit | meaning | 含义 |", "|---|---|---|---|---|"]
    for path, decl in declared_facts(pack.facts):
        kind: str = decl.type
        if decl.values:
            kind += ": " + ", ".join(f"`{v}`" for v in decl.values)
        lines.append(f"| `{path}` | {kind} | {_cell(decl.unit or '')} | "
                     f"{_cell(decl.description.en)} | <span lang=\"zh-CN\">"
                     f"{_cell(decl.description.zh)}</span> |")
    return [*lines, ""]


def interpretations_page(pack: Pack) -> str:
    """``docs/packs/<id>-interpretations.md``: the pack's readings beyond the words, each
    with the words read, the reading, the alternative and the rules resting on it, for
    legal review."""
    spec: PackFile = pack.spec
    meta = pack.meta
    resting: dict[str, list[str]] = {}
    for rule in spec.rules:
        for ident in rule.interpretations:
            resting.setdefault(ident, []).append(rule.id)
    lines = [f"# {meta.title.zh}: interpretations / 解释登记", "", f"*{meta.title.en}*", "",
             f"<!-- Generated by `govrules docs` from {_rel(pack)}: edit the pack, not "
             "this page. -->", "",
             "Each entry is a reading of the text that goes beyond its words (an interval "
             "the text does not fix, 等, 重大, a threshold counted one way rather than "
             "another). Findings of the rules listed under an entry rest on it. "
             "每一项为超出条文字面的解读, 供法律审核。", ""]
    if not spec.interpretations:
        lines += ["This pack records no interpretations. 本规则包未登记解读。", ""]
    for entry in spec.interpretations:
        label = (pack.articles[entry.article].label if entry.article in pack.articles
                 else f"第{entry.article}条")
        item = f" ({entry.item})" if entry.item is not None else ""
        rules = sorted(set(entry.rules or []) | set(resting.get(entry.id, [])))
        lines += [f"## `{entry.id}`", "",
                  f"[{label}{item}]({meta.id}.md#art-{entry.article})", "",
                  *_quote(entry.quote), "",
                  f"- **Reading / 解读:** {entry.reading.zh}", f"  {entry.reading.en}",
                  f"- **Alternative / 另一种解读:** {entry.alternative.zh}",
                  f"  {entry.alternative.en}",
                  "- **Rules / 规则:** " + (", ".join(f"`{r}`" for r in rules) or "—"), ""]
    return _tidy(lines)


def _tidy(lines: Iterable[str]) -> str:
    """Join lines, with no runs of blank lines and one newline at the end."""
    out: list[str] = []
    for line in lines:
        if line == "" and (not out or out[-1] == ""):
            continue
        out.append(line.rstrip())
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def index_page(packs: Iterable[Pack]) -> str:
    """``docs/packs/index.md``: one row per built-in pack."""
    lines = ["# The built-in packs", "",
             "<!-- Generated by `govrules docs`: edit the packs, not this page. -->", "",
             "Each page shows a regulation as its pack encodes it: validity, every article "
             "verbatim with its rules, the worked examples and the articles judged not "
             "checkable.", "",
             "## Obligations along the project lifecycle", "",
             "Each dot is the number of a city's rules whose obligation belongs to that "
             "phase (hover for the rule ids); the pack pages list them.", "",
             "![Each city's obligations by lifecycle phase](lifecycle.svg)", "",
             "## Packs", "",
             "| pack | regulation | status | articles · rules · examples |",
             "|---|---|---|---|"]
    for pack in packs:
        meta = pack.meta
        number = f" ({_cell(meta.doc_number)})" if meta.doc_number else ""
        lines.append(f"| [{meta.id}]({meta.id}.md) ([interpretations]"
                     f"({meta.id}-interpretations.md)) | <span lang=\"zh-CN\">"
                     f"{_cell(meta.title.zh)}</span>{number}<br>{_cell(meta.title.en)} | "
                     f"{_STATUS[meta.status]} | {len(pack.articles)} · {len(pack.rules)} · "
                     f"{len(pack.examples)} |")
    return _tidy(lines)


def generated_files(packs: Iterable[Pack], out: Path, reference: Path,
                    mkdocs: Path | None = None) -> Iterator[tuple[Path, str]]:
    """Every generated page and its content (and ``mkdocs.yml``'s nav of pack pages,
    given as paths relative to the docs folder, which holds the reference)."""
    packs = list(packs)
    for pack in packs:
        yield out / f"{pack.id}.md", pack_page(pack)
        timeline = timeline_svg(pack)
        if timeline is not None:
            yield out / f"{pack.id}-timeline.svg", timeline
        yield out / f"{pack.id}-interpretations.md", interpretations_page(pack)
    yield out / "index.md", index_page(packs)
    yield out / "lifecycle.svg", lifecycle_svg(packs)
    yield reference, reference_page()
    if mkdocs is not None and mkdocs.is_file():
        folder = out.resolve().relative_to(reference.resolve().parent).as_posix()
        pages = [page for pack in packs for page in
                 (f"{folder}/{pack.id}.md", f"{folder}/{pack.id}-interpretations.md")]
        yield mkdocs, mkdocs_nav(mkdocs.read_text(encoding="utf-8"), pages)


_NAV_BEGIN = "# begin: pack pages, generated by `govrules docs`"
_NAV_END = "# end: pack pages"


def mkdocs_nav(config: str, pages: Iterable[str]) -> str:
    """``mkdocs.yml`` with the lines between the pack-page markers listing ``pages``."""
    lines = config.splitlines()
    try:
        begin = next(i for i, line in enumerate(lines) if line.strip() == _NAV_BEGIN)
        end = next(i for i, line in enumerate(lines) if line.strip() == _NAV_END)
    except StopIteration:
        return config
    indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
    listed = [f"{indent}- {page}" for page in pages]
    return "\n".join([*lines[: begin + 1], *listed, *lines[end:]]) + "\n"


def stale_files(out: Path, expected: Iterable[Path]) -> list[Path]:
    """Markdown pages in ``out`` that no pack generates any more."""
    keep = {p.resolve() for p in expected}
    return sorted(p for p in out.glob("*.md") if p.resolve() not in keep) if out.is_dir() \
        else []
