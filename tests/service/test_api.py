"""The HTTP API against a real server process: results equal the CLI's, bad input gets
located diagnostics, limits and auth hold, the portfolio answers its queries."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
import yaml

from govrules.tools.schemas import SCHEMAS, json_schema, record_schema
from tests.service.conftest import EXAMPLES, REPO, Server, start_server, stop_server

TOKEN = {"Authorization": "Bearer s3cret-token"}
EXAMPLE_FILES = sorted(p.name for p in EXAMPLES.glob("*.yaml"))


def cli_jsonl(*args: str, stdin: bytes | None = None) -> list[dict[str, Any]]:
    done = subprocess.run([sys.executable, "-m", "govrules", "check", *args, "--format",
                           "jsonl", "-q"], cwd=REPO, input=stdin, capture_output=True,
                          check=False)
    assert done.returncode in (0, 1, 2), done.stderr
    return [json.loads(line) for line in done.stdout.decode().splitlines()]


def post_check(server: Server, body: bytes, **params: str) -> httpx.Response:
    return httpx.post(server.url + "/v1/check", params=params, content=body, timeout=60)


@pytest.mark.parametrize("example", EXAMPLE_FILES)
def test_one_document_equals_the_cli(server: Server, example: str,
                                     report_contract: dict[str, Any] | None) -> None:
    path = f"examples/{example}"
    response = post_check(server, (REPO / path).read_bytes(), name=path,
                          all_findings="true")
    assert response.status_code == 200
    results = response.json()["results"]
    assert results == cli_jsonl(path, "--all-findings")
    if report_contract is not None:
        import jsonschema

        report = {k: v for k, v in results[0].items() if k != "source"}
        jsonschema.validate(report, report_contract)


def test_a_stream_with_a_bad_record_equals_the_cli(server: Server, tmp_path: Path) -> None:
    lines = [json.dumps(yaml.safe_load((EXAMPLES / name).read_text()), default=str,
                        ensure_ascii=False) for name in EXAMPLE_FILES[:4]]
    lines.insert(2, '{"id": "broken", "city": "guiyang", "budget": ')
    stream = tmp_path / "stream.jsonl"
    stream.write_text("\n".join(lines) + "\n", encoding="utf-8")
    response = httpx.post(server.url + "/v1/check", params={"name": str(stream)},
                          content=stream.read_bytes(),
                          headers={"Content-Type": "application/x-ndjson"}, timeout=60)
    assert response.status_code == 422  # one record could not be read: as exit 2
    body = response.json()
    assert body["results"] == cli_jsonl(str(stream))
    assert body["summary"]["records"] == 5
    assert body["summary"]["errors"] == 1
    bad = body["results"][2]
    assert bad["source"] == f"{stream}:3"
    assert bad["errors"][0]["code"] == "json-syntax"
    assert bad["errors"][0]["line"] == 3


@pytest.mark.parametrize("detail", ["line", "full"])
def test_the_detail_asked_for_equals_the_cli(server: Server, detail: str,
                                             report_contract: dict[str, Any] | None) -> None:
    path = "examples/guiyang-violations.yaml"
    response = post_check(server, (REPO / path).read_bytes(), name=path, detail=detail)
    assert response.status_code == 200
    (result,) = response.json()["results"]
    assert [result] == cli_jsonl(path, "--detail", detail)
    assert ("articles" in result) is (detail == "full")
    assert result.get("detail", "full") == detail
    if report_contract is not None:
        import jsonschema

        jsonschema.validate({k: v for k, v in result.items() if k != "source"},
                            report_contract)


def test_stdin_without_a_name_equals_cli_stdin(server: Server) -> None:
    body = (EXAMPLES / "compliant.yaml").read_bytes()
    assert post_check(server, body).json()["results"] == cli_jsonl("-", stdin=body)


def test_a_city_applies_as_on_the_cli(server: Server) -> None:
    path = "examples/compliant.yaml"
    response = post_check(server, (REPO / path).read_bytes(), name=path, city="all",
                          as_of="2025-06-30")
    assert response.json()["results"] == cli_jsonl(path, "--city", "all",
                                                   "--as-of", "2025-06-30")
    assert len(response.json()["results"][0]["reports"]) == 5


def test_bad_yaml_is_a_located_422(server: Server) -> None:
    body = b"id: x\ncity: guiyang\nbudget:\n  original: [1\n"
    response = post_check(server, body, name="p.yaml")
    assert response.status_code == 422
    error = response.json()["results"][0]["errors"][0]
    assert (error["code"], error["file"], error["line"]) == ("yaml-syntax", "p.yaml", 5)


def test_a_snapshot_field_error_names_its_line(server: Server) -> None:
    body = b"id: x\ncity: guiyang\nproject:\n  kind: spaceship\n"
    response = post_check(server, body, name="p.yaml")
    assert response.status_code == 422
    error = response.json()["results"][0]["errors"][0]
    assert error["file"] == "p.yaml"
    assert error["line"] == 4
    assert error["path"] == "project.kind"


@pytest.mark.parametrize(("params", "code", "status"), [
    ({"city": "atlantis"}, "unknown-city", 422),
    ({"as_of": "tomorrow"}, "bad-date", 400),
    ({"format": "docx"}, "input-format", 400),
    ({"detail": "short"}, "bad-choice", 400),
], ids=["unknown-city", "bad-date", "bad-format", "bad-detail"])
def test_bad_parameters(server: Server, params: dict[str, str], code: str,
                        status: int) -> None:
    response = post_check(server, b"id: x\n", **params)
    assert response.status_code == status
    errors = response.json()["errors"]
    assert errors[0]["code"] == code
    if status == 400:
        assert errors[0]["message_zh"]
        assert errors[0]["path"] in params


def test_body_limit(server: Server) -> None:
    response = post_check(server, b"#" * 200_001)
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "request-too-large"


def test_body_limit_without_content_length(server: Server) -> None:
    def chunks() -> Any:
        for _ in range(30):
            yield b"#" * 10_000

    response = httpx.post(server.url + "/v1/check", content=chunks(), timeout=60)
    assert response.status_code == 413


def test_records_limit(server: Server) -> None:
    body = "".join(json.dumps({"id": f"p{i}", "city": "guiyang"}) + "\n" for i in range(51))
    response = post_check(server, body.encode(), format="jsonl")
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too-many-records"
    fifty = "".join(body.splitlines(keepends=True)[:50])
    assert post_check(server, fifty.encode(), format="jsonl").status_code == 200


def test_time_limit(tmp_path: Path) -> None:
    srv = start_server(tmp_path, "--db", str(tmp_path / "s.db"), "--time-limit", "0.000001")
    try:
        response = post_check(srv, (EXAMPLES / "compliant.yaml").read_bytes())
        assert response.status_code == 503
        assert response.json()["errors"][0]["code"] == "time-limit"
    finally:
        stop_server(srv)


def test_writes_need_the_token(server: Server) -> None:
    project = {"key": "auth-test", "city": "guiyang"}
    assert httpx.post(server.url + "/v1/projects", json=project).status_code == 401
    wrong = httpx.post(server.url + "/v1/projects", json=project,
                       headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"] == "Bearer"
    assert wrong.json()["errors"][0]["code"] == "unauthorised"
    snapshot = httpx.post(server.url + "/v1/projects/auth-test/snapshots",
                          content=(EXAMPLES / "compliant.yaml").read_bytes())
    assert snapshot.status_code == 401
    assert httpx.post(server.url + "/v1/projects", json=project,
                      headers=TOKEN).status_code == 201
    assert httpx.get(server.url + "/v1/projects/auth-test").status_code == 200  # reads open


def test_packs_articles_schemas(server: Server) -> None:
    packs = httpx.get(server.url + "/v1/packs").json()
    assert {p["id"] for p in packs} == {"guiyang", "jincheng", "shangrao", "taiyuan", "wuhai"}
    pack = httpx.get(server.url + "/v1/packs/guiyang").json()
    cited = {r["id"] for a in pack["article_list"] for r in a["rules"]}
    assert len(cited) == pack["rules"]
    article = httpx.get(server.url + "/v1/packs/guiyang/articles/14").json()
    assert article["label"] == "第十四条"
    assert any(r["id"] == "guiyang.14.quarterly-progress" for r in article["rules"])
    for rule in article["rules"]:
        assert rule["quote"]
        assert rule["quote"].replace(" ", "") in article["text"].replace(
            " ", "")
    missing = httpx.get(server.url + "/v1/packs/guiyang/articles/999")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == \
        "unknown-article"
    assert httpx.get(server.url + "/v1/packs/atlantis").status_code == 404
    for what in SCHEMAS:
        assert httpx.get(server.url + f"/v1/schemas/{what}").json() == json_schema(what)
    assert httpx.get(server.url + "/v1/schemas/nothing").status_code == 404


def test_check_results_are_the_records_the_schema_describes(server: Server) -> None:
    validator = jsonschema.Draft202012Validator(record_schema())
    body = (EXAMPLES / "guiyang-violations.yaml").read_bytes()
    for params in ({}, {"detail": "full"}, {"city": "all"}):
        response = httpx.post(server.url + "/v1/check", params=params, content=body,
                              timeout=60)
        (result,) = response.json()["results"]
        assert not list(validator.iter_errors(result)), params


def test_explain(server: Server) -> None:
    body = (EXAMPLES / "guiyang-violations.yaml").read_bytes()
    response = httpx.post(server.url + "/v1/explain", content=body,
                          params={"rule": "guiyang.12.bid-result-filed"})
    assert response.status_code == 200
    data = response.json()
    assert data["finding"]["status"] == "violated"
    assert "RESULT: violated" in data["text"]
    unknown = httpx.post(server.url + "/v1/explain", content=body,
                         params={"rule": "guiyang.12.bid-result-fild"})
    assert unknown.status_code == 422
    assert "guiyang.12.bid-result-filed" in unknown.json()["errors"][0]["hint"]


def test_openapi_describes_every_route(server: Server) -> None:
    from govrules.service.app import ServiceConfig, create_app

    document = httpx.get(server.url + "/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    app = create_app(ServiceConfig("sqlite://"))
    served = {route.path.replace(":int", "") for route in app.routes
              if getattr(route, "methods", None) and route.path.startswith(("/v1", "/h",
                                                                            "/o"))}
    assert served == set(document["paths"])
    text = json.dumps(document)
    for ref in {part.split('"')[0] for part in text.split('"#/components/schemas/')[1:]}:
        assert ref in document["components"]["schemas"], ref


def test_page_and_assets_are_served_with_a_strict_policy(server: Server) -> None:
    page = httpx.get(server.url + "/")
    assert page.status_code == 200
    assert "app.js" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for asset in ("app.js", "app.css"):
        text = httpx.get(server.url + f"/static/{asset}").text
        assert "http://" not in text
        assert "https://" not in text


def test_xlsx_upload(server: Server) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "项目"
    sheet.append(["id", "city", "as_of", "project.kind", "procurement.bid_result_filed"])
    sheet.append(["X-1", "guiyang", "2025-11-20", "purchased_service", False])
    buffer = io.BytesIO()
    book.save(buffer)
    response = httpx.post(server.url + "/v1/check", params={"name": "reg.xlsx"},
                          content=buffer.getvalue(), timeout=60)
    assert response.status_code == 200, response.text
    result = response.json()["results"][0]
    assert result["source"] == "reg.xlsx!项目:2"
    assert result["snapshot_id"] == "X-1"
    sheet.cell(1, 4).value = "project.knd"
    buffer = io.BytesIO()
    book.save(buffer)
    bad = httpx.post(server.url + "/v1/check", params={"name": "reg.xlsx"},
                     content=buffer.getvalue(), timeout=60)
    assert bad.status_code == 422
    error = bad.json()["results"][0]["errors"][0]
    assert (error["code"], error["file"], error["line"], error["col"]) == (
        "xlsx-unknown-column", "reg.xlsx!项目", 1, 4)
    assert error["hint"] == "did you mean 'project.kind'?" or "project.kind" in error["hint"]


def test_portfolio_over_http(server: Server) -> None:
    original = (EXAMPLES / "guiyang-violations.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    key = "http-" + data["id"]
    first = httpx.post(server.url + f"/v1/projects/{key}/snapshots", content=original,
                       headers=TOKEN, params={"name": "v1.yaml"}, timeout=60)
    assert first.status_code == 201, first.text
    evaluation = first.json()["stored"][0]["evaluations"][0]
    assert evaluation["verdict"] == "non_compliant"
    data["procurement"]["bid_result_filed"] = True
    fixed = yaml.safe_dump(data, allow_unicode=True)
    second = httpx.post(server.url + f"/v1/projects/{key}/snapshots", content=fixed,
                        headers=TOKEN, timeout=60)
    assert second.status_code == 201, second.text
    changes = httpx.get(server.url + f"/v1/projects/{key}/changes").json()[0]
    assert "guiyang.12.bid-result-filed" in changes["closed"]
    assert changes["previous"]["evaluation"] == evaluation["evaluation"]
    due = httpx.get(server.url + "/v1/portfolio/due",
                    params={"on": "2025-11-20", "days": "60"}).json()
    assert [d["due"] for d in due if d["project"] == key] == ["2025-12-31"]
    overdue = httpx.get(server.url + "/v1/portfolio/overdue",
                        params={"on": "2026-03-01", "owner": data["project"]["owner"]}).json()
    assert {d["project"] for d in overdue} == {key}
    stored = httpx.get(server.url + f"/v1/evaluations/{evaluation['evaluation']}")
    import hashlib
    assert hashlib.sha256(stored.content).hexdigest() == evaluation["report_sha256"]
    replay = httpx.get(server.url + f"/v1/evaluations/{evaluation['evaluation']}/replay")
    assert replay.json()["verified"] is True
    ics = httpx.get(server.url + f"/v1/projects/{key}/calendar.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert ics.text.count("BEGIN:VEVENT") == 3
    assert "DTSTART;VALUE=DATE:20251231" in ics.text
    history = httpx.get(server.url + f"/v1/projects/{key}").json()
    assert len(history["snapshots"]) == 2
    assert len(history["evaluations"]) == 2
    assert httpx.get(server.url + "/v1/projects/nobody").status_code == 404


def test_portfolio_stream_import_files_each_record_under_its_id(server: Server) -> None:
    rows = "id,city,as_of,project.owner\nS-1,guiyang,2025-11-20,甲局\nS-2,wuhai,2025-11-20,乙局\n"
    response = httpx.post(server.url + "/v1/portfolio/snapshots", content=rows.encode(),
                          headers={**TOKEN, "Content-Type": "text/csv"}, timeout=60)
    assert response.status_code == 201, response.text
    assert [s["project"] for s in response.json()["stored"]] == ["S-1", "S-2"]
    owners = {p["key"]: p["owner"] for p in httpx.get(server.url + "/v1/projects").json()}
    assert owners["S-1"] == "甲局"
    assert owners["S-2"] == "乙局"
    summary = httpx.get(server.url + "/v1/portfolio/summary").json()
    assert summary["city"]["wuhai"]["projects"] >= 1


def test_check_against_an_uploaded_pack_equals_cli_policy(server: Server) -> None:
    path = "examples/guiyang-violations.yaml"
    files = {"snapshot": (path, (REPO / path).read_bytes(), "application/yaml"),
             "pack": ("policies/guiyang.yaml", (REPO / "policies/guiyang.yaml").read_bytes(),
                      "application/yaml")}
    response = httpx.post(server.url + "/v1/check", files=files, timeout=60)
    assert response.status_code == 200, response.text
    assert response.json()["results"] == cli_jsonl(path, "--policy", "policies/guiyang.yaml")


def test_a_broken_uploaded_pack_is_located(server: Server) -> None:
    text = (REPO / "policies/guiyang.yaml").read_text(encoding="utf-8")
    broken = text.replace("violated_when:", "violated_whn:", 1)
    line = text[: text.index("violated_when:")].count("\n") + 1
    files = {"snapshot": ("p.yaml", b"id: x\n", "application/yaml"),
             "pack": ("mine.yaml", broken.encode(), "application/yaml")}
    response = httpx.post(server.url + "/v1/check", files=files, timeout=60)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert any(e["file"] == "mine.yaml" and e["line"] == line for e in errors), errors


def test_a_form_without_a_snapshot(server: Server) -> None:
    response = httpx.post(server.url + "/v1/check", files={"other": ("a", b"x")})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "no-snapshot"


def test_concurrent_snapshots_of_a_new_project(server: Server) -> None:
    from concurrent.futures import ThreadPoolExecutor

    body = (EXAMPLES / "compliant.yaml").read_bytes()

    def post(_: int) -> int:
        return httpx.post(server.url + "/v1/projects/race/snapshots", content=body,
                          headers=TOKEN, timeout=120).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(post, range(8)))
    assert statuses == [201] * 8
    history = httpx.get(server.url + "/v1/projects/race").json()
    assert len(history["snapshots"]) == 8
    assert len(history["evaluations"]) == 8
