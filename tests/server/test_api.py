"""The HTTP API: what a pre-send hook gets back, and how every kind of bad request is answered."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from empathylint.formatters import FORMATTERS, Summary
from empathylint.source import Source

OUTPUT_SCHEMA = json.loads(
    (Path(__file__).parents[2] / "empathylint" / "schemas" / "output-v2.json").read_text(encoding="utf-8"))
REPLY = "Hi Dana,\nAs I already explained, just restart the router.\n"


def codes(response) -> list[str]:
    return [d["code"] for d in response.json()["results"][0]["diagnostics"]]


def test_lint_returns_the_json_format_document(client):
    response = client.post("/v1/lint", json={"text": REPLY})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    document = response.json()
    jsonschema.validate(document, OUTPUT_SCHEMA)
    [result] = document["results"]
    assert result["path"] == "<request>"
    first = result["diagnostics"][0]
    assert (first["code"], first["line"], first["column"]) == ("CND001", 2, 1)
    assert REPLY[first["start"]:first["end"]] == "As I already explained"
    assert document["summary"]["diagnostics"] == len(result["diagnostics"])


def test_lint_matches_the_command_lines_json_output(client, rules_linter):
    [result] = rules_linter.lint_sources([Source.from_text(REPLY, "<request>")])
    import io

    out = io.StringIO()
    formatter = FORMATTERS["json"](out, rules_linter.rules)
    summary = Summary()
    summary.add(result)
    formatter.start()
    formatter.result(result)
    formatter.finish(summary)
    assert client.post("/v1/lint", json={"text": REPLY}).json() == json.loads(out.getvalue())


def test_customer_message_is_accepted(client):
    response = client.post("/v1/lint", json={"text": REPLY, "customer": "My router keeps dropping!"})
    assert response.status_code == 200


@pytest.mark.parametrize(("body", "expected"), [
    ({"select": ["CND005"]}, ["CND005"]),
    ({"select": "CND001"}, ["CND001"]),
    ({"ignore": ["CND001"]}, ["CND005"]),
    ({"select": "condescension", "ignore": "just-do-it"}, ["CND001"]),
])
def test_select_and_ignore(client, body, expected):
    assert codes(client.post("/v1/lint", json={"text": REPLY, **body})) == expected


def test_html_format_reports_offsets_into_the_html(client):
    from empathylint.readers import READERS

    if "html" not in READERS:
        pytest.skip("no html reader in this version")
    html = "<p>Hi Dana,</p>\n<p>As I <em>already</em> explained, the refund takes five days.</p>"
    response = client.post("/v1/lint", json={"text": html, "format": "html"})
    assert response.status_code == 200
    [d] = [d for d in response.json()["results"][0]["diagnostics"] if d["code"] == "CND001"]
    assert html[d["start"]:d["end"]] == "As I <em>already</em> explained"


def test_a_missing_reader_falls_back_to_plain_text_with_a_notice(client, monkeypatch):
    from empathylint.readers import READERS

    monkeypatch.delitem(READERS, "template", raising=False)
    response = client.post("/v1/lint", json={"text": REPLY, "format": "template"})
    assert response.status_code == 200
    result = response.json()["results"][0]
    assert "CND001" in [d["code"] for d in result["diagnostics"]]
    assert any("no 'template' reader" in n for n in result["notices"])


def test_rules_lists_every_rule(client, rules_linter):
    rules = client.get("/v1/rules").json()
    assert [r["code"] for r in rules] == [r.code for r in rules_linter.rules]
    assert {"code", "name", "severity", "reason", "suggestions"} <= rules[0].keys()


def test_healthz(client):
    assert client.get("/healthz").json() | {"version": "x"} == {
        "status": "ok", "version": "x", "model": False, "rules": len(client.get("/v1/rules").json())}


def test_openapi_document_describes_the_api_and_its_references_resolve(client):
    spec = client.get("/openapi.json").json()
    assert {"/v1/lint", "/v1/rules", "/healthz"} <= spec["paths"].keys()
    lint = spec["paths"]["/v1/lint"]["post"]
    assert lint["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/LintRequest")
    assert {"400", "413", "422"} <= lint["responses"].keys()
    schemas = spec["components"]["schemas"]
    refs = {ref for ref in _refs(spec)}
    assert refs and all(ref.rsplit("/", 1)[1] in schemas for ref in refs), refs - set(schemas)
    assert set(schemas["LintRequest"]["properties"]) == {"text", "customer", "format", "select", "ignore"}


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_compose_page_and_its_files_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert '<textarea id="draft"' in page.text
    for name in ("compose.js", "compose.css"):
        assert client.get(f"/static/{name}").status_code == 200


def test_template_format_masks_placeholders_and_reports_offsets_into_the_template(client):
    template = "Hi {{ customer.first_name }},\n{% if late %}As I already explained, it ships today.{% endif %}\n"
    response = client.post("/v1/lint", json={"text": template, "format": "template"})
    assert response.status_code == 200
    [d] = [d for d in response.json()["results"][0]["diagnostics"] if d["code"] == "CND001"]
    assert template[d["start"]:d["end"]] == "As I already explained"
    assert (d["line"], d["column"]) == (2, 14)


def test_the_pipeline_is_built_once_and_shared_by_every_request(monkeypatch):
    from fastapi.testclient import TestClient

    from empathylint import pipeline
    from empathylint.config import Config
    from empathylint.server.app import create_app
    from empathylint.server.service import LintService

    built = []
    real = pipeline.build_pipeline
    monkeypatch.setattr(pipeline, "build_pipeline", lambda *a, **k: built.append(1) or real(*a, **k))
    client = TestClient(create_app(LintService(Config(use_model=False))), base_url="http://localhost")
    assert len(built) == 1, "the service builds its pipeline at start-up, before the first request"
    for text in ("Like I said, it ships today.", "Obviously, it ships today.", "Thanks, it ships today."):
        assert client.post("/v1/lint", json={"text": text}).status_code == 200
    assert client.post("/v1/lint", json={"text": "Hi", "select": "CND001"}).status_code == 200
    assert len(built) == 1


def test_a_body_that_is_not_json_is_refused_with_415(client):
    """A web page can post a form or text/plain anywhere without asking; JSON needs CORS permission."""
    body = json.dumps({"text": "Like I said, no."})
    for content_type in ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        response = client.post("/v1/lint", content=body, headers={"Content-Type": content_type})
        assert response.status_code == 415 and "application/json" in response.json()["detail"]
    for content_type in ("application/json; charset=utf-8", "application/vnd.api+json"):
        assert client.post("/v1/lint", content=body, headers={"Content-Type": content_type}).status_code == 200


def test_only_allowed_origins_may_call_from_a_browser(service):
    from fastapi.testclient import TestClient

    from empathylint.server.app import create_app

    preflight = {"Access-Control-Request-Method": "POST",
                 "Access-Control-Request-Headers": "authorization, content-type"}
    closed = TestClient(create_app(service), base_url="http://127.0.0.1")
    response = closed.options("/v1/lint", headers={"Origin": "https://acme.zendesk.com", **preflight})
    assert "access-control-allow-origin" not in response.headers
    open_to = TestClient(create_app(service, token="t", allow_origins=("https://acme.zendesk.com",)),
                         base_url="http://127.0.0.1")
    response = open_to.options("/v1/lint", headers={"Origin": "https://acme.zendesk.com", **preflight})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "https://acme.zendesk.com"
    assert "authorization" in response.headers["access-control-allow-headers"].lower()
    other = open_to.options("/v1/lint", headers={"Origin": "https://evil.example", **preflight})
    assert other.status_code == 400 and "access-control-allow-origin" not in other.headers
    answer = open_to.post("/v1/lint", json={"text": "Like I said, no."},
                          headers={"Origin": "https://acme.zendesk.com", "Authorization": "Bearer t"})
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == "https://acme.zendesk.com"
