"""MIME messages read in place: the parts of an RFC 822 message with their offsets in the file, and part
bodies decoded (quoted-printable, base64, any charset) into an `Extract` whose map still points into the
raw file: a character decoded from ``=E2=80=99`` or from four base64 letters is a synthetic run over
them, a literal character is copied, and soft line breaks vanish between two copied runs.

The standard library's parser is used for the headers only; it does not say where a body lies.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.parser import HeaderParser
from email.policy import default as default_policy

from ..source import OffsetMap
from .extract import Extract

MAX_DEPTH = 20
_HEADER_LINE = re.compile(r"[!-9;-~]+:")
_HEX = re.compile(r"=([0-9A-Fa-f]{2})")
_SOFT_BREAK = re.compile(r"=[ \t]*(?:\r?\n|$)")
_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}


@dataclass
class Part:
    """One MIME entity: its headers, where its body lies in the file, and its sub-parts."""

    headers: EmailMessage
    start: int
    body_start: int
    body_end: int
    children: list["Part"] = field(default_factory=list)

    @property
    def content_type(self) -> str:
        return self.headers.get_content_type()

    @property
    def attachment(self) -> bool:
        return self.headers.get_content_disposition() == "attachment"

    @property
    def charset(self) -> str:
        return self.headers.get_content_charset() or "utf-8"

    @property
    def transfer_encoding(self) -> str:
        return str(self.headers.get("content-transfer-encoding", "7bit")).strip().lower()


class Problems:
    """Collects what went wrong, each said once, with the line it is on."""

    def __init__(self, where) -> None:
        self.where = where  # offset -> "line L, column C"
        self.notices: list[str] = []

    def add(self, offset: int, problem: str) -> None:
        notice = f"{self.where(offset)}: {problem}"
        if not any(n.endswith(problem) for n in self.notices):
            self.notices.append(notice)


def has_headers(text: str) -> bool:
    """Whether ``text`` starts with a header field (``Name: value``)."""
    return bool(_HEADER_LINE.match(text))


def parse(text: str, start: int, end: int, problems: Problems, depth: int = 0) -> Part:
    """The MIME entity in ``text[start:end]``, multipart bodies split into their parts."""
    header_end, body_start = _split_headers(text, start, end)
    try:
        headers = HeaderParser(policy=default_policy).parsestr(text[start:header_end])
    except Exception:  # noqa: BLE001  (a malformed header must not sink the message)
        headers = EmailMessage()
        problems.add(start, "the headers could not be parsed; read as plain text")
    part = Part(headers, start, body_start, end)
    if body_start >= end and depth:
        problems.add(start, "a MIME part has no body (the message may be truncated)")
    if part.headers.get_content_maintype() == "multipart" and depth < MAX_DEPTH:
        part.children = _split_multipart(text, part, problems, depth)
    return part


def _split_headers(text: str, start: int, end: int) -> tuple[int, int]:
    """(end of the header block, start of the body): the body begins after the first empty line; a part
    without headers begins with one."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        if not text[pos:line_end].strip("\r"):
            return pos, min(line_end + 1, end)
        if pos == start and not _HEADER_LINE.match(text, pos) and not text[pos] in " \t":
            return start, start  # no headers at all: everything is body
        if nl == -1:
            break
        pos = nl + 1
    return end, end


def _split_multipart(text: str, part: Part, problems: Problems, depth: int) -> list[Part]:
    boundary = part.headers.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        problems.add(part.start, "a multipart message has no boundary; its body is read as plain text")
        return []
    delimiter = re.compile(rf"^--{re.escape(boundary)}(--)?[ \t]*\r?$", re.M)
    marks = list(delimiter.finditer(text, part.body_start, part.body_end))
    if not marks:
        problems.add(part.body_start, f"the multipart boundary '{boundary}' never occurs; the body is read "
                     "as plain text")
        return []
    children = []
    for mark, following in zip(marks, [*marks[1:], None]):
        if mark.group(1):  # the closing delimiter
            break
        begin = text.find("\n", mark.end(), part.body_end)
        begin = part.body_end if begin == -1 else begin + 1
        finish = _before_line_break(text, following.start()) if following else part.body_end
        if following is None:
            problems.add(begin, f"the multipart body ends without its closing boundary '--{boundary}--': the "
                         "message may be truncated")
        children.append(parse(text, begin, max(begin, finish), problems, depth + 1))
    return children


def _before_line_break(text: str, index: int) -> int:
    """The line break before a delimiter belongs to the delimiter."""
    if index > 0 and text[index - 1] == "\n":
        index -= 1
        if index > 0 and text[index - 1] == "\r":
            index -= 1
    return index


def text_part(part: Part) -> Part | None:
    """The part holding the message's text: in ``multipart/alternative`` the plain-text version (else
    the HTML one), elsewhere the first inline text part."""
    if part.children:
        children = [c for c in part.children if not c.attachment]
        if part.content_type == "multipart/alternative":
            for wanted in ("text/plain", "text/html"):
                for child in children:
                    found = text_part(child)
                    if found is not None and found.content_type == wanted and _has_text(found):
                        return found
        for child in children:
            found = text_part(child)
            if found is not None:
                return found
        return None
    if part.content_type in ("text/plain", "text/html") and not part.attachment:
        return part
    if part.headers.get_content_maintype() == "multipart":  # no parts found: read the body as text
        return part
    return None


def _has_text(part: Part) -> bool:
    return part.body_end > part.body_start


def is_html(part: Part) -> bool:
    return part.content_type == "text/html"


