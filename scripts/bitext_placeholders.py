"""Lint all Bitext canned replies and check that no diagnostic touches a ``{{…}}`` placeholder: none may
start or end inside one, and none may cover placeholder text only. Also checks that every placeholder of
every reply was masked. Exits 1 on any violation.

    python scripts/bitext_placeholders.py            # rules only
    python scripts/bitext_placeholders.py --model    # with the tone classifier

Reads ../shared/data/bitext/replies.csv through empathylint's CSV reader with its defaults (``response``
is the reply, ``instruction`` the customer's message), as a user's ``empathylint check replies.csv`` would.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from bisect import bisect_right
from collections import Counter
from pathlib import Path

from empathylint.config import Config
from empathylint.linter import Linter
from empathylint.readers import ReadOptions, read_path

DEFAULT_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "bitext" / "replies.csv"
PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}")


def violation(start: int, end: int, text: str, spans: list[tuple[int, int]]) -> str | None:
    """Why the diagnostic ``[start, end)`` of ``text`` breaks the placeholder invariant, or None."""
    starts = [s for s, _ in spans]
    for edge, name in ((start, "starts"), (end, "ends")):
        k = bisect_right(starts, edge) - 1
        if k >= 0 and spans[k][0] < edge < spans[k][1]:
            return f"{name} inside {text[spans[k][0]:spans[k][1]]}"
    outside = PLACEHOLDER.sub("", text[start:end])
    if PLACEHOLDER.search(text[start:end]) and not any(ch.isalnum() for ch in outside):
        return "covers placeholder text only"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--model", action="store_true", help="include the tone classifier")
    args = parser.parse_args()
    if not args.data.is_file():
        print(f"no data at {args.data}", file=sys.stderr)
        return 2
    linter = Linter(Config(use_model=args.model))
    began = time.perf_counter()
    replies = diagnostics = containing = masked = written = 0
    problems: list[str] = []
    by_code: Counter = Counter()
    spans: list[tuple[int, int]] | None = None
    for result in linter.lint_sources(read_path(args.data, ReadOptions(), input_format="csv")):
        source, text = result.source, result.source.file.text
        if spans is None:
            spans = [m.span() for m in PLACEHOLDER.finditer(text)]
        replies += 1
        if result.error:
            problems.append(f"record {source.record}: {result.error}")
        reply_start, reply_end = source.original_span(0, len(source.text))
        written += len(PLACEHOLDER.findall(text, reply_start, reply_end))
        masked += len(source.offsets.placeholder_spans())
        for d in result.diagnostics:
            diagnostics += 1
            by_code[d.code] += 1
            if PLACEHOLDER.search(text, d.start, d.end):
                containing += 1
            why = violation(d.start, d.end, text, spans)
            if why:
                problems.append(f"{d.path}:{d.line}:{d.column}: {d.code} {d.text!r} {why} (record {source.record})")
    if masked != written:
        problems.append(f"{written} placeholders written in the replies, but {masked} masked")
    for problem in problems:
        print(problem)
    seconds = time.perf_counter() - began
    print(f"replies: {replies}; placeholders: {written} written, {masked} masked; diagnostics: {diagnostics} "
          f"({containing} contain a whole placeholder); violations: {len(problems)}; "
          f"{'rules + model' if args.model else 'rules only'}; {seconds:.1f} s")
    print(f"diagnostics by rule: {dict(by_code.most_common())}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
