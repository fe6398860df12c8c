"""Conditions about what a reply commits to and who does the work: the promise, timeline, handoff and
pronoun packs use them.

"I guarantee" is an over-promise, "I can't guarantee" is honesty; "soon" is vague in "we'll reply soon"
but not in "please reply soon"; "contact the billing team" shuffles the customer unless the agent has
already passed the case on. Each predicate reads the parse around the matched `Span`; they are registered
in the same `CONDITIONS` table as the rest (``empathylint.rules.conditions``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from .conditions import (CONDITIONS, SUBJECT_DEPS, _agent_does, _clause_verb, _has_first_person_subject, _is_negated,
                         _next_sentence, condition)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

FUTURE_AUX = {"will", "'ll", "shall", "wo", "ll"}
#: Verbs that turn a promise into an attempt: "we'll try to make sure it never happens again".
HEDGE_VERBS = {"try", "hope", "aim", "strive", "endeavour", "endeavor", "wish", "intend", "attempt"}
HEDGE_PHRASES = ("do our best", "do my best", "do everything we can", "do everything i can", "can't promise",
                 "cannot promise", "can't guarantee", "cannot guarantee", "no guarantee")
#: "We will never share/sell your data" states a policy the company controls, not an outcome it hopes for.
POLICY_VERBS = {"share", "sell", "disclose", "rent", "trade", "spam", "leak", "ask", "request", "store", "require"}
POLICY_OBJECTS = {"data", "information", "detail", "password", "pin", "card", "email", "address", "number"}
#: Verbs whose "should" is a delivery estimate ("you should receive it shortly"), not advice.
ESTIMATE_VERBS = {"receive", "get", "hear", "arrive", "see", "reach", "be", "appear", "show", "come", "land"}
#: Someone on the agent's side the customer could be sent to.
TEAM_WORDS = {"team", "department", "dept", "desk", "colleague", "specialist", "agent", "representative",
              "rep", "support", "service", "billing", "sales", "helpdesk", "helpline", "hotline", "office"}
REDIRECT_WORDS = TEAM_WORDS | {"else", "elsewhere", "another", "other", "them", "they"}
CONTACT_VERBS = {"contact", "call", "email", "e-mail", "phone", "ring", "message", "reach", "write", "speak",
                 "talk", "ask", "try", "visit", "go", "get", "chat"}
#: What the agent does to own a hand-off: "I've passed this to billing", "I've asked them to call you".
HANDOFF_VERBS = {"pass", "transfer", "forward", "escalate", "connect", "ask", "share", "loop", "copy", "cc",
                 "send", "hand", "refer", "assign", "raise", "flag", "notify", "alert", "book", "arrange"}
#: Things an agent controls, so promising them is fine: "I promise I'll call you at 3 pm".
OWN_ACTIONS = {"call", "email", "e-mail", "write", "check", "update", "contact", "reply", "respond", "follow",
               "look", "keep", "let", "ring", "message", "text", "review", "read", "personally"}
#: Verbs after which the customer is the one to act: "I recommend reaching out to …".
ADVICE_VERBS = {"recommend", "suggest", "advise", "encourage", "need", "have", "want", "must", "urge"}


def _strict_ancestors(token: Token) -> Iterator[Token]:
    while token.head.i != token.i:
        token = token.head
        yield token


def _clause_chain(span: Span) -> Iterator[Token]:
    """The span's verb and the verbs it is a complement of ("I recommend [you] reaching out" → reaching,
    recommend), up to the first one that is not a complement, conjunct or adverbial clause."""
    token = _clause_verb(span)
    yield token
    while token.dep_ in {"xcomp", "conj", "ccomp", "advcl"} and token.head.i != token.i:
        token = token.head
        yield token


def _neighbour_sentences(span: Span) -> Iterator[Span]:
    """The span's sentence, the one before and the one after."""
    sent = span.sent
    yield sent
    if sent.start > 0:
        yield span.doc[sent.start - 1].sent
    following = _next_sentence(span)
    if following is not None:
        yield following


def _future(verb: Token) -> bool:
    """The verb is in the future ("will", "'ll", "shall", "going to")."""
    if any(c.lower_ in FUTURE_AUX for c in verb.children if c.dep_ in {"aux", "auxpass"}):
        return True
    head = verb.head
    return verb.dep_ == "xcomp" and head.lower_ == "going" and head.tag_ == "VBG"


