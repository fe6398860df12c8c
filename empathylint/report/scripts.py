"""Repeated and scripted replies (CNV006): every agent reply counted under its template key (its words
without handles, numbers and links, see `batch.template_key`), with the topic of the complaint it answered.

`ScriptTable` is the part of a report's partial that holds them, bounded whatever the export's size: exact
per key (count, topics, examples, upset customers, conversations) while the merged whole has at most
`SCRIPT_EXACT_KEYS` template keys, and always a sample of the `SCRIPT_SAMPLE` replies with the smallest
hashes of their records. Past the cap a key's count is estimated from the sample (its replies there × all
replies / the sample's size), and its topics, examples and conversations are those of its sampled replies:
a script sent to one reply in `SCRIPT_SAMPLE / replies` or more is still found, rarer ones may not be.

`find_scripts` then groups the most used keys by meaning and marks the scripts, once every batch is merged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from .aggregate import Examples, Refs, _copy, _merge_value, decode, encode, mergeable, stable_hash
from .topics import clean

#: Template keys kept exactly (with their details); past them the report estimates from the sample.
SCRIPT_EXACT_KEYS = 20_000
#: Replies kept in the sample.
SCRIPT_SAMPLE = 5_000
SCRIPT_SIMILARITY = 0.9
SCRIPT_MIN_COUNT = 3
#: At most this many template keys (the most used first) are compared by meaning.
SCRIPT_KEYS = 2000


@mergeable
@dataclass
class ScriptTable:
    """The replies under each template key: exact while few keys, and a sample (see the module)."""

    replies: int = 0
    exact: dict[str, dict[str, Any]] | None = field(default_factory=dict)
    # record → (its hash, key, topic, quote, conversation, sent to an upset customer without engaging)
    sample: dict[str, tuple[int, str, str, str, str, bool]] = field(default_factory=dict)
    TAG: ClassVar[str] = "$k"

    def add(self, key: str, record: str, conversation: str, topic: str, quote: str, upset: bool) -> None:
        """One reply (``record``) under ``key``, answering a complaint about ``topic`` (or ``-``)."""
        self.replies += 1
        self.sample[record] = (stable_hash(record), key, topic, quote, conversation, upset)
        if self.exact is not None:
            _count(self.exact, key, record, topic, quote, conversation, upset)
            self._check_cap()
        self._trim(lazy=True)

    def merge_in(self, other: "ScriptTable") -> None:
        self.replies += other.replies
        if self.exact is not None and other.exact is not None:
            for key, node in other.exact.items():
                self.exact[key] = _merge_value(self.exact[key], node) if key in self.exact else _copy(node)
            self._check_cap()
        else:
            self.exact = None
        self.sample.update(other.sample)
        self._trim(lazy=True)

    def _check_cap(self) -> None:
        if self.exact is not None and len(self.exact) > SCRIPT_EXACT_KEYS:
            self.exact = None

    def _trim(self, lazy: bool = False) -> None:
        # the smallest hashes of a union are those of the parts' smallest: trimming late changes nothing
        if len(self.sample) > (2 * SCRIPT_SAMPLE if lazy else SCRIPT_SAMPLE):
            self.sample = dict(sorted(self.sample.items(), key=lambda kv: (kv[1][0], kv[0]))[:SCRIPT_SAMPLE])

    def nodes(self) -> tuple[dict[str, dict[str, Any]], bool]:
        """Each key's node (count, topics, examples, refs, upset), and whether they are estimates."""
        if self.exact is not None:
            return self.exact, False
        self._trim()
        nodes: dict[str, dict[str, Any]] = {}
        for record, (_, key, topic, quote, conversation, upset) in sorted(self.sample.items()):
            _count(nodes, key, record, topic, quote, conversation, upset)
        scale = self.replies / (len(self.sample) or 1)
        for node in nodes.values():
            node["count"] = round(node["count"] * scale)
            node["refs"].count = node["count"]
        return nodes, True

    def to_json(self) -> dict[str, Any]:
        self._trim()
        return {"replies": self.replies, "exact": encode(self.exact) if self.exact is not None else None,
                "sample": sorted([r, *rest] for r, (_, *rest) in self.sample.items())}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ScriptTable":
        return cls(data["replies"], decode(data["exact"]) if data["exact"] is not None else None,
                   {r: (stable_hash(r), k, t, q, c, bool(u)) for r, k, t, q, c, u in data["sample"]})


def _count(nodes: dict[str, dict[str, Any]], key: str, record: str, topic: str, quote: str, conversation: str,
           upset: bool) -> None:
    node = nodes.setdefault(key, {"count": 0, "topics": set(), "examples": Examples(), "refs": Refs()})
    node["count"] += 1
    node["topics"].add(topic)
    node["examples"].add(record, quote)
    node["refs"].add(conversation)
    if upset:
        node.setdefault("upset", Refs()).add(record)


def find_scripts(table: ScriptTable | None, encoder: Any) -> list[dict[str, Any]]:
    """The repeated replies, most used first, scripted ones first of all: the most used template keys (up
    to `SCRIPT_KEYS`) grouped by meaning with the encoder, so that replies worded apart but meaning the same
    ("Please DM us" / "Send us a DM") join one group. Each row's ``_refs`` is its conversations (`Refs`)."""
    nodes, estimated = table.nodes() if table is not None else ({}, False)
    keys = sorted(nodes.items(), key=lambda kv: (-kv[1]["count"], kv[0]))[:SCRIPT_KEYS]
    groups: list[list[tuple[str, dict]]] = []
    if encoder is not None and keys:
        texts = [clean(n["examples"].ordered()[0][1]) for _, n in keys]
        vectors = encoder.embed(texts)
        sims = vectors @ vectors.T  # a tensor (16 MB at 2,000 keys): as Python lists it took 370 MB
        centres: list[int] = []
        for i, item in enumerate(keys):
            match = None
            if centres:
                row = sims[i, centres]
                best = int(row.argmax())  # the first of equal maxima, as max() over the centres gave
                match = best if float(row[best]) >= SCRIPT_SIMILARITY else None
            if match is None:
                centres.append(i)
                groups.append([item])
            else:
                groups[match].append(item)
    else:
        groups = [[item] for item in keys]
    groups = [g for g in groups if sum(n["count"] for _, n in g) >= 2]
    out = []
    for group in groups:
        count = sum(n["count"] for _, n in group)
        topics = sorted(set().union(*(n["topics"] for _, n in group)) - {"-"})
        examples = [{"record": r, "quote": q} for _, n in group for r, q in n["examples"].ordered()][:3]
        upset = sorted({m for _, n in group for m in (n["upset"].conversations() if "upset" in n else [])})
        refs = Refs()
        for _, n in group:
            refs.merge_in(n["refs"])
        row = {"id": group[0][0], "count": count, "topics": topics, "examples": examples,
               "scripted": count >= SCRIPT_MIN_COUNT and len(topics) >= 2, "upset_messages": upset,
               "ref": f"script:{group[0][0]}", "_refs": refs}
        if estimated:
            row["estimated"] = True
        out.append(row)
    out.sort(key=lambda s: (-s["scripted"], -s["count"], s["id"]))
    return out

