"""``--format text``: one ``path:line:col:`` line per diagnostic, whatever the flagged span holds."""

from __future__ import annotations

from empathylint.formatters import FormatOptions
from empathylint.linter import LintResult
from empathylint.source import OffsetMap, Source, SourceFile

from .conftest import RULES, diagnostic

WRAPPED = "Thanks for writing in.\nAs I already\n   explained, restart it.\n"


def test_a_span_across_a_line_break_keeps_its_diagnostic_on_one_line(render):
    file = SourceFile("replies/wrapped.txt", WRAPPED)
    d = diagnostic(RULES.get("CND001"), file, "As I already\n   explained", record="7", title="Refund,\ndelayed")
    result = LintResult(Source(WRAPPED, file, OffsetMap.identity(len(WRAPPED))), [d])
    output = render("text", [result], options=FormatOptions(quiet=True))
    assert output == ('replies/wrapped.txt:2:1: CND001 [warning] "As I already explained" tells the customer they '
                      'should have listened the first time. (as-already-explained) [#7 "Refund, delayed"]\n')
