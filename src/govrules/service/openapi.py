"""The OpenAPI 3.1 description of the HTTP API (served at ``/openapi.json``).

Request and response bodies reuse the JSON Schemas the library already publishes (the
report contract, the snapshot model), moved under ``components/schemas``.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from govrules._version import __version__
from govrules.io.formats.common import DETAILS
from govrules.model.snapshot import snapshot_json_schema
from govrules.tools.schemas import SCHEMAS, record_schema

__all__ = ["openapi_document"]

_BODY_TYPES = ("application/yaml", "application/json", "application/x-ndjson", "text/csv",
               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _components(schema: dict[str, Any], name: str, prefix: str) -> dict[str, Any]:
    """``schema`` and its ``$defs`` as components, references rewritten."""
    defs = schema.pop("$defs", {})
    text = json.dumps({name: schema, **{prefix + k: v for k, v in defs.items()}})
    text = text.replace('"#/$defs/', f'"#/components/schemas/{prefix}')
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*statuses: int) -> dict[str, Any]:
    texts = {400: "bad query parameter", 401: "a write without a valid bearer token",
             404: "no such pack, article, project or evaluation",
             413: "body larger than the limit, or more records than allowed",
             422: "input that cannot be read or checked (located diagnostics)",
             503: "checking took longer than the time allowed per request"}
    return {str(s): _json(_ref("ErrorBody"), texts[s]) for s in statuses}


def _query(name: str, description: str, schema: dict[str, Any] | None = None,
           *, required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "description": description,
            "schema": schema or {"type": "string"}}


def _path(name: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True,
            "schema": schema or {"type": "string"}}


_DATE = {"type": "string", "format": "date"}
_CHECK_QUERY = [
    _query("city", "built-in pack id, comma list, or `all` (repeatable); default: each "
           "snapshot's own city"),
    _query("as_of", "evaluation date (default: the snapshot's as_of, else today)", _DATE),
    _query("format", "input format (default: from Content-Type, else sniffed)",
           {"type": "string", "enum": ["auto", "yaml", "json", "jsonl", "csv", "xlsx"]}),
    _query("name", "file name to place diagnostics in (default `<stdin>`)"),
    _query("all_findings", "also list satisfied and not-applicable findings",
           {"type": "boolean"}),
    _query("timeline", "add an SVG timeline of due dates per result", {"type": "boolean"}),
    _query("detail", "report form: `line` (default: without the articles table, query plan "
           "and explanations) or `full` (with them)",
           {"type": "string", "enum": list(DETAILS), "default": "line"}),
]
_BODY = {"required": True, "description": "one snapshot (YAML or JSON document) or a stream "
         "(JSON array, JSON Lines, CSV, Excel); or multipart/form-data with a `snapshot` file "
         "and an optional `pack` file",
         "content": {**{t: {"schema": {"type": "string"}} for t in _BODY_TYPES},
                     "multipart/form-data": {"schema": {"type": "object", "properties": {
                         "snapshot": {"type": "string", "format": "binary"},
                         "pack": {"type": "string", "format": "binary"}},
                         "required": ["snapshot"]}}}}
_WRITE: list[dict[str, list[str]]] = [{"bearer": []}, {}]


def _paths() -> dict[str, Any]:
    obj = {"type": "object"}
    arr = {"type": "array", "items": obj}
    filters = [_query("city", "only this city"), _query("owner", "only this owner unit")]
    return {
        "/healthz": {"get": {"summary": "liveness", "responses": {"200": _json(obj, "ok")}}},
        "/openapi.json": {"get": {"summary": "this description",
                                  "responses": {"200": _json(obj, "OpenAPI 3.1")}}},
        "/v1/check": {"post": {
            "summary": "check one snapshot or a stream against a city or a pack",
            "description": "Each result is what `govrules check --format jsonl --detail "
            "DETAIL` prints for the record: the report with its `source`, or "
            "`{source, errors}`. 200 when every "
            "record was checked, 422 when any could not be (all results still listed).",
            "parameters": _CHECK_QUERY, "requestBody": _BODY,
            "responses": {"200": _json(_ref("CheckResponse"), "every record checked"),
                          **_errors(400, 413, 422, 503)}}},
        "/v1/explain": {"post": {
            "summary": "explain how one rule's finding on one snapshot was reached",
            "parameters": [_query("rule", "rule id", required=True), *_CHECK_QUERY[:4]],
            "requestBody": _BODY,
            "responses": {"200": _json(obj, "conditions, values, finding"),
                          **_errors(400, 404, 422)}}},
        "/v1/packs": {"get": {"summary": "the built-in packs",
                              "responses": {"200": _json(arr, "pack summaries")}}},
        "/v1/packs/{pack}": {"get": {
            "summary": "a pack, article by article, with the rules under each",
            "parameters": [_path("pack")],
            "responses": {"200": _json(obj, "the pack"), **_errors(404)}}},
        "/v1/packs/{pack}/articles/{number}": {"get": {
            "summary": "one article: verbatim text and its rules",
            "parameters": [_path("pack"), _path("number", {"type": "integer"})],
            "responses": {"200": _json(obj, "the article"), **_errors(404)}}},
        "/v1/schemas/{what}": {"get": {
            "summary": "JSON Schema of a snapshot, a pack file, a report or a check record",
            "parameters": [_path("what", {"type": "string",
                                          "enum": list(SCHEMAS)})],
            "responses": {"200": _json(obj, "JSON Schema"), **_errors(404)}}},
        "/v1/projects": {
            "get": {"summary": "projects with their latest verdicts", "parameters": filters,
                    "responses": {"200": _json(arr, "projects")}},
            "post": {"summary": "create or update a project", "security": _WRITE,
                     "requestBody": {"content": {"application/json": {"schema": {
                         "type": "object", "required": ["key"], "properties": {
                             k: {"type": "string"} for k in ("key", "name", "city", "owner")}}}}},
                     "responses": {"201": _json(obj, "the project"), **_errors(400, 401)}}},
        "/v1/projects/{key}": {"get": {
            "summary": "a project's snapshots and evaluations (its history)",
            "parameters": [_path("key")],
            "responses": {"200": _json(obj, "history"), **_errors(404)}}},
        "/v1/projects/{key}/snapshots": {"post": {
            "summary": "store a snapshot of the project and evaluate it", "security": _WRITE,
            "parameters": [_path("key"), _query("evaluate", "evaluate it (default true)",
                                                {"type": "boolean"}), *_CHECK_QUERY[:4]],
            "requestBody": _BODY,
            "responses": {"201": _json(obj, "stored"), **_errors(400, 401, 413, 422)}}},
        "/v1/projects/{key}/evaluate": {"post": {
            "summary": "evaluate the project's latest snapshot again", "security": _WRITE,
            "parameters": [_path("key"), *_CHECK_QUERY[:2]],
            "responses": {"201": _json(arr, "evaluations"), **_errors(401, 404, 422)}}},
        "/v1/projects/{key}/changes": {"get": {
            "summary": "findings opened and closed since the previous evaluation",
            "parameters": [_path("key")],
            "responses": {"200": _json(arr, "per pack"), **_errors(404)}}},
        "/v1/projects/{key}/calendar.ics": {"get": {
            "summary": "the project's due dates as iCalendar", "parameters": [_path("key")],
            "responses": {"200": {"description": "iCalendar",
                                  "content": {"text/calendar": {}}}, **_errors(404)}}},
        "/v1/evaluations/{id}": {"get": {
            "summary": "a stored report, byte for byte as produced",
            "parameters": [_path("id", {"type": "integer"})],
            "responses": {"200": _json(_ref("AnyReport"), "the report"), **_errors(404)}}},
        "/v1/evaluations/{id}/replay": {"get": {
            "summary": "re-run a stored evaluation and compare the bytes",
            "parameters": [_path("id", {"type": "integer"})],
            "responses": {"200": _json(obj, "verified or not, and why"), **_errors(404)}}},
        "/v1/portfolio/snapshots": {"post": {
            "summary": "store a stream of snapshots, each under its id, and evaluate them",
            "security": _WRITE, "parameters": _CHECK_QUERY[:4], "requestBody": _BODY,
            "responses": {"201": _json(obj, "stored"), **_errors(400, 401, 413, 422)}}},
        "/v1/portfolio/due": {"get": {
            "summary": "what falls due in the next N days across all projects",
            "parameters": [_query("days", "window (default 30)", {"type": "integer"}),
                           _query("on", "from this day (default today)", _DATE), *filters],
            "responses": {"200": _json(arr, "due items"), **_errors(400)}}},
        "/v1/portfolio/overdue": {"get": {
            "summary": "what is overdue across all projects",
            "parameters": [_query("on", "as of this day (default today)", _DATE), *filters],
            "responses": {"200": _json(arr, "overdue items"), **_errors(400)}}},
        "/v1/portfolio/summary": {"get": {
            "summary": "per city and per owner: projects, non-compliant, overdue, due",
            "parameters": [_query("days", "due window", {"type": "integer"}),
                           _query("on", "day", _DATE)],
            "responses": {"200": _json(obj, "summary"), **_errors(400)}}},
        "/v1/portfolio/calendar.ics": {"get": {
            "summary": "every project's due dates as iCalendar", "parameters": filters,
            "responses": {"200": {"description": "iCalendar",
                                  "content": {"text/calendar": {}}}}}},
    }


@functools.cache
def _document() -> str:
    schemas: dict[str, Any] = {}
    record = record_schema()
    for key in ("$schema", "$id"):  # an $id would move the base of the references
        record.pop(key)
    schemas.update(_components(record, "Record", ""))
    schemas.update(_components(snapshot_json_schema(), "Snapshot", "Snapshot_"))
    schemas["ErrorBody"] = {"type": "object", "required": ["errors"], "properties": {
        "errors": {"type": "array", "items": _ref("Diagnostic")}}}
    schemas["CheckResponse"] = {"type": "object", "required": ["results", "summary"],
                                "properties": {
        "results": {"type": "array", "items": _ref("Record")},
        "summary": {"type": "object"},
        "timelines": {"type": "array", "items": {"type": ["string", "null"]}}}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "govrules", "version": __version__,
                 "description": "Check government IT projects against municipal "
                 "regulations; keep a portfolio of projects and their evaluations."},
        "paths": _paths(),
        "components": {"schemas": schemas, "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"}}},
    }
    return json.dumps(document, ensure_ascii=False)


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document (built once per process)."""
    loaded: dict[str, Any] = json.loads(_document())
    return loaded
