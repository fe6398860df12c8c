"""``--format github``: GitHub Actions workflow commands, so each finding shows as an annotation on the
pull request's diff (``::warning file=…,line=…::message``).

Escaping follows the Actions toolkit: ``%``, CR and LF in the message; additionally ``:`` and ``,`` in
property values. Errors map to ``error``, warnings to ``warning``, info to ``notice``.
"""

from __future__ import annotations

from ..diagnostic import Diagnostic, Severity
from ..errors import InputError
from .base import Formatter, Summary, register_formatter, shown

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, message: str, **properties: object) -> str:
    """One workflow command line; properties that are ``None`` are left out."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items()
                     if value is not None)
    return f"::{name} {props}::{escape_data(message)}" if props else f"::{name}::{escape_data(message)}"


def annotation(d: Diagnostic) -> str:
    """The annotation for one diagnostic: the message, then why it hurts and what to write instead."""
    lines = [d.message]
    if d.reason:
        lines.append(f"Why: {d.reason}")
    lines += [f"Try: {s}" for s in d.suggestions[:2]]
    record = f" [#{d.record}]" if d.record else ""
    return command(COMMANDS[d.severity], "\n".join(lines), file=d.path, line=d.line, endLine=d.end_line,
                   col=d.column, endColumn=d.end_column, title=f"{d.code} {d.name}{record}")


@register_formatter("github")
class GithubFormatter(Formatter):
    def _write(self, line: str) -> None:
        self.out.write(shown(line) + "\n")  # after escaping: a control character left is the file's

    def result(self, result) -> None:
        for notice in result.notices:
            self._write(command("notice", notice, file=result.source.path, title="empathylint"))
        if result.error:
            self.error(result.error)
        for d in result.diagnostics:
            self._write(annotation(d))

    def error(self, error: InputError) -> None:
        self._write(command("error", error.problem, file=error.path, line=error.line,
                            title="empathylint: input error"))

    def finish(self, summary: Summary) -> None:
        # A plain line (not a command) so the job log says what happened at a glance.
        counts = ", ".join(f"{summary.by_severity[s]} {s}{'s' if summary.by_severity[s] != 1 else ''}"
                           for s in ("error", "warning", "info") if summary.by_severity[s])
        self._write(f"empathylint: {summary.total} problem{'s' if summary.total != 1 else ''}"
                    f"{f' ({counts})' if counts else ''} in {summary.sources} "
                    f"repl{'ies' if summary.sources != 1 else 'y'}.")
