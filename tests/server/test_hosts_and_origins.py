"""Who may talk to the service: only requests addressed to the loopback names (or a host named with
``--allowed-host``) are served, so a web page that rebinds its own name to 127.0.0.1 gets 400; and a browser
request to ``/v1/*`` from an origin not named with ``--allow-origin`` (another page, an extension) gets 403."""

from __future__ import annotations

import httpx
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from empathylint.server.app import create_app
from empathylint.server.runner import BackgroundServer

BODY = {"text": "Like I said, it ships today."}
EXTENSION = "chrome-extension://jopegfgamplajlpmpaglpmdbkinegdag"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8750", "localhost:8750", "LOCALHOST", "[::1]:8750", "[::1]"])
def test_the_loopback_names_are_served(client, host):
    assert client.get("/healthz", headers={"Host": host}).status_code == 200
    assert client.post("/v1/lint", json=BODY, headers={"Host": host}).status_code == 200


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8750", "127.0.0.1.evil.example", "10.0.0.5:8750",
                                  "[::2]:8750", "", "local host"])
def test_a_foreign_host_is_refused_with_400_on_every_route(client, host):
    for response in (client.get("/", headers={"Host": host}), client.get("/healthz", headers={"Host": host}),
                     client.post("/v1/lint", json=BODY, headers={"Host": host}),
                     client.get("/v1/rules", headers={"Host": host})):
        assert response.status_code == 400, (host, response.request.url)


def test_a_host_named_with_allowed_host_is_served(service):
    app = create_app(service, allowed_hosts=("lint.internal",))
    client = TestClient(app, base_url="http://lint.internal:8750")
    assert client.post("/v1/lint", json=BODY).status_code == 200
    assert client.get("/healthz", headers={"Host": "127.0.0.1:8750"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "other.internal"}).status_code == 400


def test_dns_rebinding_against_a_real_server_gets_400(service):
    """What a rebinding page does: its name now resolves to 127.0.0.1, so the browser connects to the
    service but still sends the page's own name as the Host."""
    with BackgroundServer(create_app(service)) as url:
        port = url.rsplit(":", 1)[1]
        rebound = httpx.post(f"{url}/v1/lint", json=BODY, headers={"Host": f"attacker.example:{port}"})
        assert rebound.status_code == 400
        assert "diagnostics" not in rebound.text
        assert httpx.post(f"{url}/v1/lint", json=BODY).status_code == 200


def test_an_origin_not_allowed_gets_403_and_is_told_the_option(client):
    response = client.post("/v1/lint", json=BODY, headers={"Origin": EXTENSION})
    assert response.status_code == 403
    assert f"--allow-origin {EXTENSION}" in response.json()["detail"]
    assert client.post("/v1/lint", json=BODY, headers={"Origin": "https://evil.example"}).status_code == 403
    assert client.get("/v1/rules", headers={"Origin": "null"}).status_code == 403


def test_the_compose_page_calls_from_its_own_origin(client):
    own = client.post("/v1/lint", json=BODY, headers={"Origin": "http://127.0.0.1:8750"})
    assert own.status_code == 200
    other_port = client.post("/v1/lint", json=BODY, headers={"Origin": "http://127.0.0.1:9999"})
    assert other_port.status_code == 403


def test_the_extension_origin_is_accepted_once_allowed(service):
    client = TestClient(create_app(service, allow_origins=(EXTENSION,)), base_url="http://127.0.0.1:8750")
    answer = client.post("/v1/lint", json=BODY, headers={"Origin": EXTENSION})
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == EXTENSION
    assert answer.json()["results"][0]["diagnostics"][0]["code"] == "CND002"
    assert client.post("/v1/lint", json=BODY, headers={"Origin": "moz-extension://1234"}).status_code == 403
    assert client.get("/healthz", headers={"Origin": "https://evil.example"}).status_code == 200  # no draft in it


def test_serve_passes_allowed_hosts_and_adds_the_address_it_binds(monkeypatch):
    calls = []
    monkeypatch.setattr("empathylint.server.runner.serve", lambda app, host, port: None)
    monkeypatch.setattr("empathylint.server.app.create_app",
                        lambda service, token, allow_origins, allowed_hosts: calls.append(allowed_hosts))
    from empathylint.cli import main

    env = {"EMPATHYLINT_TOKEN": ""}
    assert CliRunner().invoke(main, ["serve", "--no-model"], env=env).exit_code == 0
    assert calls[-1] == ()
    result = CliRunner().invoke(main, ["serve", "--no-model", "--allowed-host", "lint.internal", "--allowed-host",
                                       "helpdesk-box", "--host", "10.1.2.3", "--token", "t"], env=env)
    assert result.exit_code == 0, result.output
    assert calls[-1] == ("lint.internal", "helpdesk-box", "10.1.2.3")
    everywhere = CliRunner().invoke(main, ["serve", "--no-model", "--host", "0.0.0.0", "--token", "t"], env=env)
    assert calls[-1] == () and "--allowed-host" in everywhere.output
