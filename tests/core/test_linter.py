"""The linter end to end on replies: spans, positions, suppressions, severity overrides, batches."""

from __future__ import annotations

import pytest

from empathylint.config import Config
from empathylint.diagnostic import Severity
from empathylint.linter import Linter
from empathylint.source import Source, SourceFile, OffsetMap


def codes(diagnostics):
    return [d.code for d in diagnostics]


def test_a_reply_gets_diagnostics_with_spans_lines_and_columns(rules_linter):
    reply = "Hi Sam,\n\nAs I already explained, just restart the router.\nDid you even read the FAQ?\n"
    found = rules_linter.lint(reply)
    assert codes(found) == ["CND001", "CND005", "CND007"]
    first, just, even = found
    assert (first.text, first.line, first.column, first.end_line, first.end_column) == (
        "As I already explained", 3, 1, 3, 23)
    assert reply[just.start:just.end] == "just" and (just.line, just.column) == (3, 25)
    assert (even.text, even.line, even.column) == ("Did you even read", 4, 1)
    assert even.severity is Severity.ERROR
    assert first.suggestions and first.reason and first.category == "condescension"


def test_salutation_line_does_not_become_the_subject(rules_linter):
    # without line-break sentence starts, the parser makes "Sam" the subject of "restart"
    assert "CND005" in codes(rules_linter.lint("Hi Sam,\nJust restart the router."))


def test_select_and_ignore(rules_linter):
    reply = "As I already explained, just restart the router."
    only = Linter(Config(use_model=False, select=("CND005",)), nlp=rules_linter.nlp)
    assert codes(only.lint(reply)) == ["CND005"]
    ignoring = Linter(Config(use_model=False, ignore=("as-already-explained",)), nlp=rules_linter.nlp)
    assert codes(ignoring.lint(reply)) == ["CND005"]


def test_severity_overrides_most_specific_wins(rules_linter):
    config = Config(use_model=False, severity={"condescension": Severity.INFO, "CND001": Severity.ERROR})
    linter = Linter(config, nlp=rules_linter.nlp)
    found = {d.code: d.severity for d in linter.lint("As I already explained, just restart the router.")}
    assert found == {"CND001": Severity.ERROR, "CND005": Severity.INFO}


@pytest.mark.parametrize(("reply", "expected"), [
    ("As I already explained, it ships today. # empathylint: disable-line=CND001\n", []),
    ("<!-- empathylint: disable-next-line=condescension -->\nAs I already explained, it ships today.\n", []),
    ("{# empathylint: disable=CND #}\nAs I already explained, it ships.\n{# empathylint: enable=CND #}\n"
     "As I already explained, it ships.\n", [4]),
    ("As I already explained, it ships. # empathylint: disable-line=BLM\n", [1]),
])
def test_suppression_directives(rules_linter, reply, expected):
    found = rules_linter.lint(reply)
    assert [d.line for d in found if d.code == "CND001"] == expected
    assert not any("empathylint" in d.text for d in found)


def test_offsets_map_back_through_an_offset_map(rules_linter):
    # the reply was extracted from markup; positions refer to the original file
    original = "<p>Hello!</p>\n<p>As I already explained, it ships today.</p>\n"
    start = original.index("As I")
    end = original.index("</p>\n", start)
    text = original[start:end]
    source = Source(text, SourceFile("reply.html", original), OffsetMap.identity(len(text), start))
    [result] = rules_linter.lint_sources([source])
    [d] = [d for d in result.diagnostics if d.code == "CND001"]
    assert (d.line, d.column) == (2, 4)
    assert original[d.start:d.end] == "As I already explained"


def test_customer_message_feeds_missing_apology(rules_linter):
    reply = "Your order will arrive on Friday."
    angry = "This is ridiculous, my order is two weeks late and nobody answers."
    # one line to an angry customer is curt (APO006), reported instead of the missing apology (APO005)
    assert {"APO005", "APO006"} & set(codes(rules_linter.lint(reply, customer=angry))) == {"APO006"}
    longer = reply + (" It left the warehouse this morning with the courier, and the tracking link in your confirmation"
                      " email will show each step from now on, including the delivery slot.")
    assert "APO005" in codes(rules_linter.lint(longer, customer=angry))
    assert not {"APO005", "APO006"} & set(codes(rules_linter.lint(reply, customer="When will my order arrive?")))
    assert "APO005" not in codes(rules_linter.lint(reply))


def test_one_bad_source_does_not_sink_the_batch(rules_linter):
    too_long = "word " * (rules_linter.nlp.max_length // 5 + 1)
    sources = [Source.from_text("As I already explained, no.", "a.txt"),
               Source.from_text(too_long, "huge.txt"),
               Source.from_text("", "empty.txt"),
               Source.from_text("Like I said, no.", "c.txt")]
    results = list(rules_linter.lint_sources(sources, batch_size=4))
    assert [r.source.path for r in results] == ["a.txt", "huge.txt", "empty.txt", "c.txt"]
    assert codes(results[0].diagnostics) == ["CND001"]
    assert results[1].error is not None and "huge.txt" in str(results[1].error)
    assert "limit" in results[1].error.problem
    assert results[2].diagnostics == [] and results[2].error is None
    assert codes(results[3].diagnostics) == ["CND002"]


def test_public_api():
    import empathylint

    found = empathylint.lint("Did you even read the FAQ?", config={"model": False})
    assert [(d.code, d.text) for d in found] == [("CND007", "Did you even read")]
    d = found[0]
    for field in ("code", "name", "category", "severity", "message", "suggestions", "start", "end", "line",
                  "column", "end_line", "end_column"):
        assert field in d.to_dict()
    linter = empathylint.Linter(empathylint.Config(use_model=False, select=("CND",)))
    batches = list(linter.lint_many(["Like I said, no.", "All good!", ("Your order is here.", "Unacceptable!")]))
    assert [[d.code for d in ds] for ds in batches] == [["CND002"], [], []]
