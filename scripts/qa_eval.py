"""How often empathylint agrees with a support QA lead on real replies.

    python scripts/qa_eval.py                 # rules + the shipped model
    python scripts/qa_eval.py --no-model      # rules only
    python scripts/qa_eval.py --split dev --show-misses   # what to look at while tuning (never heldout)

Lints every hand-judged pair of ``benchmarks/qa/verdicts.jsonl`` (twitter-care replies with the customer
messages before them, Bitext replies with their ``instruction``) the way a pre-send hook runs it, and prints,
for the dev and the held-out split separately:

* overall precision and recall of "warning or error" against the judge's warn/no-warn;
* per rule: how many replies it warns on, and its precision (the judge warned, and named the rule's
  behaviour: warning for the wrong reason is not counted as right);
* per behaviour the judge named: recall of the rules meant for it.

Also the warning rate over all 3,000 Bitext replies with their instruction as the customer (``--bitext-all``).
The held-out split (``split`` in the verdicts; see benchmarks/qa/README.md) is never used for tuning.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from qa_pairs import bitext_pairs, pairs  # noqa: E402

VERDICTS = Path(__file__).resolve().parents[1] / "benchmarks" / "qa" / "verdicts.jsonl"

#: The behaviour each rule (by code, else by prefix) is meant to catch, in the judge's words.
BEHAVIOUR_OF = {
    "APO005": "missing-apology", "APO006": "curt", "APO": "hollow-apology", "ACK001": "no-acknowledgement", "ACK002": "curt",
    "ACK003": "template", "HND": "handoff", "CND": "condescension", "BLM": "blame", "EXC": "excuse",
    "TML": "vague-time", "PRM": "over-promise", "RUD": "rudeness", "NEG": "negativity", "CLC": "cliche",
    "CLO": "weak-close", "TON": "rudeness", "PRN": "pronoun",
}
#: Behaviours that stand in for each other when judging whether a warning named the right problem: a
#: template reply is one that does not acknowledge, a curt one has neither empathy nor engagement.
RELATED = {"no-acknowledgement": {"template", "curt"}, "template": {"no-acknowledgement"},
           "curt": {"missing-apology", "no-acknowledgement"}, "rudeness": {"curt", "negativity"}}
#: For recall, only a rule of the behaviour itself catches it (a template reply is caught by either rule
#: about replies that ignore the customer's message, a missing apology by the curt-reply rule and back).
SAME = {"no-acknowledgement": {"template"}, "template": {"no-acknowledgement"},
        "missing-apology": {"curt"}, "curt": {"missing-apology"}}


def behaviour(code: str) -> str:
    return BEHAVIOUR_OF.get(code) or BEHAVIOUR_OF.get(code[:3], "other")


def load_verdicts(path: Path = VERDICTS) -> dict[str, dict]:
    return {v["id"]: v for v in map(json.loads, path.read_text(encoding="utf-8").splitlines()) if v}


def lint_pairs(items: list[dict], use_model: bool) -> list[list]:
    from empathylint.config import Config
    from empathylint.diagnostic import Severity
    from empathylint.linter import Linter

    linter = Linter(Config(use_model=use_model), cache=False)
    out = []
    for diagnostics in linter.lint_many([(p["reply"], p["customer"] or None) for p in items]):
        out.append([d for d in diagnostics if d.severity >= Severity.WARNING])
    return out


def right_reason(code: str, judged: set[str]) -> bool:
    named = behaviour(code)
    return named in judged or bool(RELATED.get(named, set()) & judged)


def report(name: str, items: list[dict], verdicts: dict[str, dict], warnings: list[list], show: bool) -> None:
    tp = fp = fn = tn = 0
    per_rule: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # [warned, right]
    per_behaviour: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # [judged, caught]
    misses = []
    for pair, found in zip(items, warnings):
        verdict = verdicts[pair["id"]]
        judged = {b for b in verdict["behaviours"] if not b.startswith("hint:")} if verdict["warn"] else set()
        warned = bool(found)
        if warned and verdict["warn"]:
            tp += 1
        elif warned:
            fp += 1
        elif verdict["warn"]:
            fn += 1
        else:
            tn += 1
        for code in sorted({d.code for d in found}):
            per_rule[code][0] += 1
            per_rule[code][1] += verdict["warn"] and right_reason(code, judged)
        caught = {behaviour(d.code) for d in found}
        for b in judged:
            per_behaviour[b][0] += 1
            per_behaviour[b][1] += b in caught or bool(SAME.get(b, set()) & caught)
        if show and warned != verdict["warn"]:
            misses.append((pair, verdict, found))
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    print(f"\n== {name}: {len(items)} pairs, judge warns on {tp + fn}, linter on {tp + fp}")
    print(f"   warning-or-error precision {precision:.2f}  recall {recall:.2f}  (tp {tp}, fp {fp}, fn {fn}, tn {tn})")
    print("   per rule (warned / right reason / precision):")
    for code, (warned, right) in sorted(per_rule.items(), key=lambda kv: -kv[1][0]):
        print(f"     {code:7} {warned:4} {right:4}  {right / warned:.2f}")
    print("   per judged behaviour (judged / caught by its rules / recall):")
    for b, (judged, caught) in sorted(per_behaviour.items(), key=lambda kv: -kv[1][0]):
        print(f"     {b:20} {judged:4} {caught:4}  {caught / judged:.2f}")
    for pair, verdict, found in misses:
        kind = "FP" if found else "FN"
        print(f"\n[{kind}] {pair['id']} judge: {verdict['behaviours']} {verdict['why']}")
        print(f"  CUSTOMER: {' '.join((pair['customer'] or '').split())[:300]}")
        print(f"  REPLY:    {' '.join(pair['reply'].split())[:300]}")
        for d in found:
            print(f"  -> {d.code} {d.text[:60]!r}: {d.message[:160]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-model", action="store_true", help="rules only")
    parser.add_argument("--split", choices=("dev", "heldout", "both"), default="both")
    parser.add_argument("--show-misses", action="store_true", help="print each disagreement (dev split only)")
    parser.add_argument("--bitext-all", action="store_true", help="also the warning rate on all 3,000 Bitext replies")
    args = parser.parse_args(argv)
    verdicts = load_verdicts()
    judged = [p for p in pairs() if p["id"] in verdicts]
    missing = set(verdicts) - {p["id"] for p in judged}
    if missing:
        print(f"warning: {len(missing)} verdicts name no pair in ../shared/data", file=sys.stderr)
    warnings = lint_pairs(judged, not args.no_model)
    print(f"empathylint vs the QA lead's verdicts ({'rules only' if args.no_model else 'rules + model'})")
    for name in ("dev", "heldout"):
        if args.split in (name, "both"):
            chosen = [(p, w) for p, w in zip(judged, warnings) if verdicts[p["id"]]["split"] == name]
            report(name, [p for p, _ in chosen], verdicts, [w for _, w in chosen],
                   args.show_misses and name == "dev")
    if args.bitext_all:
        items = list(bitext_pairs())
        found = lint_pairs(items, not args.no_model)
        rate = Counter()
        for diagnostics in found:
            rate.update({d.code for d in diagnostics})
        warned = sum(bool(d) for d in found)
        print(f"\nBitext, all {len(items)} replies with their instruction: warning or error on {warned} "
              f"({warned / len(items):.1%}); by rule: {', '.join(f'{c} {n}' for c, n in rate.most_common(8))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
