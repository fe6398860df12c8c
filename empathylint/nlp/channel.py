"""The conventions of the channel a reply is written in, read as what they are before the text is parsed.

Replies on social care look like "1/2 @Jo_B Hi there! Here's how: https://example.com/x Hope this helps! ^TM";
chat and mail add emoji, emoticons and ticket numbers ("Case #12345678"). None of that is prose: an @handle
or a link is no word of the customer's issue (the acknowledgement check compares the customer's words with
the reply's), an agent's initials are no sentence, and a URL parsed as words breaks the sentence around it.
`mask` finds these marks with their exact offsets and gives the text that is parsed instead:

- **taken out** (like `segmentation.plain_text`'s dropped characters): the handles that address a tweet (a run
  at the start of a line, and one after a greeting: "Hi @Jo," reads "Hi,"), thread numbers (``1/2``,
  ``(2/3)``), agent sign-offs at the end of a line (``^TM``, ``*MS``, ``/YT``, ``~Ana``, ``-Suzette``,
  ``– Ana from Support``, ``- Ana, Support``), emoji and emoticons, a trailing block of hashtags ("Great game!
  #RDR2 #gaming"), a link that stands alone (on its own line, or after a sentence that ended), and the number
  of a ticket or case ("Your case #12345678 has been escalated" reads "Your case has been escalated");
- **a stand-in** where a word is needed: a handle or link after a word or a colon ("contact @AmazonHelp",
  "visit https://…", "here: https://…") reads ``it``, a pronoun that parses as the noun it replaces and that
  no check counts as a specific word; when the next word on the line starts a new sentence (tweets put no full
  stop after a link: "Here's how: https://… Also, please …"), the stand-in is ``it.``. An emoji between a word
  and a capitalised one stands for the full stop it replaces ("Sorry about that 😔 Let me check"). A mark
  glued between two letters becomes a space.

A hashtag inside running prose is a word ("I love #coffee", "my #PS5 won't start"): only its ``#`` is taken
out, so the word is parsed (and a customer's "#PS5" is a specific word). A hashtag ends the line's prose only
in a trailing block: after the sentence ended, or two or more in a row. An ordinary sentence that ends in a
name ("Thanks, Ana", or "Ana" alone under "Best regards,") stays prose: the closing check reads sign-offs of
that kind itself; only a name behind an agent's mark (``^ * / ~ -``) is a channel sign-off.

Every offset of the parsed text maps back onto the original (`Masked.back`): a span that starts or ends inside
a stand-in covers the whole mark, what was taken out at a span's edges stays out (except the ``#`` of a prose
hashtag, which stays with its word), and a span that holds nothing but stand-ins is no finding at all.
Pure string work, no spaCy.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

#: Characters that show as an emoji (pictographs, dingbats, a few symbols), and what joins or modifies them.
_EMOJI = ("\U0001F000-\U0001FAFF\u2600-\u27BF\u231A\u231B\u23E9-\u23F3\u23F8-\u23FA\u2B05-\u2B07\u2B1B\u2B1C"
          "\u2B50\u2B55")
_EMOJI_TAIL = "\u200d\ufe0e\ufe0f\u20e3\U000E0020-\U000E007F" + _EMOJI
_URL = (r"(?:https?://|www\.)[^\s<>\"]+"
        r"|(?<![\w@/.-])(?i:[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,6})/[^\s<>\"]*")
_HANDLE = r"(?<![\w@/.+-])@\w{1,30}(?![\w@])"
_HASHTAG = r"(?<![\w&#/])#(?=\w*[^\W\d])\w{1,60}"
_THREAD = r"(?<!\S)[(\[]?\d{1,2}/\d{1,2}[)\]]?(?=\s|$)"
_TICKET = (r"\b(?i:case|ticket|incident|sr)\b[ \t]*(?i:(?:number|num|no\.?|id)[ \t]*)?[#:]?[ \t]*"
           r"(?=[A-Za-z-]*\d)[A-Za-z0-9][A-Za-z0-9-]{2,}\b")
_EMOTICON = r"(?<!\S)(?:[:;=]'?-?[()DPp/\\|]|<3|\^_?\^)(?=\s|$|[.,!?])"
#: Each kind of mark, in the order they are tried at one position, with a cheap test of whether a text may
#: hold one at all: most replies hold none, and a pattern tried at every position costs more than the rest of
#: the scan (`_pattern` joins only the kinds a text may hold).
_DOMAIN_PATH = re.compile(r"\.[A-Za-z]{2,6}/").search
_HAS_EMOJI = re.compile(f"[{_EMOJI}]").search
_KIND_PATTERNS = (  # (name, pattern, whether a text and its lower case may hold one)
    ("url", _URL, lambda text, lower: "http" in lower or "www." in lower or "/" in text and _DOMAIN_PATH(text)),
    ("handle", _HANDLE, lambda text, lower: "@" in text),
    ("hashtag", _HASHTAG, lambda text, lower: "#" in text),
    ("thread", _THREAD, lambda text, lower: "/" in text),
    ("ticket", _TICKET, lambda text, lower: "case" in lower or "ticket" in lower or "incident" in lower
     or "sr" in lower),
    ("emoji", f"[{_EMOJI}][{_EMOJI_TAIL}]*", lambda text, lower: _HAS_EMOJI(text)),
    ("emoticon", _EMOTICON, lambda text, lower: ":" in text or ";" in text or "=" in text or "<3" in text
     or "^" in text),
)


@lru_cache(maxsize=None)
def _pattern(kinds: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{name.replace('-', '_')}>{pattern})"
                               for name, pattern, _ in _KIND_PATTERNS if name in kinds))


#: A URL's last characters that are the sentence's, not the link's.
_URL_TRAILING = ".,;:!?'\"’”)]}"
#: An agent's sign-off at the end of a line: a mark and initials or a name, perhaps their team.
_NAME = r"[A-Z][A-Za-z]{0,24}"
_TEAM = r"(?:\s*,\s*|\s+(?:from|at|@)\s+)(?:the\s+)?[A-Z][\w&'.]*(?:\s+[A-Z][\w&'.]*){0,3}"
_SIGN_OFF = re.compile(
    rf"(?:(?P<caret>[\^*]\s?{_NAME})|(?P<slash>/[A-Z]{{1,3}})"
    rf"|(?P<dash>[~\-\u2013\u2014](?P<gap>\s?){_NAME}(?:\s[A-Z][a-z]*\.?)?(?:{_TEAM})?))[ \t\r]*$")
#: Words after which a handle addresses someone ("Hi @Jo", "cc @Bo") instead of naming them in the sentence.
_GREETINGS = {"hi", "hey", "hello", "hiya", "heya", "dear", "thanks", "thx", "ty", "cc", "yo", "greetings",
              "morning", "afternoon", "evening"}
_SENTENCE_END = ".!?…"
#: Words after which a link that starts a sentence is its subject ("https://… has the steps").
_LINK_VERBS = {"is", "has", "will", "should", "can", "may", "might", "would", "was", "covers", "explains",
               "shows", "lists", "describes", "contains", "walks", "gives", "takes", "provides", "offers",
               "includes", "helps", "links", "goes", "leads"}
#: Names of the marks: what `Mark.kind` holds.
KINDS = ("url", "handle", "hashtag", "thread", "ticket", "emoji", "emoticon", "sign-off", "signature")


@dataclass(frozen=True)
class Mark:
    """One channel mark: ``[start, end)`` of the original text, and what is parsed in its place.

    ``stand_in`` is empty where the mark is taken out. ``glued``: the mark belongs to the word after it (the
    ``#`` of a prose hashtag), so a span that starts at that word starts at the mark."""

    start: int
    end: int
    kind: str
    stand_in: str = ""
    glued: bool = False


@dataclass(frozen=True)
class Masked:
    """A text as it is parsed, with its channel marks masked, and the way back to the original."""

    text: str
    marks: tuple[Mark, ...]
    _starts: tuple[int, ...] = ()  # where each mark's replacement starts in ``text``

    def back(self, start: int, end: int) -> tuple[int, int] | None:
        """The original ``[start, end)`` of parsed ``[start, end)``, or None when the span holds nothing but
        stand-ins (and spaces or punctuation): a finding there says nothing about the reply's wording."""
        if not self.marks:
            return start, end
        if self._only_stand_ins(start, end):
            return None
        return self._back_start(start), max(self._back_start(start), self._back_end(end))

    def stand_in_spans(self, kinds: tuple[str, ...] | None = None) -> list[tuple[int, int]]:
        """Parsed ``[start, end)`` of every stand-in (only of marks of ``kinds`` when given)."""
        return [(p, p + len(m.stand_in)) for p, m in zip(self._starts, self.marks)
                if m.stand_in and (kinds is None or m.kind in kinds)]

    def _back_start(self, i: int) -> int:
        k = bisect_right(self._starts, i) - 1  # the last mark placed at or before i
        if k < 0:
            return i
        for j in range(k, -1, -1):  # marks taken out right at i: a glued one comes with the word after it
            if self._starts[j] != i or self.marks[j].stand_in:
                break
            if self.marks[j].glued:
                return self.marks[j].start
        mark, p = self.marks[k], self._starts[k]
        if p + len(mark.stand_in) > i:  # inside a stand-in: the span starts with the whole mark
            return mark.start
        return mark.end + i - p - len(mark.stand_in)

    def _back_end(self, j: int) -> int:
        k = bisect_left(self._starts, j) - 1
        if k < 0:
            return j
        mark, p = self.marks[k], self._starts[k]
        if p + len(mark.stand_in) >= j:  # j inside (or at the end of) a stand-in: it covers the whole mark
            return mark.end
        return mark.end + j - p - len(mark.stand_in)

    def _only_stand_ins(self, start: int, end: int) -> bool:
        pos, inside = start, False
        for s, e in self.stand_in_spans():
            if e <= pos:
                continue
            if s >= end:
                break
            if any(ch.isalnum() for ch in self.text[pos:s]):
                return False
            inside, pos = True, max(pos, e)
        return inside and not any(ch.isalnum() for ch in self.text[pos:end])


def mask(text: str) -> Masked:
    """``text`` with its channel marks masked (`find_marks`), and the map back."""
    marks = find_marks(text)
    if not marks:
        return Masked(text, ())
    parts: list[str] = []
    starts: list[int] = []
    pos = length = 0
    for mark in marks:
        parts.append(text[pos:mark.start])
        length += mark.start - pos
        starts.append(length)
        parts.append(mark.stand_in)
        length += len(mark.stand_in)
        pos = mark.end
    parts.append(text[pos:])
    return Masked("".join(parts), tuple(marks), tuple(starts))


def find_marks(text: str) -> list[Mark]:
    """The channel marks of ``text``, in order and not overlapping, each with what replaces it."""
    lower = text.lower()
    kinds = tuple(name for name, _, maybe in _KIND_PATTERNS if maybe(text, lower))
    signs = any(ch in text for ch in _SIGNS)
    signature = "--" in text or any(word in lower for word in _DEVICE_WORDS)
    if not kinds and not signs and not signature:
        return []
    found = list(_pattern(kinds).finditer(text)) if kinds else []
    marks: list[Mark] = []
    lines = _lines(text)
    last = max((k for k, (s, e) in enumerate(lines) if text[s:e].strip()), default=-1)
    previous, n = "", 0  # the last line that is not blank; the next match
    for k, (start, end) in enumerate(lines):
        line_found = []
        while n < len(found) and found[n].start() < end:
            line_found.append(found[n])
            n += 1
        if signature and text[start:end].rstrip("\r") in ("--", "-- "):  # the signature: the rest is not the reply
            marks.append(Mark(start, len(text), "signature"))
            break
        if signature and _device_line(text, start, end):
            marks.append(Mark(start, end, "signature"))
            continue
        own_line = k == last and not previous.lstrip().startswith(("-", "~", "\u2013", "\u2014"))
        if line_found or signs:
            marks.extend(_line_marks(text, start, end, line_found, own_line))
        if text[start:end].strip():
            previous = text[start:end]
    return marks


def _device_line(text: str, start: int, end: int) -> bool:
    """Whether the line is a mail client's and nothing else ("Sent from my iPhone 12", not "Sent via DHL.")."""
    match = DEVICE_LINE.match(text, start, end)
    if match is None:
        return False
    rest = text[match.end():end].strip()
    return len(rest.split()) <= 2 and not rest.endswith((".", "!", "?", ","))


def _lines(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every line, without its line break (a CR before it is the line's)."""
    out, pos = [], 0
    i = text.find("\n")
    while i != -1:
        out.append((pos, i))
        pos = i + 1
        i = text.find("\n", pos)
    out.append((pos, len(text)))
    return out


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    kind: str


#: The marks a line may end in, after its prose.
_TRAILING = {"hashtag", "handle", "emoji", "emoticon", "thread", "sign-off"}
_SPACE = " \t\u00a0"


def _line_marks(text: str, start: int, end: int, matches: list[re.Match[str]], sign_off_line: bool) -> list[Mark]:
    """The marks of the line ``text[start:end]``, decided left to right: what a mark is depends on what the
    line holds before it once the marks before it are masked (``sign_off_line``: a line of its own may be a
    sign-off, "- Ana from Support", when it is the text's last and no list item comes before it)."""
    found = _candidates(text, start, end, matches, sign_off_line)
    if not found:
        return []
    tail = len(found)
    while tail and found[tail - 1].kind in _TRAILING and not text[found[tail - 1].end:(
            found[tail].start if tail < len(found) else end)].strip(_SPACE + "\r" + _SENTENCE_END + ","):
        tail -= 1
    tail_hashtags = sum(f.kind == "hashtag" for f in found[tail:])
    out: list[Mark] = []
    kept, last = start, None  # last: the line's last character kept before ``kept`` (None: nothing yet)
    for n, item in enumerate(found):
        before = _last_char(text, kept, item.start) or last
        following = found[n + 1] if n + 1 < len(found) else None
        after = _next_word(text, item.end, following.start if following else end)
        after_mark = n > 0 and not text[found[n - 1].end:item.start].strip()
        mark = _decide(text, item, before, after, after_mark, n >= tail, tail_hashtags, start)
        if mark is None:
            continue
        mark = _with_space(text, mark, out[-1].end if out else start, end)
        out.append(mark)
        kept = mark.end
        if mark.stand_in.strip():
            last = mark.stand_in.strip()[-1]
        elif mark.glued:
            last = "a"
        else:  # taken out: an emoji ended the sentence before it as far as the marks after it go
            last = "." if mark.kind in {"emoji", "emoticon"} else before
    return out


def _candidates(text: str, start: int, end: int, matches: list[re.Match[str]], sign_off_line: bool) -> list[_Found]:
    found: list[_Found] = []
    line = text[start:end]
    for match in matches:
        kind = match.lastgroup or ""
        s, e = match.start(), min(match.end(), end)
        if kind == "url":
            e = _url_end(text, s, e)
        elif kind == "thread" and not _is_thread(match.group()):
            continue
        elif kind == "ticket":
            s = _ticket_number_start(match.group(), s)
        found.append(_Found(s, e, kind))
    at = _sign_off(line, sign_off_line)
    if at is not None:
        s = start + at
        found = [f for f in found if f.end <= s]
        found.append(_Found(s, start + len(line.rstrip()), "sign-off"))
    return found


def _url_end(text: str, start: int, end: int) -> int:
    while end > start + 1 and text[end - 1] in _URL_TRAILING:
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end


def _is_thread(numbering: str) -> bool:
    n, d = numbering.strip("()[]").split("/")
    return 1 <= int(n) <= int(d) <= 30


def _ticket_number_start(matched: str, offset: int) -> int:
    """Where the number of a ticket mark starts (with the ``#`` or ``:`` and the space before it): the word
    "case" or "ticket" stays prose."""
    words = re.match(r"\w+(?:\s*(?:number|num|no\.?|id)(?!\w))?", matched, re.I)
    return offset + (words.end() if words else 0)


#: A mail client's line under a message ("Sent from my iPhone"); the email reader ends the reply there too.
DEVICE_LINE = re.compile(r"\s*(?:Sent from my \w+|Sent from (?:Mail|Outlook|Yahoo Mail|Gmail)\b|Get Outlook for "
                         r"\w+|Sent via \w+|Envoyé de mon \w+|Von meinem \w+ gesendet)", re.I)
_DEVICE_WORDS = ("sent ", "get outlook", "envoy", "von meinem")
#: The marks a sign-off starts with, and how far from the end of its line it may start.
_SIGNS = "^*/~-\u2013\u2014"
_SIGN_OFF_WIDTH = 64
#: Words a sign-off may follow without a full stop ("Thanks - Ana").
_CLOSING_WORDS = {"thanks", "thx", "ty", "cheers", "regards", "best", "sincerely"}


def _sign_off(line: str, own_line: bool) -> int | None:
    """Where an agent's sign-off at the end of ``line`` starts (None: there is none); ``own_line``: the
    line may be a sign-off and nothing else."""
    if not any(ch in line[-_SIGN_OFF_WIDTH:] for ch in _SIGNS):
        return None
    match = _SIGN_OFF.search(line, max(len(line) - _SIGN_OFF_WIDTH, 0))
    if match is None:
        return None
    s = match.start()
    before = line[:s].rstrip()
    if not before:
        return s if own_line or match.group("caret") else None
    if not line[s - 1].isspace() and not before.endswith(tuple(_SENTENCE_END)):
        return None  # glued to a word: "e-Mail", "3-Day", "AC/DC"
    if match.group("dash") and match.group("gap") and before[-1].isalnum():
        words = re.findall(r"[A-Za-z]+", before[-16:])
        if not words or words[-1].lower() not in _CLOSING_WORDS:
            return None  # "from Monday - Tuesday": a spaced dash after a word is prose
    return s


def _last_char(text: str, start: int, end: int) -> str | None:
    stripped = text[start:end].rstrip()
    return stripped[-1] if stripped else None


_WORD_AFTER = re.compile(r"[ \t\r\u00a0]*(\S*)")


def _next_word(text: str, start: int, end: int) -> str:
    """The next word after ``start`` on the line, before the next mark (``end``); empty if there is none."""
    match = _WORD_AFTER.match(text, start, end)
    return match.group(1) if match else ""


def _decide(text: str, item: _Found, before: str | None, after: str, after_mark: bool, in_tail: bool,
            tail_hashtags: int, line_start: int) -> Mark | None:
    """What ``item`` is, given the last character kept before it on its line (None: nothing), the next word
    after it (before any other mark), whether another mark comes right before it and whether it is part of
    the line's trailing block of marks."""
    kind, s, e = item.kind, item.start, item.end
    prose_before = before is not None and before not in _SENTENCE_END
    new_sentence = after[:1].isupper()
    if kind == "handle":
        if before is None and text[e:e + 1] in (",", ":"):
            return Mark(s, e + 1, kind)  # "@hulu: videos stop" addresses the tweet, colon and all
        if not prose_before or _after_greeting(text, line_start, s):
            return Mark(s, e, kind)
        return Mark(s, e, kind, "it." if new_sentence and before != "," else "it")
    if kind == "url":
        if not prose_before:  # a link on its own, or the subject of what follows ("https://… is down")
            return Mark(s, e, kind, "it") if after.lower() in _LINK_VERBS else Mark(s, e, kind)
        if not after and after_mark:
            return Mark(s, e, kind)  # a link (a photo) that ends the line after a hashtag: "… #RDR2 https://t.co/…"
        return Mark(s, e, kind, "it." if new_sentence and before != "," else "it")
    if kind == "hashtag":
        if in_tail and (not prose_before or tail_hashtags > 1):
            return Mark(s, e, kind)
        return Mark(s, s + 1, kind, glued=True)
    if kind == "thread":
        return Mark(s, e, kind) if not prose_before or text[s] in "([" else None
    if kind in {"emoji", "emoticon"} and prose_before and before.isalnum() and new_sentence:
        return Mark(s, e, kind, ".")
    return Mark(s, e, kind)  # emoji, ticket number, sign-off


def _after_greeting(text: str, line_start: int, at: int) -> bool:
    words = re.findall(r"[A-Za-z]+", text[max(line_start, at - 24):at])
    if not words:
        return False
    last = words[-1].lower()
    return last in _GREETINGS or (last == "you" and len(words) > 1 and words[-2].lower() == "thank")


def _with_space(text: str, mark: Mark, floor: int, line_end: int) -> Mark:
    """``mark`` widened over the white space next to it, so that taking it out leaves one space between the
    words around it ("Sorry 😔 for" reads "Sorry for"), or, glued between two letters, replaced by one
    (``floor``: where the previous mark, or the line, ends)."""
    s, e = mark.start, mark.end
    if mark.glued or mark.stand_in.strip(".") or mark.stand_in == " ":
        return mark
    a = s
    while a > floor and text[a - 1] in _SPACE:
        a -= 1
    b = e
    while b < line_end and text[b] in _SPACE:
        b += 1
    if mark.stand_in == ".":  # "that 😔 Let" reads "that. Let"
        return Mark(a, e, mark.kind, ".")
    if a < s and not text[e:e + 1].isalnum():
        return Mark(a, b if b == line_end else e, mark.kind)  # " 😊" goes with the space before it
    if a == floor and not text[floor:s].strip():  # at the start of the line, or right after a mark taken out
        return Mark(s, b, mark.kind)
    if 0 < s and e < len(text) and text[s - 1].isalnum() and text[e].isalnum():
        return Mark(s, e, mark.kind, " ")
    return mark