@condition("hedged")
def hedged(span: Span) -> bool:
    """The statement is held inside a refusal to promise or an attempt: "I can't promise it won't happen
    again", "we'll try to make sure it never happens again"."""
    for token in _strict_ancestors(span.root):
        if _is_negated(token) or token.lemma_.lower() in HEDGE_VERBS:
            return True
    text = " ".join(span.sent.text.lower().replace("\u2019", "'").split())
    return any(phrase in text for phrase in HEDGE_PHRASES)


@condition("outcome-promise")
def outcome_promise(span: Span) -> bool:
    """The certainty is about an outcome (the parcel arrives, the bug is fixed), not about the agent's own
    action: the verb is passive, or its subject is not "I"/"we"."""
    verb = _clause_verb(span)
    if any(c.dep_ in {"nsubjpass", "auxpass"} for c in verb.children) or verb.tag_ == "VBN":
        return True
    return not _has_first_person_subject(verb)


@condition("policy-statement")
def policy_statement(span: Span) -> bool:
    """A rule the company keeps rather than an outcome it hopes for: "we will never share your data",
    "we will never ask for your password"."""
    verb = _clause_verb(span)
    if verb.lemma_.lower() in POLICY_VERBS:
        return True
    return any(t.lemma_.lower() in POLICY_OBJECTS for t in verb.subtree if t.dep_ in {"dobj", "pobj", "nsubjpass"})


@condition("future-commitment")
def future_commitment(span: Span) -> bool:
    """The match times something the agent's side will do or deliver: a future verb ("we'll reply soon",
    "it will be processed shortly", "someone is going to call you"), "should" as an estimate ("you should
    receive it shortly") or "expect" ("expect an email soon"). Requests to the customer ("please reply as
    soon as possible") are not commitments."""
    verb = _clause_verb(span)
    for token in [verb, *_strict_ancestors(verb)]:
        if token.pos_ not in {"VERB", "AUX"}:
            continue
        if _future(token) or token.lemma_.lower() == "expect":
            return True
        if (token.lemma_.lower() in ESTIMATE_VERBS
                and any(c.lower_ == "should" for c in token.children if c.dep_ == "aux")):
            return True
    return False


@condition("owned-handoff")
def owned_handoff(span: Span) -> bool:
    """The agent has passed the case on (or says they will) in this or a neighbouring sentence: "I've
    passed this to our billing team", "I've asked them to call you", "I'll transfer you"."""
    return _agent_does(_neighbour_sentences(span), HANDOFF_VERBS)


@condition("customer-acts")
def customer_acts(span: Span) -> bool:
    """The customer is the one told to act: an imperative ("please contact …"), "you" as the subject
    ("you'll need to call …"), or advice ("I recommend reaching out to …", "you need to email …")."""
    for token in _clause_chain(span):
        subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
        if any(s.lower_ in {"you", "u"} for s in subjects):
            return True
        if token.lemma_.lower() in ADVICE_VERBS:
            return True
        if not subjects and token.tag_ == "VB" and not any(c.dep_ == "aux" for c in token.children) and (
                token.dep_ in {"ROOT", "conj"} or any(c.lower_ == "please" for c in token.children)):
            return True
    return False


@condition("redirects")
def redirects(span: Span) -> bool:
    """This or the next sentence sends the customer somewhere else ("try the billing team", "contact
    someone else") with no one on the agent's side doing it."""
    for sent in (span.sent, _next_sentence(span)):
        if sent is None:
            continue
        for token in sent:
            if token.lemma_.lower() not in CONTACT_VERBS or token.pos_ != "VERB":
                continue
            if _has_first_person_subject(token):
                continue
            if any(t.lemma_.lower() in REDIRECT_WORDS for t in token.subtree if t.i != token.i):
                return True
    return False


@condition("own-action")
def own_action(span: Span) -> bool:
    """What is promised is the agent's own next step ("I promise I'll call you at 3 pm", "I promise to
    check"), which the agent controls, rather than an outcome."""
    verb = _clause_verb(span)
    for child in verb.children:
        if child.dep_ not in {"xcomp", "ccomp"} or child.lemma_.lower() not in OWN_ACTIONS:
            continue
        subjects = [c for c in child.children if c.dep_ in SUBJECT_DEPS]
        if not subjects or all(c.lower_ in {"i", "we"} for c in subjects):
            return True
    return False


