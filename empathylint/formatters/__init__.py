"""Output formats. ``FORMATTERS`` maps each ``--format`` name to its class."""

from __future__ import annotations

from .base import FORMATTERS, FormatOptions, Formatter, Summary, register_formatter
from . import github, json_format, junit, sarif, text  # noqa: F401  (register the built-in formats)

__all__ = ["FORMATTERS", "FormatOptions", "Formatter", "Summary", "register_formatter"]
