"""Share of the Bitext canned replies with at least one error-severity diagnostic (target: under 5%),
and every error, so each can be read.

    python scripts/bitext_errors.py                 # rules only
    python scripts/bitext_errors.py --model         # with the tone classifier
    python scripts/bitext_errors.py --with-customer # pass each customer request as context

Reads ../shared/data/bitext/replies.csv through empathylint's CSV reader (placeholders masked).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from empathylint.config import Config
from empathylint.diagnostic import Severity
from empathylint.linter import Linter
from empathylint.readers import ReadOptions, read_path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "bitext" / "replies.csv"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", action="store_true", help="include the tone classifier")
    parser.add_argument("--with-customer", action="store_true", help="use the `instruction` column as context")
    parser.add_argument("--limit", type=float, default=0.05, help="fail above this share (default 0.05)")
    args = parser.parse_args()
    options = ReadOptions(text_field="response", id_field=None,
                          customer_field="instruction" if args.with_customer else None)
    linter = Linter(Config(use_model=args.model))
    replies = with_error = 0
    by_code: Counter = Counter()
    for result in linter.lint_sources(read_path(args.data, options, input_format="csv")):
        replies += 1
        errors = [d for d in result.diagnostics if d.severity >= Severity.ERROR]
        if errors:
            with_error += 1
        for d in errors:
            by_code[d.code] += 1
            print(f"{d.path}:{d.line}:{d.column}: {d.code} {d.name}: {d.text!r}  «{_context(result, d)}»")
    share = with_error / max(replies, 1)
    print(f"\nreplies: {replies}; with at least one error: {with_error} ({share:.2%}); "
          f"limit {args.limit:.0%}; errors by rule: {dict(by_code.most_common())}")
    return 0 if share <= args.limit else 1


def _context(result, d, width: int = 60) -> str:
    text = result.source.file.text
    return " ".join(text[max(0, d.start - width):d.end + width].split())


if __name__ == "__main__":
    sys.exit(main())
