"""The agent's new text in an email reply, apart from the quoted earlier message and the signature.

The quoted history starts at the first of: an attribution line ("On Mon, 3 Mar 2025, Jane <j@x.com>
wrote:", wrapped over up to three lines, in a few languages), a separator ("-----Original Message-----",
"---------- Forwarded message ---------"), an Outlook header block ("From: …" followed by "Sent:"/"To:"/
"Subject:" lines), or a block of ``>`` lines that nothing but blank lines follows. ``>`` lines between
the agent's own paragraphs (inline replies) are skipped too. The signature starts at a ``-- `` line, a
"Sent from my iPhone" line, or after a sign-off ("Best regards,") that only a few short lines follow; the
sign-off itself is part of the reply.

The quoted message, its first ``>`` level only, is what the customer wrote: it becomes the context of
the checks that compare reply and customer message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..nlp.channel import DEVICE_LINE as _DEVICE
from .extract import Extract, TextBuilder, line_spans

_ATTRIBUTION_START = re.compile(r"\s*(?:On|Le|Am|El|Il|Op|Em|Den|På)\s", re.I)
_ATTRIBUTION = re.compile(r"\s*(?:On|Le|Am|El|Il|Op|Em|Den|På)\s.{0,300}?"
                          r"(?:wrote|écrit|schrieb|escribió|ha scritto|scritto|schreef|escreveu|skrev)\s*:?\s*$",
                          re.I | re.S)
_SEPARATOR = re.compile(r"\s*(?:-{2,}\s*(?:Original Message|Forwarded message|Mensaje original|"
                        r"Message d'origine|Ursprüngliche Nachricht)\s*-{2,}|Begin forwarded message:|_{10,})\s*$",
                        re.I)
_OUTLOOK_FROM = re.compile(r"\s*\**(?:From|De|Von|Van)\s*:\**\s+\S", re.I)
_OUTLOOK_NEXT = re.compile(r"\s*\**(?:Sent|Date|To|Subject|Cc|Envoyé|Gesendet|Verzonden|Enviado|Para|À|An)\s*:\**",
                           re.I)
_SIGN_OFF = re.compile(r"\s*(?:(?:best|kind|warm|warmest|with best|many|with many)\s+)?(?:regards|wishes|thanks|"
                       r"thank you|cheers|sincerely|best|take care|talk soon|all the best|yours truly|yours|"
                       r"respectfully|cordially)(?:\s+\w+){0,2}\s*[,.!]?\s*$", re.I)
_SIGNATURE_LINES = 6
_SIGNATURE_WIDTH = 72


@dataclass(frozen=True)
class Reply:
    """The agent's new text, and the quoted message it answers (None if there is none)."""

    text: Extract
    quoted: str | None


def split_reply(text: Extract, quotes: list[str] | None = None) -> Reply:
    """Split an email body into the new reply and the quoted history; ``quotes`` are quotes already
    found in markup (HTML ``<blockquote>``), which take precedence as the quoted message."""
    lines = line_spans(text.text)
    body = [text.text[s:e] for s, e, _ in lines]
    cut = _history_start(body)
    quoted_inline = [k for k in range(cut) if _quote_level(body[k]) > 0]
    end = _signature_start(body, cut, set(quoted_inline))
    builder = TextBuilder(text)
    last = max((k for k in range(end) if body[k].strip() and k not in quoted_inline), default=-1)
    for k in range(last + 1):
        start, line_end, after = lines[k]
        if k in quoted_inline:
            builder.line_break(2, start)
        elif k < last:
            builder.copy(start, after)
        else:
            builder.copy(start, line_end)
    customer = list(quotes or ())
    if not customer:
        customer = [_unquote(body[k]) for k in quoted_inline if _quote_level(body[k]) == 1]
        customer += _quoted_message(body[cut:])
    quoted = "\n".join(customer).strip()
    return Reply(builder.build(), quoted or None)


def _history_start(body: list[str]) -> int:
    """The index of the first line of the quoted history (``len(body)`` if there is none)."""
    for k, line in enumerate(body):
        if _is_attribution(body, k) or _SEPARATOR.match(line) and line.strip():
            return k
        if _OUTLOOK_FROM.match(line) and any(_OUTLOOK_NEXT.match(n) for n in body[k + 1:k + 5]):
            return k
        if _quote_level(line) and all(_quote_level(n) or not n.strip() for n in body[k:]):
            return k
    return len(body)


def _is_attribution(body: list[str], k: int) -> bool:
    return _attribution_span(body, k) > 0


def _attribution_span(body: list[str], k: int) -> int:
    """How many lines the attribution starting at line ``k`` takes (0: none starts there)."""
    if not _ATTRIBUTION_START.match(body[k]):
        return 0
    for span in (1, 2, 3):
        if k + span <= len(body) and _ATTRIBUTION.match(" ".join(body[k:k + span])):
            return span
    return 0


def _signature_start(body: list[str], cut: int, skipped: set[int]) -> int:
    """Where the signature starts (``cut`` if there is none): a ``-- `` line, a device line, or the line
    after a sign-off that only a few short lines follow."""
    for k in range(cut):
        if body[k].rstrip() == "--" or body[k] == "-- " or _DEVICE.match(body[k]):
            return k
    for k in range(cut - 1, -1, -1):
        if k in skipped or not _SIGN_OFF.match(body[k]):
            continue
        after = [line for line in body[k + 1:cut] if line.strip()]
        if len(after) <= _SIGNATURE_LINES and all(len(line) <= _SIGNATURE_WIDTH for line in after):
            return k + 1
        break
    return cut


def _quote_level(line: str) -> int:
    stripped = line.lstrip()
    level = 0
    while stripped.startswith(">"):
        level += 1
        stripped = stripped[1:].lstrip(" ")
    return level


def _unquote(line: str) -> str:
    stripped = line.lstrip()[1:]
    return stripped[1:] if stripped.startswith(" ") else stripped


def _quoted_message(history: list[str]) -> list[str]:
    """The most recent quoted message: after its attribution or header block, first ``>`` level only,
    up to the next (older) quoted message."""
    k = 0
    if history:
        k = _attribution_span(history, 0) or (1 if _SEPARATOR.match(history[0]) else 0)
    if k < len(history) and _OUTLOOK_FROM.match(history[k]):
        while k < len(history) and history[k].strip():
            k += 1  # the header block ends at a blank line
    rest = history[k:]
    quoted = any(_quote_level(line) for line in rest)
    out: list[str] = []
    for j, line in enumerate(rest):
        if quoted:
            level = _quote_level(line)
            if level == 0 and line.strip():
                break
            if level > 1:
                continue
            inner = _unquote(line) if level else ""
            if _is_attribution([inner], 0):
                break
            out.append(inner)
        elif _is_attribution(rest, j) or (_OUTLOOK_FROM.match(line)
                                           and any(_OUTLOOK_NEXT.match(n) for n in rest[j + 1:j + 5])):
            break
        else:
            out.append(line)
    return out
