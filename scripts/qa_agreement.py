"""How often two QA judges agree, and where the linter stands between them.

    python scripts/qa_agreement.py              # judge 2 against judge 1, and the linter on the same pairs
    python scripts/qa_agreement.py --no-lint    # the judges only (no spaCy, no model)

``benchmarks/qa/verdicts-second.jsonl`` is a second, blind judging of 200 dev pairs of the QA set (the first
170 twitter-care and 30 Bitext dev pairs in sample order), by a judge who saw only the pairs and the judging
guide, not the first verdicts and not the linter. Taking the first judge's warn / no-warn as the reference, it
prints the second judge's precision and recall, raw agreement and Cohen's kappa, how often the two name the
same behaviours on the replies both stop, and the linter's precision and recall on the same pairs against
each judge. The targets of issue 20 (warning precision >= 0.85, recall >= 0.80) are read against the second
judge's figures: what one careful reader reaches against another.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from qa_eval import load_verdicts, lint_pairs  # noqa: E402
from qa_pairs import pairs  # noqa: E402

SECOND = Path(__file__).resolve().parents[1] / "benchmarks" / "qa" / "verdicts-second.jsonl"


def confusion(reference: list[bool], other: list[bool]) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of ``other`` against ``reference``."""
    tp = sum(r and o for r, o in zip(reference, other))
    fp = sum(o and not r for r, o in zip(reference, other))
    fn = sum(r and not o for r, o in zip(reference, other))
    return tp, fp, fn, len(reference) - tp - fp - fn


def kappa(tp: int, fp: int, fn: int, tn: int) -> float:
    n = tp + fp + fn + tn
    observed = (tp + tn) / n
    chance = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / n ** 2
    return (observed - chance) / (1 - chance) if chance < 1 else 1.0


def line(name: str, counts: tuple[int, int, int, int]) -> str:
    tp, fp, fn, tn = counts
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    return (f"{name:<34} precision {p:.2f}  recall {r:.2f}  agreement {(tp + tn) / sum(counts):.2f}  "
            f"kappa {kappa(*counts):.2f}  (tp {tp}, fp {fp}, fn {fn}, tn {tn})")


def behaviours(verdict: dict) -> set[str]:
    return {b for b in verdict["behaviours"] if not b.startswith("hint:")} if verdict["warn"] else set()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-lint", action="store_true", help="compare the judges only")
    parser.add_argument("--no-model", action="store_true", help="lint with the rules only")
    args = parser.parse_args(argv)
    first = load_verdicts()
    second = load_verdicts(SECOND)
    unknown = set(second) - set(first)
    if unknown:
        raise SystemExit(f"{SECOND}: {len(unknown)} ids not in the first verdicts, e.g. {sorted(unknown)[0]}")
    ids = list(second)
    one, two = [first[i]["warn"] for i in ids], [second[i]["warn"] for i in ids]
    splits = Counter(first[i]["split"] for i in ids)
    print(f"{len(ids)} pairs judged twice ({', '.join(f'{n} {s}' for s, n in sorted(splits.items()))}); "
          f"judge 1 warns on {sum(one)}, judge 2 on {sum(two)}\n")
    print(line("judge 2 against judge 1", confusion(one, two)))
    both = [i for i in ids if first[i]["warn"] and second[i]["warn"]]
    shared = 0
    named: dict[str, Counter] = {}  # behaviour -> how often "both", "judge 1" only, "judge 2" only name it
    for i in both:
        a, b = behaviours(first[i]), behaviours(second[i])
        shared += bool(a & b)
        for x in a | b:
            named.setdefault(x, Counter())["both" if x in a and x in b else "judge 1" if x in a else "judge 2"] += 1
    print(f"\nOn the {len(both)} replies both stop, they name at least one behaviour in common on {shared}; "
          "per behaviour (both / judge 1 only / judge 2 only):")
    for x, counts in sorted(named.items(), key=lambda kv: -kv[1].total()):
        print(f"  {x:<20} {counts['both']:4} {counts['judge 1']:4} {counts['judge 2']:4}")
    if args.no_lint:
        return 0
    by_id = {p["id"]: p for p in pairs()}
    items = [by_id[i] for i in ids]
    linted = [bool(w) for w in lint_pairs(items, not args.no_model)]
    print(f"\nThe linter ({'rules only' if args.no_model else 'rules + model'}) on the same pairs:")
    print(line("linter against judge 1", confusion(one, linted)))
    print(line("linter against judge 2", confusion(two, linted)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
