"""Email replies (``.eml``, or a raw RFC 822 message on stdin): only the agent's new text is linted.

The text part is found (``text/plain`` preferred in ``multipart/alternative``, HTML-only mail read for
its visible text), decoded in place (see `mime`), and split into the new reply, the quoted earlier message
and the signature (see `quotes`). The quoted message becomes the customer context; the subject becomes
the source's title. A message that is not UTF-8 is read as Latin-1, byte for byte, so that 8-bit parts
in other charsets still decode with their own charset.
"""

from __future__ import annotations

import re
from typing import BinaryIO, Iterator

from ..errors import InputError
from ..source import Source, SourceFile
from . import MAX_FILE_BYTES, ReadOptions, register_reader
from .html import extract_html
from .mime import Problems, decode_body, decode_header_words, has_headers, is_html, parse, text_part
from .placeholders import masked_source
from .quotes import split_reply

#: Header fields of which a message on stdin must show two before it is read as email.
_KNOWN_FIELDS = re.compile(rb"(?im)^(?:from|to|cc|subject|date|message-id|mime-version|received|return-path|"
                           rb"reply-to|delivered-to|content-type|in-reply-to|references|x-mailer):[ \t]")


def looks_like_email(head: bytes) -> bool:
    """Whether the start of a stream is an RFC 822 message: it opens with header fields, at least two
    of them common mail headers, before the first empty line."""
    block = re.split(rb"\r?\n\r?\n", head, maxsplit=1)[0]
    first = block.split(b"\n", 1)[0]
    if not re.match(rb"[!-9;-~]+:", first):
        return False
    if not all(re.match(rb"[!-9;-~]+:|[ \t]", line) for line in block.splitlines() if line.strip()):
        return False
    return len(_KNOWN_FIELDS.findall(block)) >= 2


def read_message(file: SourceFile, file_encoding: str = "utf-8", notices: list[str] | None = None) -> Source:
    """The agent's new text in the message ``file.text``."""
    problems = Problems(lambda offset: "line {}, column {}".format(*file.position(offset)))
    problems.notices.extend(notices or ())
    text = file.text
    if not has_headers(text):
        problems.add(0, "no mail headers: the whole input is read as the body of a plain-text message")
    root = parse(text, 0, len(text), problems)
    part = text_part(root)
    if part is None:
        raise InputError(file.path, "has no text/plain or text/html part to lint (only attachments or other "
                         "content types)")
    body = decode_body(text, part, file_encoding, problems)
    quotes: list[str] = []
    if is_html(part):
        found = extract_html(body, file, problems.notices)
        body, quotes = found.extract, found.quotes
    reply = split_reply(body, quotes)
    return masked_source(reply.text, file, problems.notices, customer=reply.quoted,
                         title=decode_header_words(root.headers.get("subject")))


@register_reader("email", (".eml",), streaming=True,
                 description="an email (.eml, or RFC 822 on stdin): the new reply, quoted text as context")
def read_email(path: str, stream: BinaryIO, options: ReadOptions) -> Iterator[Source]:
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise InputError(path, f"is larger than {MAX_FILE_BYTES // 2**20} MiB; is it really one email?")
    if b"\x00" in data[:8192]:
        raise InputError(path, "looks like a binary file (it contains NUL bytes); an .eml file is text")
    notices = []
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
        notices.append("the message is not valid UTF-8: read as Latin-1, each part decoded with its own charset")
    if text.startswith("\ufeff"):
        text = text[1:]
    yield read_message(SourceFile(path, text), encoding, notices)
