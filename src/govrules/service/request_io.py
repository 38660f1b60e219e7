"""Reading requests and writing error responses for :mod:`govrules.service.app`.

Query parameters are checked here (a bad one is a 400 naming it), bodies are read up to
the size limit, and every exception becomes a JSON body of located diagnostics.
"""

from __future__ import annotations

import json
import os
from datetime import date
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from govrules.base.errors import GovrulesError
from govrules.io.inputs import STDIN
from govrules.io.xlsx_records import XLSX_MEDIA_TYPE
from govrules.service.checking import (
    BODY_FORMATS,
    Limits,
    RequestError,
    diagnostics_of,
    service_error,
)

__all__ = ["ERROR_HANDLERS", "SecurityHeaders", "body_of", "choice_param", "city_params",
           "date_param", "flag",
           "input_format", "int_param", "json_response", "placed"]

_MEDIA_FORMATS = {
    "application/json": "json", "application/x-ndjson": "jsonl", "application/jsonl": "jsonl",
    "application/x-jsonlines": "jsonl", "application/yaml": "yaml",
    "application/x-yaml": "yaml", "text/yaml": "yaml", "text/x-yaml": "yaml",
    "text/csv": "csv", XLSX_MEDIA_TYPE: "xlsx",
}
_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'none'")


def json_response(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status,
                    media_type="application/json")


# -- request helpers --------------------------------------------------------------------


async def body_of(request: Request, limits: Limits) -> bytes:
    """The body, refused with 413 past the limit (before reading it when it says so)."""
    declared = request.headers.get("content-length")
    too_big = service_error(413, "request-too-large",
                            f"请求正文超过 {limits.max_body_bytes} 字节",
                            f"the request body is larger than {limits.max_body_bytes} bytes",
                            hint="split the input into several requests")
    if declared and declared.isdigit() and int(declared) > limits.max_body_bytes:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limits.max_body_bytes:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def placed(source: str, name: str) -> str:
    """A record's place in the name the client gave its body (not ``<stdin>``)."""
    return name + source[len(STDIN):] if name and source.startswith(STDIN) else source


def date_param(request: Request, name: str) -> date | None:
    text = request.query_params.get(name)
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise service_error(400, "bad-date", f"参数 {name} 的值 {text!r} 不是日期",
                            f"query parameter {name}={text!r} is not a date",
                            hint="use YYYY-MM-DD", path=name) from None


def int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.lstrip("-").isdigit() or not low <= int(text) <= high:
        raise service_error(400, "bad-number", f"参数 {name} 应为 {low} 到 {high} 的整数",
                            f"query parameter {name} must be a whole number from {low} to "
                            f"{high}", path=name)
    return int(text)


def flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in ("1", "true", "yes")


def choice_param(request: Request, name: str, choices: tuple[str, ...],
                 default: str) -> str:
    """A query parameter that takes one of ``choices`` (400 naming it otherwise)."""
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    if text not in choices:
        raise service_error(400, "bad-choice", f"参数 {name} 的值 {text!r} 应为 "
                            f"{'、'.join(choices)} 之一",
                            f"query parameter {name}={text!r} must be one of "
                            f"{', '.join(choices)}", path=name)
    return text


def city_params(request: Request) -> tuple[str, ...]:
    return tuple(c for value in request.query_params.getlist("city")
                 for c in value.split(",") if c.strip())


def input_format(request: Request) -> str:
    fmt = request.query_params.get("format")
    if fmt:
        if fmt not in BODY_FORMATS:
            raise service_error(400, "input-format", f"没有输入格式 {fmt!r}",
                                f"no input format {fmt!r}",
                                hint=f"use one of {', '.join(BODY_FORMATS)}", path="format")
        return fmt
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return _MEDIA_FORMATS.get(media, "auto")


async def _request_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestError)
    del request
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    response = json_response({"errors": exc.diagnostics}, exc.status)
    if headers:
        response.headers.update(headers)
    return response


async def _govrules_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, GovrulesError)
    name = request.query_params.get("name")
    code = exc.code
    resource = request.url.path.startswith(("/v1/packs/", "/v1/projects/", "/v1/evaluations/"))
    status = 404 if resource and code.startswith("unknown-") and code != "unknown-rule" else 422
    return json_response({"errors": diagnostics_of(exc, name)}, status)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    del request
    texts = {404: ("没有这个地址", "no such path"), 405: ("不支持该请求方法", "method not allowed")}
    zh, en = texts.get(exc.status_code, ("请求错误", str(exc.detail)))
    return json_response({"errors": [{"code": f"http-{exc.status_code}", "message": en,
                              "message_zh": zh}]}, exc.status_code)


async def _internal_error(request: Request, exc: Exception) -> Response:
    del request
    if os.environ.get("GOVRULES_DEBUG"):
        raise exc
    return json_response({"errors": [{"code": "internal-error", "message_zh": "服务内部错误",
                              "message": f"internal error: {type(exc).__name__}"}]}, 500)


class SecurityHeaders:
    """ASGI middleware: a strict Content-Security-Policy (the page loads nothing from
    elsewhere), no MIME sniffing, no referrer sent to other sites."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"content-security-policy", _CSP.encode()),
                            (b"x-content-type-options", b"nosniff"),
                            (b"referrer-policy", b"same-origin")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)


ERROR_HANDLERS: dict[Any, Any] = {
    RequestError: _request_error, GovrulesError: _govrules_error,
    HTTPException: _http_error, Exception: _internal_error}
