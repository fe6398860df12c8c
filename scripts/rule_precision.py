"""Evidence for rule severities: per-rule hits on the Bitext replies, rudeness/condescension on the Stanford
Politeness quartiles, and precision on hand-checked samples of flagged replies.

    python scripts/rule_precision.py                          # every figure, all 3,000 Bitext replies
    python scripts/rule_precision.py --limit 400              # a seeded subset while iterating
    python scripts/rule_precision.py --show                   # print each sampled reply's flags, to judge
    python scripts/rule_precision.py --verdicts rules/precision/bitext-verdicts.yml   # precision from verdicts

Rules only (no classifier). Bitext replies are linted with the customer's request (`instruction`) as
context, so checks that compare the two (acknowledgement, missing apology) run. The samples are drawn with a
fixed seed from the replies that get a warning or an error: 50 overall, plus a per-rule sample for every
rule that fires more than 20 times. Verdicts name a reply by its row number in replies.csv (1 = first data
row) and a rule code; nothing from the data is copied into the repository.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator

import yaml

from empathylint.config import Config
from empathylint.diagnostic import Severity
from empathylint.linter import Linter
from empathylint.readers import ReadOptions, read_path
from empathylint.rules.model import Rule

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
POLITENESS_CATEGORIES = ("rudeness", "condescension")
FIGURES_DIR = ROOT / "rules" / "precision"
BUDGET = 0.10


@dataclass
class Hit:
    """One diagnostic on a Bitext reply, with the words around it (what a reader needs to judge it)."""

    code: str
    name: str
    category: str
    severity: Severity
    text: str
    before: str
    after: str
    message: str


@dataclass
class Reply:
    """One linted Bitext reply: its row number, text, the customer's request and the diagnostics."""

    id: str
    text: str
    customer: str | None
    diagnostics: list[Hit]

    def flagged(self) -> list[Hit]:
        """The warnings and errors (what the 10% budget and the precision samples are about)."""
        return [d for d in self.diagnostics if d.severity >= Severity.WARNING]


Unit = tuple[str, str]  # (reply id, rule code): the thing a verdict judges
CONTEXT = 150  # characters kept on each side of a hit


def lint_bitext(linter: Linter, path: Path, limit: int | None, seed: int, with_customer: bool,
                jobs: int) -> list[Reply]:
    """Lint the replies (all, or a seeded subset of ``limit``), in row order."""
    options = ReadOptions(text_field="response", customer_field="instruction" if with_customer else None)
    sources = list(read_path(path, options, input_format="csv"))
    if limit:
        sources = sorted(random.Random(seed).sample(sources, min(limit, len(sources))), key=lambda s: int(s.record))
    results = linter.lint_sources(sources, jobs=jobs) if jobs > 1 else linter.lint_sources(sources)
    replies = []
    for result in results:
        file = result.source.file.text  # diagnostics' offsets point into the whole file
        hits = [Hit(d.code, d.name, d.category, d.severity, d.text, file[max(0, d.start - CONTEXT):d.start],
                    file[d.end:d.end + CONTEXT], d.message) for d in result.diagnostics]
        replies.append(Reply(result.source.record or "?", result.source.text, result.source.customer, hits))
    return replies


def cached_bitext(cache: Path | None, key: str, lint: Callable[[], list[Reply]]) -> list[Reply]:
    """The linted replies from ``cache`` when it was written for the same ``key`` (rules, code, options),
    else linted now and written there."""
    if cache and cache.exists():
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("key") == key:
            return [Reply(r["id"], r["text"], r["customer"],
                          [Hit(**{**h, "severity": Severity(h["severity"])}) for h in r["hits"]])
                    for r in data["replies"]]
    replies = lint()
    if cache:
        rows = [{"id": r.id, "text": r.text, "customer": r.customer,
                 "hits": [{**asdict(h), "severity": int(h.severity)} for h in r.diagnostics]} for r in replies]
        cache.write_text(json.dumps({"key": key, "replies": rows}), encoding="utf-8")
    return replies


