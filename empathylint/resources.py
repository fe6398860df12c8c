"""Where the bundled rule packs and model weights live.

In a wheel they are installed inside the package as ``empathylint/_data/{rules,models}``; in a source
checkout (editable install, or running from the repository) they are the top-level ``rules/`` and
``models/`` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


def rules_dir() -> Path:
    """The folder holding the built-in rule packs (``*.yml``)."""
    return _bundled("rules")


def models_dir() -> Path:
    """The folder holding the shipped classifier weights and model card."""
    return _bundled("models")
