"""Readers for the training / evaluation data in ``../shared/data`` (never copied into the repository).

Every split that is not given upstream is made here, deterministically, from a fixed seed, so training,
evaluation and calibration all see exactly the same held-out examples:

* TweetEval sentiment: only ``val`` exists; it is split 60 / 40 (stratified by label, seed 13) into a part
  used for training and a held-out part used only for evaluation and threshold calibration.
* Stanford Politeness (Wikipedia): split 80 / 20 (stratified by quartile, seed 13); quartile boundaries are
  computed on the whole corpus, as in Danescu-Niculescu-Mizil et al. (2013).
* SST-2 and GoEmotions: upstream train / dev.
* TweetEval emotion: upstream train + val are used for training (anger / sadness -> negative and
  needs-apology, joy / optimism -> positive); its test split is not used.
"""

from __future__ import annotations

import csv
import math
import os
import random
from dataclasses import dataclass, field
from pathlib import Path

SPLIT_SEED = 13
SENTIMENT_LABELS = ("negative", "neutral", "positive")
APOLOGY_EMOTIONS = ("anger", "annoyance", "disappointment", "sadness")

# Demszky et al. (2020) sentiment grouping of the GoEmotions labels. "remorse" is left out on purpose:
# apologetic remorse is what a good support reply expresses, and teaching the sentiment head that it is
# negative would make every apology look hostile.
GOEMOTIONS_POSITIVE = {"amusement", "excitement", "joy", "love", "desire", "optimism", "caring", "pride",
                       "admiration", "gratitude", "relief", "approval"}
GOEMOTIONS_NEGATIVE = {"fear", "nervousness", "embarrassment", "disappointment", "sadness", "grief",
                       "disgust", "anger", "annoyance", "disapproval"}


class DataError(Exception):
    """A data file is missing or malformed."""


def default_data_dir() -> Path:
    """``$EMPATHYLINT_DATA_DIR``, else ``<repo root>/../shared/data`` (repo root = the checkout holding this
    package), else ``./../shared/data``."""
    env = os.environ.get("EMPATHYLINT_DATA_DIR")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[2]
    candidate = repo.parent / "shared" / "data"
    if candidate.is_dir():
        return candidate
    return Path.cwd().parent / "shared" / "data"


def _need(path: Path) -> Path:
    if not path.is_file():
        raise DataError(f"{path}: missing (pass --data-dir pointing at the shared data folder)")
    return path


@dataclass
class Example:
    """One training / evaluation text and whatever targets it has (None = no target for that head)."""

    text: str
    source: str
    sentiment: int | None = None  # index into SENTIMENT_LABELS
    binary: bool = False  # sentiment target is negative vs positive only (SST-2): neutral logit ignored
    politeness: float | None = None  # soft target in [0, 1] (percentile of the normalised score)
    apology: float | None = None  # 1.0 when the writer is angry / annoyed / disappointed / sad
    weight: float = 1.0  # multiplies this example's sentiment loss (class balancing)
    meta: dict = field(default_factory=dict)


# --- SST-2 ---------------------------------------------------------------------------------------------

def read_sst2(data_dir: Path, split: str) -> list[Example]:
    """``sst2/{train,dev}.tsv``: header ``label<TAB>sentence``; 0 negative / 1 positive."""
    path = _need(Path(data_dir) / "sst2" / f"{split}.tsv")
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        lines = fh.read().splitlines()
    for n, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 2 or parts[0] not in ("0", "1"):
            raise DataError(f"{path}:{n}: expected 'label<TAB>sentence'")
        out.append(Example(parts[1].strip(), "sst2", sentiment=0 if parts[0] == "0" else 2, binary=True))
    return out


# --- GoEmotions ----------------------------------------------------------------------------------------