def lint_key(*options: object) -> str:
    """What the findings depend on: every rule pack, the engine's code, and the options."""
    digest = hashlib.sha256(repr(options).encode())
    for folder, pattern in ((ROOT / "rules", "*.y*ml"), (ROOT / "empathylint", "*.py")):
        for path in sorted(folder.rglob(pattern)):
            if FIGURES_DIR not in path.parents:  # verdicts and figures do not change what is found
                digest.update(path.read_bytes())
    return digest.hexdigest()


def bitext_report(replies: list[Reply], rules: Iterable[Rule]) -> None:
    """Per-rule hits and the share of replies with a warning or an error."""
    hits: Counter = Counter(d.code for r in replies for d in r.diagnostics)
    replies_hit: Counter = Counter(code for r in replies for code in {d.code for d in r.diagnostics})
    flagged_by: Counter = Counter(code for r in replies for code in {d.code for d in r.flagged()})
    flagged = sum(1 for r in replies if r.flagged())
    n = max(len(replies), 1)
    print(f"== Bitext: {len(replies)} replies; with a warning or error: {flagged} ({flagged / n:.2%}); "
          f"budget {BUDGET:.0%} {'OK' if flagged / n <= BUDGET else 'OVER'}")
    print(f"{'rule':<8} {'name':<30} {'severity':<8} {'hits':>5} {'replies':>7} {'warn/err share':>14}")
    for rule in rules:
        if hits[rule.code]:
            print(f"{rule.code:<8} {rule.name:<30} {rule.severity!s:<8} {hits[rule.code]:>5} "
                  f"{replies_hit[rule.code]:>7} {flagged_by[rule.code] / n:>14.2%}")
    silent = [r.code for r in rules if not hits[r.code]]
    print(f"rules with no hit: {len(silent)} ({' '.join(silent)})\n")


def politeness_report(linter: Linter, path: Path) -> dict[str, Counter]:
    """Rudeness + condescension diagnostics per request, bottom (impolite) vs top (polite) quartile;
    returns the hits per rule code of each quartile."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: float(row["Normalized Score"]))
    quarter = len(rows) // 4
    counts: dict[str, Counter] = {}
    per_request: dict[str, float] = {}
    for label, part in (("bottom", rows[:quarter]), ("top", rows[-quarter:])):
        found = [[d for d in diags if d.category in POLITENESS_CATEGORIES]
                 for diags in linter.lint_many(row["Request"] for row in part)]
        counts[label] = Counter(d.code for diags in found for d in diags)
        per_request[label] = sum(len(diags) for diags in found) / len(part)
        share = sum(1 for diags in found if diags) / len(part)
        print(f"== Politeness {label} quartile: {len(part)} requests; {'/'.join(POLITENESS_CATEGORIES)} "
              f"diagnostics per request {per_request[label]:.3f}; requests with one: {share:.1%}")
    ratio = per_request["bottom"] / per_request["top"] if per_request["top"] else float("inf")
    print(f"bottom/top ratio: {ratio:.2f} (target >= 3)")
    for code in sorted(set(counts["bottom"]) | set(counts["top"])):
        print(f"  {code:<8} bottom {counts['bottom'][code]:>4}  top {counts['top'][code]:>4}")
    print()
    return counts


def draw_samples(replies: list[Reply], seed: int, size: int, rule_size: int,
                 min_hits: int) -> tuple[list[Unit], dict[str, list[Unit]]]:
    """The overall sample (every warning/error rule of ``size`` random flagged replies) and, for each rule
    with more than ``min_hits`` hits, ``rule_size`` random replies where it fires."""
    flagged = [r for r in replies if r.flagged()]
    picked = random.Random(seed).sample(flagged, min(size, len(flagged)))
    overall = [(r.id, code) for r in sorted(picked, key=lambda r: int(r.id))
               for code in sorted({d.code for d in r.flagged()})]
    by_rule: dict[str, list[str]] = {}
    for reply in replies:
        for code in sorted({d.code for d in reply.diagnostics}):
            by_rule.setdefault(code, []).append(reply.id)
    hits = Counter(d.code for r in replies for d in r.diagnostics)
    per_rule = {}
    for code in sorted(c for c in by_rule if hits[c] > min_hits):
        ids = random.Random(f"{seed}-{code}").sample(by_rule[code], min(rule_size, len(by_rule[code])))
        per_rule[code] = [(i, code) for i in sorted(ids, key=int)]
    return overall, per_rule


def load_verdicts(path: Path) -> dict[Unit, tuple[bool, str]]:
    """``{(reply id, code): (right, why)}`` from a verdicts file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out: dict[Unit, tuple[bool, str]] = {}
    for i, entry in enumerate(data.get("verdicts") or [], 1):
        verdict = str(entry.get("verdict", "")).lower()
        if verdict not in {"right", "wrong"}:
            raise SystemExit(f"{path}: verdict #{i}: 'verdict' must be right or wrong, not {verdict!r}")
        out[(str(entry["id"]), str(entry["rule"]))] = (verdict == "right", str(entry.get("why", "")))
    return out


