"""Fixed material for the formatter tests: three rules, four replies with hand-placed diagnostics (no
model, no spaCy), one unreadable file, and ``render``/``golden`` to turn them into output and compare it
with ``tests/formatters/golden/``.

Regenerate the golden files after an intended change of a format with
``EMPATHYLINT_UPDATE_GOLDENS=1 python -m pytest tests/formatters`` and review the diff.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Callable, Iterable

import pytest

from empathylint.diagnostic import Diagnostic, Fix, Severity
from empathylint.errors import InputError
from empathylint.formatters import FORMATTERS, FormatOptions, Summary
from empathylint.linter import LintResult
from empathylint.rules.model import Example, FixTemplate, Rule
from empathylint.rules.registry import RuleSet
from empathylint.source import OffsetMap, Source, SourceFile

GOLDEN_DIR = Path(__file__).parent / "golden"
UPDATE_ENV = "EMPATHYLINT_UPDATE_GOLDENS"
#: The version the golden files show, so that a release does not rewrite them.
GOLDEN_VERSION = "0.0.0+golden"

RULES = RuleSet([
    Rule(code="CND001", name="as-already-explained", category="condescension", severity=Severity.WARNING,
         message='"{text}" tells the customer they should have listened the first time.',
         reason="Pointing back at an earlier explanation makes the customer feel scolded for asking again.",
         suggestions=("Restate the answer: \"Here are the steps again.\"", '"To recap: …"'),
         examples=(Example("As I already explained, restart it.", True, "As I already explained"),
                   Example("As I explained on the phone, here is the link.", False)),
         pack="condescension", path="rules/condescension.yml", line=4,
         description="Reminding the customer that they were already told."),
    Rule(code="APO002", name="sorry-if-you-feel", category="apology", severity=Severity.ERROR,
         message='"{text}" apologises for the customer\'s feelings, not for what happened.',
         reason="A conditional apology reads as no apology: it puts the problem in the customer's reaction.",
         suggestions=('"I\'m sorry the refund is late."',),
         examples=(Example("Sorry if you feel let down.", True),), pack="apology",
         path="rules/apology.yml", line=12, fix=FixTemplate("I'm sorry that")),
    Rule(code="TON001", name="hostile-tone", category="tone", severity=Severity.INFO,
         message="This sentence may read as hostile ({score}).", reason="Customers answer heat with heat.",
         suggestions=(), examples=(), pack="tone", path="rules/tone.yml", line=2, check="tone"),
])

REFUND = ("Hi Dana,\n"
          "As I already explained, the refund takes 5 days.\n"
          "Sorry if you feel upset: 100% of orders ship \"fast\", <free> & tracked.\n")
MACROS = '[{"id": "360001", "title": "Refund, delayed", "body": "Like I said, it ships today."}]\n'


def diagnostic(rule: Rule, file: SourceFile, text: str, **changes) -> Diagnostic:
    """``rule`` flagging the first ``text`` in ``file``, with positions computed the way the linter does."""
    start = file.text.index(text)
    end = start + len(text)
    (line, column), (end_line, end_column) = file.position(start), file.position(end)
    d = Diagnostic(rule.code, rule.name, rule.category, rule.severity, rule.format_message(text)
                   if "{text}" in rule.message else rule.message, rule.suggestions, start, end, text, line,
                   column, end_line, end_column, path=file.path, reason=rule.reason)
    return d.with_(**changes)


def sample_stream() -> list[LintResult | InputError]:
    """What a run over four replies and one unreadable file hands its formatter, in order."""
    cnd, apo, ton = (RULES.get(code) for code in ("CND001", "APO002", "TON001"))
    refund = SourceFile("replies/refund.txt", REFUND)
    macros = SourceFile("macros/export.json", MACROS)
    quoted = SourceFile("replies/quoted.eml", "Thanks for your patience, Sam.\n\n> old message\n")
    sorry = diagnostic(apo, refund, "Sorry if you feel")
    return [
        LintResult(Source(REFUND, refund, OffsetMap.identity(len(REFUND))), [
            diagnostic(cnd, refund, "As I already explained"),
            sorry.with_(fix=Fix(sorry.start, sorry.end, "I'm sorry that")),
            diagnostic(ton, refund, 'Sorry if you feel upset: 100% of orders ship "fast", <free> & tracked.',
                       message="This sentence may read as hostile (score 0.71, threshold 0.60): 100%, <free> "
                       "& \"fast\".", source="model"),
        ]),
        LintResult(Source("Like I said, it ships today.", macros, OffsetMap.identity(28, MACROS.index("Like")),
                          record="360001", title="Refund, delayed"), [
            diagnostic(cnd, macros, "Like I said", record="360001", title="Refund, delayed",
                       message='"Like I said" tells the customer they should have listened the first time.'),
        ]),
        LintResult(Source("Thanks for your patience, Sam.", quoted, OffsetMap.identity(30),
                          notices=["the quoted message below the reply was not linted"]), []),
        InputError("replies/unreadable.eml", "cannot decode the file as UTF-8 (byte 0xff at offset 12); "
                   "save it as UTF-8", 3),
        LintResult(Source("", SourceFile("replies/huge.txt", ""), OffsetMap()), [],
                   InputError("replies/huge.txt", "the reply is longer than 50,000 characters; split it")),
    ]


def render_format(name: str, stream: Iterable[LintResult | InputError] | None = None, rules: RuleSet = RULES,
                  options: FormatOptions = FormatOptions()) -> str:
    """The output of format ``name`` for ``stream`` (the sample run by default), driven as the CLI does."""
    out = io.StringIO()
    formatter = FORMATTERS[name](out, rules, options)
    summary = Summary()
    formatter.start()
    for item in sample_stream() if stream is None else stream:
        if isinstance(item, InputError):
            formatter.error(item)
        else:
            summary.add(item)
            formatter.result(item)
    formatter.finish(summary)
    return out.getvalue()


@pytest.fixture
def render() -> Callable[..., str]:
    """`render_format`: ``render(name, stream=None, rules=RULES, options=FormatOptions())``."""
    return render_format


@pytest.fixture
def rules() -> RuleSet:
    """The three fixed rules."""
    return RULES


@pytest.fixture
def stream() -> list[LintResult | InputError]:
    """A fresh copy of the sample run."""
    return sample_stream()


@pytest.fixture
def fixed_version(monkeypatch) -> str:
    """Every formatter module reports `GOLDEN_VERSION` as the tool's version."""
    from empathylint.formatters import json_format, sarif

    for module in (json_format, sarif):
        monkeypatch.setattr(module, "__version__", GOLDEN_VERSION)
    return GOLDEN_VERSION


@pytest.fixture
def golden() -> Callable[[str, str], None]:
    """``golden(filename, actual)``: assert ``actual`` equals the golden file, or (with
    ``EMPATHYLINT_UPDATE_GOLDENS=1``) write it."""

    def check(filename: str, actual: str) -> None:
        path = GOLDEN_DIR / filename
        if os.environ.get(UPDATE_ENV) == "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(actual.encode("utf-8"))
            return
        if not path.exists():
            pytest.fail(f"{path} is missing: run with {UPDATE_ENV}=1 to create it, then review it")
        expected = path.read_bytes().decode("utf-8")
        assert actual == expected, (f"{filename} differs from the golden file; if the change is intended, "
                                    f"regenerate with {UPDATE_ENV}=1 and review the diff")

    return check
