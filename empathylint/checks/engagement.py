"""Whether a reply engages with what the customer wrote: the evidence the acknowledgement check weighs.

Evidence, strongest first:

* **meaning** (with the model): the sentence embedding (all-MiniLM-L6-v2, `classifier.embeddings`) of the
  customer's message against each of the reply's sentences, and against the words of the addresses it links
  to ("…/servicestatus", "…/Wireless-WiFi-Connection-Issues" answer "are the servers down?"): a paraphrase
  counts ("Speeds are terrible in the evening" / "I'm sorry the evenings have been so slow");
* **words**: the reply names one of the customer's specific words (`IssueWords`): compared by lemma, through
  the rule's synonyms, allowing for typos;
* **acknowledging**: a phrase that shows the message was read ("I understand", "thanks for the details",
  "sorry about that"), a take-up of it ("we'd be happy to look into that"), or a clarifying question.

The customer's specific words are the nouns, names, verbs and ids of their message, never the company's own
name or handle (the handles they addressed), greetings, profanity, bare numbers out of context or filler
(the rule's ``generic`` list); a name the tokenizer split ("Grand Theft Auto") stays one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

#: Lemmas compared by their first letters, so that derived forms meet ("cancel" / "cancellation").
STEM_LENGTH = 6
#: Customers misspell ("addrtess", "cat with a person"); a reply word this similar still names the thing.
TYPO_SIMILARITY = 0.8
SECOND_PERSON = {"you", "your", "yours", "u", "ur"}
#: A number names the issue only as an id: four or more characters ("4412", "WS-37368-7"), not "10" or "400".
ID_LENGTH = 4
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_LINK_WORDS = re.compile(r"[A-Za-z]{3,}")
#: Link parts that say nothing about the page ("https", "www", "com", "html", "hc", "en-us", "articles").
_LINK_NOISE = {"http", "https", "www", "com", "org", "net", "html", "htm", "php", "aspx", "web", "archive",
               "help", "support", "answer", "answers", "articles", "article", "categories", "category", "hl",
               "ref", "topic", "visit", "id", "lang", "locale", "en", "us", "gb", "uk", "kb", "faq", "requests",
               "new", "step", "view", "jsp", "cgi", "index", "page", "pages", "community", "help-center"}


@dataclass
class Engagement:
    """What a reply does with the customer's message."""

    specifics: dict[str, str] = field(default_factory=dict)  # comparison key -> the customer's words
    named: list[str] = field(default_factory=list)  # the customer's words the reply names
    acknowledged: bool = False  # an acknowledging phrase or a take-up
    asked: bool = False  # a clarifying question
    similarity: float | None = None  # best cosine similarity, with the model
    threshold: float | None = None

    @property
    def by_meaning(self) -> bool:
        return self.similarity is not None and self.threshold is not None and self.similarity >= self.threshold

    @property
    def engaged(self) -> bool:
        return bool(self.named) or self.acknowledged or self.asked or self.by_meaning


class IssueWords:
    """The specific words of a customer's message, with the rule's synonyms and generic words."""

    def __init__(self, generic: set[str], synonyms: list[list[str]]) -> None:
        self.generic = {word_key(w) for w in generic} | generic
        self.synonyms: dict[str, str] = {}
        for group in synonyms:
            keys = [word_key(str(word)) for word in group]
            self.synonyms.update({key: keys[0] for key in keys})

    def specifics(self, customer: Doc, extra: list[Token]) -> dict[str, str]:
        """``{comparison key: the words as the customer wrote them}``, most telling first: names (a run of
        proper nouns kept whole), ids, then nouns of noun chunks, then verbs."""
        excluded = self.generic | _handle_words(customer)
        names = _proper_runs(customer)
        tokens: list[Token | Span] = [*names, *extra]
        tokens += [t for chunk in customer.noun_chunks for t in chunk if t.pos_ in {"NOUN", "PROPN"}]
        tokens += [t for t in customer if t.pos_ == "VERB"]
        out: dict[str, str] = {}
        from spacy.tokens import Token

        for item in tokens:
            words = [item] if isinstance(item, Token) else list(item)
            keys = [key for t in words if (key := self._usable(t, excluded))]
            if keys and item.text not in out.values():
                for key in keys:
                    out.setdefault(key, item.text)
        return out

    def _usable(self, token: Token, excluded: set[str]) -> str | None:
        key = token_key(token)
        if len(key) <= 1 or token.is_stop or key in excluded or token.lemma_.lower() in excluded:
            return None
        if key.isdigit() and len(key) < ID_LENGTH:  # "10", "400": a number out of context is no issue word
            return None
        if token.is_punct or token.like_url or token.text.startswith("@"):
            return None
        return key

    def named(self, specifics: dict[str, str], doc: Doc) -> list[str]:
        """The customer's words the reply names: the same word, a synonym, or a near spelling of it."""
        said = {token_key(t) for t in doc if t.is_alpha or t.like_num}
        canon = {self.synonyms.get(k, k) for k in said}
        out = []
        for key, text in specifics.items():
            if key in said or self.synonyms.get(key, key) in canon or _near(key, said):
                out.append(text)
        return list(dict.fromkeys(out))