def precision_line(units: list[Unit], verdicts: dict[Unit, tuple[bool, str]]) -> str:
    judged = [verdicts[u][0] for u in units if u in verdicts]
    if not judged:
        return f"no verdicts yet ({len(units)} to judge)"
    missing = len(units) - len(judged)
    return (f"{sum(judged)}/{len(judged)} right = {sum(judged) / len(judged):.0%}"
            + (f" ({missing} without a verdict)" if missing else ""))


def precision_report(overall: list[Unit], per_rule: dict[str, list[Unit]],
                     verdicts: dict[Unit, tuple[bool, str]]) -> None:
    replies = sorted({i for i, _ in overall}, key=int)
    print(f"== Sample of {len(replies)} flagged replies ({len(overall)} reply/rule verdicts): "
          f"{precision_line(overall, verdicts)}")
    whole = [all(verdicts.get((i, c), (False, ""))[0] for j, c in overall if j == i) for i in replies]
    print(f"replies whose every warning/error is right: {sum(whole)}/{len(replies)}")
    for code in sorted({c for _, c in overall}):
        print(f"  {code:<8} {precision_line([u for u in overall if u[1] == code], verdicts)}")
    print("== Per-rule samples (rules with more than the minimum hits):")
    for code, units in per_rule.items():
        print(f"  {code:<8} {precision_line(units, verdicts)}")
    missing = sorted({u for u in [*overall, *(u for us in per_rule.values() for u in us)] if u not in verdicts},
                     key=lambda u: (int(u[0]), u[1]))
    if missing:
        print(f"\n{len(missing)} sampled reply/rule pairs have no verdict: run with --show to read them")


def figures(rules: Iterable[Rule], replies: list[Reply], politeness: dict[str, Counter],
            overall: list[Unit], per_rule: dict[str, list[Unit]],
            verdicts: dict[Unit, tuple[bool, str]]) -> dict[str, str]:
    """One paragraph of measured evidence per rule, for its documentation (`empathylint rules CODE`)."""
    hits = Counter(d.code for r in replies for d in r.diagnostics)
    replies_hit = Counter(code for r in replies for code in {d.code for d in r.diagnostics})
    out = {}
    for rule in rules:
        text = (f"Bitext, {len(replies):,} polite canned support replies (rules only, with the customer's "
                f"request): {hits[rule.code]} hits in {replies_hit[rule.code]} replies "
                f"({replies_hit[rule.code] / max(len(replies), 1):.1%}).")
        judged = [verdicts[u][0] for u in per_rule.get(rule.code, []) if u in verdicts]
        if judged:
            text += f" Hand-checked sample of {len(judged)}: {sum(judged)} right ({sum(judged) / len(judged):.0%})."
        in_overall = [verdicts[u][0] for u in overall if u[1] == rule.code and u in verdicts]
        if in_overall:
            text += f" In the sample of 50 flagged replies: {sum(in_overall)}/{len(in_overall)} right."
        if rule.category in POLITENESS_CATEGORIES and politeness:
            text += (f" Stanford Politeness (Wikipedia requests): {politeness['bottom'][rule.code]} hits in the "
                     f"impolite quartile, {politeness['top'][rule.code]} in the polite one.")
        out[rule.code] = text
    return out


