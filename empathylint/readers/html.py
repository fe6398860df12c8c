"""HTML replies and fragments (``.html``, ``comment_value_html``, the HTML part of an email): the visible
text only, with offsets kept exact across tags and entities.

Skipped: tags, comments, ``<script>``/``<style>``/``<head>``, code (``<code>``, ``<pre>``, ``<kbd>``,
``<samp>``), hidden elements (``hidden``, ``aria-hidden="true"``, ``display:none``, ``visibility:hidden``,
mail signatures), and quotes (``<blockquote>``, Gmail's ``gmail_quote``), whose first-level text is kept
aside as the quoted message. Block elements become line breaks so sentences end where paragraphs do;
runs of white space read as one space, as a browser shows them. A lenient scanner, not a parser:
malformed markup never raises, and what it had to guess is said in a notice.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field
from typing import Iterator

from ..source import Source, SourceFile
from . import ReadOptions, register_reader
from .extract import Extract, TextBuilder
from .placeholders import masked_source

_TAG = re.compile(r"""<(/?)([A-Za-z][A-Za-z0-9:_-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""", re.S)
_ATTR = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")
_TEXT_BITS = re.compile(r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};?)|\s+")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

RAW_TEXT = {"script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
        "track", "wbr"}
HIDDEN = {"head", "code", "pre", "kbd", "samp", "svg", "math", "select", "template", "object", "audio",
          "video", "canvas", "map", "datalist"}
QUOTE_CLASSES = {"gmail_quote", "yahoo_quoted"}
HIDDEN_CLASSES = {"gmail_signature", "moz-signature", "gmail_attr", "moz-cite-prefix"}
PARAGRAPH = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "table", "tr",
             "blockquote", "section", "article", "header", "footer", "main", "nav", "aside", "figure",
             "figcaption", "address", "fieldset", "form", "details", "summary", "hr", "caption"}
LINE = {"div", "td", "th", "center"}


@dataclass
class HtmlText:
    """The visible text of an HTML document, and the text of its first-level quotes."""

    extract: Extract
    quotes: list[str] = field(default_factory=list)


def looks_like_html(text: str) -> bool:
    """Whether a string holds HTML markup rather than prose with a stray ``<``."""
    return bool(re.search(r"<(?:p|div|br|span|a|b|i|strong|em|ul|ol|li|table|h[1-6]|html|body|blockquote)\b"
                          r"[^>]*>", text[:4096], re.I))


def extract_html(base: Extract, file: SourceFile, notices: list[str]) -> HtmlText:
    """The visible text of the HTML in ``base``; problems with the markup are added to ``notices``."""
    return _Scanner(base, file, notices).run()


class _Scanner:
    def __init__(self, base: Extract, file: SourceFile, notices: list[str]) -> None:
        self.base, self.text, self.file, self.notices = base, base.text, file, notices
        self.out = TextBuilder(base)
        self.stack: list[tuple[str, str | None, int]] = []  # (tag, None/"hidden"/"quote", where)
        self.quotes: list[str] = []
        self.quote: list[str] = []

    def run(self) -> HtmlText:
        text, n, i = self.text, len(self.text), 0
        while i < n:
            j = text.find("<", i)
            if j == -1:
                self._text(i, n)
                break
            self._text(i, j)
            i = self._markup(j)
        for tag, kind, where in self.stack:
            if kind is not None and tag not in ("head", "p", "li"):
                self._notice(where, f"<{tag}> is never closed: the text after it was not linted")
                break
        self._end_quote()
        return HtmlText(self.out.build(), self.quotes)

    # markup -----------------------------------------------------------------------------------------
    def _markup(self, j: int) -> int:
        """Handle the markup at ``j`` (a ``<``); the offset after it."""
        text = self.text
        if text.startswith("<!--", j):
            end = text.find("-->", j + 4)
            if end == -1:
                self._notice(j, "the comment '<!--' is never closed ('-->' missing): the rest was not linted")
                return len(text)
            return end + 3
        if text.startswith("<!", j) or text.startswith("<?", j):
            end = text.find(">", j)
            return len(text) if end == -1 else end + 1
        match = _TAG.match(text, j)
        if match is None:
            if j + 1 < len(text) and (text[j + 1].isalpha() or text[j + 1] == "/"):
                self._notice(j, "a tag is never closed ('>' missing): the rest was not linted")
                return len(text)
            self._text(j, j + 1)  # a literal "<", as in "a < b"
            return j + 1
        closing, tag, attrs = match.group(1) == "/", match.group(2).lower(), match.group(3)
        if closing:
            self._end_tag(tag, j, match.end())
            return match.end()
        self._start_tag(tag, attrs, j, match.end())
        if tag in RAW_TEXT and not attrs.rstrip().endswith("/"):
            close = re.compile(rf"</{tag}\s*>", re.I).search(text, match.end())
            self.stack.pop()
            if close is None:
                self._notice(j, f"<{tag}> is never closed: the rest was not linted")
                return len(text)
            return close.end()
        return match.end()

    def _start_tag(self, tag: str, attrs: str, start: int, end: int) -> None:
        if tag == "body":
            self._close("head")
        self._break(tag, start, end)
        if tag == "br":
            if not self._skipping():
                self.out.put("\n", start, end)
            elif self._quoting():
                self.quote.append("\n")
            return
        if tag in VOID or attrs.rstrip().endswith("/"):
            return
        kind = self._kind(tag, attrs)
        if kind == "quote" and not self._skipping():
            self._end_quote()
        self.stack.append((tag, kind, start))

    def _end_tag(self, tag: str, start: int, end: int) -> None:
        if any(t == tag for t, _, _ in self.stack):
            self._close(tag)
            self._break(tag, start, end)

    def _close(self, tag: str) -> None:
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                closed = self.stack[k:]
                del self.stack[k:]
                if any(kind == "quote" for _, kind, _ in closed) and not self._skipping():
                    self._end_quote()
                return

    def _kind(self, tag: str, attrs: str) -> str | None:
        if tag in HIDDEN or tag in RAW_TEXT:
            return "hidden"
        found = {m.group(1).lower(): next((g for g in m.groups()[1:] if g is not None), "")
                 for m in _ATTR.finditer(attrs)}
        classes = set(found.get("class", "").split())
        if ("hidden" in found or found.get("aria-hidden", "").lower() == "true"
                or _HIDDEN_STYLE.search(found.get("style", "")) or classes & HIDDEN_CLASSES):
            return "hidden"
        if tag == "blockquote" or classes & QUOTE_CLASSES:
            return "quote"
        return None

    def _break(self, tag: str, start: int, end: int) -> None:
        count = 2 if tag in PARAGRAPH else 1 if tag in LINE else 0
        if not count:
            return
        if not self._skipping():
            self.out.line_break(count, start, end)
        elif self._quoting():
            self.quote.append("\n")

    # text -------------------------------------------------------------------------------------------
    def _text(self, start: int, end: int) -> None:
        if start >= end:
            return
        if self._skipping():
            if self._quoting():
                self.quote.append(html_lib.unescape(self.text[start:end]))
            return
        out, pos = self.out, start
        for bit in _TEXT_BITS.finditer(self.text, start, end):
            out.copy(pos, bit.start())
            raw = bit.group()
            if raw[0] == "&":
                value = html_lib.unescape(raw).replace("\xa0", " ")
                if value == raw:
                    out.copy(bit.start(), bit.end())
                else:
                    out.put(value, bit.start(), bit.end())
            elif out.after_space:
                pass  # white space collapses, and a line starts without it
            elif raw == " ":
                out.copy(bit.start(), bit.end())
            else:
                out.put(" ", bit.start(), bit.end())
            pos = bit.end()
        out.copy(pos, end)

    def _skipping(self) -> bool:
        return any(kind is not None for _, kind, _ in self.stack)

    def _quoting(self) -> bool:
        """Inside a quote, at most one ``<blockquote>`` deep (a ``gmail_quote`` container does not count
        as a level), and nothing hidden: text of the quoted message."""
        kinds = [(tag, kind) for tag, kind, _ in self.stack if kind is not None]
        depth = sum(1 for tag, kind in kinds if kind == "quote" and tag == "blockquote")
        return depth <= 1 and all(kind == "quote" for _, kind in kinds)

    def _end_quote(self) -> None:
        text = re.sub(r"[ \t\r\f\v\xa0]+", " ", "".join(self.quote))
        text = re.sub(r" *\n[\n ]*", lambda m: "\n\n" if m.group().count("\n") > 1 else "\n", text).strip()
        if text:
            self.quotes.append(text)
        self.quote = []

    def _notice(self, index: int, problem: str) -> None:
        self.notices.append(f"{self.base.where(self.file, index)}: {problem}")


@register_reader("html", (".html", ".htm", ".xhtml"),
                 description="an HTML reply or fragment: the visible text, quotes and code skipped")
def read_html(file: SourceFile, options: ReadOptions) -> Iterator[Source]:
    notices: list[str] = []
    found = extract_html(Extract.verbatim(file.text), file, notices)
    yield masked_source(found.extract, file, notices)
