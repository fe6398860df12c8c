"""``--format junit``: well-formed JUnit XML with one test case per file or record."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from empathylint.diagnostic import Severity
from empathylint.linter import LintResult
from empathylint.source import Source


def test_one_case_per_reply_and_per_unreadable_file(render):
    root = ET.fromstring(render("junit"))
    [suite] = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [
        "replies/refund.txt", 'macros/export.json #360001 "Refund, delayed"', "replies/quoted.eml",
        "replies/unreadable.eml", "replies/huge.txt"]
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("5", "2", "2")
    assert root.get("tests") == "5"


def test_warnings_fail_a_case_and_info_is_only_printed(render, stream):
    refund = ET.fromstring(render("junit")).find("testsuite/testcase")
    failure = refund.find("failure")
    assert failure.get("message") == "2 problems" and failure.get("type") == "error"
    assert "replies/refund.txt:2:1: CND001 [warning]" in failure.text
    assert "TON001 [info]" in refund.find("system-out").text


def test_an_info_only_reply_passes(render, stream):
    info = stream[0].diagnostics[2]
    assert info.severity is Severity.INFO
    case = ET.fromstring(render("junit", [LintResult(stream[0].source, [info])])).find("testsuite/testcase")
    assert case.find("failure") is None and case.find("system-out") is not None


def test_characters_xml_cannot_carry_are_replaced(render):
    source = Source.from_text("x", "odd\x01name.txt")
    root = ET.fromstring(render("junit", [LintResult(source, [])]))
    assert root.find("testsuite/testcase").get("name") == "odd\ufffdname.txt"


def test_a_file_name_that_is_not_utf8_stays_well_formed(render):
    # os.fsdecode(b"caf\xe9.txt"): a Latin-1 file name found by a folder walk on a UTF-8 system.
    source = Source.from_text("x", "caf\udce9.txt")
    xml = render("junit", [LintResult(source, [])])
    xml.encode("utf-8")  # what -o and a strict stdout write; surrogate-escaped stdout wrote a stray 0xE9
    assert ET.fromstring(xml).find("testsuite/testcase").get("name") == "caf\ufffd.txt"
