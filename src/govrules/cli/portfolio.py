"""``govrules portfolio``: projects, their snapshots over time, and every evaluation."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from govrules.base.errors import Diagnostic, GovrulesError, InputError
from govrules.base.i18n import N_, _
from govrules.cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATIONS, iso_date

NAME = "portfolio"
HELP = N_("keep projects and their evaluations; what is due, overdue, what changed")
DESCRIPTION = (
    N_("The portfolio store that `govrules serve` uses (--db URL, default $GOVRULES_DB, else "
    "a SQLite file in the user's data folder). add: store snapshots (each under its id) "
    "and evaluate them; due/overdue: across every project; changes: findings opened and "
    "closed since the previous evaluation; history; replay: re-run a stored evaluation "
    "and compare it byte for byte (exit 1 if it differs); ics: due dates as iCalendar.")
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help=_("store URL or SQLite file path"))
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = sub.add_parser("add", help=_("store snapshots and evaluate them"))
    add.add_argument("snapshots", nargs="+", metavar="SNAPSHOT",
                     help=_("files (.yaml .json .jsonl .csv .xlsx), folders or globs"))
    add.add_argument("--project", metavar="KEY", help=_("file them under this project "
                     "(default: each snapshot's id)"))
    add.add_argument("--no-evaluate", action="store_true", help=_("store only"))
    _check_options(add)
    evaluate = sub.add_parser("evaluate", help=_("evaluate a project's latest snapshot again"))
    evaluate.add_argument("project", metavar="KEY")
    _check_options(evaluate)
    for name, text in (("due", "what falls due in the next N days"),
                       ("overdue", "what is overdue")):
        query = sub.add_parser(name, help=text)
        query.add_argument("--on", type=iso_date, metavar="DATE", help=_("day (default today)"))
        if name == "due":
            query.add_argument("--days", type=int, default=30, help=_("window (default 30)"))
        query.add_argument("--city", metavar="ID")
        query.add_argument("--owner", metavar="UNIT")
        query.add_argument("--format", choices=["text", "json"], default="text")
    for name, text in (("changes", "findings opened/closed since the previous evaluation"),
                       ("history", "a project's snapshots and evaluations")):
        one = sub.add_parser(name, help=text)
        one.add_argument("project", metavar="KEY")
        one.add_argument("--format", choices=["text", "json"], default="text")
    projects = sub.add_parser("projects", help=_("every project and its latest verdicts"))
    projects.add_argument("--city", metavar="ID")
    projects.add_argument("--owner", metavar="UNIT")
    projects.add_argument("--format", choices=["text", "json"], default="text")
    summary = sub.add_parser("summary", help=_("per city and per owner"))
    summary.add_argument("--on", type=iso_date, metavar="DATE")
    summary.add_argument("--days", type=int, default=30)
    replay = sub.add_parser("replay", help=_("re-run a stored evaluation, compare the bytes"))
    replay.add_argument("evaluation", type=int, metavar="ID")
    report = sub.add_parser("report", help=_("print a stored report exactly as produced"))
    report.add_argument("evaluation", type=int, metavar="ID")
    ics = sub.add_parser("ics", help=_("due dates as iCalendar (.ics)"))
    ics.add_argument("--project", metavar="KEY", help=_("one project (default: all)"))
    ics.add_argument("--city", metavar="ID")
    ics.add_argument("--owner", metavar="UNIT")
    for child in sub.choices.values():
        child.add_argument("-o", "--output", metavar="FILE", help=_("write results here"))


def _check_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--city", action="append", default=[], metavar="ID",
                        help=_("pack(s) to evaluate under (default: the snapshot's city)"))
    parser.add_argument("--as-of", type=iso_date, metavar="DATE",
                        help=_("evaluation date (default: the snapshot's as_of, else today)"))


def _dump(data: Any, out: TextIO) -> None:
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _items(rows: list[dict[str, Any]], out: TextIO, empty: str) -> None:
    if not rows:
        out.write(empty + "\n")
    for r in rows:
        out.write(f"{r['due']}  {r['project']:<20} {r['pack']:<9} {r['article']:<6} "
                  f"{r['text']['zh']} / {r['text']['en']}\n")


def _add(store: Any, args: argparse.Namespace, out: TextIO) -> int:
    from govrules.io.inputs import locate, read_records  # noqa: PLC0415 - optional extra, imported on use
    from govrules.service.checking import body_records  # noqa: PLC0415 - optional extra, imported on use
    from govrules.service.portfolio import record_contents  # noqa: PLC0415 - optional extra, imported on use

    status = EXIT_OK
    for arg in args.snapshots:
        if arg.lower().endswith(".xlsx") and Path(arg).is_file():
            records = body_records(Path(arg).read_bytes(), "xlsx", arg)
        else:
            records = read_records([arg])
        for record, content in record_contents(records):
            try:
                if isinstance(content, GovrulesError):
                    raise content
                saved = store.add_snapshot(content[0], content[1], record.source,
                                           project=args.project)
                line = f"{record.source}: project {saved.project}, snapshot {saved.id}"
                if not args.no_evaluate:
                    for ev in store.evaluate(saved.project, as_of=args.as_of,
                                             cities=args.city):
                        line += (f"; evaluation {ev['evaluation']} {ev['pack']} "
                                 f"{ev['verdict']} ({ev['due_items']} dated)")
                out.write(line + "\n")
            except GovrulesError as err:
                for diagnostic in locate(record, err):
                    print(diagnostic, file=sys.stderr)
                status = EXIT_BAD_INPUT
    return status


def run(args: argparse.Namespace, out: TextIO) -> int:
    try:
        from govrules.io.formats.ics import ics_calendar, ics_events  # noqa: PLC0415 - optional extra, imported on use
        from govrules.service.portfolio import Portfolio  # noqa: PLC0415 - optional extra, imported on use
        from govrules.service.store import default_db_url  # noqa: PLC0415 - optional extra, imported on use
    except ImportError as exc:
        raise InputError(Diagnostic(
            "service-not-installed",
            _("the portfolio needs packages that are not installed ({name})").format(
                name=exc.name),
            hint=_("pip install 'govrules[service]'"))) from None
    store = Portfolio.open(args.db or default_db_url())
    action = args.action
    if action == "add":
        return _add(store, args, out)
    if action == "replay":
        result = store.replay(args.evaluation)
        _dump(result.to_dict(), out)
        return EXIT_OK if result.verified else EXIT_VIOLATIONS
    if action == "ics":
        if args.project:
            store.project(args.project)
        items = store.due_calendar_items(project=args.project, city=args.city,
                                         owner=args.owner)
        events = [e for project, item in items for e in ics_events([item], project)]
        out.write(ics_calendar(events, f"govrules {args.project or 'portfolio'}"))
        return EXIT_OK
    return _show(store, args, out)


def _show(store: Any, args: argparse.Namespace, out: TextIO) -> int:
    """The read-only queries, as text or JSON."""
    show = _SHOWS.get(args.action)
    if show is not None:
        show(store, args, out)
    return EXIT_OK


def _show_evaluate(store: Any, args: argparse.Namespace, out: TextIO) -> None:
    _dump(store.evaluate(args.project, as_of=args.as_of, cities=args.city), out)


def _show_dated(store: Any, args: argparse.Namespace, out: TextIO) -> None:
    """``due`` and ``overdue``: the dated items of every project."""
    action = args.action
    rows = (store.due(days=args.days, on=args.on, city=args.city, owner=args.owner)
            if action == "due" else
            store.overdue(on=args.on, city=args.city, owner=args.owner))
    if args.format == "json":
        _dump(rows, out)
    else:
        _items(rows, out, "没有事项 / nothing " + ("due" if action == "due" else "overdue"))


def _show_changes(store: Any, args: argparse.Namespace, out: TextIO) -> None:
    changes = store.changes(args.project)
    if args.format == "json":
        _dump(changes, out)
    for c in changes if args.format == "text" else []:
        before = c["previous"]["as_of"] if c["previous"] else "无 none"
        out.write(f"{c['pack']}: {before} -> {c['as_of']} ({c['verdict']})\n")
        out.write(f"  新增 opened: {', '.join(c['opened']) or '-'}\n")
        out.write(f"  关闭 closed: {', '.join(c['closed']) or '-'}\n")


def _show_history(store: Any, args: argparse.Namespace, out: TextIO) -> None:
    history = store.history(args.project)
    if args.format == "json":
        _dump(history, out)
        return
    out.write(f"{history['key']} {history['name'] or ''} ({history['city'] or '-'}, "
              f"{history['owner'] or '-'})\n")
    for e in history["evaluations"]:
        out.write(f"  #{e['id']} {e['as_of']} {e['pack']} v{e['pack_version']} "
                  f"{e['verdict']} {e['counts']}\n")


def _show_projects(store: Any, args: argparse.Namespace, out: TextIO) -> None:
    rows = store.projects(city=args.city, owner=args.owner)
    if args.format == "json":
        _dump(rows, out)
    for p in rows if args.format == "text" else []:
        verdicts = ", ".join(f"{k}={v}" for k, v in sorted(p["verdicts"].items()))
        out.write(f"{p['key']:<20} {p['city'] or '-':<9} {p['owner'] or '-'}  "
                  f"{verdicts}\n")


def _show_summary(store: Any, args: argparse.Namespace, out: TextIO) -> None:
    _dump(store.summary(on=args.on or date.today(), days=args.days), out)


def _show_report(store: Any, args: argparse.Namespace, out: TextIO) -> None:
    out.write(store.report_text(args.evaluation) + "\n")


_SHOWS: dict[str, Callable[[Any, argparse.Namespace, TextIO], None]] = {
    "evaluate": _show_evaluate, "due": _show_dated, "overdue": _show_dated,
    "changes": _show_changes, "history": _show_history, "projects": _show_projects,
    "summary": _show_summary, "report": _show_report,
}
"""Each read-only action's query and output."""