def write_figures(path: Path, found: dict[str, str]) -> None:
    """The figures file the rule loader reads for rules whose pack gives no ``precision``."""
    header = (f"# Written by scripts/rule_precision.py on {date.today()}; do not edit by hand. A rule's own\n"
              "# `precision:` field in its pack takes precedence. See README.md beside this file.\n")
    path.write_text(header + yaml.safe_dump({"rules": found}, sort_keys=True, width=100, allow_unicode=True),
                    encoding="utf-8")


def show(units: Iterable[Unit], replies: dict[str, Reply], verdicts: dict[Unit, tuple[bool, str]],
         width: int) -> Iterator[str]:
    """Each sampled unit with the customer's request and the flagged text in context, to be judged."""
    for reply_id, code in sorted(set(units), key=lambda u: (int(u[0]), u[1])):
        reply = replies[reply_id]
        known = verdicts.get((reply_id, code))
        yield f"--- #{reply_id} {code}" + (f"  [{'right' if known[0] else 'wrong'}: {known[1]}]" if known else "")
        yield f"customer: {reply.customer!r}"
        for d in (d for d in reply.diagnostics if d.code == code):
            context = " ".join(f"{d.before[-width:]}[[{d.text}]]{d.after[:width]}".split())
            yield f"  {d.severity} {d.name}: « {context} »"
            if d.category == "acknowledgement":
                yield f"  {d.message}\n  reply: {' '.join(reply.text.split())[:width * 6]}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--limit", type=int, help="lint a seeded subset of this many Bitext replies")
    parser.add_argument("--seed", type=int, default=5, help="seed of the subset and the samples (default 5)")
    parser.add_argument("--sample", type=int, default=50, help="flagged replies in the overall sample")
    parser.add_argument("--rule-sample", type=int, default=20, help="replies per rule sample")
    parser.add_argument("--min-hits", type=int, default=20, help="rules with more hits get their own sample")
    parser.add_argument("--verdicts", type=Path, help="hand verdicts (YAML) to compute precision from")
    parser.add_argument("--show", action="store_true", help="print every sampled reply/rule pair to judge")
    parser.add_argument("--list", metavar="PREFIX", help="print every Bitext hit of the rules with this code prefix")
    parser.add_argument("--width", type=int, default=90, help="context characters around a flag in --show")
    parser.add_argument("--no-customer", action="store_true", help="lint replies without the customer request")
    parser.add_argument("--skip-politeness", action="store_true")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes for linting")
    parser.add_argument("--write-figures", action="store_true",
                        help=f"write every rule's figures to {FIGURES_DIR.relative_to(ROOT)}/figures.yml")
    parser.add_argument("--cache", type=Path, help="keep the Bitext results in this JSON file between runs "
                        "(reused only while the rules, the code and the options are unchanged)")
    args = parser.parse_args()

    linter = Linter(Config(use_model=False))
    rules = list(linter.rules)
    politeness = {} if args.skip_politeness else politeness_report(
        linter, args.data / "politeness" / "wikipedia.annotated.csv")
    bitext = args.data / "bitext" / "replies.csv"
    key = lint_key(bitext.stat().st_size, args.limit, args.seed, args.no_customer)
    replies = cached_bitext(args.cache, key, lambda: lint_bitext(linter, bitext, args.limit, args.seed,
                                                                 not args.no_customer, args.jobs))
    bitext_report(replies, rules)
    overall, per_rule = draw_samples(replies, args.seed, args.sample, args.rule_sample, args.min_hits)
    verdicts = load_verdicts(args.verdicts) if args.verdicts else {}
    precision_report(overall, per_rule, verdicts)
    if args.show:
        by_id = {r.id: r for r in replies}
        print("\n".join(show([*overall, *(u for us in per_rule.values() for u in us)], by_id, verdicts,
                             args.width)))
    if args.list:
        units = [(r.id, d.code) for r in replies for d in r.diagnostics if d.code.startswith(args.list.upper())]
        print("\n".join(show(units, {r.id: r for r in replies}, verdicts, args.width)))
    if args.write_figures:
        write_figures(FIGURES_DIR / "figures.yml", figures(rules, replies, politeness, overall, per_rule, verdicts))
    flagged = sum(1 for r in replies if r.flagged()) / max(len(replies), 1)
    return 0 if flagged <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
