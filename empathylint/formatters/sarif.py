"""``--format sarif``: SARIF 2.1.0, for code-scanning dashboards (GitHub's ``upload-sarif`` and others).

One run; ``tool.driver.rules`` describes every rule the linter knows (id, name, descriptions, the rule's
page as help, its default level). Each result points at the matched span of the original file with a
1-based region (columns in Unicode code points, as ``columnKind`` says), carries a fingerprint that survives
unrelated edits (see `empathylint.baseline`) and, where the rule has one, a fix. Results are streamed;
only input errors and notices are held until the end, where they become tool notifications.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from .. import __version__, rule_docs
from ..baseline import FINGERPRINT_KEY, fingerprints
from ..diagnostic import Diagnostic, Severity
from ..errors import InputError
from ..rules.model import Rule
from .base import Formatter, Summary, register_formatter

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://pypi.org/project/empathylint/"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def artifact_uri(path: str) -> str:
    """A relative URI for ``path``: relative to the working directory when the file lies under it, with
    forward slashes and percent-escapes (``<stdin>`` becomes ``%3Cstdin%3E``); a file outside the working
    directory gets an absolute ``file://`` URI. A name that is not valid UTF-8 (read from the file system
    with surrogate escapes) keeps its original bytes, percent-escaped."""
    if os.path.isabs(path):
        rel = os.path.relpath(path)
        if rel.startswith(".."):
            return Path(path).as_uri()
        path = rel
    return quote(Path(path).as_posix() if not path.startswith("<") else path, safe="/",
                 errors="surrogateescape")


def artifact_location(path: str) -> dict:
    """A SARIF ``artifactLocation``: relative URIs are resolved against ``%SRCROOT%`` (the checkout root in
    code scanning), absolute ones stand alone."""
    uri = artifact_uri(path)
    return {"uri": uri} if uri.startswith("file:") else {"uri": uri, "uriBaseId": "%SRCROOT%"}


def rule_descriptor(rule: Rule) -> dict:
    """A SARIF ``reportingDescriptor`` for one rule."""
    short = rule.description or rule.message.replace("{text}", "…")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": _one_line(short)},
        "fullDescription": {"text": _one_line(rule.reason)},
        "help": {"text": rule_docs.page_text(rule), "markdown": rule_docs.page_markdown(rule)},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"category": rule.category, "tags": ["empathy", rule.category], "pack": rule.pack},
    }


def region(d: Diagnostic) -> dict:
    return {"startLine": d.line, "startColumn": d.column, "endLine": d.end_line, "endColumn": d.end_column}


def sarif_result(d: Diagnostic, fingerprint: str, rule_index: int | None) -> dict:
    """A SARIF ``result`` for one diagnostic."""
    location = {"artifactLocation": artifact_location(d.path or "<text>"),
                "region": {**region(d), "snippet": {"text": d.text}}}
    result: dict = {"ruleId": d.code}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    result.update({
        "level": LEVELS[d.severity],
        "message": {"text": d.message},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    })
    if d.fix is not None:
        result["fixes"] = [{
            "description": {"text": f'Replace "{d.text}" with "{d.fix.replacement}"' if d.fix.replacement
                            else f'Delete "{d.text}"'},
            "artifactChanges": [{"artifactLocation": location["artifactLocation"],
                                 "replacements": [{"deletedRegion": region(d),
                                                   "insertedContent": {"text": d.fix.replacement}}]}],
        }]
    properties = {"name": d.name, "category": d.category, "source": d.source,
                  "suggestions": list(d.suggestions), "reason": d.reason}
    if d.record or d.title:
        properties.update({"record": d.record, "title": d.title})
    result["properties"] = properties
    return result


@register_formatter("sarif")
class SarifFormatter(Formatter):
    def start(self) -> None:
        rules = list(self.rules)
        self._index = {rule.code: i for i, rule in enumerate(rules)}
        driver = {"name": "empathylint", "version": __version__, "semanticVersion": __version__,
                  "informationUri": INFORMATION_URI, "rules": [rule_descriptor(r) for r in rules]}
        head = {"$schema": SARIF_SCHEMA, "version": "2.1.0"}
        self.out.write(json.dumps(head, ensure_ascii=False)[:-1])
        self.out.write(', "runs": [{"tool": {"driver": ')
        self.out.write(json.dumps(driver, indent=1, ensure_ascii=False))
        self.out.write('}, "columnKind": "unicodeCodePoints", "results": [')
        self._first = True
        self._notifications: list[dict] = []
        self._failed = False

    def result(self, result) -> None:
        for notice in result.notices:
            self._notify("note", notice, result.source.path)
        if result.error:
            self.error(result.error)
        for d, fp in zip(result.diagnostics, fingerprints(result.diagnostics)):
            item = json.dumps(sarif_result(d, fp, self._index.get(d.code)), ensure_ascii=False)
            self.out.write(("\n  " if self._first else ",\n  ") + item)
            self._first = False

    def error(self, error: InputError) -> None:
        self._failed = True
        self._notify("error", error.problem, error.path, error.line)

    def _notify(self, level: str, message: str, path: str, line: int | None = None) -> None:
        physical: dict = {"artifactLocation": artifact_location(path)}
        if line:
            physical["region"] = {"startLine": line}
        self._notifications.append({"level": level, "message": {"text": message},
                                    "locations": [{"physicalLocation": physical}]})

    def finish(self, summary: Summary) -> None:
        invocation = {"executionSuccessful": not self._failed,
                      "toolExecutionNotifications": self._notifications}
        self.out.write(f'\n], "invocations": [{json.dumps(invocation, ensure_ascii=False)}]}}]}}\n')


def _one_line(text: str) -> str:
    return " ".join(text.split())
