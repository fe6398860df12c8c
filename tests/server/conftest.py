"""The service built once per session around the shared rules-only linter, and clients for it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from empathylint.server.app import create_app
from empathylint.server.service import Limits, LintService

#: What a client of the loopback service sends as its Host (the service serves no other name by default).
LOCAL = "http://127.0.0.1:8750"


@pytest.fixture(scope="session")
def service(rules_linter) -> LintService:
    return LintService(linter=rules_linter, limits=Limits(max_body_bytes=64 * 1024, max_chars=5_000))


@pytest.fixture(scope="session")
def client(service) -> TestClient:
    return TestClient(create_app(service), base_url=LOCAL)


@pytest.fixture(scope="session")
def token_client(service) -> TestClient:
    return TestClient(create_app(service, token="s3cret"), base_url=LOCAL)
