"""Sentence boundaries at line breaks, set before the parser runs (the parser keeps preset boundaries),
and the cut points a reply can be parsed in pieces at.

Replies are laid out in lines: "Hi Sam," on its own line, then paragraphs. Without this, the parser
happily makes "Sam" the subject of the next sentence's verb, and every rule that looks at subjects
("just restart the router" has none) goes wrong.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

#: A single line break ends a sentence after these; a blank line always does.
_LINE_END_PUNCT = {".", "!", "?", ",", ":", ";", "-", "—", "…"}
#: Tokens that end a sentence inside a line when a capitalised word follows.
_SENTENCE_END = {".", "!", "?", "!!", "?!", "!?", "??"}
#: Short words that take a full stop without ending the sentence (when the tokenizer splits them off).
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "no", "vs", "jr", "sr", "prof", "inc", "ltd", "co", "approx"}
#: A line break between a word (not punctuation that ends a line, `_LINE_END_PUNCT`) and a letter.
_WRAP = re.compile(r"(?<=[^\s.!?,:;\-—…])\n(?=[^\W\d_])")


#: What a reply is parsed without (`plain_text`): the carriage return of a Windows line break, and the
#: characters that show nothing yet split a word for the tokenizer (zero-width space, word joiner, soft
#: hyphen, a byte order mark pasted in).
_DROPPED = re.compile("\r(?=\n)|[\u200b\u2060\u00ad\ufeff]")
_LONE_CR = re.compile("\r(?!\n)")


def plain_text(text: str) -> tuple[str, list[int]]:
    """``text`` as it is parsed: without `_DROPPED` characters, a CR alone as LF and hard wraps as spaces
    (`unwrap`, both the same length); and where in the result each dropped character was taken out (the index
    of the character that followed it), so that an offset ``i`` into the result is ``i + bisect_left(cut, i)``
    into ``text`` at the end of a span and ``i + bisect_right(cut, i)`` at its start. A Windows file then reads
    like any other, and "inconven\u00adience" is the word it shows."""
    if "\r" in text:  # a CR alone ends a line too (old Mac files): one character for one
        text = _LONE_CR.sub("\n", text)
    if not _DROPPED.search(text):
        return unwrap(text), []
    parts: list[str] = []
    cut: list[int] = []
    last = 0
    for match in _DROPPED.finditer(text):
        parts.append(text[last:match.start()])
        cut.append(match.start() - len(cut))
        last = match.end()
    parts.append(text[last:])
    return unwrap("".join(parts)), cut


def unwrap(text: str) -> str:
    """``text`` with each line break that hard-wraps a sentence ("As I already\\nexplained") made a space.

    spaCy makes a line break a token of its own, which no phrase or pattern expects between two words, so a
    wrapped "as I already explained" would go unflagged. Only a break between a word and a lower-case word
    counts as a wrap (one `line_breaks` never starts a sentence at); one after punctuation or before a
    capitalised word, a number or a list marker stays. The length stays the same, so offsets into the result
    are offsets into ``text``.
    """
    if "\n" not in text:
        return text
    return _WRAP.sub(lambda m: " " if text[m.end()].islower() else "\n", text)


def _line_break_starts(doc: Doc, i: int) -> bool:
    """Whether token ``i`` (a whitespace token holding a line break) makes the next token a sentence start."""
    token = doc[i]
    if not token.is_space or "\n" not in token.text:
        return False
    previous = doc[i - 1] if i > 0 else None
    return (token.text.count("\n") >= 2 or previous is None or previous.text in _LINE_END_PUNCT
            or previous.is_space)


@Language.component("empathylint_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after a blank line, or after a line break that follows punctuation (a
    salutation, a list item); hard-wrapped prose (a line ending mid-sentence) is left alone."""
    for token in doc[:-1]:
        if _line_break_starts(doc, token.i):
            doc[token.i + 1].is_sent_start = True
    return doc


def segment_starts(doc: Doc) -> list[int]:
    """Token indexes where a tokenized (unparsed) reply may be cut into pieces that are parsed on their own.

    The cuts are where a sentence starts anyway: where `line_breaks` starts one, and after ``.``, ``!`` or
    ``?`` that follows a word, is followed by a space and then by a capitalised word or a number (an inline
    list: "... so! 1. Then ..."). Every piece holds a
    token that is not whitespace; a cut falls only where the tokenizer split at whitespace, so tokenizing a
    piece on its own gives the same tokens as tokenizing the whole reply.
    """
    starts = [0]
    content = False  # the current piece has a token that is not whitespace
    for token in doc[:-1]:
        i = token.i
        content = content or not token.is_space
        if not content:
            continue
        if _line_break_starts(doc, i) or _ends_sentence(doc, i):
            starts.append(i + 1)
            content = False
    if len(starts) > 1 and all(t.is_space for t in doc[starts[-1]:]):
        starts.pop()  # trailing whitespace stays with the last piece
    return starts


def _ends_sentence(doc: Doc, i: int) -> bool:
    token = doc[i]
    if token.text not in _SENTENCE_END or not token.whitespace_ or i == 0:
        return False
    word, following = doc[i - 1], doc[i + 1]
    return (word.is_alpha and len(word) > 1 and word.lower_ not in _ABBREVIATIONS and not word.whitespace_
            and (following.text[:1].isupper() or following.text[:1].isdigit()))
