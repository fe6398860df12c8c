"""Sentence boundaries at line breaks, set before the parser runs (the parser keeps preset boundaries).

Replies are laid out in lines: "Hi Sam," on its own line, then paragraphs. Without this, the parser
happily makes "Sam" the subject of the next sentence's verb, and every rule that looks at subjects
("just restart the router" has none) goes wrong.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

#: A single line break ends a sentence after these; a blank line always does.
_LINE_END_PUNCT = {".", "!", "?", ",", ":", ";", "-", "—", "…"}


@Language.component("empathylint_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after a blank line, or after a line break that follows punctuation (a
    salutation, a list item); hard-wrapped prose (a line ending mid-sentence) is left alone."""
    for token in doc[:-1]:
        if not token.is_space or "\n" not in token.text:
            continue
        previous = doc[token.i - 1] if token.i > 0 else None
        if token.text.count("\n") >= 2 or previous is None or previous.text in _LINE_END_PUNCT \
                or previous.is_space:
            doc[token.i + 1].is_sent_start = True
    return doc
