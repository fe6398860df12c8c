"""Conversation findings (the ``CNV`` codes): what a whole conversation shows and no single reply can —
slow responses, broken time promises, the customer chasing, being shuffled, getting a template when upset,
a failure nobody owned, and a last message left unanswered.

Documented in ``rules/conversation/conversation.yml`` like every rule (``empathylint rules CNV003``).
`find_in_conversation` is pure: the conversation, what the linter said about each agent message and the
customer's situation per turn go in; findings (each naming the messages it points at) and the waits and
promises the report counts come out. Scripted replies across conversations (CNV006) are found by the
report's aggregates, which see every conversation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import yaml

from ..diagnostic import Severity
from ..resources import rules_dir
from ..rules.model import Example, Rule
from ..situation import Situation
from .model import Conversation, Message, Role
from .promises import find_promises
from .waits import BusinessHours, Wait, waits

FINDINGS_FILE = Path("conversation") / "conversation.yml"
CATEGORY = "conversation"
#: A second customer message this long after an unanswered one is chasing, not a thought split in two.
CHASE_GAP_S = 15 * 60
_CHASING = re.compile(r"\b(any (?:update|news|progress|word|response|reply)|still (?:waiting|no|nothing|not)"
                      r"|(?:is )?any(?:one|body) (?:there|home|reading)|hello\s*\?|\?{2,}|waiting for (?:a|your) "
                      r"(?:reply|response|answer)|no (?:one|body) (?:has )?(?:replied|answered|got back)"
                      r"|been waiting|(?:follow|following)(?:ing)? up)", re.I)
_REPEATING = re.compile(r"\b(as i (?:said|mentioned|explained|told you|wrote)|i (?:already|have already|'ve "
                        r"already) (?:said|told|explained|mentioned|sent|tried|did)|like i said|(?:for|this is) "
                        r"the (?:second|third|fourth|\d+(?:nd|rd|th)) time|again(?: and again)?[,.!?]? (?:i|the)"
                        r"|i(?:'ve| have) (?:asked|told you) (?:this )?(?:before|already|twice))", re.I)
_OWNING = re.compile(r"\b(sorry|apologi[sz]e|apologies|apology|my (?:mistake|fault|bad)|our (?:mistake|fault|error)"
                     r"|we (?:messed up|got (?:it|this) wrong|made (?:a|an) (?:mistake|error)|dropped the ball)"
                     r"|i take (?:full )?responsibility|that'?s on (?:us|me)|we own)\b", re.I)
_CLOSING = re.compile(r"^\W*(?:(?:ok(?:ay)?|great|perfect|cool|awesome|cheers|brilliant|got it|nice|done|"
                      r"thanks?(?: you)?(?: so much| a lot| very much)?|thx|ty|many thanks|appreciate (?:it|that)|"
                      r"bye|have a (?:good|nice|great) (?:day|one|evening|weekend)|will do|sounds good|no problem|"
                      r"all good|that worked|it works(?: now)?|solved|sorted|resolved)\W*)+$", re.I)
_HANDOFF_FAMILIES = {"handoff"}
#: The linter's codes that say a reply did not take up the customer's problem (no acknowledgement, a
#: template answer, no apology owed, a curt reply).
NOT_ENGAGED = frozenset({"ACK001", "ACK003", "APO005", "APO006"})


@dataclass(frozen=True)
class ConversationFinding:
    """A finding about a conversation: its rule's code and name, severity, message, the records of the
    messages it points at (``<conversation>/<message>``), and figures behind it (seconds, deadline …)."""

    code: str
    name: str
    severity: str
    message: str
    conversation: str
    messages: tuple[str, ...]
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "severity": self.severity, "message": self.message,
                "conversation": self.conversation, "messages": list(self.messages), "details": self.details}


@dataclass(frozen=True)
class Settings:
    """The team's targets: first-response and reply targets in seconds, optional business hours."""

    first_response_s: float = 3600.0
    reply_s: float = 4 * 3600.0
    hours: BusinessHours | None = None


@dataclass(frozen=True)
class PromiseOutcome:
    """A time promise, the agent message that made it, and what became of it."""

    message: Message
    text: str
    deadline: datetime
    kept: bool
    followed_by: Message | None


