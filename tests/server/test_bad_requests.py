"""Every malformed request gets a clear 4xx, never a 500, and the service keeps answering afterwards.
(The fixtures cap bodies at 64 KiB and texts at 5,000 characters.)"""

from __future__ import annotations

import json

import pytest

JSON = {"content-type": "application/json"}


@pytest.mark.parametrize("body", [
    b"", b"{", b"not json", b'{"text": "unterminated}', b"\xff\xfe\x00", b"\xc3\x28", b"[" * 50_000,
    b'{"text": 1' + b"0" * 5000 + b"}",
], ids=["empty", "open-brace", "prose", "unterminated", "utf16-bom", "bad-utf8", "deep-nesting", "huge-int"])
def test_malformed_json_is_400(client, body):
    response = client.post("/v1/lint", content=body, headers=JSON)
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["detail"]


@pytest.mark.parametrize("body", [
    [], "text", 42, None, {}, {"text": None}, {"text": 123}, {"text": ["a"]}, {"text": "hi", "customer": 5},
    {"text": "hi", "format": "pdf"}, {"text": "hi", "select": [1]}, {"text": "hi", "select": {"a": 1}},
    {"text": "hi", "ignore": 3}, {"text": "hi", "colour": "blue"},
])
def test_wrong_shapes_and_types_are_422_with_the_field(client, body):
    response = client.post("/v1/lint", content=json.dumps(body), headers=JSON)
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list) and response.json()["detail"]


@pytest.mark.parametrize(("body", "words"), [
    ({"text": "x" * 5_001}, "'text' is 5,001 characters"),
    ({"text": "hi", "customer": "y" * 5_001}, "'customer' is 5,001 characters"),
    ({"text": "hi", "select": ["NOPE"]}, "unknown rule selector 'NOPE'"),
    ({"text": "hi", "ignore": "zzz-not-a-rule"}, "unknown rule selector"),
    ({"text": "hi", "select": [f"CND00{i % 9}" for i in range(101)]}, "at most 100 selectors"),
    ({"text": "hi", "select": []}, "'select' is empty, which would turn off every rule"),
    ({"text": "hi", "select": " , "}, "'select' is empty, which would turn off every rule"),
    # JSON may spell a lone surrogate (RFC 8259 allows the escape); Python decodes it, UTF-8 cannot carry it.
    ('{"text": "fine \\ud800 then"}', "unpaired surrogate"),
])
def test_understood_but_unacceptable_requests_are_422_with_a_message(client, body, words):
    content = body if isinstance(body, str) else json.dumps(body)
    response = client.post("/v1/lint", content=content, headers=JSON)
    assert response.status_code == 422
    assert words in response.json()["detail"]


def test_oversized_body_is_413_by_its_declared_length(client):
    response = client.post("/v1/lint", content=b'{"text": "' + b"x" * 70_000 + b'"}', headers=JSON)
    assert response.status_code == 413
    assert "larger than 65,536 bytes" in response.json()["detail"]


def test_oversized_body_is_413_while_it_streams_in(client):
    def chunks():  # no Content-Length: sent chunked
        yield b'{"text": "'
        for _ in range(20):
            yield b"x" * 8192
        yield b'"}'

    response = client.post("/v1/lint", content=chunks(), headers=JSON)
    assert response.status_code == 413


def test_the_service_still_answers_after_bad_requests(client):
    for body in (b"{", b"[]", b'{"text": 5}'):
        client.post("/v1/lint", content=body, headers=JSON)
    assert client.get("/healthz").status_code == 200
    assert client.post("/v1/lint", json={"text": "Like I said, it ships today."}).status_code == 200


def test_wrong_method_and_unknown_paths(client):
    assert client.get("/v1/lint").status_code == 405
    assert client.get("/v2/lint").status_code == 404


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"},
                                     {"Authorization": "Basic czNjcmV0"}])
def test_token_is_required_when_configured(token_client, headers):
    response = token_client.post("/v1/lint", json={"text": "hi"}, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert token_client.get("/v1/rules", headers=headers).status_code == 401


def test_right_token_is_accepted_and_health_needs_none(token_client):
    ok = {"Authorization": "Bearer s3cret"}
    assert token_client.post("/v1/lint", json={"text": "hi"}, headers=ok).status_code == 200
    assert token_client.get("/v1/rules", headers=ok).status_code == 200
    assert token_client.get("/healthz").status_code == 200
