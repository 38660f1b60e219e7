"""``govrules serve``: the HTTP API, the web page and the portfolio store."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO

from govrules.base.errors import Diagnostic, InputError
from govrules.base.i18n import N_, _
from govrules.cli.common import EXIT_OK

NAME = "serve"
HELP = N_("run the HTTP API and web page (needs the `service` extra)")
DESCRIPTION = (
    N_("Serve the HTTP API (OpenAPI at /openapi.json), the web page (/) and the portfolio "
    "store. With no options: 127.0.0.1:8000 and a SQLite store in the user's data folder "
    "(GOVRULES_DB or --db for another, e.g. postgresql://user@host/db). Writes to the "
    "portfolio need a bearer token when GOVRULES_TOKEN or --token-file is set.")
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help=_("address to listen on "
                        "(default 127.0.0.1; 0.0.0.0 for every interface)"))
    parser.add_argument("--port", type=int, default=8000, help=_("port (default 8000)"))
    parser.add_argument("--db", metavar="URL", help=_("store: sqlite:///path, a file path, or "
                        "postgresql://... (default: $GOVRULES_DB, else the data folder)"))
    parser.add_argument("--token-file", metavar="FILE", help=_("file holding the bearer token "
                        "that writes need (default: $GOVRULES_TOKEN; none: writes are open)"))
    parser.add_argument("--max-body", type=int, default=8 * 1024 * 1024, metavar="BYTES",
                        help=_("largest request body (default 8 MiB)"))
    parser.add_argument("--max-records", type=int, default=1000, metavar="N",
                        help=_("most records per request (default 1000)"))
    parser.add_argument("--time-limit", type=float, default=30.0, metavar="SECONDS",
                        help=_("most seconds of checking per request (default 30)"))
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help=_("server processes (default 1; use PostgreSQL for several)"))
    parser.add_argument("--log-level", default="info",
                        choices=["critical", "error", "warning", "info", "debug"])


def _missing_extra(exc: ImportError) -> InputError:
    return InputError(Diagnostic(
        "service-not-installed",
        _("the service needs packages that are not installed ({name})").format(name=exc.name),
        hint=_("pip install 'govrules[service]'")))


def run(args: argparse.Namespace, out: TextIO) -> int:
    del out
    try:
        import uvicorn  # noqa: PLC0415 - optional extra, imported on use

        from govrules.service.app import CONFIG_ENV, ServiceConfig  # noqa: PLC0415 - optional extra, imported on use
        from govrules.service.checking import Limits  # noqa: PLC0415 - optional extra, imported on use
        from govrules.service.portfolio import Portfolio  # noqa: PLC0415 - optional extra, imported on use
        from govrules.service.store import default_db_url  # noqa: PLC0415 - optional extra, imported on use
    except ImportError as exc:
        raise _missing_extra(exc) from None
    token = os.environ.get("GOVRULES_TOKEN") or None
    if args.token_file:
        try:
            with open(args.token_file, encoding="utf-8") as handle:
                token = handle.read().strip() or None
        except OSError as exc:
            raise InputError(Diagnostic("file-unreadable", _(
                "cannot read the token file: {reason}").format(reason=exc.strerror))) from None
    url = args.db or default_db_url()
    Portfolio.open(url)  # migrate once, before any worker starts; a bad URL fails here
    config = ServiceConfig(url, token, Limits(args.max_body, args.max_records,
                                              args.time_limit))
    os.environ[CONFIG_ENV] = config.to_json()
    writes = _("writes need a token") if token else _("writes are open")
    print(_("govrules serve: http://{host}:{port}/ (store {store}; {writes})").format(
        host=args.host, port=args.port, store=_safe(url), writes=writes), file=sys.stderr)
    uvicorn.run("govrules.service.app:create_app_from_env", factory=True, host=args.host,
                port=args.port, workers=args.workers, log_level=args.log_level,
                proxy_headers=False, server_header=False)
    return EXIT_OK


def _safe(url: str) -> str:
    """The URL without a password."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}" if ":" in creds else url
    return url
