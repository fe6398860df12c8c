"""Masking template placeholders and tags so that spaCy parses the sentence around them.

Canned responses are templates: Liquid and Zendesk (``{{ticket.requester.first_name}}``, ``{% if %}``),
Handlebars and Mustache (``{{#if}}``, ``{{{raw}}}``, ``{{! comment}}``), Jinja (``{# comment #}``), Freshdesk
and Intercom (``{{first_name | fallback: "there"}}``), Help Scout (``{%customer.fname,fallback=there%}``),
Salesforce (``{!Contact.FirstName}``), ``${name}``, and the ``{{Order Number}}`` slots of the Bitext replies.
Templates are never rendered. A value placeholder becomes a stand-in that reads as what it holds (a name
slot reads "Alex", an id "12345"); a tag (``{% if %}``, ``{{/each}}``) and a comment disappear. Every
stand-in is a synthetic run marked as a placeholder, so no diagnostic starts, ends or lies only inside one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..source import Source, SourceFile
from .extract import Extract, TextBuilder

_OPENER = re.compile(r"\{\{|\{%|\{#|\{!|\$\{")
#: The longest tag taken as one; a longer stretch means a missing closer.
MAX_TAG = 1000
MAX_COMMENT = 20000

_HELPSCOUT_VAR = re.compile(r"[A-Za-z_]\w*(?:\.\w+)+(?:\s*,\s*fallback\s*=[^%]*)?")
_BLOCK_MARKS = ("#", "/", "^", ">", "*", "else")
_NAME_AT = re.compile(r"\{?[-~&]?\s*([\w.\[\]]*)")
_ENDCOMMENT = re.compile(r"\{%-?\s*endcomment\s*-?%\}")
_ENDRAW = re.compile(r"\{%-?\s*endraw\s*-?%\}")
_SALESFORCE = re.compile(r"\{!\s*([\w.$]+)\s*\}")
_DOLLAR = re.compile(r"\$\{\s*([\w.]+)\s*\}")
_WORD_SPLIT = re.compile(r"[_\-\s]+|(?<=[a-z])(?=[A-Z])")

# (words any of which anywhere in the slot name picks the stand-in, stand-in)
_ANY_WORD = (
    ({"phone", "telephone", "mobile"}, "555-0100"),
    ({"email", "e-mail", "mail"}, "alex@example.com"),
    ({"url", "link", "href"}, "example.com"),
    ({"website", "site"}, "website"),
    ({"company", "organization", "organisation", "brand"}, "Acme"),
)
# (head words: the last word of the slot name, stand-in, also for natural-language slots)
_HEAD_WORD = (
    ({"availability", "hours"}, "business hours", True),
    ({"days", "weeks", "months"}, "three", True),
    ({"amount", "price", "total", "cost", "balance"}, "$20", True),
    ({"name", "fname", "lname", "firstname", "lastname", "nickname", "requester", "requestor", "assignee",
      "agent", "user", "customer", "recipient", "sender", "author", "submitter", "signature"}, "Alex", True),
    ({"date", "day", "time", "deadline"}, "Monday", False),
    ({"number", "id", "no", "num", "code", "reference", "ref", "count"}, "12345", False),
    ({"title", "subject"}, "your request", False),
    ({"status"}, "open", False),
)


@dataclass(frozen=True)
class _Piece:
    end: int  # where the construct ends in the text being masked
    stand_in: str | None  # None: the construct is a tag or comment and disappears
    raw_to: int | None = None  # {% raw %}: its content is copied up to here, unmasked
    notice: str | None = None


def stand_in(expression: str) -> str:
    """A word or two that reads like the value of a placeholder: ``ticket.requester.first_name`` →
    ``Alex``, ``ticket.id`` → ``12345``, ``Customer Support Phone Number`` → ``555-0100``; other slots
    read as their own words (``Order History``, ``refund policy``)."""
    expr = expression.split("|")[0].split(",")[0].strip().lstrip("&").strip()
    expr = re.sub(r"\[[^\]]*\]", "", expr)
    natural = " " in expr and "." not in expr and "_" not in expr
    if natural:
        words = [w for w in expr.split() if w.lower() != "anonymized"]
    else:
        tokens = expr.split()
        last = tokens[-1].split(".")[-1] if tokens else ""
        words = [w for w in _WORD_SPLIT.split(last) if w]
    lower = [w.lower() for w in words]
    if not words:
        return "it"
    for keys, value in _ANY_WORD:
        if keys.intersection(lower):
            return value
    head = lower[-1]
    for keys, value, for_natural in _HEAD_WORD:
        if head in keys and (for_natural or not natural):
            return value
    return " ".join(words)


def mask(extract: Extract, file: SourceFile) -> tuple[Extract, list[str]]:
    """``extract`` with every placeholder and tag masked, and notices for the ones never closed."""
    text = extract.text
    found = _OPENER.search(text)
    if not found:
        return extract, []
    builder = TextBuilder(extract)
    notices: list[str] = []
    pos = 0
    while found:
        i = found.start()
        piece = _construct(text, i)
        if piece is None:  # a brace that opens nothing
            found = _OPENER.search(text, i + 1)
            continue
        builder.copy(pos, i)
        if piece.notice:
            notices.append(f"{extract.where(file, i)}: {piece.notice}")
        if piece.raw_to is not None:
            builder.copy(piece.end, piece.raw_to)
            pos = piece.raw_to
            end_tag = _ENDRAW.match(text, pos)
            pos = end_tag.end() if end_tag else pos
        else:
            if piece.stand_in:
                builder.put(piece.stand_in, i, piece.end, placeholder=True)
            elif _joins_words(text, i, piece.end):
                builder.put(" ", i, piece.end, placeholder=True)
            pos = piece.end
        found = _OPENER.search(text, pos)
    builder.copy(pos, len(text))
    return builder.build(), notices


def masked_source(extract: Extract, file: SourceFile, notices: list[str] | None = None, **fields) -> Source:
    """The last step of every reader: mask the extracted text and make it a `Source` (``fields``:
    customer, record, title); notices from earlier steps come first."""
    masked, mask_notices = mask(extract, file)
    return masked.source(file, notices=[*(notices or ()), *mask_notices], **fields)


def _construct(text: str, i: int) -> _Piece | None:
    if text.startswith("{{", i):
        return _curly(text, i)
    if text.startswith("{%", i):
        return _percent(text, i)
    if text.startswith("{#", i):
        end = text.find("#}", i + 2, i + MAX_COMMENT)
        return _Piece(end + 2, None) if end != -1 else None
    match = (_SALESFORCE if text[i] == "{" else _DOLLAR).match(text, i)
    return _Piece(match.end(), stand_in(match.group(1))) if match else None


def _curly(text: str, i: int) -> _Piece:
    """``{{…}}``: a comment, a block tag or a value."""
    if text.startswith("{{!--", i):
        end = text.find("--}}", i + 5, i + MAX_COMMENT)
        if end == -1:
            return _unclosed(text, i, "the comment '{{!--' is never closed ('--}}' missing)", True)
        return _Piece(end + 4, None)
    closer = "}}}" if text.startswith("{{{", i) else "}}"
    start = i + len(closer)
    end = _closer(text, start, closer)
    if end == -1:
        return _unclosed(text, i, f"'{text[i:start]}' is never closed ('{closer}' missing); masked up to the "
                         "end of its name")
    body = text[start:end].strip().strip("-~").strip()
    if body.startswith("!") or body.startswith(_BLOCK_MARKS):
        return _Piece(end + len(closer), None)
    return _Piece(end + len(closer), stand_in(body))


def _percent(text: str, i: int) -> _Piece:
    """``{%…%}``: a Help Scout variable, or a Liquid/Jinja tag (``comment`` and ``raw`` take their block)."""
    end = _closer(text, i + 2, "%}")
    if end == -1:
        return _unclosed(text, i, "'{%' is never closed ('%}' missing); masked up to the end of the line",
                         tag=True)
    body = text[i + 2:end].strip().strip("-").strip()
    after = end + 2
    if _HELPSCOUT_VAR.fullmatch(body):
        return _Piece(after, stand_in(body))
    keyword = body.split(maxsplit=1)[0] if body else ""
    if keyword == "comment":
        close = _ENDCOMMENT.search(text, after)
        if close is None:
            return _Piece(len(text), None, notice="'{% comment %}' is never closed ('{% endcomment %}' "
                          "missing): the rest was not linted")
        return _Piece(close.end(), None)
    if keyword == "raw":
        close = _ENDRAW.search(text, after)
        return _Piece(after, None, raw_to=close.start() if close else len(text))
    return _Piece(after, None)


def _closer(text: str, start: int, closer: str) -> int:
    """Where ``closer`` ends the construct opened just before ``start``; -1 if another opens first or
    none comes within `MAX_TAG` characters."""
    end = text.find(closer, start, start + MAX_TAG)
    if end == -1:
        return -1
    reopened = _OPENER.search(text, start, end)
    return -1 if reopened else end


def _unclosed(text: str, i: int, problem: str, to_end: bool = False, tag: bool = False) -> _Piece:
    """Best effort for an opener without its closer: mask the opener and the name after it (a tag: the
    rest of its line; a comment: the rest of the text)."""
    if to_end:
        return _Piece(len(text), None, notice=problem + ": the rest was not linted")
    if tag:
        line_end = text.find("\n", i)
        return _Piece(len(text) if line_end == -1 else line_end, None, notice=problem)
    name = _NAME_AT.match(text, i + 2)
    end = name.end() if name else i + 2
    value = name.group(1).strip(".") if name else ""
    return _Piece(end, stand_in(value) if value else None, notice=problem)


def _joins_words(text: str, start: int, end: int) -> bool:
    """Whether removing ``text[start:end]`` would glue two words together."""
    return 0 < start and end < len(text) and text[start - 1].isalnum() and text[end].isalnum()

