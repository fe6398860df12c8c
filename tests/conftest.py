"""Shared fixtures: one rules-only linter and (when the shipped weights are present) one with the model,
each built once per test session, the way a process builds its pipeline once."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from empathylint.config import Config
from empathylint.linter import Linter
from empathylint.resources import models_dir


# Property tests: the same examples on every run by default, so that a test run (and CI) passes or fails on the
# code alone; `HYPOTHESIS_PROFILE=explore` draws new random examples each run, to look for new failures (each
# one found is kept as an `@example`).
settings.register_profile("fixed", derandomize=True, max_examples=60)
settings.register_profile("explore", derandomize=False, max_examples=300)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))


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