def goemotions_labels(data_dir: Path) -> list[str]:
    path = _need(Path(data_dir) / "goemotions" / "labels.txt")
    return [x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def goemotions_sentiment(names: set[str]) -> int | None:
    """3-class sentiment for a GoEmotions label set, or None when mixed / ambiguous."""
    if names == {"neutral"}:
        return 1
    if "neutral" in names:
        return None
    if names and names <= GOEMOTIONS_POSITIVE:
        return 2
    if names and names <= GOEMOTIONS_NEGATIVE:
        return 0
    return None


def read_goemotions(data_dir: Path, split: str) -> list[Example]:
    """``goemotions/{train,dev}.tsv``: ``text<TAB>ids<TAB>comment id``, no header."""
    labels = goemotions_labels(data_dir)
    path = _need(Path(data_dir) / "goemotions" / f"{split}.tsv")
    out = []
    with open(path, encoding="utf-8", newline="") as fh:
        for n, line in enumerate(fh.read().splitlines(), start=1):
            if not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                raise DataError(f"{path}:{n}: expected 'text<TAB>label ids<TAB>id'")
            names = {labels[int(i)] for i in parts[1].split(",") if i.strip()}
            apology = 1.0 if names & set(APOLOGY_EMOTIONS) else 0.0
            out.append(Example(parts[0].strip(), "goemotions", sentiment=goemotions_sentiment(names),
                               apology=apology, meta={"labels": sorted(names)}))
    return out


# --- TweetEval sentiment -------------------------------------------------------------------------------

def read_tweeteval_sentiment(data_dir: Path) -> list[Example]:
    folder = Path(data_dir) / "tweeteval" / "sentiment"
    texts = _need(folder / "val_text.txt").read_text(encoding="utf-8").splitlines()
    labels = _need(folder / "val_labels.txt").read_text(encoding="utf-8").splitlines()
    labels = [x for x in labels if x.strip()]
    if len(texts) != len(labels):
        raise DataError(f"{folder}: {len(texts)} tweets but {len(labels)} labels")
    return [Example(t.strip(), "tweeteval", sentiment=int(y)) for t, y in zip(texts, labels)]


def read_tweeteval_emotion(data_dir: Path, splits: tuple[str, ...] = ("train", "val")) -> list[Example]:
    """TweetEval emotion tweets (``0 anger, 1 joy, 2 optimism, 3 sadness``) as needs-apology targets (anger /
    sadness yes, joy / optimism no).

    Not as sentiment targets: every one of these tweets carries an emotion, so as negative / positive
    examples they taught the sentiment head that a tweet is never neutral. Trained as sentiment data
    (anger / sadness negative, joy / optimism positive) they left the TweetEval held-out macro-recall at
    0.643, with neutral tweets the worst recalled class (0.575); as needs-apology data only, 0.661 (same seed
    and recipe otherwise, SST-2 dev 0.892 both ways)."""
    folder = Path(data_dir) / "tweeteval" / "emotion"
    out = []
    for split in splits:
        texts = _need(folder / f"{split}_text.txt").read_text(encoding="utf-8").splitlines()
        labels = [x for x in _need(folder / f"{split}_labels.txt").read_text(encoding="utf-8").splitlines()
                  if x.strip()]
        if len(texts) != len(labels):
            raise DataError(f"{folder}/{split}: {len(texts)} tweets but {len(labels)} labels")
        for t, y in zip(texts, labels):
            negative = int(y) in (0, 3)
            out.append(Example(t.strip(), "tweet_emotion", apology=1.0 if negative else 0.0))
    return out


def balance_classes(examples: list[Example]) -> list[Example]:
    """Weight each example's sentiment loss by ``n / (classes * n_class)`` so that every class counts the
    same (the TweetEval target is macro-averaged recall, and its negatives are only 16 %)."""
    counts: dict[int, int] = {}
    for e in examples:
        if e.sentiment is not None:
            counts[e.sentiment] = counts.get(e.sentiment, 0) + 1
    total = sum(counts.values())
    for e in examples:
        if e.sentiment is not None:
            e.weight = total / (len(counts) * counts[e.sentiment])
    return examples


def _stratified_split(items: list, keys: list, holdout: float, seed: int) -> tuple[list, list]:
    """Deterministic stratified split: (kept for training, held out)."""
    rng = random.Random(seed)
    by_key: dict = {}
    for i, k in enumerate(keys):
        by_key.setdefault(k, []).append(i)
    held = set()
    for k in sorted(by_key, key=str):
        idx = by_key[k]
        rng.shuffle(idx)
        held.update(idx[: round(len(idx) * holdout)])
    return ([x for i, x in enumerate(items) if i not in held], [x for i, x in enumerate(items) if i in held])


def stratified_part(examples: list[Example], fraction: float, seed: int = SPLIT_SEED) -> list[Example]:
    """A deterministic part of ``examples`` (``fraction`` of each sentiment class), in their order."""
    kept, _ = _stratified_split(examples, [e.sentiment for e in examples], 1.0 - fraction, seed)
    return kept


def tweeteval_sentiment_split(data_dir: Path, holdout: float = 0.4, seed: int = SPLIT_SEED
                              ) -> tuple[list[Example], list[Example]]:
    """(train part, held-out part) of TweetEval sentiment ``val``."""
    items = read_tweeteval_sentiment(data_dir)
    return _stratified_split(items, [e.sentiment for e in items], holdout, seed)


# --- Stanford Politeness (Wikipedia) -------------------------------------------------------------------

def read_politeness(data_dir: Path) -> list[Example]:
    """``politeness/wikipedia.annotated.csv``. Each example gets ``politeness`` = percentile rank of the
    ``Normalized Score`` (0 = rudest, 1 = politest) and ``meta['quartile']`` in {"impolite", "middle",
    "polite"} (bottom / middle two / top quartile over the whole corpus)."""
    path = _need(Path(data_dir) / "politeness" / "wikipedia.annotated.csv")
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [(r["Request"].strip(), float(r["Normalized Score"])) for r in csv.DictReader(fh)]
    scores = sorted(s for _, s in rows)
    n = len(scores)
    q1, q3 = _quantile(scores, 0.25), _quantile(scores, 0.75)
    out = []
    import bisect

    for text, s in rows:
        lo, hi = bisect.bisect_left(scores, s), bisect.bisect_right(scores, s)
        pct = ((lo + hi - 1) / 2) / (n - 1)
        quartile = "impolite" if s <= q1 else "polite" if s >= q3 else "middle"
        out.append(Example(text, "politeness", politeness=pct, meta={"score": s, "quartile": quartile}))
    return out


def _quantile(sorted_values: list[float], q: float) -> float:
    pos = (len(sorted_values) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def politeness_split(data_dir: Path, holdout: float = 0.2, seed: int = SPLIT_SEED
                     ) -> tuple[list[Example], list[Example]]:
    """(train part, held-out part) of the Wikipedia politeness requests."""
    items = read_politeness(data_dir)
    return _stratified_split(items, [e.meta["quartile"] for e in items], holdout, seed)


# --- Bitext canned replies -----------------------------------------------------------------------------

def read_bitext_replies(data_dir: Path) -> list[str]:
    """``bitext/replies.csv``, column ``response`` (placeholders still in)."""
    path = _need(Path(data_dir) / "bitext" / "replies.csv")
    with open(path, encoding="utf-8", newline="") as fh:
        return [r["response"] for r in csv.DictReader(fh)]