#: After "as soon as", these keep the time vague; anything else is an event ("as soon as it ships").
VAGUE_AFTER_AS = {"possible", "feasible", "practicable", "practical", "humanly"}
EVENT_MARKERS = {"once", "when", "after", "until", "whenever", "before"}
#: Words that already say something about timing (vague or not); TML001 covers the vague ones.
TIMING_WORDS = {"soon", "shortly", "asap", "immediately", "promptly", "quickly", "today", "tomorrow", "tonight",
                "week", "day", "hour", "minute", "month", "due", "future", "while", "later", "now", "right",
                "straight", "earliest", "instantly"}


@condition("event-timed")
def event_timed(span: Span) -> bool:
    """The match is timed by an event rather than left vague ("as soon as it ships", "soon after the
    courier collects it"), or only asks about timing ("to see how soon you can expect it")."""
    doc = span.doc
    if span.start > 0 and doc[span.start - 1].lower_ == "how":
        return True
    following = doc[span.end] if span.end < len(doc) else None
    if following is None or following.lower_ not in {"as", "after"}:
        return False
    if following.lower_ == "after":  # "soon after the courier collects it", "Soon after, an agent joins"
        return True
    after = doc[following.i + 1] if following.i + 1 < len(doc) else None
    if after is None or after.is_punct:
        return False
    if after.lower_ in {"we", "i"}:  # "as soon as we can" is vague, "as soon as we hear back" is an event
        verb = doc[after.i + 1] if after.i + 1 < len(doc) else None
        return verb is not None and verb.lower_ not in {"can", "could", "are", "'re", "am", "'m"}
    return after.lower_ not in VAGUE_AFTER_AS


@condition("untimed")
def untimed(span: Span) -> bool:
    """The sentence says nothing about when: no time word (vague or concrete), no number and no event
    clause ("once it ships", "when the courier replies")."""
    for token in span.sent:
        if token.like_num or token.ent_type_ in {"DATE", "TIME"}:
            return False
        if token.lower_ in TIMING_WORDS or token.lemma_.lower() in TIMING_WORDS:
            return False
        if token.lower_ in EVENT_MARKERS and token.dep_ in {"advmod", "mark", "prep"}:
            return False
        if token.lower_ == "as" and token.i + 1 < len(span.doc) and span.doc[token.i + 1].lower_ == "soon":
            return False
    return True


#: Words that make a contact an option the customer may take, not an order: "you can reach them at …".
OPTION_WORDS = {"can", "could", "may", "might", "recommend", "suggest", "encourage", "welcome", "free", "option",
                "alternatively", "prefer"}
#: In the customer's message: they asked how to reach a person, so giving the way is the answer.
ASKED_CONTACT_WORDS = {"agent", "human", "operator", "representative", "person", "someone", "somebody", "number",
                       "phone", "contact", "call", "speak", "talk", "chat", "reach"}


@condition("offered-option")
def offered_option(span: Span) -> bool:
    """The contact is offered as an option ("you can reach our team at …", "I recommend contacting …",
    "feel free to call …", "see our website or contact …") rather than required ("you'll need to contact
    …", "please contact …")."""
    for token in _clause_chain(span):
        if token.lemma_.lower() in OPTION_WORDS or any(c.lower_ in OPTION_WORDS for c in token.children):
            return True
        if token.dep_ == "conj" and any(c.lower_ == "or" for c in token.head.children):
            return True
    return False


@condition("customer-asked-contact")
def customer_asked_contact(span: Span) -> bool:
    """The customer's message (with ``--customer``) asks how to reach someone ("can I speak to an agent?",
    "what's your phone number?"), so pointing them to a team answers the question."""
    doc = span.doc
    customer = doc._.customer if doc.has_extension("customer") else None
    if customer is None:
        return False
    return any(t.lemma_.lower() in ASKED_CONTACT_WORDS or t.lower_ in ASKED_CONTACT_WORDS for t in customer)


@condition("soft-referral")
def soft_referral(span: Span) -> bool:
    """A referral offered as an option (`offered-option`) or given as one step of numbered instructions
    (`list-item`): a weaker signal of shuffling than "you'll need to contact …"."""
    return offered_option(span) or CONDITIONS["list-item"](span)
