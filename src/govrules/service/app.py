"""The ASGI application of ``govrules serve`` (Starlette; run under uvicorn).

Every handler does its work in a worker thread (checking is CPU-bound; the store's
drivers block), so the event loop only moves bytes. Errors are JSON bodies with the same
located diagnostics as the CLI prints: ``{"errors": [{code, message, file, line, col,
path, hint, ...}]}`` with a 4xx status. Writes to the portfolio need
``Authorization: Bearer <token>`` when the server was started with a token.
"""

from __future__ import annotations

import functools
import hmac
import json
import os
import threading
from datetime import date
from pathlib import Path
from typing import Any, cast

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from govrules._version import __version__
from govrules.base.calendar import Calendar
from govrules.base.errors import GovrulesError
from govrules.io.formats.common import DETAILS, Detail
from govrules.io.formats.ics import ics_calendar, ics_events
from govrules.io.inputs import decode
from govrules.model.pack import parse_pack, resolve_packs
from govrules.model.snapshot import parse_snapshot
from govrules.service.checking import (
    body_records,
    check_body,
    diagnostics_of,
    evaluator_for,
    service_error,
)
from govrules.service.config import CONFIG_ENV, ServiceConfig
from govrules.service.openapi import openapi_document
from govrules.service.packs_view import article_view, pack_list, pack_view
from govrules.service.portfolio import Portfolio, record_contents
from govrules.service.request_io import (
    ERROR_HANDLERS,
    SecurityHeaders,
    body_of,
    choice_param,
    city_params,
    date_param,
    flag,
    input_format,
    int_param,
    json_response,
    placed,
)
from govrules.tools.explain import explain_rule, render_explanation
from govrules.tools.schemas import SCHEMAS, Schema, json_schema

__all__ = ["CONFIG_ENV", "ServiceConfig", "create_app", "create_app_from_env"]

STATIC = Path(__file__).parent / "static"


@functools.cache
def _schema_text(what: str) -> str:
    """The JSON text of the published schema ``what``, one of :data:`SCHEMAS` (built once
    per process: 30–120 ms each)."""
    return json.dumps(json_schema(cast(Schema, what)), ensure_ascii=False)


