"""Markdown replies: the prose only. Code (fenced, indented, inline), quotes (``>`` lines), front matter,
link targets, images, HTML comments and tags are skipped; emphasis markers and list and heading markers
are dropped; headings, list items and table cells end their sentence. Inline code reads as "it" so the
sentence around it still parses. A line scanner, not a full CommonMark parser: it errs on the side of
linting less rather than linting markup.
"""

from __future__ import annotations

import html as html_lib
import re
from typing import Iterator

from ..source import Source, SourceFile
from . import ReadOptions, register_reader
from .extract import Extract, TextBuilder, line_spans
from .placeholders import masked_source

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_HEADING = re.compile(r" {0,3}#{1,6}(?:[ \t]+|$)")
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$|^#+[ \t]*$")
_LIST = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(?:\[[ xX]\][ \t]+)?|$)")
_QUOTE = re.compile(r" {0,3}>")
_RULE = re.compile(r" {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*)$")
_LINK_DEF = re.compile(r" {0,3}\[[^\]]+\]:[ \t]*\S")
_TABLE_RULE = re.compile(r" {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
_INDENTED = re.compile(r"(?: {4}|\t)")
_INLINE = re.compile(
    r"(?P<code>`+)|(?P<image>!\[)|(?P<link>\[)"
    r"|(?P<auto><(?:https?://|mailto:|www\.)[^>\s]*>|<[\w.+-]+@[\w-]+(?:\.[\w-]+)+>)"
    r"|(?P<comment><!--.*?-->)|(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>)"
    r"|(?P<escape>\\[!-/:-@\[-`{-~])"
    r"|(?P<entity>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<emph>\*+|_+|~~)")


def extract_markdown(base: Extract, file: SourceFile, notices: list[str]) -> Extract:
    """The prose of the Markdown in ``base``."""
    return _Scanner(base, file, notices).run()


class _Scanner:
    def __init__(self, base: Extract, file: SourceFile, notices: list[str]) -> None:
        self.base, self.text, self.file, self.notices = base, base.text, file, notices
        self.out = TextBuilder(base)

    def run(self) -> Extract:
        lines = line_spans(self.text)
        k = self._front_matter(lines)
        fence: tuple[str, int] | None = None
        comment = False
        previous_blank, in_list, paragraph = True, False, False
        while k < len(lines):
            start, end, after = lines[k]
            line = self.text[start:end]
            k += 1
            if fence:
                close = _FENCE.match(line)
                if close and close.group(1)[0] == fence[0][0] and len(close.group(1)) >= len(fence[0]) \
                        and not line[close.end():].strip():
                    fence = None
                continue
            if comment:
                comment = "-->" not in line
                continue
            if not line.strip():
                self.out.line_break(2, start, after)
                previous_blank, paragraph = True, False
                continue
            opened = _FENCE.match(line)
            if opened:
                fence = (opened.group(1), start)
                self._skip(start)
            elif _INDENTED.match(line) and previous_blank and not in_list:
                self._skip(start)  # an indented code block
            elif _QUOTE.match(line) or _TABLE_RULE.match(line) or _LINK_DEF.match(line) \
                    or (_RULE.match(line) and (paragraph or not line.lstrip().startswith("="))):
                self._skip(start)
            elif line.lstrip().startswith("<!--") and "-->" not in line:
                comment = True
                self._skip(start)
            else:
                in_list = self._block(start, end, after, line, in_list, previous_blank)
                paragraph = True
                previous_blank = False
                continue
            previous_blank, paragraph = False, False
        if fence:
            self._notice(fence[1], "a code fence is never closed: the rest was not linted")
        return self.out.build()

    def _front_matter(self, lines: list[tuple[int, int, int]]) -> int:
        if not lines or self.text[lines[0][0]:lines[0][1]] != "---":
            return 0
        for k, (start, end, _) in enumerate(lines[1:], 1):
            if self.text[start:end] in ("---", "..."):
                return k + 1
        return 0

    def _block(self, start: int, end: int, after: int, line: str, in_list: bool, previous_blank: bool) -> bool:
        """One line of prose (a heading, a list item, a table row or paragraph text); whether a list goes on."""
        heading, item = _HEADING.match(line), _LIST.match(line)
        if heading:
            self.out.line_break(2, start)
            closing = _CLOSING_HASHES.search(line, heading.end())
            self._inline(start + heading.end(), start + closing.start() if closing else end)
            self.out.line_break(2, end, after)
            return False
        if item:
            self.out.line_break(2, start)
            self._inline(start + item.end(), end)
            in_list = True
        elif line.lstrip().startswith("|"):
            self.out.line_break(2, start)
            for cell_start, cell_end in _cells(line, start):
                self._inline(cell_start, cell_end)
                self.out.line_break(2, cell_end)
        else:
            indent = len(line) - len(line.lstrip())
            self._inline(start + indent, end)
            in_list = in_list and (indent > 0 or not previous_blank)
        self.out.copy(end, after)
        return in_list

    def _skip(self, start: int) -> None:
        self.out.line_break(2, start)

    def _inline(self, start: int, end: int) -> None:
        text, out, pos = self.text, self.out, start
        while True:
            bit = _INLINE.search(text, pos, end)
            if bit is None:
                break
            out.copy(pos, bit.start())
            kind, s, e = bit.lastgroup, bit.start(), bit.end()
            if kind == "code":
                close = re.compile(rf"(?<!`){bit.group()}(?!`)").search(text, e, end)
                if close:
                    out.put("it", s, close.end(), placeholder=True)
                    e = close.end()
                else:
                    out.copy(s, e)
            elif kind in ("image", "link"):
                e = self._link(s, e, end, image=kind == "image")
            elif kind == "auto":
                out.put("alex@example.com" if "@" in bit.group() and "//" not in bit.group() else "example.com",
                        s, e, placeholder=True)
            elif kind == "tag":
                if bit.group().lower().startswith("<br"):
                    out.put("\n", s, e)
            elif kind == "escape":
                out.copy(s + 1, e)
            elif kind == "entity":
                out.put(html_lib.unescape(bit.group()).replace("\xa0", " "), s, e)
            elif kind == "emph" and not _is_delimiter(text, s, e, start, end):
                out.copy(s, e)
            pos = e
        out.copy(pos, end)

    def _link(self, s: int, e: int, end: int, image: bool) -> int:
        """``[text](url)``, ``[text][ref]``: the text is prose, the target is not; an image is skipped."""
        text = self.text
        close = text.find("]", e, end)
        if close == -1 or close + 1 >= end or text[close + 1] not in "([":
            self.out.copy(s, e)
            return e
        target_end = text.find(")" if text[close + 1] == "(" else "]", close + 2, end)
        if target_end == -1:
            self.out.copy(s, e)
            return e
        if not image:
            self._inline(e, close)
        return target_end + 1

    def _notice(self, index: int, problem: str) -> None:
        self.notices.append(f"{self.base.where(self.file, index)}: {problem}")


def _cells(line: str, offset: int) -> Iterator[tuple[int, int]]:
    """The ``[start, end)`` of each cell of a table row (pipes escaped with ``\\`` stay)."""
    bounds = [m.start() for m in re.finditer(r"(?<!\\)\|", line)]
    edges = [-1, *bounds, len(line)]
    for a, b in zip(edges, edges[1:]):
        cell = line[a + 1:b]
        if cell.strip():
            lead = len(cell) - len(cell.lstrip())
            yield offset + a + 1 + lead, offset + a + 1 + len(cell.rstrip())


def _is_delimiter(text: str, s: int, e: int, start: int, end: int) -> bool:
    """Whether a run of ``*``, ``_`` or ``~~`` opens or closes emphasis (not "2 * 3", not snake_case)."""
    before = text[s - 1] if s > start else " "
    after = text[e] if e < end else " "
    if before.isspace() and after.isspace():
        return False
    if text[s] == "_" and before.isalnum() and after.isalnum():
        return False
    return True


@register_reader("markdown", (".md", ".markdown", ".mdown"),
                 description="a Markdown reply: prose only, code, quotes and link targets skipped")
def read_markdown(file: SourceFile, options: ReadOptions) -> Iterator[Source]:
    notices: list[str] = []
    found = extract_markdown(Extract.verbatim(file.text), file, notices)
    yield masked_source(found, file, notices)
