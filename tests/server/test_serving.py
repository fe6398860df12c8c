"""The service under a real server: concurrent clients get correct answers, and ``empathylint serve``
starts, binds loopback and honours the token from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from click.testing import CliRunner

from empathylint.server.app import create_app
from empathylint.server.runner import BackgroundServer, free_port
from empathylint.server.service import Limits, LintService

OPENINGS = ["As I already explained", "Like I said", "Obviously", "Just restart the router", "Thanks"]


def reply(i: int) -> str:
    return f"Hi customer {i},\n{OPENINGS[i % len(OPENINGS)]}, order {i} ships on day {i % 7 + 1}.\n"


def test_1000_requests_from_8_concurrent_clients_each_get_the_answer_for_their_own_text(service, rules_linter):
    texts = [reply(i) for i in range(1000)]
    distinct = sorted(set(texts))
    expected = {t: [(d.code, d.start, d.end) for d in rules_linter.lint(t, path="<request>")] for t in distinct}

    with BackgroundServer(create_app(service)) as url:
        def client(chunk: list[str]) -> list[tuple[str, int, list]]:
            with httpx.Client(base_url=url, timeout=60) as http:  # one keep-alive connection per client
                out = []
                for text in chunk:
                    response = http.post("/v1/lint", json={"text": text})
                    found = [(d["code"], d["start"], d["end"])
                             for d in response.json()["results"][0]["diagnostics"]]
                    out.append((text, response.status_code, found))
                return out

        with ThreadPoolExecutor(8) as pool:
            answers = [a for chunk in pool.map(client, [texts[k::8] for k in range(8)]) for a in chunk]
        health = httpx.get(f"{url}/healthz").json()

    assert len(answers) == 1000
    assert [status for _, status, _ in answers if status != 200] == []
    assert [text for text, _, found in answers if found != expected[text]] == []
    assert sum(bool(found) for found in expected.values()) > len(distinct) // 2
    assert health["status"] == "ok"


def test_bad_requests_among_concurrent_good_ones_get_4xx_and_never_disturb_the_others(service):
    bodies = [(b'{"text": "Like I said, it ships today."}', 200), (b"{", 400), (b'{"text": 5}', 422),
              (b'{"text": "hi", "select": "NOPE"}', 422), (b"[" * 50_000, 400)] * 20

    with BackgroundServer(create_app(service)) as url:
        def send(item: tuple[bytes, int]) -> tuple[int, int]:
            body, want = item
            response = httpx.post(f"{url}/v1/lint", content=body, timeout=60,
                                  headers={"content-type": "application/json"})
            return response.status_code, want

        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(send, bodies))

    assert [(got, want) for got, want in answers if got != want] == []


def test_serve_command_defaults_to_loopback_and_warns_when_exposed(monkeypatch):
    started = []
    monkeypatch.setattr("empathylint.server.runner.serve", lambda app, host, port: started.append((host, port)))
    from empathylint.cli import main

    result = CliRunner().invoke(main, ["serve", "--no-model"], env={"EMPATHYLINT_TOKEN": ""})
    assert result.exit_code == 0, result.output
    assert started == [("127.0.0.1", 8750)]
    assert "warning" not in result.output

    exposed = CliRunner().invoke(main, ["serve", "--no-model", "--host", "0.0.0.0", "--port", "9000"],
                                 env={"EMPATHYLINT_TOKEN": ""})
    assert started[-1] == ("0.0.0.0", 9000)
    assert "without a token" in exposed.output


def test_serve_command_refuses_a_token_that_an_http_header_cannot_carry(monkeypatch):
    monkeypatch.setattr("empathylint.server.runner.serve", lambda app, host, port: None)
    from empathylint.cli import main

    for token in ("pässwörd", " s3cret", "s3cret\n"):
        result = CliRunner().invoke(main, ["serve", "--no-model"], env={"EMPATHYLINT_TOKEN": token})
        assert result.exit_code == 2, (token, result.output)
        assert "printable ASCII" in result.output and "EMPATHYLINT_TOKEN" in result.output


def test_serve_command_passes_the_precision_to_the_service(monkeypatch):
    served = []
    monkeypatch.setattr("empathylint.server.runner.serve", lambda app, host, port: None)
    monkeypatch.setattr("empathylint.server.app.create_app",
                        lambda service, token, allow_origins, allowed_hosts: served.append((service, allow_origins)))
    from empathylint.cli import main

    result = CliRunner().invoke(main, ["serve", "--no-model", "--precision", "float32", "--allow-origin",
                                       "https://acme.zendesk.com", "--allow-origin", "https://b.example"],
                                env={"EMPATHYLINT_TOKEN": ""})
    assert result.exit_code == 0, result.output
    assert served[-1][0].config.precision == "float32"
    assert served[-1][1] == ("https://acme.zendesk.com", "https://b.example")
    bad = CliRunner().invoke(main, ["serve", "--no-model", "--precision", "fp16"], env={"EMPATHYLINT_TOKEN": ""})
    assert bad.exit_code == 2 and "fp16" in bad.output


def test_serve_subprocess_with_token_from_the_environment(tmp_path):
    port = free_port()
    env = {**os.environ, "EMPATHYLINT_TOKEN": "tok-123"}
    server = subprocess.Popen([sys.executable, "-m", "empathylint", "serve", "--no-model", "--port", str(port)],
                              cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert server.poll() is None, server.stdout.read()
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("empathylint serve did not answer /healthz within 120 s")
            time.sleep(0.25)
        body = {"text": "Like I said, the package is on its way."}
        assert httpx.post(f"{url}/v1/lint", json=body).status_code == 401
        answer = httpx.post(f"{url}/v1/lint", json=body, headers={"Authorization": "Bearer tok-123"})
        assert answer.status_code == 200
        assert answer.json()["results"][0]["diagnostics"][0]["code"] == "CND002"
    finally:
        server.terminate()
        server.wait(timeout=30)


class StuckLinter:
    """A linter whose first call does not return until released: a request that never finishes."""

    def __init__(self, real) -> None:
        self.real, self.config, self.rules = real, real.config, real.rules
        self.release = threading.Event()
        self.entered = threading.Event()

    def lint_sources(self, sources):
        if not self.entered.is_set():
            self.entered.set()
            self.release.wait(60)
        return self.real.lint_sources(sources)


def test_a_stuck_request_makes_the_others_503_not_hang_and_the_service_recovers(rules_linter):
    stuck = StuckLinter(rules_linter)
    service = LintService(linter=stuck, limits=Limits(max_wait_s=0.3), warm=False)
    body = {"text": "Like I said, it ships today."}
    with BackgroundServer(create_app(service)) as url, ThreadPoolExecutor(1) as pool:
        first = pool.submit(httpx.post, f"{url}/v1/lint", json=body, timeout=60)
        assert stuck.entered.wait(10)
        start = time.monotonic()
        busy = httpx.post(f"{url}/v1/lint", json=body, timeout=60)
        assert busy.status_code == 503 and time.monotonic() - start < 10
        assert busy.headers["retry-after"] == "1" and "busy" in busy.json()["detail"]
        assert httpx.get(f"{url}/healthz").status_code == 200
        stuck.release.set()
        assert first.result().status_code == 200
        assert httpx.post(f"{url}/v1/lint", json=body, timeout=60).status_code == 200
