"""The per-batch function of `empathylint report`: a batch of conversations in, a `Partial` aggregate and
each conversation's details out. Pure and engine-free: the local engine (`engines.local`) and a Ray Data
``map_batches`` actor run this very code; `BatchAnalyzer.__init__` loads the linter and the encoder once.

For each conversation: every agent message is linted with `check`'s rules in its context (the `Linter`,
unchanged), the customer's situation is read per turn (a turn reporting that something went wrong is a
complaint), complaints join topics by meaning, and the conversation findings (`conversations.findings`) run.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Iterable

from ..conversations.findings import NOT_ENGAGED, Settings, find_in_conversation, turns
from ..conversations.model import Conversation, Message, Role
from ..conversations.sources import CONTEXT_SEPARATOR, agent_sources
from ..diagnostic import Severity
from ..situation import Situation
from .aggregate import Examples, Notices, Quantiles, Refs, Tally, absorb, decode, encode, merge_parts, stable_hash
from .redact import redact
from .scripts import ScriptTable
from .topics import words

if TYPE_CHECKING:
    from ..linter import Linter, LintResult

PERIODS = ("day", "week", "month")
FORMAT = 1
_TEMPLATE_NOISE = re.compile(r"@\w+|https?://\S+|\S+@\S+|\d+|\^\w+|[^\w\s]")


@dataclass(frozen=True)
class ReportSettings:
    """What a report counts: the period of its trends, the team's targets, and whether quotes are masked."""

    period: str = "week"
    targets: Settings = field(default_factory=Settings)
    redact: bool = True


def period_of(moment: datetime, period: str) -> str:
    """``2026-W10`` (ISO week), ``2026-03-02`` or ``2026-03``."""
    if period == "day":
        return f"{moment:%Y-%m-%d}"
    if period == "month":
        return f"{moment:%Y-%m}"
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


class Partial:
    """A report's partial aggregate (see `aggregate`): ``merge`` is associative and commutative."""

    def __init__(self, parts: dict[str, Any] | None = None) -> None:
        self.parts = parts if parts is not None else {}

    def merge(self, other: "Partial") -> "Partial":
        """A new partial: this one and ``other`` merged."""
        return Partial(merge_parts(self.parts, other.parts))

    def absorb(self, other: "Partial") -> "Partial":
        """``other`` merged into this one (in place; ``other`` is not changed); this one."""
        absorb(self.parts, other.parts)
        return self

    def to_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "parts": encode(self.parts)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Partial":
        return cls(decode(data["parts"]))

    def __eq__(self, other: object) -> bool:
        import json

        return isinstance(other, Partial) and json.dumps(self.to_json(), sort_keys=True) == json.dumps(
            other.to_json(), sort_keys=True)


@dataclass
class BatchResult:
    partial: Partial
    details: list[dict[str, Any]]


class _Builder:
    """Adds counts into a partial's parts (only ever adding, so every part merges)."""

    def __init__(self) -> None:
        self.parts: dict[str, Any] = {}

    def count(self, *path: str, by: int = 1) -> None:
        *head, last = path
        node = self._node(head)
        node[last] = node.get(last, 0) + by

    def counter(self, *path: str) -> Counter:
        *head, last = path
        return self._node(head).setdefault(last, Counter())

    def quantiles(self, *path: str) -> Quantiles:
        *head, last = path
        return self._node(head).setdefault(last, Quantiles())

    def ref(self, key: str, conversation: str, times: int = 1) -> None:
        self._node(["refs"]).setdefault(key, Refs()).add(conversation, times)

    def examples(self, *path: str) -> Examples:
        *head, last = path
        return self._node(head).setdefault(last, Examples())

    def node(self, *path: str) -> dict[str, Any]:
        return self._node(list(path))

    def _node(self, path: list[str]) -> dict[str, Any]:
        node = self.parts
        for key in path:
            node = node.setdefault(key, {})
        return node


