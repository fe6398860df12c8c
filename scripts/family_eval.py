"""How well each behaviour family is caught in any wording: the held-out test part of the family sets.

    python scripts/family_eval.py                 # rules only, the model's family head alone, and both
    python scripts/family_eval.py --split dev     # the calibration part (what thresholds were chosen on)

Every sentence of ``models/families/test.jsonl`` (written first, by a writer who did not tune, never tuned on)
is linted on its own, the way ``check`` lints a reply. A family counts a sentence as caught when a diagnostic
of one of its pack's rules (or its model rule, ``<PREFIX>100``, a hint today) is reported on it, at any
severity; per family it prints precision and recall for the rules alone, the model rule alone and both
together, and how many clean look-alikes get a diagnostic of any family, and how many a warning. Targets (issue 21): recall >= 0.80 at precision >= 0.90 per
family, look-alikes warned <= 5 %.

With ``--politeness`` it also lints the held-out 20 % of the Stanford Politeness Wikipedia requests (never
trained on: `classifier.data.politeness_split`, read from ``../shared/data``) and prints how often the
impolite quartile gets a warning against the polite one (the cross-domain check of issue 21).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from empathylint.classifier.families import FAMILIES, read_split  # noqa: E402
from empathylint.diagnostic import Severity  # noqa: E402

MODEL_CHECK = "family-model"


def warned_families(linter, texts: list[str]) -> list[dict[str, set[str]]]:
    """For each text, the families of its diagnostics: ``rules``, ``model``, ``any`` (every severity) and
    ``warned`` (warnings and errors, of any kind)."""
    out = []
    for diagnostics in linter.lint_many(texts):
        seen: dict[str, set[str]] = {"rules": set(), "model": set(), "any": set(), "warned": set()}
        for d in diagnostics:
            rule = linter.rules.get(d.code)
            seen["model" if rule.check == MODEL_CHECK else "rules"].add(rule.pack)
            seen["any"].add(rule.pack)
            if d.severity >= Severity.WARNING:
                seen["warned"].add(rule.pack)
        out.append(seen)
    return out


def figures(sentences, warned, kind: str, family: str) -> tuple[float | None, float | None]:
    tp = sum(s.family == family and family in w[kind] for s, w in zip(sentences, warned))
    fp = sum(s.family != family and family in w[kind] for s, w in zip(sentences, warned))
    fn = sum(s.family == family and family not in w[kind] for s, w in zip(sentences, warned))
    return (tp / (tp + fp) if tp + fp else None), (tp / (tp + fn) if tp + fn else None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="test", choices=["train", "dev", "test"])
    parser.add_argument("--politeness", action="store_true",
                        help="Also the impolite / polite warning ratio on the held-out Wikipedia requests.")
    args = parser.parse_args(argv)
    from empathylint.config import Config
    from empathylint.linter import Linter
    from empathylint.resources import models_dir

    sentences = read_split(models_dir(), args.split)
    linter = Linter(Config(use_model=True), cache=False)
    both = warned_families(linter, [s.text for s in sentences])
    show = lambda v: "   -  " if v is None else f"{v:5.2f} "  # noqa: E731
    print(f"family sets, {args.split} part: {len(sentences)} sentences "
          f"({sum(s.family is not None for s in sentences)} showing a behaviour)\n")
    print(f"{'family':<16}{'rules P':>8}{'R':>6}   {'model P':>8}{'R':>6}   {'both P':>8}{'R':>6}")
    for family in FAMILIES:
        cells = [figures(sentences, both, kind, family) for kind in ("rules", "model", "any")]
        print(f"{family:<16}" + "   ".join(f"{show(p)}{show(r)}" for p, r in cells))
    lookalikes = [w for s, w in zip(sentences, both) if s.family is None and s.lookalike]
    clean = [w for s, w in zip(sentences, both) if s.family is None]
    rate = lambda rows, kind: sum(bool(w[kind] & set(FAMILIES)) for w in rows) / len(rows) if rows else 0.0  # noqa: E731
    print(f"\nclean look-alikes with a diagnostic of a family: {rate(lookalikes, 'any'):.1%} of {len(lookalikes)} "
          f"(with a warning: {rate(lookalikes, 'warned'):.1%}); all clean sentences: {rate(clean, 'any'):.1%} "
          f"(warning: {rate(clean, 'warned'):.1%}) of {len(clean)}")
    if args.politeness:
        politeness_ratio(linter)
    return 0


def politeness_ratio(linter) -> None:
    """Warned share of the impolite and the polite quartile of the held-out politeness requests."""
    from empathylint.classifier.data import default_data_dir, politeness_split

    _, held_out = politeness_split(default_data_dir())
    shares = {}
    for quartile in ("impolite", "polite"):
        texts = [e.text for e in held_out if e.meta["quartile"] == quartile]
        warned = sum(any(d.severity >= Severity.WARNING for d in ds) for ds in linter.lint_many(texts))
        shares[quartile] = (warned / len(texts), len(texts))
    (imp, n_imp), (pol, n_pol) = shares["impolite"], shares["polite"]
    ratio = f"{imp / pol:.1f}x" if pol else "n/a"
    print(f"politeness (Wikipedia, held-out 20 %): impolite quartile warned {imp:.1%} of {n_imp}, "
          f"polite {pol:.1%} of {n_pol}: {ratio}")


if __name__ == "__main__":
    raise SystemExit(main())
