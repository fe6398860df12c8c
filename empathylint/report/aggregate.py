"""Partial aggregates of a report, which merge: associative and commutative, so that batches can be
summed in any order and grouping (the local engine's running total, Ray's tree of reducers) and give the
same report. Everything in a `Partial` is counts, integer sums, bounded exact lists that fall back to a
histogram, bounded exact tables that fall back to a sample, and bounded samples chosen by hash (the same
conversations whatever the order). So a partial's size is bounded whatever the export's size: by the caps
below, and by what the team is (its agents, macros and rules) and how long the export spans (its periods).

A bound that falls back does so the same way in any order and grouping: an exact part is kept while the
merged whole stays under its cap (the merged whole of the parts, not of one of them), and every sample is
the items with the smallest hashes, which is the same set however the parts were cut.

    total = Partial()
    for batch in batches:
        total = total.merge(analyse(batch))      # == analyse(all) however the batches were cut
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, ClassVar, Mapping

#: Above this many values a `Quantiles` keeps only its histogram (relative error below 1 %).
EXACT_CAP = 20_000
_GAMMA = 1.02
#: Conversations kept behind each clickable number (the rest are counted).
REF_CAP = 25
EXAMPLE_CAP = 3
#: A `Tally` counts at most this many distinct keys exactly; past them it estimates from its sample of
#: `TALLY_SAMPLE` occurrences.
TALLY_EXACT = 5_000
TALLY_SAMPLE = 2_000


def stable_hash(text: str) -> int:
    """A hash that is the same in every process (Python's own is salted per process)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


@dataclass
class Quantiles:
    """Seconds, for median and p90: the exact values while there are at most `EXACT_CAP`, and always a
    log histogram (buckets 2 % wide) that merges by adding counts."""

    count: int = 0
    exact: list[float] | None = field(default_factory=list)
    histogram: Counter = field(default_factory=Counter)

    def add(self, value: float) -> None:
        self.merge_in(Quantiles(1, [float(value)], Counter({_bucket(value): 1})))

    def merge_in(self, other: "Quantiles") -> None:
        self.count += other.count
        self.histogram.update(other.histogram)
        if self.exact is not None and other.exact is not None and self.count <= EXACT_CAP:
            self.exact = sorted(self.exact + other.exact)
        else:
            self.exact = None

    def quantile(self, q: float) -> float | None:
        """The nearest-rank quantile (the value at rank ⌈q·n⌉), exact or from the histogram."""
        if not self.count:
            return None
        rank = max(1, math.ceil(q * self.count))
        if self.exact is not None:
            return self.exact[rank - 1]
        seen = 0
        for key in sorted(self.histogram):
            seen += self.histogram[key]
            if seen >= rank:
                return 0.0 if key == 0 else round(_GAMMA ** (key - 0.5), 1)
        return None  # pragma: no cover

    def to_json(self) -> dict[str, Any]:
        return {"count": self.count, "exact": self.exact,
                "histogram": {str(k): v for k, v in sorted(self.histogram.items())}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Quantiles":
        return cls(data["count"], data["exact"], Counter({int(k): v for k, v in data["histogram"].items()}))


def _bucket(value: float) -> int:
    return 0 if value < 1 else math.ceil(math.log(value) / math.log(_GAMMA))


@dataclass
class Refs:
    """How many times something was counted, and the (at most `REF_CAP`) conversations behind it with the
    smallest hashes: the same sample whatever order the counts came in."""

    count: int = 0
    sample: dict[str, int] = field(default_factory=dict)  # conversation id → its hash

    def add(self, conversation: str, times: int = 1) -> None:
        self.count += times
        self.sample[conversation] = stable_hash(conversation)
        self._trim()

    def merge_in(self, other: "Refs") -> None:
        self.count += other.count
        self.sample.update(other.sample)
        self._trim()

    def _trim(self) -> None:
        if len(self.sample) > REF_CAP:
            self.sample = dict(sorted(self.sample.items(), key=lambda kv: (kv[1], kv[0]))[:REF_CAP])

    def conversations(self) -> list[str]:
        return [c for c, _ in sorted(self.sample.items(), key=lambda kv: (kv[1], kv[0]))]


@dataclass
class Examples:
    """Up to `EXAMPLE_CAP` quoted examples, those with the smallest hashes of their message records."""

    items: dict[str, str] = field(default_factory=dict)  # message record → quote
    cap = EXAMPLE_CAP

    def add(self, record: str, quote: str) -> None:
        self.items[record] = quote
        self._trim()

    def merge_in(self, other: "Examples") -> None:
        self.items.update(other.items)
        self._trim()

    def _trim(self) -> None:
        if len(self.items) > self.cap:
            keep = sorted(self.items, key=lambda r: (stable_hash(r), r))[:self.cap]
            self.items = {r: self.items[r] for r in keep}

    def ordered(self) -> list[tuple[str, str]]:
        return [(r, self.items[r]) for r in sorted(self.items, key=lambda r: (stable_hash(r), r))]


class Notices(Examples):
    """The notices of records that could not be read: up to 50, chosen by hash like examples."""

    cap = 50


@dataclass
class Tally:
    """Counts of keys (the words of a topic's complaints): exact while there are at most `TALLY_EXACT`
    distinct keys, and always a sample of the `TALLY_SAMPLE` occurrences (an occurrence is a key in one
    record, weighing how often it is there) with the smallest hashes. Past the cap a key's count is
    estimated from the sample: its weight there × the total weight / the sample's weight."""

    total: int = 0
    exact: Counter | None = field(default_factory=Counter)
    sample: dict[str, tuple[int, str, int]] = field(default_factory=dict)  # occurrence → (hash, key, weight)
    TAG: ClassVar[str] = "$t"

    def add(self, record: str, counts: Mapping[str, int]) -> None:
        """The keys of one record with how often each occurs there."""
        for key, weight in counts.items():
            self.total += weight
            occurrence = f"{record}\x1f{key}"
            self.sample[occurrence] = (stable_hash(occurrence), key, weight)
        if self.exact is not None:
            self.exact.update(counts)
            if len(self.exact) > TALLY_EXACT:
                self.exact = None
        self._trim(lazy=True)

    def merge_in(self, other: "Tally") -> None:
        self.total += other.total
        if self.exact is not None and other.exact is not None:
            self.exact.update(other.exact)
            if len(self.exact) > TALLY_EXACT:
                self.exact = None
        else:
            self.exact = None
        self.sample.update(other.sample)
        self._trim(lazy=True)

    def _trim(self, lazy: bool = False) -> None:
        # the smallest hashes of a union are those of the parts' smallest: trimming late changes nothing
        if len(self.sample) > (2 * TALLY_SAMPLE if lazy else TALLY_SAMPLE):
            keep = sorted(self.sample.items(), key=lambda kv: (kv[1][0], kv[0]))[:TALLY_SAMPLE]
            self.sample = dict(keep)

    def counts(self) -> Counter:
        """The exact counts, or (past the cap) the estimates."""
        if self.exact is not None:
            return Counter(self.exact)
        self._trim()
        weights: Counter = Counter()
        for _, key, weight in self.sample.values():
            weights[key] += weight
        scale = self.total / (sum(weights.values()) or 1)
        return Counter({key: max(1, round(w * scale)) for key, w in weights.items()})

    def to_json(self) -> dict[str, Any]:
        self._trim()
        return {"total": self.total, "exact": dict(sorted(self.exact.items())) if self.exact is not None else None,
                "sample": sorted([o, k, w] for o, (_, k, w) in self.sample.items())}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Tally":
        return cls(data["total"], Counter(data["exact"]) if data["exact"] is not None else None,
                   {o: (stable_hash(o), k, w) for o, k, w in data["sample"]})


#: Parts that merge themselves (``merge_in``) and write themselves (``TAG``, ``to_json``, ``from_json``).
MERGEABLE: dict[str, type] = {Tally.TAG: Tally}


def mergeable(cls: type) -> type:
    """Register a class of part that merges and writes itself (see `MERGEABLE`)."""
    MERGEABLE[cls.TAG] = cls
    return cls


def _merge_value(a: Any, b: Any) -> Any:
    """Merge two parts of a partial of the same shape: numbers add, counters add, the classes above merge,
    dicts merge key by key, sets unite."""
    if isinstance(a, (Quantiles, Refs, Examples)) or type(a) in MERGEABLE.values():
        out = type(a)()
        out.merge_in(a)
        out.merge_in(b)
        return out
    if isinstance(a, Counter):
        out = Counter(a)
        out.update(b)
        return out
    if isinstance(a, dict):
        out = {}
        for key in sorted(a.keys() | b.keys(), key=str):
            if key in a and key in b:
                out[key] = _merge_value(a[key], b[key])
            else:
                out[key] = _copy(a[key] if key in a else b[key])
        return out
    if isinstance(a, set):
        return a | b
    if isinstance(a, list):  # integer vector sums
        return [x + y for x, y in zip(a, b)]
    return a + b


def _copy(value: Any) -> Any:
    if isinstance(value, (Quantiles, Refs, Examples)) or type(value) in MERGEABLE.values():
        out = type(value)()
        out.merge_in(value)
        return out
    if isinstance(value, Counter):
        return Counter(value)
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, (set, list)):
        return type(value)(value)
    return value


def merge_parts(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Two partial aggregates' parts merged (a new object; neither is changed)."""
    return _merge_value(a, b)


def absorb(a: Any, b: Any) -> Any:
    """``b`` merged into ``a`` in place (what `merge_parts` gives, without copying ``a``): the running total
    of a long run grows by each batch's part, not by a copy of itself per batch."""
    if isinstance(a, (Quantiles, Refs, Examples)) or type(a) in MERGEABLE.values():
        a.merge_in(b)
        return a
    if isinstance(a, Counter):
        a.update(b)
        return a
    if isinstance(a, dict):
        for key, value in b.items():
            a[key] = absorb(a[key], value) if key in a else _copy(value)
        return a
    if isinstance(a, set):
        a |= b
        return a
    if isinstance(a, list):
        a[:] = [x + y for x, y in zip(a, b)]
        return a
    return a + b


def encode(value: Any) -> Any:
    """A part as canonical JSON data (keys sorted by `json.dumps(sort_keys=True)` later)."""
    if type(value) in MERGEABLE.values():
        return {value.TAG: value.to_json()}
    if isinstance(value, Quantiles):
        return {"$q": value.to_json()}
    if isinstance(value, Refs):
        return {"$r": [value.count, sorted(value.sample.items())]}
    if isinstance(value, Notices):
        return {"$n": sorted(value.items.items())}
    if isinstance(value, Examples):
        return {"$e": sorted(value.items.items())}
    if isinstance(value, Counter):
        return {"$c": {str(k): v for k, v in value.items()}}
    if isinstance(value, set):
        return {"$s": sorted(value)}
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


def decode(data: Any) -> Any:
    """The inverse of `encode`."""
    if isinstance(data, dict):
        if len(data) == 1 and next(iter(data)) in MERGEABLE:
            tag = next(iter(data))
            return MERGEABLE[tag].from_json(data[tag])
        if "$q" in data:
            return Quantiles.from_json(data["$q"])
        if "$r" in data:
            return Refs(data["$r"][0], {c: h for c, h in data["$r"][1]})
        if "$e" in data:
            return Examples({r: q for r, q in data["$e"]})
        if "$n" in data:
            return Notices({r: q for r, q in data["$n"]})
        if "$c" in data:
            return Counter(data["$c"])
        if "$s" in data:
            return set(data["$s"])
        return {k: decode(v) for k, v in data.items()}
    return data