class _Api:
    """The handlers, bound to one configuration and one store."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.limits = config.limits
        self._portfolio: Portfolio | None = None
        self._opening = threading.Lock()

    @property
    def portfolio(self) -> Portfolio:
        """The store, opened (and migrated) once, by the first request that needs it."""
        with self._opening:
            if self._portfolio is None:
                self._portfolio = Portfolio.open(self.config.db_url)
            return self._portfolio

    def authorise(self, request: Request) -> None:
        token = self.config.token
        if not token:
            return
        given = request.headers.get("authorization", "")
        scheme, _, value = given.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip(), token):
            raise service_error(401, "unauthorised", "写入组合需要有效的访问令牌",
                                "writing to the portfolio needs a valid bearer token",
                                hint="send Authorization: Bearer <token>")

    async def upload(self, request: Request) -> tuple[bytes, str, str, tuple[str, str] | None]:
        """``(body, format, name, (pack text, pack file name))`` from a raw body or a
        multipart form."""
        body = await body_of(request, self.limits)
        fmt = input_format(request)
        name = request.query_params.get("name") or ""
        media = request.headers.get("content-type", "")
        if not media.startswith("multipart/form-data"):
            return body, fmt, name, None

        async def replay() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        form = await Request(request.scope, replay).form(max_files=2, max_fields=20)
        snapshot = form.get("snapshot")
        if snapshot is None or isinstance(snapshot, str):
            raise service_error(400, "no-snapshot", "表单缺少 snapshot 文件字段",
                                "the form has no `snapshot` file field", path="snapshot")
        data = await snapshot.read()
        name = name or snapshot.filename or ""
        if fmt == "auto" and name.lower().endswith(".xlsx"):
            fmt = "xlsx"
        pack_field = form.get("pack")
        pack = None
        if pack_field is not None and not isinstance(pack_field, str):
            raw = await pack_field.read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise service_error(422, "file-encoding", "政策包文件不是 UTF-8 文本",
                                    f"the pack file is not UTF-8 text (byte {exc.start})",
                                    path="pack") from None
            pack = (text, pack_field.filename or "pack.yaml")
        return data, fmt, name, pack

    # -- checking ---------------------------------------------------------------------

    async def check(self, request: Request) -> Response:
        body, fmt, name, pack_upload = await self.upload(request)
        cities = city_params(request)
        as_of = date_param(request, "as_of")
        include_all = flag(request, "all_findings")
        timelines = flag(request, "timeline")
        detail = cast(Detail, choice_param(request, "detail", DETAILS, "line"))

        def work() -> tuple[int, str]:
            pack = parse_pack(*pack_upload) if pack_upload is not None else None
            evaluator = evaluator_for(cities, as_of, include_all, pack, detail)
            result = check_body(body, fmt=fmt, name=name, evaluator=evaluator,
                                limits=self.limits, timelines=timelines)
            status = 200 if result.summary.errors == 0 else 422
            return status, result.body(with_timelines=timelines)

        status, text = await run_in_threadpool(work)
        return Response(text, status, media_type="application/json")

    async def explain(self, request: Request) -> Response:
        body, fmt, name, _ = await self.upload(request)
        rule = request.query_params.get("rule")
        if not rule:
            raise service_error(400, "no-rule", "缺少参数 rule", "the rule parameter is missing",
                                path="rule")
        cities = city_params(request)
        as_of = date_param(request, "as_of")

        def work() -> dict[str, Any]:
            records = list(body_records(body, fmt, name or "<body>"))
            if len(records) != 1:
                raise service_error(400, "one-snapshot", "解释只针对一个项目快照",
                                    "explain takes exactly one snapshot")
            record = records[0]
            data, document = decode(record)
            snapshot = parse_snapshot(data, document=document, file=record.span.file)
            names = list(cities) or ([snapshot.city] if snapshot.city else [])
            if not names:
                raise service_error(400, "no-city", "快照未写明城市,也未给出 city 参数",
                                    "the snapshot names no city and no city was given",
                                    path="city")
            pack = resolve_packs(names[:1])[0]
            day = as_of or snapshot.as_of or date.today()
            explanation = explain_rule(pack, snapshot, rule, day, Calendar.default())
            return {**explanation.to_dict(), "text": render_explanation(explanation)}

        return json_response(await run_in_threadpool(work))

    # -- packs and schemas ---------------------------------------------------------------

    async def packs(self, request: Request) -> Response:
        del request
        return json_response(await run_in_threadpool(pack_list))

    async def pack(self, request: Request) -> Response:
        return json_response(await run_in_threadpool(pack_view, request.path_params["pack"]))

    async def article(self, request: Request) -> Response:
        return json_response(await run_in_threadpool(article_view, request.path_params["pack"],
                                             request.path_params["number"]))

    async def schema(self, request: Request) -> Response:
        what = request.path_params["what"]
        if what not in SCHEMAS:
            raise service_error(404, "unknown-schema", f"没有 {what!r} 模式",
                                f"no schema {what!r}", hint=", ".join(SCHEMAS))
        return Response(_schema_text(what), media_type="application/json")

    async def openapi(self, request: Request) -> Response:
        del request
        return json_response(openapi_document())

    async def health(self, request: Request) -> Response:
        del request
        return json_response({"status": "ok", "version": __version__})

    # -- the portfolio -----------------------------------------------------------------

    async def projects(self, request: Request) -> Response:
        query = request.query_params
        return json_response(await run_in_threadpool(lambda: self.portfolio.projects(
            city=query.get("city"), owner=query.get("owner"))))

    async def add_project(self, request: Request) -> Response:
        self.authorise(request)
        body = await body_of(request, self.limits)
        try:
            data = json.loads(body or b"{}")
        except json.JSONDecodeError as exc:
            raise service_error(400, "json-syntax", f"不是有效的 JSON: {exc.msg}",
                                f"not valid JSON: {exc.msg}") from None
        if not isinstance(data, dict) or not isinstance(data.get("key"), str):
            raise service_error(400, "project-key", "应为含 key 字段的 JSON 对象",
                                "expected a JSON object with a `key`", path="key")
        fields = {k: data.get(k) if isinstance(data.get(k), str) else None
                  for k in ("name", "city", "owner")}
        return json_response(await run_in_threadpool(
            lambda: self.portfolio.add_project(data["key"], **fields)), 201)

    async def project(self, request: Request) -> Response:
        key = request.path_params["key"]
        return json_response(await run_in_threadpool(self.portfolio.history, key))

    async def add_snapshots(self, request: Request) -> Response:
        """One project's snapshot (``/v1/projects/{key}/snapshots``) or a stream of them
        (``/v1/portfolio/snapshots``, each filed under its id); evaluated unless
        ``evaluate=false``."""
        self.authorise(request)
        body, fmt, name, _ = await self.upload(request)
        key = request.path_params.get("key")
        as_of = date_param(request, "as_of")
        cities = city_params(request)
        evaluate = request.query_params.get("evaluate", "true").lower() not in ("0", "false")

        def work() -> tuple[int, dict[str, Any]]:
            stored: list[dict[str, Any]] = []
            errors: list[dict[str, Any]] = []
            records = body_records(body, fmt, name or "<body>")
            for count, (record, content) in enumerate(record_contents(records), 1):
                if count > self.limits.max_records:
                    raise service_error(413, "too-many-records",
                                        f"请求中的记录超过 {self.limits.max_records} 条",
                                        f"the request holds more than "
                                        f"{self.limits.max_records} records")
                try:
                    if isinstance(content, GovrulesError):
                        raise content
                    source = placed(record.source, name)
                    saved = self.portfolio.add_snapshot(content[0], content[1], source,
                                                        project=key)
                    item: dict[str, Any] = {"source": source, "project": saved.project,
                                            "snapshot": saved.id}
                    if evaluate:
                        item["evaluations"] = self.portfolio.evaluate(
                            saved.project, as_of=as_of, cities=cities)
                    stored.append(item)
                except GovrulesError as err:
                    errors.append({"source": placed(record.source, name),
                                   "errors": diagnostics_of(err, name)})
            return (201 if not errors else 422), {"stored": stored, "errors": errors}

        status, data = await run_in_threadpool(work)
        return json_response(data, status)

    async def evaluate(self, request: Request) -> Response:
        self.authorise(request)
        key = request.path_params["key"]
        as_of = date_param(request, "as_of")
        cities = city_params(request)
        return json_response(await run_in_threadpool(
            lambda: self.portfolio.evaluate(key, as_of=as_of, cities=cities)), 201)

    async def changes(self, request: Request) -> Response:
        return json_response(await run_in_threadpool(self.portfolio.changes,
                                             request.path_params["key"]))

    async def evaluation(self, request: Request) -> Response:
        text = await run_in_threadpool(self.portfolio.report_text,
                                       request.path_params["id"])
        return Response(text, media_type="application/json")

    async def replay(self, request: Request) -> Response:
        result = await run_in_threadpool(self.portfolio.replay, request.path_params["id"])
        return json_response(result.to_dict())

    async def due(self, request: Request) -> Response:
        days = int_param(request, "days", 30, 0, 3660)
        on = date_param(request, "on")
        query = request.query_params
        return json_response(await run_in_threadpool(lambda: self.portfolio.due(
            days=days, on=on, city=query.get("city"), owner=query.get("owner"))))

    async def overdue(self, request: Request) -> Response:
        on = date_param(request, "on")
        query = request.query_params
        return json_response(await run_in_threadpool(lambda: self.portfolio.overdue(
            on=on, city=query.get("city"), owner=query.get("owner"))))

    async def summary(self, request: Request) -> Response:
        days = int_param(request, "days", 30, 0, 3660)
        on = date_param(request, "on")
        return json_response(await run_in_threadpool(
            lambda: self.portfolio.summary(on=on, days=days)))

    async def calendar(self, request: Request) -> Response:
        key = request.path_params.get("key")
        query = request.query_params

        def work() -> str:
            if key:
                self.portfolio.project(key)
            items = self.portfolio.due_calendar_items(project=key, city=query.get("city"),
                                                      owner=query.get("owner"))
            events = [e for project, item in items for e in ics_events([item], project)]
            return ics_calendar(events, f"govrules {key or 'portfolio'}")

        text = await run_in_threadpool(work)
        return Response(text, media_type="text/calendar; charset=utf-8")

    async def index(self, request: Request) -> Response:
        del request
        return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


# -- errors and assembly ------------------------------------------------------------------


def create_app(config: ServiceConfig) -> Starlette:
    """The application for ``config`` (the store opens, and migrates, on first use)."""
    api = _Api(config)
    routes = [
        Route("/", api.index),
        Route("/healthz", api.health),
        Route("/openapi.json", api.openapi),
        Route("/v1/check", api.check, methods=["POST"]),
        Route("/v1/explain", api.explain, methods=["POST"]),
        Route("/v1/packs", api.packs),
        Route("/v1/packs/{pack}", api.pack),
        Route("/v1/packs/{pack}/articles/{number:int}", api.article),
        Route("/v1/schemas/{what}", api.schema),
        Route("/v1/projects", api.projects),
        Route("/v1/projects", api.add_project, methods=["POST"]),
        Route("/v1/projects/{key}", api.project),
        Route("/v1/projects/{key}/snapshots", api.add_snapshots, methods=["POST"]),
        Route("/v1/projects/{key}/evaluate", api.evaluate, methods=["POST"]),
        Route("/v1/projects/{key}/changes", api.changes),
        Route("/v1/projects/{key}/calendar.ics", api.calendar),
        Route("/v1/evaluations/{id:int}", api.evaluation),
        Route("/v1/evaluations/{id:int}/replay", api.replay),
        Route("/v1/portfolio/snapshots", api.add_snapshots, methods=["POST"]),
        Route("/v1/portfolio/due", api.due),
        Route("/v1/portfolio/overdue", api.overdue),
        Route("/v1/portfolio/summary", api.summary),
        Route("/v1/portfolio/calendar.ics", api.calendar),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers=ERROR_HANDLERS,
                    middleware=[Middleware(SecurityHeaders)])
    app.state.api = api
    return app


def create_app_from_env() -> Starlette:
    """The factory uvicorn calls in each worker: the configuration is in the environment."""
    text = os.environ.get(CONFIG_ENV)
    if not text:
        from govrules.service.store import default_db_url  # noqa: PLC0415 - optional extra, imported on use
        return create_app(ServiceConfig(default_db_url()))
    return create_app(ServiceConfig.from_json(text))
