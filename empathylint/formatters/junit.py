"""``--format junit``: JUnit XML, one test case per file or record, for CI systems that show test reports
(GitLab, Jenkins, Azure Pipelines).

A case fails when its reply has a warning or an error (the default ``--fail-on``); info-level findings are
listed in the case's ``system-out`` without failing it. A reply that could not be read is an ``error``.
The suite's totals go in its opening tag, so cases are held until ``finish``.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape, quoteattr

from ..diagnostic import Diagnostic, Severity
from ..errors import InputError
from .base import Formatter, Summary, register_formatter

# Characters XML 1.0 cannot carry at all, even escaped; lone surrogates are how a file name that is not
# valid UTF-8 arrives from the file system, and would be written as bytes that are not UTF-8.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    return escape(_INVALID_XML.sub("\ufffd", value))


def _attr(value: str) -> str:
    return quoteattr(_INVALID_XML.sub("\ufffd", value))


def _line(d: Diagnostic) -> str:
    suggestion = f"\n    try: {d.suggestions[0]}" if d.suggestions else ""
    return f"{d.path}:{d.line}:{d.column}: {d.code} [{d.severity}] {d.message} ({d.name}){suggestion}"


def case_name(path: str, record: str | None, title: str | None) -> str:
    parts = [path] + ([f"#{record}"] if record else []) + ([f'"{title}"'] if title else [])
    return " ".join(parts)


@register_formatter("junit")
class JunitFormatter(Formatter):
    def start(self) -> None:
        self._cases: list[str] = []
        self._failures = 0
        self._errors = 0

    def result(self, result) -> None:
        source = result.source
        body = []
        failing = [d for d in result.diagnostics if d.severity >= Severity.WARNING]
        if result.error:
            self._errors += 1
            body.append(f"<error message={_attr(result.error.problem)} type=\"input\"/>")
        if failing:
            self._failures += 1
            worst = max(d.severity for d in failing)
            message = f"{len(failing)} problem{'s' if len(failing) != 1 else ''}"
            body.append(f"<failure message={_attr(message)} type=\"{worst}\">"
                        f"{_text(chr(10).join(_line(d) for d in failing))}</failure>")
        notes = [_line(d) for d in result.diagnostics if d.severity < Severity.WARNING] + list(result.notices)
        if notes:
            body.append(f"<system-out>{_text(chr(10).join(notes))}</system-out>")
        self._case(source.path, case_name(source.path, source.record, source.title), body)

    def error(self, error: InputError) -> None:
        self._errors += 1
        self._case(error.path, error.path, [f"<error message={_attr(error.problem)} type=\"input\"/>"])

    def _case(self, path: str, name: str, body: list[str]) -> None:
        head = f"    <testcase classname={_attr(path)} name={_attr(name)} file={_attr(path)}"
        if not body:
            self._cases.append(head + "/>")
            return
        inner = "".join(f"\n      {part}" for part in body)
        self._cases.append(f"{head}>{inner}\n    </testcase>")

    def finish(self, summary: Summary) -> None:
        counts = f'tests="{len(self._cases)}" failures="{self._failures}" errors="{self._errors}"'
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                       f'<testsuites name="empathylint" {counts}>\n'
                       f'  <testsuite name="empathylint" {counts} skipped="0">\n')
        for case in self._cases:
            self.out.write(case + "\n")
        self.out.write("  </testsuite>\n</testsuites>\n")
