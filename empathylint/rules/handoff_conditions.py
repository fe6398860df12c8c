"""Conditions about sending the customer elsewhere: the hand-off pack's ``sent-elsewhere`` check (HND005) and
its team referrals (HND002/HND004) use them.

"Please send us an email at …", "For technical help, please visit our Help site", "you'll need to contact
AT&T" send the customer away from the place they asked for help. Not every pointer is a hand-off: the
customer may have asked for the channel ("what's your email?"), it may be a fallback ("if that doesn't work,
call us"), the link may be the answer ("here's how to change your password: …"), or a private message to the
same team ("send us a DM and we'll check"). Each predicate reads the parse around the matched `Span` (and,
with ``--customer``, the customer's Doc, ``doc._.customer``); they are registered in the same `CONDITIONS`
table as the rest (``empathylint.rules.conditions``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from .commitment_conditions import customer_acts
from .conditions import SUBJECT_DEPS, _clause_verb, _is_negated, _next_sentence, condition

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# --- who is told to act -------------------------------------------------------------------------------------

#: "It's best to contact …", "you'll want to reach out to …", "let's get you in touch with …": advice in
#: words that `customer-acts` does not read as an order.
ADVICE_OPENERS = re.compile(r"\b(?:it'?s|it is|it would be|would be|is) (?:best|better|a good idea|easiest|quickest)"
                            r" to\b|\byou(?:'ll| will|'d| would)? (?:want|wish|need) to\b|\blet'?s get you\b")


def _is_mark(token: Token) -> bool:
    """An @handle or a link parsed as a word (before the masking step turns them into a stand-in)."""
    return token.text.startswith("@") or token.like_url


def _marked(token: Token) -> bool:
    """A mark, or a word the tokenizer split off one ("@_jo_" reads "@_jo" + "_")."""
    return _is_mark(token) or any(_is_mark(c) for c in token.children) or not any(ch.isalnum() for ch in token.text)


def _words(span: Span) -> str:
    """The span's text without @handles and links (a link's path says "articles" or "help" too)."""
    return " ".join(t.text for t in span if not _is_mark(t))


@condition("customer-told")
def customer_told(span: Span) -> bool:
    """The customer is the one who must go: `customer-acts` (an imperative, "you" as the subject, advice such
    as "I recommend contacting …"), or advice in other words ("it's best to get in touch with …", "you'll want
    to reach out to …"). Not when the verb's own subject is the agent ("I'll open a ticket for you", "would
    you like me to email them?"). A leading @handle parsed as the subject ("@jo visit our Help site") does not
    count as one."""
    verb = _clause_verb(span)
    # a subject after the verb is no subject of a command: the stand-in of a link ("open a ticket here: it")
    subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS and c.i < verb.i and not _marked(c)]
    if any(s.lower_ in {"i", "we", "me", "us"} for s in subjects):
        return False
    if customer_acts(span):
        return True
    if any(_marked(c) for c in verb.children if c.dep_ in SUBJECT_DEPS) and not subjects and verb.tag_ in {
            "VB", "VBP"} and not any(c.dep_ == "aux" for c in verb.children):
        return True  # "@jo Please visit …", "@jo Send us …": the handle is no subject
    if not subjects and verb.tag_ == "VB" and not any(c.dep_ == "aux" for c in verb.children):
        if any(c.lower_ in {"please", "pls", "plz", "kindly", "just", "simply"} for c in verb.children):
            return True  # "Please open a ticket here: it"
        first = next((t for t in span.sent if not (t.is_punct or t.is_space or _is_mark(t))), None)
        if first is not None and first.i == verb.i:
            return True  # a sentence that opens with the bare verb: "Check out our forums, someone will know."
    before = " ".join(span.doc[span.sent.start:span.end].text.lower().replace("\u2019", "'").split())
    return bool(ADVICE_OPENERS.search(before))


POLITE_REQUEST = re.compile(r"^\W*(?:can|could|would|will)\s+(?:you|u)\b(?!\s+like\b)(?:\s+(?:please|pls|kindly))?",
                            re.I)


@condition("plain-question")
def plain_question(span: Span) -> bool:
    """The match is in a question that asks rather than requests: "Have you already submitted a ticket?",
    "Would you like me to email them?" — but not a polite request ("Could you please submit a ticket here?")."""
    sent = span.sent
    if not sent.text.rstrip().endswith("?"):
        return False
    words = [t for t in sent if not _is_mark(t) and not t.is_space]
    opening = " ".join(t.text for t in words[:4])
    return not POLITE_REQUEST.match(opening)


@condition("opens-sentence")
def opens_sentence(span: Span) -> bool:
    """The match starts its sentence, after any punctuation, @handles or links ("@jo For help, visit …")."""
    for token in span.sent:
        if not (token.is_punct or token.is_space or _is_mark(token)):
            return token.i == span.start
    return False


# --- what the customer asked for ----------------------------------------------------------------------------

#: Verbs of getting in touch; in the customer's own question they ask for a way to reach someone.
CONTACT_VERBS = {"contact", "reach", "speak", "talk", "call", "phone", "ring", "email", "e-mail", "mail", "chat",
                 "message", "dm", "write", "report", "submit", "open", "file", "complain", "escalate", "notify",
                 "inform"}
#: Of those, the ones of telling the company something: only a question about where or how asks for a channel.
REPORT_VERBS = {"report", "submit", "open", "file", "complain", "escalate", "notify", "inform"}
#: People or teams the customer may ask for: "can I talk to a human?", "do you have a customer service dept?"
PEOPLE = {"agent", "human", "person", "representative", "rep", "operator", "manager", "supervisor", "department",
          "dept", "helpline", "hotline"}
#: Words that name a person or team only with a verb of reaching them: "can I get customer service?", but not
#: "why is your support so slow?" or "can someone help me?".
PEOPLE_WEAK = {"service", "support", "team", "staff", "someone", "somebody", "anyone", "anybody"}
REACH_HEADS = {"have", "get", "find", "reach", "contact", "speak", "talk", "call", "connect"}
#: Channels the customer may ask for: "what's your email?", "is there a number I can call?"
CHANNELS = {"number", "email", "e-mail", "mail", "address", "phone", "chat", "ticket", "form", "line", "channel",
            "website", "site"}
WH_WORDS = {"how", "where", "who", "what", "which", "whom"}
QUESTION_OPENERS = re.compile(r"^\W*(?:is|are|do|does|can|could|would|will|may|any|anyway|anywhere|how|where|who|"
                              r"what|which)\b", re.I)
WANT_WORDS = {"want", "need", "like", "wish", "try", "got", "have", "help", "wan", "wanna", "gotta", "know"}


def _customer(span: Span) -> Doc | None:
    doc = span.doc
    return doc._.customer if doc.has_extension("customer") else None


def _asks(sent: Span) -> bool:
    """The sentence asks something: a question mark, or a question's first word ("is there a number")."""
    return sent.text.rstrip().endswith("?") or bool(QUESTION_OPENERS.match(sent.text))


def _asks_for_channel(sent: Span) -> bool:
    asking = _asks(sent)
    words = {t.lower_ for t in sent}
    for token in sent:
        lemma = token.lemma_.lower()
        if lemma in CONTACT_VERBS and token.pos_ in {"VERB", "AUX"} or token.lower_ in {"contact", "reach"}:
            subjects = {c.lower_ for c in token.children if c.dep_ in SUBJECT_DEPS}
            mine = not subjects or subjects & {"i", "we", "me", "u"}
            if mine and lemma in REPORT_VERBS:
                # "where do I report a scam?" asks for the way; "help me report issues with my signup" asks
                # for help with the issue
                if (asking or "?" in sent.text) and words & {"how", "where", "who", "whom", "which"}:
                    return True
                continue
            # "how do I contact …?", "who can I speak to?", "I want to speak to a manager", "way to contact"
            if mine and (asking or any(a.lemma_.lower() in WANT_WORDS for a in token.ancestors)
                         or words & {"how", "where", "way"}):
                return True
        if token.pos_ not in {"NOUN", "PROPN"}:
            continue
        mine = any(c.lower_ == "my" for c in token.children)
        if lemma in PEOPLE and (asking or words & {"nowhere", "want", "need"}) and not mine:
            # "can I speak to a real person?", "do you have a customer service dept?"; not "my support ticket"
            return True
        head = token.head
        if lemma in PEOPLE_WEAK and asking and not mine and (head.lemma_.lower() in REACH_HEADS or (
                head.lemma_.lower() == "be" and any(c.dep_ == "expl" for c in head.children))):
            return True  # "can I get customer service?", "is there a support line?"; not "why is your support slow?"
        if lemma in CHANNELS and asking:
            head = token.head
            owner = {c.lower_ for c in token.children if c.dep_ == "poss"}
            # "what's your email?", "is there a number I can call?", "do you have a chat service?"
            if owner & {"your", "ur"} or head.lemma_.lower() in {"have", "be", "find", "give", "get", "use"} and (
                    not owner or owner & {"your", "ur"}) and words & (WH_WORDS | {"there", "have", "any"}):
                return True
    text = sent.text.lower()
    if "in touch" in text or "get a hold" in text or "get hold of" in text:  # "I have to get in touch with support"
        if asking or words & (WANT_WORDS | {"how", "where", "way"}):
            return True
    return "nowhere to" in text or "no way to contact" in text


@condition("customer-asked-channel")
def customer_asked_channel(span: Span) -> bool:
    """With ``--customer``: the customer asked how to reach someone or for a channel — "how do I contact
    customer service?", "what's your email?", "is there a number I can call?", "can I speak to a person?",
    "there is nowhere to open a ticket" — so pointing them there answers the question. Stricter than
    `customer-asked-contact`: "my phone number changed" or "my support ticket" asks for nothing."""
    customer = _customer(span)
    if customer is None:
        return False
    alpha = [t for t in customer if t.is_alpha]
    if len(alpha) <= 4 and not any(t.lower_ == "my" for t in alpha) and any(
            t.lemma_.lower() in CHANNELS | PEOPLE for t in alpha):
        return True  # the whole message is a bare "customer support e-mail" or "phone number?"
    return any(_asks_for_channel(sent) for sent in customer.sents)


# --- fallbacks ----------------------------------------------------------------------------------------------

#: An if-clause about what the customer wants ("if you'd like a refund, contact the seller") is the hand-off
#: itself, not a fallback; one about further needs or a failed step is ("if you need anything else").
GOAL_VERBS = {"want", "wish", "like", "prefer", "have"}
FURTHER_WORDS = {"help", "assistance", "support", "question", "questions", "anything", "further", "more", "other",
                 "else", "additional", "issue", "issues", "trouble", "problem", "problems", "still", "concern",
                 "concerns", "not", "n't", "never", "no"}
FALLBACK_OPENERS = re.compile(r"^\W*(?:otherwise|failing that|if not|if so|else|in case|in the event|should (?:you|it|"
                              r"that|this|the|those|these))\b", re.I)


def _condition_clause(span: Span) -> Token | None:
    """The verb of the "if"/"unless"/"in case" clause the match depends on, if any."""
    verb = _clause_verb(span)
    for token in [verb, *verb.ancestors]:
        for child in token.children:
            if child.dep_ == "advcl" and any(m.lower_ in {"if", "unless"} for m in child.children if m.dep_ == "mark"):
                if child.i < span.start or span.end <= child.i:
                    return child
        if any(c.dep_ == "mark" and c.lower_ in {"if", "unless"} for c in token.children):
            return token
    for token in span.doc[span.sent.start:span.start]:
        if token.lower_ in {"if", "unless"}:
            return token.head
    return None


def _short_question(sent: Span | None) -> bool:
    """"More questions?", "Still stuck?", "Not working?": a fragment that sets up a fallback."""
    if sent is None or not sent.text.rstrip().endswith("?"):
        return False
    words = [t for t in sent if t.is_alpha]
    return 0 < len(words) <= 4 and not any(t.lower_ in WH_WORDS for t in words)


@condition("fallback")
def fallback(span: Span) -> bool:
    """The hand-off is a fallback or an offer of more help, not the answer: inside an if/unless clause ("if
    it's still missing after 72 hours, contact us", "if you need anything else, email us"), after "otherwise"
    / "if not" / "should you …", or after a short question ("More questions? Reach out to …"). An if-clause
    about what the customer wants ("if you'd like a refund, contact the seller") is no fallback: that is
    the hand-off."""
    sent = span.sent
    if FALLBACK_OPENERS.match(_words(span.doc[sent.start:span.start])):
        return True
    clause = _condition_clause(span)
    if clause is not None:
        words = {t.lower_ for t in clause.subtree}
        if clause.lemma_.lower() in GOAL_VERBS and not words & FURTHER_WORDS:
            return False
        return True
    previous = span.doc[sent.start - 1].sent if sent.start > 0 else None
    if _short_question(previous):
        return True
    # "If you have further questions, our support team is here to help. You can reach us at …": the offer of
    # the sentence before (or the one before that) goes on here
    for _ in range(2):
        if previous is None:
            break
        if OFFER_OPENERS.match(_words(previous)) and {t.lower_ for t in previous} & FURTHER_WORDS:
            return True
        previous = span.doc[previous.start - 1].sent if previous.start > 0 else None
    return False


OFFER_OPENERS = re.compile(r"^\W*(?:if|should|in case|whenever|any)\b", re.I)


# --- the agent stays on it ----------------------------------------------------------------------------------

#: What the agent's side says it will do once the customer has gone there: "and we will assist", "so that we
#: can investigate", "someone on our team will reach out", "we'll go from there".
FOLLOW_VERBS = {"assist", "help", "investigate", "look", "review", "check", "reach", "contact", "respond", "reply",
                "follow", "get", "take", "go", "resolve", "support", "work", "sort", "fix", "handle"}
AGENT_SIDE = {"i", "we", "team", "someone", "somebody", "agent", "specialist", "expert", "experts", "colleague",
              "colleagues", "they", "representative", "staff"}
ABLE_AUX = {"will", "'ll", "can", "could", "may", "might", "would", "shall", "ll"}


def _subject_of(token: Token) -> list[Token]:
    """The subjects of a verb, or of the verb it is the complement of ("we'd be happy to look into it")."""
    while True:
        subjects = [c for c in token.children if c.dep_ in SUBJECT_DEPS]
        if subjects or token.dep_ not in {"xcomp", "acomp", "ccomp", "conj"} or token.head.i == token.i:
            return subjects
        token = token.head


def _neighbours(span: Span) -> Iterator[Span]:
    sent = span.sent
    if sent.start > 0:
        yield span.doc[sent.start - 1].sent
    yield sent
    following = _next_sentence(span)
    if following is not None:
        yield following


@condition("agent-follows-up")
def agent_follows_up(span: Span) -> bool:
    """The agent's side says it will take the case from there, in this or a neighbouring sentence: "… and we
    will assist", "so that we can investigate", "someone on our team will reach out", "we'd be happy to look
    into that". The customer still goes elsewhere (and waits in a new queue), so this softens a warning to a
    hint; it does not make the hand-off owned."""
    for sent in _neighbours(span):
        for token in sent:
            if token.lemma_.lower() not in FOLLOW_VERBS or token.pos_ != "VERB" or _is_negated(token):
                continue
            subjects = _subject_of(token)
            if not any(s.lower_ in AGENT_SIDE or s.lemma_.lower() in AGENT_SIDE for s in subjects):
                continue
            chain = [token, *(a for a in token.ancestors if a.dep_ in {"ROOT", "acomp", "xcomp", "ccomp", "conj"})]
            if any(c.lower_ in ABLE_AUX for t in chain for c in t.children if c.dep_ == "aux") or any(
                    c.lower_ == "so" for t in chain for c in t.children if c.dep_ in {"mark", "advmod"}) or any(
                    t.lemma_.lower() in {"happy", "glad"} for t in chain):
                return True
    return False


# --- the link is the answer ---------------------------------------------------------------------------------

SELF_SERVICE = re.compile(r"\bhow (?:to|you can|do you)\b|\bsteps?\b|\binstructions?\b|\bguides?\b|\btutorials?\b|"
                          r"\barticles?\b|\bwalk-?through\b|\blearn how\b|\btroubleshoot", re.I)


@condition("self-service")
def self_service(span: Span) -> bool:
    """The sentence points to the answer itself — steps, a guide, an article, "how to …" ("visit our Help
    Center for the steps to reset your password") — which is help, not a hand-off."""
    return bool(SELF_SERVICE.search(_words(span.sent)))


TEAM_WORDS = {"team", "department", "dept", "desk", "colleague", "colleagues", "specialist", "specialists", "agent",
              "agents", "representative", "rep", "support", "service", "helpdesk", "helpline", "hotline"}


@condition("points-at-them")
def points_at_them(span: Span) -> bool:
    """The one to contact is "them" — a team named before ("our support team is here; you can reach them by
    phone"): HND002/HND004's referral, not a second finding here."""
    verb = _clause_verb(span)
    for child in verb.children:
        if child.dep_ == "dobj" and child.lower_ in THEM:
            return True
        if child.dep_ == "prep" and child.lower_ in {"to", "with"} and any(
                g.dep_ == "pobj" and g.lower_ in THEM for g in child.children):
            return True
    return False


THEM = {"them", "him", "her", "they"}


#: People of the company's own, not another company, when they are "ours": "reach out to our developers".
OWN_PEOPLE = {"developer", "developers", "engineer", "engineers"}


@condition("our-own-people")
def our_own_people(span: Span) -> bool:
    """The one to contact is the company's own developers or engineers ("reach out to our developers"): a
    team, not another company (that is HND002/HND004's kind of referral). "Our partners at @AmazonHelp" are
    another company."""
    return any(t.lower_ in OWN_PEOPLE and any(c.lower_ == "our" for c in t.children) for t in span)


@condition("names-a-team")
def names_a_team(span: Span) -> bool:
    """The verb's object names one of the company's teams ("For billing questions, contact our billing team"):
    that is HND002/HND004's finding, not a second one here."""
    verb = _clause_verb(span)
    objects = [t for t in verb.subtree if t.dep_ in {"dobj", "pobj"} and t.i >= verb.i]
    return any(w.lemma_.lower() in TEAM_WORDS for t in objects for w in t.subtree)


# --- how much it matters ------------------------------------------------------------------------------------

#: The customer's words for something that went wrong for them.
PROBLEM_WORDS = {"error", "bug", "crash", "crashes", "crashed", "crashing", "freeze", "froze", "frozen", "freezing",
                 "fail", "failed", "fails", "failing", "failure", "broken", "broke", "issue", "issues", "problem",
                 "problems", "trouble", "wrong", "missing", "lost", "lose", "losing", "hacked", "hack", "locked",
                 "suspended", "banned", "terminated", "disabled", "stolen", "stuck", "disappeared", "gone", "delayed",
                 "late", "damaged", "glitch", "glitching", "outage", "scam", "fraud", "overcharged", "charged",
                 "refund", "unable", "never", "still", "lag", "lagging", "disconnected", "unavailable", "reset"}
#: Words of someone upset.
UPSET_WORDS = {"fuck", "fucking", "fucked", "shit", "damn", "wtf", "hell", "crap", "ridiculous", "terrible", "worst",
               "awful", "horrible", "unacceptable", "disappointed", "disappointing", "frustrated", "frustrating",
               "annoyed", "annoying", "angry", "furious", "pissed", "useless", "joke", "pathetic", "disgusted",
               "disgusting", "sick", "tired", "urgent", "asap", "seriously"}
UPSET_MARKS = re.compile(r"[!?]{2,}|[\U0001F620-\U0001F62D\U0001F92C\U0001F926\U0001F644\u2639]|:\(")
#: Capitals that are names, not shouting.
ACRONYMS = {"GTA", "PSN", "PS4", "PS5", "PC", "TV", "ECG", "COVID", "USA", "UK", "USPS", "UPS", "DHL", "FAQ", "ID",
            "PIN", "OTP", "SMS", "BSOD", "DNS", "SSL", "IOS", "HD", "UHD", "SBA", "ATM", "API", "URL", "CEO", "MDW",
            "DVR", "RAM", "GPU", "CPU", "OS", "AC", "CC", "DM", "PM", "NHS", "IRS", "RDR", "ABC", "NBA", "NFL", "WWE"}
#: Verbs whose negation is no problem: "I don't know how to …", "I don't want ads".
HARMLESS_NEGATED = {"know", "understand", "think", "want", "need", "mind", "like", "care", "hesitate"}
#: "I'm not sure …" is no problem.
HARMLESS_STATES = {"sure", "certain", "aware", "clear"}
#: In the reply: sympathy for a problem, which says the customer had one.
SYMPATHY = re.compile(r"\b(?:sorry|apolog\w*|frustrat\w*|inconvenience|oh no|not the experience|not what we like to "
                      r"hear|trouble you're|trouble you are|issue you're|issue you are)\b", re.I)


def _reports_problem(customer: Doc) -> bool:
    """The customer's message reports something going wrong or shows them upset: the customer's
    `situation.Situation` (``doc._.situation``: a problem, or an upset customer) when the pipeline sets one
    says so, or `_problem_words` do."""
    situation = customer._.situation if customer.has_extension("situation") else None
    if situation is not None and (getattr(situation, "kind", None) == "problem" or getattr(situation, "upset", False)):
        return True
    return _problem_words(customer)


def _problem_words(customer: Doc) -> bool:
    """A few words of its own for a problem or an upset customer: problem words ("error", "hacked", "never",
    "still"), a negated action ("I can't log in", "it won't load", "it is not on my account"), or signs of
    being upset (swearing, "worst", "!!", an angry emoji, words in capitals)."""
    if UPSET_MARKS.search(customer.text):
        return True
    shouting = 0
    for token in customer:
        lower = token.lower_
        if lower in PROBLEM_WORDS or lower in UPSET_WORDS or token.lemma_.lower() in {"crash", "fail", "hack"}:
            return True
        if token.is_alpha and len(token.text) >= 3 and token.is_upper and token.text not in ACRONYMS:
            shouting += 1
            if shouting >= 2:
                return True
        if token.dep_ == "neg" and token.head.lemma_.lower() not in HARMLESS_NEGATED and not any(
                c.lower_ in HARMLESS_STATES for c in token.head.children):
            return True
    return False


@condition("customer-reported-problem")
def customer_reported_problem(span: Span) -> bool:
    """The customer reported a problem or is upset (`_reports_problem` on ``doc._.customer``); without
    ``--customer``, the reply's own sympathy says so ("Sorry for the trouble!"). A neutral request ("how do I
    buy accounts in bulk?") is not a problem."""
    customer = _customer(span)
    if customer is not None:
        return _reports_problem(customer)
    return bool(SYMPATHY.search(span.doc.text))

