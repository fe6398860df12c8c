"""The human format: ``path:line:col: CODE [severity] message``, the offending line with a caret
underline, why it hurts, and what to say instead."""

from __future__ import annotations

import re
import unicodedata

import click

from ..diagnostic import Diagnostic, Severity
from ..errors import InputError
from .base import Formatter, Summary, register_formatter, shown

_COLORS = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}
_BREAK_AND_SPACES = re.compile(r"\s*[\r\n]\s*")  # a line break with the white space around it (`_one_line`)


@register_formatter("text")
class TextFormatter(Formatter):
    #: Files that could not be read at all (`error`); the summary counts only errors inside results.
    unreadable = 0

    def _style(self, text: str, **style) -> str:
        return click.style(text, **style) if self.options.color else text

    def _write(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def result(self, result) -> None:
        where = _where(result.source.path, result.source.record, result.source.title)
        for notice in result.notices:
            self._write(f"{where}: {self._style('notice', fg='cyan')}: {shown(notice)}")
        if result.error:
            self._write_error(result.error)
        for d in result.diagnostics:
            self.diagnostic(d, result.source.file)

    def diagnostic(self, d: Diagnostic, file) -> None:
        head = self._style(shown(f"{d.path}:{d.line}:{d.column}:"), bold=True)
        code = self._style(d.code, fg=_COLORS[d.severity], bold=True)
        record = f" {_record(d.record, d.title)}" if d.record or d.title else ""
        self._write(f"{head} {code} [{d.severity}] {_one_line(d.message)} ({d.name}){record}")
        if self.options.quiet:
            return
        if self.options.show_source:
            line_text = file.line_text(d.line) if file is not None else ""
            if line_text:
                self._write(_excerpt(d, line_text, self._style))
        if d.reason:
            self._write(f"  {self._style('why:', bold=True)} {shown(d.reason)}")
        for suggestion in d.suggestions[:2]:
            self._write(f"  {self._style('try:', fg='green', bold=True)} {shown(suggestion)}")

    def error(self, error: InputError) -> None:
        self.unreadable += 1
        self._write_error(error)

    def _write_error(self, error: InputError) -> None:
        self._write(f"{self._style('error', fg='red', bold=True)}: {shown(str(error))}")

    def finish(self, summary: Summary) -> None:
        if self.options.quiet:
            return
        if self.options.statistics and summary.by_code:
            width = max(len(str(n)) for n in summary.by_code.values())
            for (code, name), count in sorted(summary.by_code.items(), key=lambda kv: (-kv[1], kv[0])):
                self._write(f"{count:>{width}}  {code}  {name}")
        if summary.total:
            parts = [f"{summary.by_severity[s]} {s}{'s' if summary.by_severity[s] != 1 else ''}"
                     for s in ("error", "warning", "info") if summary.by_severity[s]]
            files = len(summary.files)
            self._write(f"Found {summary.total} problem{'s' if summary.total != 1 else ''} "
                        f"({', '.join(parts)}) in {summary.sources} repl{'ies' if summary.sources != 1 else 'y'}"
                        f" from {files} file{'s' if files != 1 else ''}.")
        elif summary.sources:
            self._write(f"All clear: {summary.sources} repl{'ies' if summary.sources != 1 else 'y'} checked.")
        elif not self.unreadable:  # e.g. an empty JSONL stream or a CSV with a header and no rows
            self._write("No replies found: nothing was checked.")
        errors = summary.errors + self.unreadable
        if errors:
            self._write(f"{errors} input error{'s' if errors != 1 else ''}: see the messages above.")


def _where(path: str, record: str | None, title: str | None) -> str:
    return f"{shown(path)} {_record(record, title)}" if record or title else shown(path)


def _record(record: str | None, title: str | None) -> str:
    parts = [f"#{record}" if record else "", f'"{title}"' if title else ""]
    return "[" + " ".join(_one_line(p) for p in parts if p) + "]"


def _one_line(text: str) -> str:
    """``text`` with its line breaks and the spaces around them as one space: a span quoted in a message
    can cross a line of a hard-wrapped reply, and a record's title can hold one, yet each diagnostic must
    stay one ``path:line:col:`` line for editors and problem matchers."""
    return shown(_BREAK_AND_SPACES.sub(" ", text))


def _width(text: str) -> int:
    """How many terminal columns ``text`` takes: East Asian wide and full-width characters take two,
    combining marks (the accent of a decomposed "é") and zero-width format characters none."""
    return sum(_char_width(c) for c in text)


def _char_width(c: str) -> int:
    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


def _excerpt(d: Diagnostic, line_text: str, style) -> str:
    """The line with a caret underline under the span (to the end of the line for multi-line spans); tabs
    and unprintable characters are shown one column each, so the carets stay under the span."""
    number = str(d.line)
    pad = " " * len(number)
    start = d.column - 1
    end = d.end_column - 1 if d.end_line == d.line else len(line_text)
    visible = shown(line_text.expandtabs(1))
    carets = "^" * max(1, _width(visible[start:end]))
    return (f"  {pad} |\n  {number} | {visible}\n  {pad} | {' ' * _width(visible[:start])}"
            f"{style(carets, fg='red', bold=True)}")
