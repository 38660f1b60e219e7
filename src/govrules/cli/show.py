"""``govrules show``: a pack's summary, or the whole pack with amendments applied."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from govrules.base.i18n import N_, _
from govrules.cli.common import EXIT_OK, add_output_options
from govrules.model.dated import describe
from govrules.model.pack import Pack, builtin_pack, load_pack
from govrules.tools.articles import analyst_yaml

NAME = "show"
HELP = N_("summarise a pack, or print it resolved (amendments applied) as YAML")
DESCRIPTION = (N_("Summarise a pack (a built-in id or a file): metadata, validity, amendments, "
               "counts and rules with their dates. --resolved prints the whole pack as it "
               "is evaluated, with every `extends` applied, as YAML that loads again."))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pack", metavar="PACK", help=_("built-in pack id or pack file"))
    parser.add_argument("--resolved", action="store_true",
                        help=_("print the resolved pack as YAML"))
    add_output_options(parser, formats=None)


def open_pack(name: str) -> Pack:
    """A built-in pack by id, or a pack file by path."""
    if "/" not in name and not name.endswith((".yaml", ".yml")) and not Path(name).exists():
        return builtin_pack(name)
    return load_pack(name)


def summary(pack: Pack) -> str:
    meta, spec = pack.meta, pack.spec
    versions = len(spec.articles)
    lines = [f"{meta.id} v{meta.version} — {meta.title.zh}", f"  {meta.title.en}",
             f"  status: {meta.status}; doc number: {meta.doc_number or '-'}; effective: "
             f"{meta.effective or 'not stated'}" + (f"; expires: {meta.expires}"
                                                     if meta.expires else ""),
             f"  file: {pack.file}; sha256 {pack.sha256[:12]}"]
    for act in spec.amendments:
        lines.append(f"  amended by {act.doc_number or act.version or '(unnamed)'}, effective "
                     f"{act.effective or 'on a date not stated'}")
    lines.append(f"  {len(pack.articles)} articles"
                 + (f" ({versions} versions)" if versions != len(pack.articles) else "")
                 + f", {len(pack.rules)} rules, {len(pack.scope)} scope clauses, "
                 f"{len(pack.exceptions)} exceptions, {len(pack.derived)} derived facts, "
                 f"{len(pack.examples)} examples, "
                 f"{sum(g.extent == 'none' for g in pack.gaps)} articles not encoded, "
                 f"{sum(g.extent == 'partial' for g in pack.gaps)} partly encoded")
    lines.append("rules:")
    width = max((len(r.id) for r in pack.rules), default=0)
    for rule in pack.rules:
        dates = describe((rule.spec.effective, rule.spec.repealed))
        windows = ", ".join(describe(v.window) for v in rule.versions) or "never"
        lines.append(f"  {rule.id:<{width}}  {rule.citation.label:<6} {rule.spec.severity:<7}"
                     + ("  in force " + windows if dates != "always" or windows != "always"
                        else ""))
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace, out: TextIO) -> int:
    pack = open_pack(args.pack)
    if args.resolved:
        data = pack.spec.model_dump(mode="python", by_alias=True, exclude_defaults=True)
        header = (f"# {pack.id} v{pack.meta.version}, resolved from {pack.file}"
                  + (" with its amendments applied" if pack.spec.amendments else "") + "\n")
        out.write(header + analyst_yaml(data))
    else:
        out.write(summary(pack))
    return EXIT_OK