def _near(key: str, said: set[str]) -> bool:
    return len(key) > 2 and not key.isdigit() and any(
        abs(len(word) - len(key)) <= 2 and SequenceMatcher(None, key, word).ratio() >= TYPO_SIMILARITY
        for word in said)


def _proper_runs(doc: Doc) -> list[Span]:
    """Runs of proper nouns, as spans: "Grand Theft Auto" is one name, not three words."""
    runs, start = [], None
    for token in doc:
        if token.pos_ == "PROPN" and token.is_alpha:
            start = token.i if start is None else start
        else:
            if start is not None:
                runs.append(doc[start:token.i])
            start = None
    if start is not None:
        runs.append(doc[start:])
    return runs


def _handle_words(doc: Doc) -> set[str]:
    """The parts of the handles the customer addressed ("@RockstarSupport" -> rockstar, support): the
    company's own name is never an issue word."""
    out: set[str] = set()
    for text in _marks(doc, "handle"):
        name = text.strip().lstrip("@")
        out.add(word_key(name))
        out.update(word_key(part) for part in _CAMEL.findall(name.replace("_", " ")))
    return out


def _marks(doc: Doc, kind: str) -> list[str]:
    """The text of the doc's channel marks of one kind (`nlp.channel`, set by the linter)."""
    marks = doc._.channel_marks if doc.has_extension("channel_marks") else ()
    return [text for mark_kind, text in marks if mark_kind == kind]


def link_words(doc: Doc) -> str:
    """The words of the addresses a reply links to ("…/Why-isn-t-Shuffle-shuffling-properly" -> "Why isn
    Shuffle shuffling properly"), for comparing by meaning."""
    words: list[str] = []
    for text in _marks(doc, "url"):
        path = re.sub(r"^\w+://(web\.archive\.org/web/\d+/)?(https?://)?", "", text.strip())
        words += [w for w in _LINK_WORDS.findall(path.split("?", 1)[0]) if w.lower() not in _LINK_NOISE]
    return " ".join(dict.fromkeys(words))


def asks(doc: Doc, closing_sentences: set[int]) -> bool:
    """Whether the reply asks the customer something other than "anything else I can help with?"."""
    return any(s.text.rstrip().endswith("?") and s.start not in closing_sentences
               and any(t.lower_ in SECOND_PERSON for t in s) for s in doc.sents)


def token_key(token: Token) -> str:
    """The comparison key of a word: its lemma's `word_key`."""
    return word_key(token.lemma_)


def word_key(lemma: str) -> str:
    """Lower case, letters and digits only ("item(s)" -> "item"), cut to `STEM_LENGTH` unless a number."""
    word = "".join(ch for ch in lemma.lower().removesuffix("(s)") if ch.isalnum())
    return word[:STEM_LENGTH] if not word.isdigit() else word


def best_similarity(customer: Doc, doc: Doc) -> float | None:
    """The best cosine similarity between the customer's message and one of the reply's sentences (or the
    words of its links); None when the reply has no prose."""
    from ..classifier.embeddings import load_sentence_encoder

    sentences = [s.text.strip() for s in doc.sents if sum(t.is_alpha for t in s) >= 2]
    links = link_words(doc)
    if links:
        sentences.append(links)
    issue = " ".join(customer.text.split())
    if not sentences or not issue:
        return None
    return float(load_sentence_encoder().similarity([issue], sentences).max())