@dataclass
class ConversationResult:
    """What `find_in_conversation` found, and the waits and promises behind the report's figures."""

    findings: list[ConversationFinding]
    waits: list[Wait]
    promises: list[PromiseOutcome]


@lru_cache(maxsize=1)
def conversation_rules() -> tuple[Rule, ...]:
    """The ``CNV`` findings' documentation as `Rule`s (category ``conversation``), for ``empathylint rules``."""
    path = rules_dir() / FINDINGS_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    rules = []
    for number, entry in enumerate(data["rules"]):
        examples = tuple(Example(text, flags) for flags, key in ((True, "flag"), (False, "pass"))
                         for text in entry.get("examples", {}).get(key, ()))
        rules.append(Rule(code=entry["code"], name=entry["name"], category=CATEGORY,
                          severity=Severity.parse(entry["severity"]), message=entry["message"],
                          reason=" ".join(entry["reason"].split()), suggestions=tuple(entry["suggestions"]),
                          examples=examples, pack=data["family"], path=str(path), line=number,
                          check=f"conversation:{entry['name']}", description=" ".join(entry["description"].split())))
    return tuple(rules)


def rule(code: str) -> Rule:
    return next(r for r in conversation_rules() if r.code == code)


def finding(code: str, conversation: str, messages: Iterable[Message], details: dict[str, Any] | None = None,
            **words: str) -> ConversationFinding:
    r = rule(code)
    message = r.message
    for key, value in words.items():
        message = message.replace("{" + key + "}", value)
    return ConversationFinding(r.code, r.name, str(r.severity), message, conversation,
                               tuple(m.record for m in messages), details or {})


def find_in_conversation(conversation: Conversation, lint_codes: dict[str, list[tuple[str, str]]],
                         situations: dict[str, Situation], settings: Settings = Settings()) -> ConversationResult:
    """The findings of one conversation. ``lint_codes``: per agent message record, ``(code, category)`` of
    what the linter found in it; ``situations``: per customer message record that opens a turn, the
    customer's situation in that turn."""
    found: list[ConversationFinding] = []
    conv = conversation.id
    all_waits = waits(conversation, settings.hours)
    for wait in all_waits:
        target = settings.first_response_s if wait.first else settings.reply_s
        if wait.seconds > target:
            found.append(finding("CNV001" if wait.first else "CNV002", conv, (wait.asked, wait.answer),
                                 {"wait_s": round(wait.seconds), "target_s": round(target)},
                                 wait=human_duration(wait.seconds), target=human_duration(target)))
    promises = promise_outcomes(conversation)
    for p in promises:
        if not p.kept:
            outcome = ("no agent message followed" if p.followed_by is None else
                       f"the next agent message came {human_duration((p.followed_by.timestamp - p.deadline).total_seconds())} late")
            found.append(finding("CNV003", conv, [p.message] + ([p.followed_by] if p.followed_by else []),
                                 {"promise": p.text, "deadline": p.deadline.isoformat(),
                                  "next_agent_message": p.followed_by.record if p.followed_by else None},
                                 promise=p.text, deadline=f"{p.deadline:%a %Y-%m-%d %H:%M}", outcome=outcome))
    found += _chasing(conversation)
    found += _shuffling(conversation, lint_codes)
    found += _templates_to_upset(conversation, lint_codes, situations)
    found += _never_owned(conversation, situations)
    found += _unanswered(conversation)
    return ConversationResult(found, all_waits, promises)


def promise_outcomes(conversation: Conversation) -> list[PromiseOutcome]:
    """Every time promise of the conversation's agent messages: kept when the next agent message came by
    its deadline, broken when it came later or never."""
    agents = [m for m in conversation.messages if m.role is Role.AGENT]
    out = []
    for index, message in enumerate(agents):
        following = agents[index + 1] if index + 1 < len(agents) else None
        for promise in find_promises(message.text, message.timestamp):
            kept = following is not None and following.timestamp <= promise.deadline
            out.append(PromiseOutcome(message, promise.text, promise.deadline, kept, following))
    return out


