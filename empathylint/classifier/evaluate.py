"""Dev-set figures of the tone model, on exactly the splits of :mod:`empathylint.classifier.data`.

    python -m empathylint.classifier.evaluate [--data-dir ../shared/data] [--model-dir models] [--json]

* SST-2 dev (872): accuracy of negative vs positive (the larger of p(negative), p(positive)).
* TweetEval sentiment, held-out 40 % of ``val`` (801 tweets, stratified, seed 13): macro-averaged recall
  over negative / neutral / positive (argmax of three).
* Stanford Politeness, Wikipedia, held-out 20 % (871 requests, stratified by quartile, seed 13): accuracy on
  its top-quartile (polite) vs bottom-quartile (impolite) requests, polite when p(polite) >= 0.5.
* GoEmotions dev (5,426): needs-apology (anger / annoyance / disappointment / sadness) F1 at 0.5 and ROC AUC.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import data as D
from .precision import PRECISIONS  # stdlib only


def _accuracy(pred, gold) -> float:
    return sum(p == g for p, g in zip(pred, gold)) / max(1, len(gold))


def macro_recall(pred: list[int], gold: list[int], classes=(0, 1, 2)) -> float:
    recalls = []
    for c in classes:
        n = sum(g == c for g in gold)
        if n:
            recalls.append(sum(p == c and g == c for p, g in zip(pred, gold)) / n)
    return sum(recalls) / len(recalls)


def f1(pred: list[bool], gold: list[bool]) -> dict:
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": prec, "recall": rec, "f1": 2 * prec * rec / (prec + rec) if prec + rec else 0.0}


def roc_auc(scores: list[float], gold: list[bool]) -> float:
    """Mann-Whitney AUC with average ranks for ties."""
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        i = j + 1
    pos = sum(gold)
    neg = len(gold) - pos
    if not pos or not neg:
        return float("nan")
    return (sum(r for r, g in zip(ranks, gold) if g) - pos * (pos + 1) / 2) / (pos * neg)


def evaluate_sst2(clf, data_dir: Path) -> dict:
    ex = D.read_sst2(data_dir, "dev")
    scores = clf.predict([e.text for e in ex])
    pred = [2 if s.sentiment["positive"] >= s.sentiment["negative"] else 0 for s in scores]
    return {"n": len(ex), "accuracy": _accuracy(pred, [e.sentiment for e in ex])}


def evaluate_tweeteval(clf, data_dir: Path) -> dict:
    _, held = D.tweeteval_sentiment_split(data_dir)
    scores = clf.predict([e.text for e in held])
    labels = ("negative", "neutral", "positive")
    pred = [max(range(3), key=lambda k: s.sentiment[labels[k]]) for s in scores]
    gold = [e.sentiment for e in held]
    return {"n": len(held), "macro_recall": macro_recall(pred, gold), "accuracy": _accuracy(pred, gold)}


def evaluate_politeness(clf, data_dir: Path) -> dict:
    _, held = D.politeness_split(data_dir)
    ends = [e for e in held if e.meta["quartile"] != "middle"]
    scores = clf.predict([e.text for e in ends])
    pred = [s.politeness >= 0.5 for s in scores]
    gold = [e.meta["quartile"] == "polite" for e in ends]
    return {"n": len(ends), "accuracy": _accuracy(pred, gold),
            "auc": roc_auc([s.politeness for s in scores], gold)}


def evaluate_goemotions(clf, data_dir: Path) -> dict:
    ex = D.read_goemotions(data_dir, "dev")
    scores = clf.predict([e.text for e in ex])
    gold = [e.apology == 1.0 for e in ex]
    p = [s.needs_apology for s in scores]
    out = {"n": len(ex), "positives": sum(gold), "auc": roc_auc(p, gold)}
    out.update(f1([x >= 0.5 for x in p], gold))
    return out


def evaluate_all(clf, data_dir: Path) -> dict:
    out = {}
    for name, fn in (("sst2_dev", evaluate_sst2), ("tweeteval_sentiment_heldout", evaluate_tweeteval),
                     ("politeness_heldout", evaluate_politeness), ("goemotions_dev_needs_apology",
                                                                   evaluate_goemotions)):
        try:
            out[name] = fn(clf, data_dir)
        except D.DataError as exc:
            out[name] = {"skipped": str(exc)}
    return out


TARGETS = {("sst2_dev", "accuracy"): 0.89, ("tweeteval_sentiment_heldout", "macro_recall"): 0.68,
           ("politeness_heldout", "accuracy"): 0.85}


def format_report(results: dict) -> str:
    lines = []
    r = results.get("sst2_dev", {})
    if "accuracy" in r:
        lines.append(f"SST-2 dev accuracy (n={r['n']}): {r['accuracy']:.4f}  [target >= 0.89]")
    r = results.get("tweeteval_sentiment_heldout", {})
    if "macro_recall" in r:
        lines.append(f"TweetEval sentiment held-out 40% of val (n={r['n']}): macro-recall {r['macro_recall']:.4f}, "
                     f"accuracy {r['accuracy']:.4f}  [target >= 0.68]")
    r = results.get("politeness_heldout", {})
    if "accuracy" in r:
        lines.append(f"Politeness (Wikipedia) held-out 20%, top vs bottom quartile (n={r['n']}): accuracy "
                     f"{r['accuracy']:.4f}, AUC {r['auc']:.4f}  [target >= 0.85]")
    r = results.get("goemotions_dev_needs_apology", {})
    if "f1" in r:
        lines.append(f"GoEmotions dev needs-apology (n={r['n']}, {r['positives']} positive): F1 {r['f1']:.4f} "
                     f"(P {r['precision']:.4f} R {r['recall']:.4f}) at 0.5, ROC AUC {r['auc']:.4f}")
    for name, r in results.items():
        if isinstance(r, dict) and "skipped" in r:
            lines.append(f"{name}: skipped ({r['skipped']})")
    if "seconds" in results:
        lines.append(f"(load + evaluation: {results['seconds']} s)")
    return "\n".join(lines)


#: What ``--precision`` may name: each precision but ``auto`` (it is one of the others), or all of them.
_CONCRETE = tuple(p for p in PRECISIONS if p != "auto")
PRECISION_CHOICES = {**{p: (p,) for p in _CONCRETE}, "all": _CONCRETE}
_TITLES = {"float32": "float32 (the reference)",
           "bfloat16": "bfloat16 matrix multiplications (what the linter runs on CPUs with bfloat16 instructions)",
           "int8": "int8 feed-forward layers (`--precision int8`)"}


def run(data_dir: str | Path | None = None, model_dir: str | Path | None = None, as_json: bool = False,
        precisions: tuple[str, ...] = ("float32",)) -> str:
    """The dev figures of the tone model run in each of ``precisions``."""
    from . import load_classifier

    data_dir = Path(data_dir) if data_dir else D.default_data_dir()
    report: dict[str, dict] = {}
    for precision in precisions:
        t = time.time()
        results = evaluate_all(load_classifier(model_dir=model_dir, precision=precision), data_dir)
        results["seconds"] = round(time.time() - t, 1)
        report[precision] = results
    if as_json:
        return json.dumps(report, indent=2)
    if len(precisions) == 1:
        return format_report(report[precisions[0]])
    return "\n\n".join(f"== {_TITLES[p]} ==\n{format_report(results)}" for p, results in report.items())


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m empathylint.classifier.evaluate", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", default="")
    p.add_argument("--model-dir", default=None)
    p.add_argument("--json", action="store_true")
    p.add_argument("--precision", choices=tuple(PRECISION_CHOICES), default="float32",
                   help="the arithmetic to evaluate the model in (default: float32, the reference), or all")
    a = p.parse_args(argv)
    print(run(a.data_dir or None, a.model_dir, a.json, PRECISION_CHOICES[a.precision]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
