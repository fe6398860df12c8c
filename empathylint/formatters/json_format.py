"""``--format json``: one JSON document, schema ``empathylint/schemas/output-v2.json`` (v2 adds ``customer``).

Streams: the document is written result by result, so a batch of any size is never held in memory. A file
name that is not valid UTF-8 is written with U+FFFD for each byte that is not (`base.well_formed`).
"""

from __future__ import annotations

import json

from .. import __version__
from ..errors import InputError
from .base import Formatter, Summary, register_formatter, well_formed

SCHEMA_VERSION = 2


def result_dict(result) -> dict:
    """One source's entry in ``results`` (also what the HTTP service returns for a request)."""
    source = result.source
    return {
        "path": source.path,
        "record": source.record,
        "title": source.title,
        "customer": {"situation": result.situation.to_dict()} if result.situation is not None else None,
        "diagnostics": [d.to_dict() for d in result.diagnostics],
        "notices": list(source.notices),
        "error": error_dict(result.error) if result.error else None,
    }


def error_dict(error: InputError) -> dict:
    return {"path": error.path, "line": error.line, "message": error.problem}


def summary_dict(summary: Summary) -> dict:
    return {
        "files": len(summary.files),
        "replies": summary.sources,
        "diagnostics": summary.total,
        "by_severity": {s: summary.by_severity.get(s, 0) for s in ("error", "warning", "info")},
        "errors": summary.errors,
    }


@register_formatter("json")
class JsonFormatter(Formatter):
    def start(self) -> None:
        tool = json.dumps({"name": "empathylint", "version": __version__})
        self.out.write(f'{{"version": {SCHEMA_VERSION}, "tool": {tool}, "results": [')
        self._first = True
        self._errors: list[dict] = []

    def result(self, result) -> None:
        item = json.dumps(result_dict(result), ensure_ascii=False)
        self.out.write(("\n  " if self._first else ",\n  ") + well_formed(item))
        self._first = False

    def error(self, error: InputError) -> None:
        self._errors.append(error_dict(error))

    def finish(self, summary: Summary) -> None:
        summary_json = json.dumps({**summary_dict(summary), "errors": summary.errors + len(self._errors)})
        self.out.write(f'\n], "errors": {well_formed(json.dumps(self._errors, ensure_ascii=False))}, '
                       f'"summary": {summary_json}}}\n')