class BatchAnalyzer:
    """``analyzer(conversations) -> BatchResult``. Loads the linter's pipeline and the encoder once."""

    def __init__(self, settings: ReportSettings, linter: "Linter", encoder: Any = None) -> None:
        from .topics import TopicAssigner

        self.settings = settings
        self.linter = linter
        self.assigner = TopicAssigner(encoder) if encoder is not None else None

    def warm(self) -> None:
        """Load the pipeline now (before an engine forks its workers)."""
        self.linter.parser  # noqa: B018

    def __call__(self, items: Iterable[Any]) -> BatchResult:
        from ..conversations.model import BadRecord

        self.forget_model_caches()
        b = _Builder()
        conversations: list[Conversation] = []
        for item in items:
            if isinstance(item, BadRecord):
                b.count("totals", "bad_records")
                path = item.file.path if item.file else "<input>"
                named = f"record {item.record}, " if item.record else ""
                b.node().setdefault("notices", Notices()).add(f"{path}:{item.record}:{item.notice}",
                                                             f"{path}: {named}{item.notice}")
            else:
                conversations.append(item)
        results = self._lint(conversations)
        situations = self._situations(conversations, results)
        complaints = [(c, turn) for c in conversations for turn in turns(c)
                      if (s := situations.get(turn[0].record)) is not None and s.kind == "problem"]
        topics = self._topics(complaints, situations)
        details = [self._conversation(b, c, results, situations, topics) for c in conversations]
        return BatchResult(Partial(b.parts), details)

    def forget_model_caches(self) -> None:
        """Keep the batch a pure function of its conversations. The tone model and the sentence encoder
        remember the scores of texts already seen, and a score computed in another batch's company differs
        from the same text's score computed in this one in its last bits (batches are packed): a threshold
        near it would then decide differently in a whole run and in a resumed one, or in another worker.
        So each batch starts with both memories empty (within a batch, repeated texts are still computed once)."""
        from ..classifier import embeddings

        for _, component in getattr(self.linter.__dict__.get("nlp"), "pipeline", ()):
            cache = getattr(getattr(component, "_classifier", None), "_cache", None)
            if cache is not None:
                cache.clear()
        for encoder in list(embeddings._ENCODERS.values()):
            encoder._cache.clear()

    # -- the linter, reused as it is -------------------------------------------------------------------
    def _lint(self, conversations: list[Conversation]) -> dict[str, "LintResult"]:
        sources = list(agent_sources(conversations))
        return {r.source.record: r for r in self.linter.lint_sources(sources) if r.source.record}

    def _situations(self, conversations: list[Conversation], results: dict[str, "LintResult"]
                    ) -> dict[str, Situation]:
        """The situation of each customer turn (by its first message's record): read by the linter as the
        context of the agent message that answers it, or, for a turn nobody answered, on its own."""
        found: dict[str, Situation] = {}
        pending: list[tuple[str, str]] = []
        for conversation in conversations:
            first: str | None = None
            texts: list[str] = []
            for message in conversation.messages:
                if message.role is Role.CUSTOMER and message.text.strip():
                    if first is None:
                        first, texts = message.record, []
                    texts.append(message.text.strip())
                elif message.role is Role.AGENT and first is not None:
                    result = results.get(message.record)
                    if result is not None and result.situation is not None:
                        found[first] = result.situation
                    else:
                        pending.append((first, CONTEXT_SEPARATOR.join(texts)))
                    first = None
            if first is not None:
                pending.append((first, CONTEXT_SEPARATOR.join(texts)))
        if pending:
            for (record, _), worked in zip(pending, self.linter.find([(".", text) for _, text in pending])):
                if isinstance(worked, dict) and worked.get("situation"):
                    found[record] = Situation.from_dict(worked["situation"])
        return found

    def _topics(self, complaints: list[tuple[Conversation, list[Message]]],
                situations: dict[str, Situation]) -> dict[str, str]:
        """The topic of each complaint turn (by its first message's record); without the encoder, the kind
        of problem the customer's situation names."""
        texts = [" ".join(m.text for m in turn) for _, turn in complaints]
        if self.assigner is None:
            return {turn[0].record: situations[turn[0].record].problem or "other" for _, turn in complaints}
        return {turn[0].record: topic for (_, turn), topic in zip(complaints, self.assigner.assign(texts))}

    # -- counting ------------------------------------------------------------------------------------------
    def _conversation(self, b: _Builder, conversation: Conversation, results: dict[str, "LintResult"],
                      situations: dict[str, Situation], topics: dict[str, str]) -> dict[str, Any]:
        settings = self.settings
        cid = conversation.id
        messages = conversation.messages
        start = messages[0].timestamp if messages else None
        period = period_of(start, settings.period) if start else "unknown"
        b.count("totals", "conversations")
        b.count("periods", period, "conversations")
        b.ref("conversations", cid)
        b.ref(f"period:{period}:conversations", cid)
        lint_codes: dict[str, list[tuple[str, str]]] = {}
        quote = redact if settings.redact else (lambda text: text)
        shown_messages = []
        for message in messages:
            b.count("totals", "messages")
            b.count("totals", f"{message.role.value}_messages")
            diagnostics = []
            result = results.get(message.record) if message.role is Role.AGENT else None
            if result is not None:
                lint_codes[message.record] = [(d.code, d.category) for d in result.diagnostics]
                diagnostics = [{"code": d.code, "name": d.name, "category": d.category,
                                "severity": str(d.severity), "message": quote(d.message), "text": quote(d.text)}
                               for d in result.diagnostics]
                self._count_agent_message(b, message, result, period)
            shown_messages.append({"id": message.message_id, "record": message.record, "role": message.role.value,
                                   "author": message.author, "time": message.timestamp.isoformat(),
                                   "macro": message.macro_id, "text": quote(message.text),
                                   "diagnostics": diagnostics})
        own = {r: s for r, s in situations.items() if r.startswith(f"{cid}/")}
        for turn in turns(conversation):
            situation = own.get(turn[0].record)
            if situation is None or situation.kind != "problem":
                continue
            when = period_of(turn[0].timestamp, settings.period)
            topic = topics.get(turn[0].record)
            b.count("totals", "complaints")
            b.count("periods", when, "complaints")
            b.ref("complaints", cid)
            b.ref(f"period:{when}:complaints", cid)
            b.counter("problems")[situation.problem or "other"] += 1
            if topic is not None:
                node = b.node("topics", topic)
                node["count"] = node.get("count", 0) + 1
                b.counter("topics", topic, "periods")[when] += 1
                b.node("topics", topic).setdefault("words", Tally()).add(turn[0].record, words(" ".join(
                    m.text for m in turn)))
                b.examples("topics", topic, "examples").add(turn[0].record, quote(_short(" ".join(
                    m.text for m in turn))))
                b.ref(f"topic:{topic}", cid)
        found = find_in_conversation(conversation, lint_codes, own, settings.targets)
        for wait in found.waits:
            when = period_of(wait.asked.timestamp, settings.period)
            for name in ("reply",) + (("first_response",) if wait.first else ()):
                b.quantiles(name).add(round(wait.seconds))
                b.quantiles("periods", when, name).add(round(wait.seconds))
        for promise in found.promises:
            when = period_of(promise.message.timestamp, settings.period)
            outcome = "kept" if promise.kept else "broken"
            for node in (b.node("promises"), b.node("periods", when, "promises")):
                node["made"] = node.get("made", 0) + 1
                node[outcome] = node.get(outcome, 0) + 1
            b.ref(f"promises:{outcome}", cid)
            b.ref(f"period:{when}:{outcome}", cid)
        for f in found.findings:
            b.counter("findings")[f.code] += 1
            b.counter("periods", period, "findings")[f.code] += 1
            b.ref(f"finding:{f.code}", cid)
        self._count_templates(b, conversation, results, own, topics)
        return {"id": cid, "period": period, "channel": conversation.channel, "company": conversation.company,
                "messages": shown_messages,
                "findings": [dict(f.to_dict(), message=quote(f.message)) for f in found.findings],
                "complaints": {r: {"problem": s.problem, "intensity": s.intensity, "topic": topics.get(r)}
                               for r, s in own.items() if s.kind == "problem"}}

    def _count_agent_message(self, b: _Builder, message: Message, result: "LintResult", period: str) -> None:
        cid = message.conversation_id
        agent = message.author or "(unnamed)"
        warnings = [d for d in result.diagnostics if d.severity >= Severity.WARNING]
        b.count("totals", "linted")
        b.count("periods", period, "agent_messages")
        b.count("agents", agent, "messages")
        if message.macro_id:
            b.count("macros", message.macro_id, "uses")
        for d in result.diagnostics:
            key = "warnings" if d.severity >= Severity.WARNING else "hints"
            b.counter(key, "rules")[d.code] += 1
            b.ref(f"rule:{d.code}", cid)
            if key == "hints":
                continue
            b.counter("warnings", "families")[d.category] += 1
            b.counter("periods", period, "families")[d.category] += 1
            b.count("periods", period, "warnings")
            b.ref("warnings", cid)
            b.ref(f"period:{period}:warnings", cid)
            b.count("agents", agent, "warnings")
            b.counter("agents", agent, "rules")[d.code] += 1
            b.ref(f"agent:{agent}", cid)
            if message.macro_id:
                b.count("macros", message.macro_id, "warnings")
                b.counter("macros", message.macro_id, "rules")[d.code] += 1
                b.ref(f"macro:{message.macro_id}", cid)
        if not warnings:
            b.count("totals", "clean_replies")

    def _count_templates(self, b: _Builder, conversation: Conversation, results: dict[str, "LintResult"],
                         situations: dict[str, Situation], topics: dict[str, str]) -> None:
        """Each agent reply under its template key (its words without handles, numbers and links), with the
        topic of the complaint it answered: replies sent to complaints about different things are scripts."""
        situation: Situation | None = None
        topic: str | None = None
        for message in conversation.messages:
            if message.role is Role.CUSTOMER and message.record in situations:
                situation = situations[message.record]
                topic = topics.get(message.record) or (situation.problem if situation.kind == "problem" else None)
            elif message.role is Role.AGENT and message.record in results:
                key = template_key(message.text)
                if key is None:
                    continue
                codes = {d.code for d in results[message.record].diagnostics}
                upset = situation is not None and situation.upset and bool(codes & NOT_ENGAGED)
                b.node().setdefault("scripts", ScriptTable()).add(key, message.record, conversation.id, topic or "-",
                                                                   _short(message.text, 240), upset)
                situation, topic = None, None


def template_key(text: str) -> str | None:
    """A reply's words without handles, links, numbers and punctuation (its first 30), hashed: replies that
    differ only in those share a key. None for a reply too short to be a template (under 6 words)."""
    tokens = _TEMPLATE_NOISE.sub(" ", text.lower()).split()
    if len(tokens) < 6:
        return None
    return f"{stable_hash(' '.join(tokens[:30])):016x}"


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
