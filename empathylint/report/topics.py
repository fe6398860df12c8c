"""Complaint topics by meaning: each complaint joins the anchor topic of ``rules/conversation/topics.yml``
nearest to it in all-MiniLM sentence space (or ``other``), so that a topic is the same in every week,
batch and run. A topic's partial aggregate holds counts per period, the words of its complaints and a few
examples; once every batch is merged, `finish_topics` labels each by its distinctive words (c-TF-IDF:
frequent in the topic, rare in the others) and ranks the topics rising fastest.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

import yaml

from ..resources import rules_dir

OTHER = "other"
_WORD = re.compile(r"[a-z][a-z'’]{2,}")
_NOISE = re.compile(r"@\w+|https?://\S+|\S+@\S+|#\w+|\[\w+\]")


@dataclass(frozen=True)
class TopicAnchors:
    """The anchor phrases of each topic, and how near (cosine) a complaint must be to join one."""

    phrases: dict[str, tuple[str, ...]]
    min_similarity: float


@lru_cache(maxsize=1)
def load_anchors() -> TopicAnchors:
    data = yaml.safe_load((rules_dir() / "conversation" / "topics.yml").read_text(encoding="utf-8"))
    return TopicAnchors({k: tuple(v) for k, v in data["topics"].items()}, float(data["min_similarity"]))


class TopicAssigner:
    """Assigns complaint texts to topics with a `SentenceEncoder` (anchors embedded once)."""

    def __init__(self, encoder: Any, anchors: TopicAnchors | None = None) -> None:
        self.encoder = encoder
        self.anchors = anchors or load_anchors()
        self.keys = [k for k, phrases in self.anchors.phrases.items() for _ in phrases]
        self.vectors = encoder.embed([p for phrases in self.anchors.phrases.values() for p in phrases])

    def assign(self, texts: Sequence[str]) -> list[str]:
        """The topic of each text."""
        if not texts:
            return []
        sims = self.encoder.embed([clean(t)[:400] for t in texts]) @ self.vectors.T
        best, index = sims.max(dim=1)
        return [self.keys[int(i)] if float(b) >= self.anchors.min_similarity else OTHER
                for b, i in zip(best, index)]


def clean(text: str) -> str:
    """A complaint without handles, links, addresses and masks: what it is about."""
    return " ".join(_NOISE.sub(" ", text).split())


def words(text: str) -> Counter:
    """The content words of a complaint (lower case, no stop words), for labels."""
    from spacy.lang.en.stop_words import STOP_WORDS

    return Counter(w.replace("’", "'") for w in _WORD.findall(clean(text).lower())
                   if w not in STOP_WORDS and w.replace("’", "'") not in STOP_WORDS)


def label_words(topics: dict[str, Counter], count: int = 3) -> dict[str, list[str]]:
    """Each topic's most distinctive words: c-TF-IDF over the topics' word counts."""
    documents = len(topics) or 1
    df: Counter = Counter()
    for counter in topics.values():
        df.update(set(counter))
    out = {}
    for key, counter in topics.items():
        total = sum(counter.values()) or 1
        scored = sorted(counter, key=lambda w: (-(counter[w] / total) * math.log(1 + documents / df[w]), w))
        out[key] = [w for w in scored if counter[w] >= 1][:count]
    return out


def rising(periods: list[str], by_topic: dict[str, Counter], top: int = 5) -> list[dict[str, Any]]:
    """The topics rising fastest: complaints in the last period against the mean of the periods before."""
    if len(periods) < 2:
        return []
    last, before = periods[-1], periods[:-1]
    rows = []
    for key, counts in by_topic.items():
        now = counts.get(last, 0)
        baseline = sum(counts.get(p, 0) for p in before) / len(before)
        if now > baseline:
            rows.append({"topic": key, "period": last, "count": now, "baseline": round(baseline, 2),
                         "change": now - round(baseline, 2)})
    rows.sort(key=lambda r: (-r["change"], r["topic"]))
    return rows[:top]