def decode_body(text: str, part: Part, file_encoding: str, problems: Problems) -> Extract:
    """The body of ``part`` as text, mapped onto ``text`` (the whole file, decoded with ``file_encoding``)."""
    start, end = part.body_start, part.body_end
    try:
        codec = codecs.lookup(part.charset).name
    except LookupError:
        problems.add(start, f"unknown charset '{part.charset}'; read as UTF-8")
        codec = "utf-8"
    encoding = part.transfer_encoding
    same_codec = codec == codecs.lookup(file_encoding).name or (codec == "ascii" and file_encoding == "utf-8")
    if encoding not in ("quoted-printable", "base64") and same_codec:
        return Extract.verbatim(text, start, end)
    if encoding == "quoted-printable":
        data, starts, ends = _quoted_printable(text, start, end, file_encoding, problems)
    elif encoding == "base64":
        data, starts, ends = _base64(text, start, end, problems)
    else:
        data, starts, ends = _raw_bytes(text, start, end, file_encoding)
    return _decode_chars(text, data, starts, ends, codec)


def _raw_bytes(text: str, start: int, end: int, file_encoding: str) -> tuple[bytes, list[int], list[int]]:
    data, starts, ends = bytearray(), [], []
    for k in range(start, end):
        encoded = text[k].encode(file_encoding, "replace")
        data += encoded
        starts += [k] * len(encoded)
        ends += [k + 1] * len(encoded)
    return bytes(data), starts, ends


def _quoted_printable(text: str, start: int, end: int, file_encoding: str,
                      problems: Problems) -> tuple[bytes, list[int], list[int]]:
    data, starts, ends = bytearray(), [], []
    k = start
    while k < end:
        equals = text.find("=", k, end)
        stop = end if equals == -1 else equals
        if stop > k:
            chunk, s, e = _raw_bytes(text, k, stop, file_encoding)
            data += chunk
            starts += s
            ends += e
        if equals == -1:
            break
        hex_byte = _HEX.match(text, equals, end)
        if hex_byte:
            data.append(int(hex_byte.group(1), 16))
            starts.append(equals)
            ends.append(hex_byte.end())
            k = hex_byte.end()
            continue
        soft = _SOFT_BREAK.match(text, equals, end)
        if soft:
            k = soft.end()  # a soft line break: nothing decoded, the runs on both sides stay copies
            continue
        problems.add(equals, "a quoted-printable '=' is not followed by two hex digits; kept as written")
        data.append(ord("="))
        starts.append(equals)
        ends.append(equals + 1)
        k = equals + 1
    return bytes(data), starts, ends


def _base64(text: str, start: int, end: int, problems: Problems) -> tuple[bytes, list[int], list[int]]:
    values, where = [], []
    padded = False
    for k in range(start, end):
        c = text[k]
        if c in _B64:
            values.append(_B64[c])
            where.append(k)
        elif c == "=":
            padded = True
            break
        elif not c.isspace():
            problems.add(k, f"the base64 body has a character that is not base64 ({c!r}); skipped")
    data, starts, ends = bytearray(), [], []
    for g in range(0, len(values), 4):
        group = values[g:g + 4]
        if len(group) == 1:
            problems.add(where[g], "the base64 body is truncated (a lone last character)")
            break
        if len(group) < 4 and not padded:
            problems.add(where[g], "the base64 body is truncated (its last group is incomplete)")
        bits = 0
        for v in group:
            bits = bits << 6 | v
        bits <<= 6 * (4 - len(group))
        chunk = bits.to_bytes(3, "big")[:len(group) - 1]
        data += chunk
        starts += [where[g]] * len(chunk)
        ends += [where[g + len(group) - 1] + 1] * len(chunk)
    return bytes(data), starts, ends


def _decode_chars(text: str, data: bytes, starts: list[int], ends: list[int], codec: str) -> Extract:
    """Decode bytes that came from ``[starts[i], ends[i])`` of ``text``; a character equal to the one
    original character it came from is a copy, any other a synthetic run over its bytes' origins."""
    chars: list[str] = []
    origin: list[tuple[int, int]] = []
    if data.isascii() and not codec.startswith(("utf-16", "utf-32")):
        chars = list(data.decode("ascii"))
        origin = list(zip(starts, ends))
    else:
        decoder = codecs.getincrementaldecoder(codec)(errors="replace")
        first = None  # index of the first byte the decoder has not turned into characters yet
        for i, byte in enumerate(data):
            first = i if first is None else first
            out = decoder.decode(bytes((byte,)))
            if out:
                # the decoder may hold back bytes it has read (a "\xc2" it cannot finish yet): the
                # characters came from the bytes before those
                held = len(decoder.getstate()[0])
                chars.extend(out)
                origin.extend([(starts[first], ends[max(first, i - held)])] * len(out))
                first = i - held + 1 if held else None
        tail = decoder.decode(b"", final=True)
        if tail:
            chars.extend(tail)
            origin.extend([(starts[first] if first is not None else ends[-1], ends[-1])] * len(tail))
    offsets = OffsetMap()
    i, n = 0, len(chars)
    while i < n:
        s, e = origin[i]
        j = i + 1
        if e - s == 1 and text[s] == chars[i]:
            while j < n and origin[j][0] == s + j - i and origin[j][1] - origin[j][0] == 1 \
                    and text[origin[j][0]] == chars[j]:
                j += 1
            offsets.copy(j - i, s)
        else:
            while j < n and origin[j] == (s, e):
                j += 1
            offsets.synthetic(j - i, s, e)
        i = j
    return Extract("".join(chars), offsets)


def decode_header_words(value: object) -> str | None:
    """A header's text (RFC 2047 encoded words decoded by the header parser)."""
    if value is None:
        return None
    text = re.sub(r"\s+", " ", str(value)).strip()
    return text or None

