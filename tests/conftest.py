"""Shared fixtures: one rules-only linter and (when the shipped weights are present) one with the model,
each built once per test session, the way a process builds its pipeline once."""

from __future__ import annotations

import pytest

from empathylint.config import Config
from empathylint.linter import Linter
from empathylint.resources import models_dir


def model_available() -> bool:
    return any(models_dir().glob("*.safetensors"))


@pytest.fixture(scope="session")
def rules_linter() -> Linter:
    """All rules, no classifier."""
    return Linter(Config(use_model=False))


@pytest.fixture(scope="session")
def model_linter() -> Linter:
    """All rules plus the shipped tone classifier."""
    if not model_available():
        pytest.skip("the classifier weights are not in models/ yet")
    return Linter(Config(use_model=True))