def turns(conversation: Conversation) -> list[list[Message]]:
    """The customer's turns: runs of customer messages between agent messages (bots and notes ignored)."""
    out: list[list[Message]] = []
    current: list[Message] = []
    for message in conversation.messages:
        if message.role is Role.CUSTOMER and message.text.strip():
            current.append(message)
        elif message.role is Role.AGENT and current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def _chasing(conversation: Conversation) -> list[ConversationFinding]:
    out = []
    unanswered: Message | None = None
    for message in conversation.messages:
        if message.role is Role.AGENT:
            unanswered = None
        elif message.role is Role.CUSTOMER:
            how, quote = None, None
            if (m := _CHASING.search(message.text)) is not None:
                how, quote = "chased", m.group()
            elif (m := _REPEATING.search(message.text)) is not None:
                how, quote = "had to repeat themselves", m.group()
            elif unanswered is not None and (message.timestamp - unanswered.timestamp).total_seconds() >= CHASE_GAP_S:
                how, quote = "wrote again before any answer", _short(message.text)
            if how is not None and (unanswered is not None or how != "wrote again before any answer"):
                pointed = [unanswered, message] if unanswered is not None else [message]
                out.append(finding("CNV004", conversation.id, pointed, {"kind": how}, how=how, quote=quote))
            if unanswered is None:
                unanswered = message
    return out


def _shuffling(conversation: Conversation, lint_codes: dict[str, list[tuple[str, str]]]) -> list[ConversationFinding]:
    events: list[Message] = []
    kinds = {"sent elsewhere": 0, "new agent": 0}
    last_author: str | None = None
    for message in conversation.messages:
        if message.role is not Role.AGENT:
            continue
        if any(category in _HANDOFF_FAMILIES for _, category in lint_codes.get(message.record, ())):
            events.append(message)
            kinds["sent elsewhere"] += 1
        elif last_author is not None and message.author and message.author != last_author:
            events.append(message)
            kinds["new agent"] += 1
        last_author = message.author or last_author
    if len(events) < 2:
        return []
    how = ", ".join(f"{k}: {v}" for k, v in kinds.items() if v)
    return [finding("CNV005", conversation.id, events, dict(kinds), count=str(len(events)), how=how)]


def _templates_to_upset(conversation: Conversation, lint_codes: dict[str, list[tuple[str, str]]],
                        situations: dict[str, Situation]) -> list[ConversationFinding]:
    out = []
    situation: Situation | None = None
    opener: Message | None = None
    for message in conversation.messages:
        if message.role is Role.CUSTOMER and message.record in situations:
            situation, opener = situations[message.record], message
        elif message.role is Role.AGENT:
            codes = {code for code, _ in lint_codes.get(message.record, ())}
            if (situation is not None and situation.upset and message.macro_id
                    and codes & NOT_ENGAGED):
                out.append(finding("CNV007", conversation.id, [opener, message],  # type: ignore[list-item]
                                   {"macro": message.macro_id, "intensity": situation.intensity},
                                   template=f"macro {message.macro_id}", intensity=situation.intensity))
            situation = None
    return out


def _never_owned(conversation: Conversation, situations: dict[str, Situation]) -> list[ConversationFinding]:
    complaints = [(r, s) for r, s in situations.items() if s.kind == "problem"]
    if not complaints:
        return []
    agents = [m for m in conversation.messages if m.role is Role.AGENT]
    if any(_OWNING.search(m.text) for m in agents):
        return []
    record, situation = complaints[0]
    first = next(m for m in conversation.messages if m.record == record)
    label = situation.label or "a problem"
    if situation.quote:
        label += f' ("{situation.quote}")'
    return [finding("CNV008", conversation.id, [first, *agents], {"problem": situation.problem}, problem=label)]


def _unanswered(conversation: Conversation) -> list[ConversationFinding]:
    spoken = [m for m in conversation.messages if m.role in (Role.CUSTOMER, Role.AGENT) and m.text.strip()]
    if not spoken or spoken[-1].role is not Role.CUSTOMER or not any(m.role is Role.AGENT for m in spoken):
        return []
    last = spoken[-1]
    if _CLOSING.match(_strip_handles(last.text)):
        return []
    return [finding("CNV009", conversation.id, [last], quote=_short(last.text))]


def _strip_handles(text: str) -> str:
    return re.sub(r"@\w+|https?://\S+|[^\w\s!?.,']", " ", text).strip()


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def human_duration(seconds: float) -> str:
    """``5400`` → ``"1h 30m"``; ``90000`` → ``"1d 1h"``."""
    seconds = int(round(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days}d {hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h {minutes}m" if minutes else f"{hours}h"
    return f"{minutes}m" if minutes else f"{seconds}s"
