"""Regenerate the rule table in README.md (between ``<!-- rules:start -->`` and ``<!-- rules:end -->``) from
the rule packs, so it cannot drift from the YAML the engine loads.

    python scripts/readme_rules.py          # rewrite the table
    python scripts/readme_rules.py --check  # exit 1 when the README's table is out of date
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- rules:start -->\n).*?(<!-- rules:end -->)", re.S)


def rule_table() -> str:
    """The Markdown table of every bundled rule, as `empathylint rules -f markdown` prints it."""
    from empathylint.rule_docs import table_markdown
    from empathylint.rules.registry import RuleSet

    return table_markdown(RuleSet.load())


def with_table(readme: str, table: str) -> str:
    if not BLOCK.search(readme):
        raise SystemExit(f"{README}: the <!-- rules:start --> / <!-- rules:end --> markers are missing")
    return BLOCK.sub(lambda m: f"{m.group(1)}{table}\n{m.group(2)}", readme, count=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 when out of date")
    args = parser.parse_args()
    readme = README.read_text(encoding="utf-8")
    updated = with_table(readme, rule_table())
    if args.check:
        if updated != readme:
            print(f"{README}: the rule table is out of date; run python scripts/readme_rules.py")
            return 1
        return 0
    README.write_text(updated, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
