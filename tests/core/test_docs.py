"""The examples in the package docstring and the README stay true."""

from __future__ import annotations

import doctest
from pathlib import Path

import empathylint

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def test_package_docstring_example_runs():
    result = doctest.testmod(empathylint)
    assert result.attempted >= 1 and result.failed == 0


def test_readme_setup_is_two_commands_and_names_the_test_command():
    ci = (Path(__file__).parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest -q" in README
    assert ci.rstrip().splitlines()[-1] == "python -m pytest -q"
    assert 'pip install torch==2.13.0 && pip install -e ".[test,ray]"' in README
    assert 'pip install -q torch==2.13.0 && pip install -q ".[test,ray]"' in ci  # the same extras as the README


def test_readme_rule_table_is_generated_from_the_packs():
    from empathylint.rule_docs import table_markdown
    from empathylint.rules.registry import RuleSet

    table = README.split("<!-- rules:start -->\n", 1)[1].split("<!-- rules:end -->", 1)[0]
    assert table.strip() == table_markdown(RuleSet.load()).strip(), \
        "README rule table is stale: run python scripts/readme_rules.py"
