"""Named conditions a pattern can require (``when``) or forbid (``unless``).

spaCy's matchers say what a match looks like; some rules also depend on its surroundings: "just" is
condescending in an imperative ("just restart it") but not in "I just checked", "we can't" is negative only
when no alternative follows, "soon" is vague only when no date is given. Each condition is a small,
documented predicate over the matched `Span`, usable from any rule pack by name.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable, Iterable

from ..nlp.entities import sentence_entities

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

Condition = Callable[["Span"], bool]
CONDITIONS: dict[str, Condition] = {}

SUBJECT_DEPS = {"nsubj", "nsubjpass", "expl", "csubj"}
FIRST_PERSON = {"i", "we"}
REPAIR_VERBS = {
    "send", "resend", "ship", "reship", "refund", "replace", "fix", "credit", "issue", "reverse",
    "correct", "cancel", "arrange", "cover", "expedite", "waive", "restore", "reset", "update",
    "rebook", "reorder", "dispatch", "return", "reimburse", "compensate", "escalate", "process",
    "apply", "add", "remove", "resolve", "repair", "unlock", "reactivate", "upgrade", "order",
    "place", "reinstate", "book", "schedule", "reschedule", "transfer", "restock", "courier", "post",
}
#: What the agent has done or will do in place of what they can't: the repairs, and passing the case on.
DONE_INSTEAD = REPAIR_VERBS | {"share", "offer", "give", "forward", "pass", "attach", "include", "enclose",
                               "raise", "log", "flag", "contact", "call", "email", "refer"}
ALTERNATIVE_WORDS = {"instead", "alternatively", "however", "option", "options", "alternative", "but"}
TIME_UNITS = {"minute", "hour", "day", "week", "month", "business", "working", "pm", "am"}


def condition(name: str) -> Callable[[Condition], Condition]:
    """Register a condition under ``name`` (used by rule packs as ``when: [name]``)."""

    def register(func: Condition) -> Condition:
        CONDITIONS[name] = func
        return func

    return register


def _clause_verb(span: Span) -> Token:
    """The verb that governs the span: its root if that is a verb, else the nearest verb above it."""
    token = span.root
    # Compare indexes: spaCy returns a new `Token` object on every access, so the root's head `is not` it.
    while token.pos_ not in {"VERB", "AUX"} and token.head.i != token.i:
        token = token.head
    return token


def _next_sentence(span: Span) -> Span | None:
    sent = span.sent
    if sent.end >= len(span.doc):
        return None
    return span.doc[sent.end].sent


def _has_first_person_subject(verb: Token) -> bool:
    return any(c.dep_ in SUBJECT_DEPS and c.lower_ in FIRST_PERSON for c in verb.children)


def _is_negated(verb: Token) -> bool:
    """A ``neg`` on the verb or on one of its auxiliaries ("doesn't get lost": the parser hangs "n't" on "get")."""
    return any(c.dep_ == "neg" or (c.dep_ in {"aux", "auxpass"} and any(g.dep_ == "neg" for g in c.children))
               for c in verb.children)


def _agent_does(sentences: Iterable[Span | None], verbs: set[str]) -> bool:
    """Whether one of ``sentences`` has "I"/"we" as the subject of one of ``verbs``, not negated."""
    for sent in sentences:
        if sent is None:
            continue
        for token in sent:
            if (token.lemma_.lower() in verbs and token.pos_ == "VERB"
                    and _has_first_person_subject(token) and not _is_negated(token)):
                return True
    return False


@condition("imperative")
def imperative(span: Span) -> bool:
    """The match sits in a command: a base-form verb with no subject, in a sentence that is not a question."""
    verb = _clause_verb(span)
    if verb.tag_ != "VB" or verb.dep_ not in {"ROOT", "conj", "advcl", "ccomp"}:
        return False
    if any(c.dep_ in SUBJECT_DEPS or c.dep_ == "aux" for c in verb.children):
        return False
    return not span.sent.text.rstrip().endswith("?")


@condition("question")
def question(span: Span) -> bool:
    """The match is in a question."""
    return span.sent.text.rstrip().endswith("?")


@condition("sentence-start")
def sentence_start(span: Span) -> bool:
    """The match starts its sentence (after any opening punctuation)."""
    for token in span.sent:
        if not token.is_punct and not token.is_space:
            return token.i == span.start
    return False


@condition("first-person-subject")
def first_person_subject(span: Span) -> bool:
    """The governing verb has "I" or "we" as its subject."""
    return _has_first_person_subject(_clause_verb(span))


@condition("negated")
def negated(span: Span) -> bool:
    """The governing verb is negated ("don't", "never", "not")."""
    return _is_negated(_clause_verb(span))


@condition("conditional")
def conditional(span: Span) -> bool:
    """The match is inside an "if"/"in case"/"should you" clause, i.e. hypothetical, not an admission."""
    verb = _clause_verb(span)
    for token in [verb, *verb.ancestors]:
        if any(c.dep_ == "mark" and c.lower_ in {"if", "unless", "whether"} for c in token.children):
            return True
    start = span.sent.start
    return any(t.lower_ in {"if", "case", "should"} and t.i < span.start for t in span.doc[start:span.start])


@condition("relative-clause")
def relative_clause(span: Span) -> bool:
    """The governing verb describes a noun ("the two nights you didn't use"): not a statement about the
    customer."""
    return _clause_verb(span).dep_ == "relcl"


@condition("no-agent")
def no_agent(span: Span) -> bool:
    """The passive verb names no agent ("was lost" vs "was lost by the courier")."""
    verb = _clause_verb(span)
    return not any(c.dep_ == "agent" for c in verb.children)


@condition("owned-repair")
def owned_repair(span: Span) -> bool:
    """The same or the next sentence has the agent (I/we) doing a repair ("so I've sent a new one")."""
    return _agent_does((span.sent, _next_sentence(span)), REPAIR_VERBS)


@condition("alternative-nearby")
def alternative_nearby(span: Span) -> bool:
    """The same or the next sentence offers something the customer can do or the agent will do."""
    for sent in (span.sent, _next_sentence(span)):
        if sent is None:
            continue
        words = {t.lower_ for t in sent}
        if words & ALTERNATIVE_WORDS or "what i can do" in sent.text.lower():
            return True
        if _agent_does((sent,), DONE_INSTEAD):  # "…, so I've shared the ombudsman's details with you"
            return True
        for token in sent:
            inside = span.start <= token.i < span.end
            if token.pos_ == "VERB" and not inside and not _is_negated(token) \
                    and token.i != _clause_verb(span).i:
                subjects = {c.lower_ for c in token.children if c.dep_ in SUBJECT_DEPS}
                if subjects & {"i", "we", "you"} and any(
                        c.lower_ in {"can", "will", "'ll", "could"} for c in token.children):
                    return True
    return False


@condition("reassurance")
def reassurance(span: Span) -> bool:
    """The sentence reassures the customer ("you didn't do anything wrong", "it's not your fault")."""
    text = span.sent.text.lower()
    return any(p in text for p in ("anything wrong", "nothing wrong", "not your fault", "no fault of yours",
                                   "not to blame", "n't your fault", "not on you", "n't on you"))


FAULT_WORDS = {"lose", "damage", "delay", "misplace", "mishandle", "break", "miss", "forget", "misinform",
               "mislead", "mess", "drop", "screw", "fail"}
WRONG_WORDS = {"wrong", "incorrect", "bad", "inaccurate", "misleading", "up"}


@condition("third-party-fault")
def third_party_fault(span: Span) -> bool:
    """The verb is a fault ("lost", "delayed") or gives/tells/makes something wrong ("gave you the wrong
    information", "made a mistake")."""
    verb = _clause_verb(span)
    if _is_negated(verb):
        return False
    if verb.lemma_.lower() in FAULT_WORDS:
        return True
    words = {t.lower_ for t in verb.subtree}
    return bool(words & WRONG_WORDS) or bool(words & {"mistake", "error", "mess"})


@condition("no-fault-subject")
def no_fault_subject(span: Span) -> bool:
    """The passive's subject is something that gets lost on purpose, like a password or a key
    ("if your password was forgotten") — not a failure of service."""
    verb = _clause_verb(span)
    subjects = {c.lemma_.lower() for c in verb.children if c.dep_ == "nsubjpass"}
    return bool(subjects & {"password", "pin", "weight", "connection", "call"})


APOLOGY_WORDS = {"sorry", "apologize", "apologise", "apology", "apologies", "regret", "pardon"}


@condition("apology-context")
def apology_context(span: Span) -> bool:
    """The sentence apologises ("we apologize for …", "sorry for …")."""
    return any(t.lemma_.lower() in APOLOGY_WORDS or t.lower_ in APOLOGY_WORDS for t in span.sent)


#: Words that make a DATE entity vague ("the coming days", "a few weeks", "the near future").
VAGUE_TIME_WORDS = {"few", "several", "some", "coming", "soon", "near", "future", "shortly", "while", "course",
                    "possible", "later"}
#: Day words the entity recogniser sometimes misses in short sentences.
DAY_WORDS = {"today", "tonight", "tomorrow", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
             "sunday", "noon", "midday", "midnight", "eod"}


@condition("time-given")
def time_given(span: Span) -> bool:
    """The sentence names a concrete time outside the match: a DATE/TIME entity that is not vague ("by
    Friday", "at 5 pm", not "in the coming days"), a day word, or a number with a time unit ("within 2
    business days", "in 24 hours")."""
    sent = span.sent

    def outside(start: int, end: int) -> bool:
        return end <= span.start or start >= span.end

    doc = span.doc
    for start, end, label in sentence_entities(sent):
        if label in {"DATE", "TIME"} and outside(start, end) and not any(
                t.lower_ in VAGUE_TIME_WORDS for t in doc[start:end]):
            return True
    tokens = list(sent)
    for i, t in enumerate(tokens):
        if not outside(t.i, t.i + 1):
            continue
        if t.lower_ in DAY_WORDS:
            return True
        if t.like_num and any(u.lemma_.lower() in TIME_UNITS for u in tokens[i + 1:i + 3]):
            return True
    return False


@condition("commitment")
def commitment(span: Span) -> bool:
    """The sentence commits the agent to a future action: I/we + will/'ll/shall/going to/be + verb."""
    for token in span.sent:
        if token.pos_ in {"VERB", "AUX"} and _has_first_person_subject(token):
            if any(c.lower_ in {"will", "'ll", "shall", "going", "wo"} for c in token.children):
                return True
            if token.lower_ in {"will", "'ll"}:
                return True
    return False


#: A numbered or bulleted line: "3. Send us the receipt", "- Click Save", "a) Open Settings".
_LIST_MARKER = re.compile(r"\s*(?:\d{1,3}[.)]|[a-zA-Z][.)]|[-*•·–])\s")
SOFTENING_WORDS = {"please", "kindly", "thanks", "thank", "pls", "plz"}
SOFTENING_PHRASES = ("if you", "when you", "whenever you", "once you", "if possible", "feel free",
                     "at your convenience", "when convenient", "could you", "would you", "would be great",
                     "i'd appreciate", "i would appreciate", "we'd appreciate", "we would appreciate")


@condition("list-item")
def list_item(span: Span) -> bool:
    """The match is on a numbered or bulleted line: a step of instructions, where bare imperatives are the
    norm ("3. Enter the code"), not a command aimed at the customer."""
    text = span.doc.text
    line_start = text.rfind("\n", 0, span.start_char) + 1
    return bool(_LIST_MARKER.match(text, line_start))


@condition("softened")
def softened(span: Span) -> bool:
    """The sentence softens its request: please/kindly, thanks, "could/would you", or a condition that
    leaves the timing to the customer ("when you have a moment", "if possible")."""
    sent = span.sent
    if any(t.lower_ in SOFTENING_WORDS for t in sent):
        return True
    text = " ".join(sent.text.lower().split())
    return any(phrase in text for phrase in SOFTENING_PHRASES)


# The promise, timeline, handoff and pronoun conditions live in their own modules; importing them registers them.
from . import commitment_conditions, handoff_conditions  # noqa: E402,F401


#: Words that present a failure as a kind of case ("refunds cover cases such as damaged items") rather than
#: as something that happened to this customer.
HYPOTHETICAL_WORDS = {"such", "include", "includes", "including", "cover", "covers", "cases", "situation",
                      "situations", "scenario", "scenarios", "eligible", "event", "unforeseen", "potential",
                      "typically", "generally", "usually", "example"}
OWN_THINGS = {"password", "pin", "key", "code", "passcode", "username", "login", "credential", "card"}


@condition("hypothetical")
def hypothetical(span: Span) -> bool:
    """The sentence talks about kinds of cases or possibilities ("our policy covers damaged items", "in the
    event of delays"), not about something that happened."""
    return any(t.lower_ in HYPOTHETICAL_WORDS for t in span.sent)


@condition("customer-side")
def customer_side(span: Span) -> bool:
    """What went wrong is on the customer's side: "you" lost or missed it, or it is something customers
    lose themselves (a password, a PIN, a key) — not a failure the company has to apologise for."""
    verb = span.root
    if any(c.dep_ in SUBJECT_DEPS and c.lower_ == "you" for c in verb.children):
        return True
    if verb.dep_ == "amod" and verb.head.lemma_.lower() in OWN_THINGS:
        return True
    return any(c.lemma_.lower() in OWN_THINGS for c in verb.children if c.dep_ in {"dobj", "nsubjpass"})


#: Access rather than a possession: the account and the ways into it ("I lost my account", "I lost my 2-step
#: verification": an account problem), and the connection itself ("we lost signal": an outage). Losing one is
#: not lost data or purchases.
ACCESS = OWN_THINGS | {"account", "verification", "authenticator", "authentication", "2fa", "2sv", "otp", "phone",
                       "number", "mobile", "sim", "token", "service", "signal", "connection", "reception"}


@condition("lost-access")
def lost_access(span: Span) -> bool:
    """What was lost or removed is access, not a possession: the account or a way into it (a password, a code,
    2-step verification, an authenticator, the phone or number the codes go to) or the connection (service,
    signal), named as the verb's object or subject or a compound of it ("lost the Authenticator App")."""
    verb = span.root
    things = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass", "nsubj"}]
    things += [c for t in things for c in t.children if c.dep_ == "compound"]
    return any(t.lemma_.lower() in ACCESS for t in things)


CLARIFYING_WORDS = {"misunderstanding", "misunderstood", "clarify", "clarification", "details", "ensure",
                    "understand"}


@condition("clarifying")
def clarifying(span: Span) -> bool:
    """What follows the match in its sentence checks the request instead of refusing it ("sorry for the
    confusion, but I want to make sure I understand: …", "… but I need a few more details")."""
    return any(t.lower_ in CLARIFYING_WORDS for t in span.doc[span.end:span.sent.end])


#: Words that go on to say what the trouble was: "the inconvenience (you had) with / while / in …".
NAMING_WORDS = {"with", "while", "during", "regarding", "concerning", "about", "in", "when", "by", "of"}


@condition("names-the-problem")
def names_the_problem(span: Span) -> bool:
    """Within a few words after the match, the sentence goes on to say what went wrong ("the inconvenience
    you've had while tracking your refund", "the inconvenience caused by the delay")."""
    return any(t.lower_ in NAMING_WORDS for t in span.doc[span.end:min(span.end + 6, span.sent.end)])


REASON_PHRASES = ("so that", "so i can", "so we can", "and i'll", "and i will", "and we'll", "and we will",
                  "in order to", "to help", "which will help", "this will help", "this helps")


@condition("gives-reason")
def gives_reason(span: Span) -> bool:
    """The sentence says why it asks or what happens next ("…, and I'll check the status", "so that I can
    help"): a request with its purpose, not a bare demand."""
    text = " ".join(span.sent.text.lower().split())
    return any(phrase in text for phrase in REASON_PHRASES)
