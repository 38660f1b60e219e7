"""``govrules explain``: how one rule's finding on one snapshot was reached."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TextIO

from govrules.base.calendar import Calendar
from govrules.base.errors import Diagnostic, InputError
from govrules.base.i18n import N_, _
from govrules.cli.common import EXIT_OK, add_output_options, iso_date
from govrules.engine.evaluate import coerce_snapshot
from govrules.model.pack import Pack, resolve_packs
from govrules.model.snapshot import Snapshot
from govrules.tools.explain import explain_rule, render_explanation

NAME = "explain"
HELP = N_("show how a rule's finding on a snapshot was reached")
DESCRIPTION = (N_("Show a rule's conditions (applies_when, violated_when, or its deadline or "
               "periodic form), the value of each fact and sub-expression, the scope "
               "clauses, what was unknown, and the resulting status."))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rule", required=True, metavar="RULE_ID")
    add_one_check_arguments(parser)


def add_one_check_arguments(parser: argparse.ArgumentParser) -> None:
    """SNAPSHOT, ``--city``, ``--policy``, ``--as-of``, ``--calendar``, ``--format`` and
    ``-o``, which :func:`one_check` reads."""
    parser.add_argument("snapshot", metavar="SNAPSHOT", help=_("YAML or JSON file"))
    parser.add_argument("--city", metavar="ID", help=_("built-in pack (default: the snapshot's "
                        "city)"))
    parser.add_argument("--policy", metavar="PATH", help=_("a pack file instead of --city"))
    parser.add_argument("--as-of", type=iso_date, metavar="DATE",
                        help=_("evaluation date (default: the snapshot's as_of, else today)"))
    parser.add_argument("--calendar", action="append", default=[], metavar="FILE",
                        help=_("extra working-day calendar data (repeatable)"))
    add_output_options(parser, formats=["text", "json"])


def one_check(args: argparse.Namespace) -> tuple[Snapshot, Pack, Calendar, date]:
    """The snapshot, pack, calendar and date that ``--city``/``--policy``, ``--calendar``
    and ``--as-of`` name for a command on one snapshot (explain, plan)."""
    if args.city or args.policy:  # the pack first: its declared facts are vocabulary too
        packs = resolve_packs([args.city] if args.city else [],
                              [args.policy] if args.policy else [])
        snapshot = coerce_snapshot(args.snapshot, packs[0].snapshot_model)
    else:
        snapshot = coerce_snapshot(args.snapshot)
        if not snapshot.city:
            raise InputError(Diagnostic("no-city", _("the snapshot names no city and no --city "
                                        "was given"), hint=_("pass --city or --policy")))
        packs = resolve_packs([snapshot.city])
    calendar = Calendar.load(args.calendar) if args.calendar else Calendar.default()
    return snapshot, packs[0], calendar, args.as_of or snapshot.as_of or date.today()


def run(args: argparse.Namespace, out: TextIO) -> int:
    snapshot, pack, calendar, day = one_check(args)
    explanation = explain_rule(pack, snapshot, args.rule, day, calendar)
    if args.format == "json":
        out.write(json.dumps(explanation.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        out.write(render_explanation(explanation))
    return EXIT_OK
