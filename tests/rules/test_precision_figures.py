"""Measured precision: a rule's own `precision:` field, else the figures file beside its pack, shown on the
rule's page (`empathylint rules CODE`)."""

from __future__ import annotations

import pytest

from empathylint.errors import RuleFileError
from empathylint.rule_docs import page_text
from empathylint.rules.conditions import CONDITIONS
from empathylint.rules.loader import load_pack, measured_figures

PACK = """family: demo
prefix: DMO
rules:
  - code: DMO001
    name: demo-one
    category: rudeness
    severity: info
    message: m
    reason: r
    suggestions: [s]
    patterns:
      - phrases: ["calm down"]
    examples: {flag: ["calm down"], pass: ["ok"]}
  - code: DMO002
    name: demo-two
    category: rudeness
    severity: info
    message: m
    reason: r
    suggestions: [s]
    precision: Own figures.
    patterns:
      - phrases: ["whatever"]
    examples: {flag: ["whatever"], pass: ["ok"]}
"""


def _load(tmp_path, figures: str | None):
    (tmp_path / "demo.yml").write_text(PACK)
    if figures is not None:
        (tmp_path / "precision").mkdir()
        (tmp_path / "precision" / "figures.yml").write_text(figures)
    measured_figures.cache_clear()
    return {r.code: r for r in load_pack(tmp_path / "demo.yml", set(CONDITIONS), set())}


def test_figures_fill_rules_without_their_own_precision(tmp_path):
    rules = _load(tmp_path, "rules:\n  DMO001: Bitext 3 hits.\n  DMO002: ignored\n")
    assert rules["DMO001"].precision == "Bitext 3 hits."
    assert rules["DMO002"].precision == "Own figures."
    assert "Measured precision:" in page_text(rules["DMO001"]) and "Bitext 3 hits." in page_text(rules["DMO001"])


def test_no_figures_file_means_no_precision(tmp_path):
    assert _load(tmp_path, None)["DMO001"].precision == ""


def test_a_broken_figures_file_names_itself(tmp_path):
    with pytest.raises(RuleFileError, match="figures.yml"):
        _load(tmp_path, "rules: [not, a, mapping]\n")


def test_bundled_rules_show_their_measured_precision():
    from empathylint.rules.registry import RuleSet

    assert "Politeness" in RuleSet.load().get("RUD005").precision
