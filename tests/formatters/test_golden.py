"""Every output format, byte for byte, on one fixed run (no model, no spaCy: the diagnostics are placed by
hand in conftest.py). Regenerate after an intended change: ``EMPATHYLINT_UPDATE_GOLDENS=1``."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from empathylint.formatters import FORMATTERS, FormatOptions

GOLDENS = {
    "text": "sample.txt",
    "json": "sample.json",
    "sarif": "sample.sarif",
    "github": "sample.github.txt",
    "junit": "sample.junit.xml",
}


@pytest.mark.parametrize("name", sorted(GOLDENS))
def test_format_matches_its_golden_file(name, render, golden, fixed_version):
    golden(GOLDENS[name], render(name))


def test_text_statistics_and_quiet_match_their_golden_files(render, golden):
    golden("sample-statistics.txt", render("text", options=FormatOptions(statistics=True)))
    golden("sample-quiet.txt", render("text", options=FormatOptions(quiet=True)))


def test_every_registered_format_has_a_golden_file():
    assert set(FORMATTERS) <= set(GOLDENS), f"add a golden file for {set(FORMATTERS) - set(GOLDENS)}"


def test_an_empty_run_is_still_well_formed(render):
    assert render("text", stream=[]) == "No replies found: nothing was checked.\n"
    assert json.loads(render("json", stream=[]))["results"] == []
    assert json.loads(render("sarif", stream=[]))["runs"][0]["results"] == []
    assert ET.fromstring(render("junit", stream=[])).get("tests") == "0"
    assert render("github", stream=[]) == "empathylint: 0 problems in 0 replies.\n"
