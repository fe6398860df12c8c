"""The service built once per session around the shared rules-only linter, and clients for it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from empathylint.server.app import create_app
from empathylint.server.service import Limits, LintService


@pytest.fixture(scope="session")
def service(rules_linter) -> LintService:
    return LintService(linter=rules_linter, limits=Limits(max_body_bytes=64 * 1024, max_chars=5_000))


@pytest.fixture(scope="session")
def client(service) -> TestClient:
    return TestClient(create_app(service))


@pytest.fixture(scope="session")
def token_client(service) -> TestClient:
    return TestClient(create_app(service, token="s3cret"))
