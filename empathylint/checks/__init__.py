"""Rules that need logic beyond patterns, registered by name and documented in the YAML packs like any rule.

A pack entry says ``check: missing-apology`` instead of giving patterns; the engine instantiates the
registered class with the rule (its ``params`` hold the check's word lists as spaCy patterns) and calls it
on every reply `Doc`.
"""

from __future__ import annotations

from .base import CHECKS, Check, Finding, register_check
from . import acknowledgement, closing, family_model, handoff, missing_apology, negativity, template_reply, tone  # noqa: F401  (register the built-in checks)

__all__ = ["CHECKS", "Check", "Finding", "register_check"]
