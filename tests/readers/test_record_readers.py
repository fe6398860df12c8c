"""Collections (JSON, Zendesk macros, JSONL, YAML, CSV): each record's text maps to the line and column
inside the file where its string is written; bad records become notices, the others are still read."""

from __future__ import annotations

import io
import json

import pytest

from empathylint.errors import InputError
from empathylint.readers import ReadOptions, read_stream
from empathylint.readers.jsonl import MAX_WAITING


# JSON -------------------------------------------------------------------------------------------------
def test_json_escapes_map_exactly(read, maps_back, locate):
    data = '[\r\n  {"id": 7, "title": "Refund", "text": "Caf\\u00e9 \\ud83d\\ude00 \\"ok\\"\\nAs I already explained\\u2026"}\r\n]'
    [source] = read(data, "replies.json")
    maps_back(source)
    assert source.text == 'Café 😀 "ok"\nAs I already explained…'
    assert (source.record, source.title) == ("7", "Refund")
    line = data.splitlines()[1]
    column = line.index("As I") + 1
    assert locate(source, "As I already explained") == ((2, column), (2, column + 22), "As I already explained")
    assert locate(source, "😀") == ((2, line.index("\\ud83d") + 1), (2, line.index("\\ude00") + 7), "\\ud83d\\ude00")
    assert locate(source, '"ok"') == ((2, line.index('\\"ok') + 2), (2, line.index('ok\\"') + 5), '"ok\\"')


@pytest.mark.parametrize(("data", "texts"), [
    ('{"replies": [{"body": "One."}, {"body": "Two."}]}', ["One.", "Two."]),
    ('{"late": "Sorry it is late.", "lost": {"response": "We will resend it."}}',
     ["Sorry it is late.", "We will resend it."]),
    ('{"reply": "Just one."}', ["Just one."]),
    ('["First.", "Second."]', ["First.", "Second."]),
])
def test_json_collection_shapes(read, data, texts):
    assert [s.text for s in read(data, "r.json")] == texts


def test_json_custom_fields_and_dotted_paths(read):
    data = '[{"key": "a", "draft": {"body": "Hello."}, "msg": "Where is it?", "label": "Lost"}]'
    [source] = read(data, "r.json", text_field="draft.body", customer_field="msg", id_field="key",
                    title_field="label")
    assert (source.text, source.customer, source.record, source.title) == ("Hello.", "Where is it?", "a", "Lost")


def test_json_bad_records_do_not_stop_the_others(read):
    sources = read('[{"text": "Fine."}, {"text": 42}, {"other": "x"}, 5, {"text": "Also fine."}]', "r.json")
    assert [s.text for s in sources] == ["Fine.", "", "", "", "Also fine."]
    assert [bool(s.notices) for s in sources] == [False, True, True, True, False]
    assert sources[1].notices == ["line 1, column 21: field 'text' is not a string; record skipped"]


@pytest.mark.parametrize(("data", "message", "line"), [
    ('{\n  "text": "a",\n  "b" 1\n}', "is not valid JSON: expected ':' after the key (column 7)", 3),
    ('[{"text": "unterminated}]', "is not valid JSON: a string is never closed", 1),
    ('{"items": [{"title": "x"}]}', "has no reply field", 1),
    ("", "is empty: there is no reply to lint", None),
])
def test_json_errors_name_the_line(read, data, message, line):
    with pytest.raises(InputError) as error:
        read(data, "r.json")
    assert message in error.value.problem and error.value.line == line


# Zendesk ----------------------------------------------------------------------------------------------
MACROS = {"macros": [
    {"id": 11, "title": "Refund", "actions": [
        {"field": "status", "value": "solved"},
        {"field": "comment_value", "value": "Hi {{ticket.requester.first_name}},\nLike I said, it\u2019s done."}]},
    {"id": 12, "title": "HTML", "actions": [
        {"field": "comment_value_html", "value": "<p>Hi&nbsp;{{ticket.requester.first_name}},</p><p>Obviously.</p>"}]},
    {"id": 13, "title": "Channel", "actions": [{"field": "comment_value", "value": ["channel:all", "Hello."]}]},
    {"id": 14, "title": "Broken", "actions": [{"field": "comment_value", "value": {"x": 1}}]},
    {"id": 15, "title": "Status only", "actions": [{"field": "status", "value": "open"}]},
]}


def test_zendesk_macros(read, maps_back, locate):
    data = json.dumps(MACROS, indent=2)
    sources = read(data, "macros.json")
    assert [(s.record, s.title, s.text) for s in sources] == [
        ("11", "Refund", "Hi Alex,\nLike I said, it’s done."),
        ("12", "HTML", "Hi Alex,\n\nObviously."),
        ("13", "Channel", "Hello."),
        ("14", "Broken", "")]
    for source in sources[:3]:
        maps_back(source)
    assert "a comment_value action whose value is not text" in sources[3].notices[0]
    (line, column), _, original = locate(sources[0], "Like I said")
    assert original == "Like I said" and data.splitlines()[line - 1][column - 1:].startswith("Like I said")
    assert locate(sources[1], "Hi ")[2] == "Hi&nbsp;"


def test_zendesk_format_refuses_json_that_is_not_an_export(read):
    with pytest.raises(InputError, match="is not a Zendesk macros export") as error:
        read('{"tickets": [{"id": 1}]}', "export.json", "zendesk")
    assert error.value.line == 1
    [single] = read('{"macro": {"id": 5, "title": "T", "actions": [{"field": "comment_value", "value": "Hi."}]}}',
                    "m.json", "zendesk")
    assert (single.record, single.text) == ("5", "Hi.")


# JSONL ------------------------------------------------------------------------------------------------
def test_jsonl_records_know_their_line(read, maps_back, locate):
    data = ('{"id": "a", "text": "Fine."}\r\n\r\n{"id": "b", "text": "Caf\\u00e9 \\u2014 as I already explained."}\r\n'
            'not json\r\n{"id": "c", "body": "no text field"}\r\n"A bare reply."\r\n')
    sources = read(data, "r.jsonl")
    assert [(s.record, s.text) for s in sources] == [
        ("a", "Fine."), ("b", "Café — as I already explained."), ("3", ""), ("c", ""), ("5", "A bare reply.")]
    maps_back(sources[1])
    column = data.split("\r\n")[2].index("as I") + 1
    assert locate(sources[1], "as I already explained") == ((3, column), (3, column + 22), "as I already explained")
    assert sources[2].notices == ["line 4, column 1: not valid JSON: unexpected 'n' where a value was expected; "
                                  "record skipped"]
    assert sources[3].notices == ["line 5, column 1: no field 'text'; record skipped"]


def test_jsonl_first_record_without_a_reply_field_is_a_notice_like_in_json(read):
    lines = ['{"id": "meta", "exported": "2024-05-01"}', "not json", '{"id": "a", "reply": "Like I said, no."}',
             '{"id": "b", "other": "x"}']
    as_jsonl = read("\n".join(lines) + "\n", "r.jsonl")
    assert [(s.record, s.text) for s in as_jsonl] == [
        ("meta", ""), ("2", ""), ("a", "Like I said, no."), ("b", "")]
    assert as_jsonl[0].notices == ["line 1, column 1: no field 'reply'; record skipped"]
    assert as_jsonl[3].notices == ["line 4, column 1: no field 'reply'; record skipped"]
    as_json = read("[" + ",\n".join(lines[:1] + lines[2:]) + "]", "r.json")
    assert [s.notices == [] for s in as_json] == [False, True, False]


def test_jsonl_without_any_reply_field_is_an_error_unless_a_line_is_a_reply(read):
    with pytest.raises(InputError, match="has no reply field") as error:
        read('\n{"id": 1}\n{"id": 2, "note": "x"}\n', "r.jsonl")
    assert error.value.line == 2 and "(id, note)" in error.value.problem
    sources = read('{"id": 1}\n"A bare reply."\n', "r.jsonl")
    assert [(s.text, s.notices) for s in sources] == [
        ("", ["line 1, column 1: no field 'text'; record skipped"]), ("A bare reply.", [])]


class _CountingStream(io.RawIOBase):
    """A huge JSONL stream produced on demand, counting the lines handed out."""

    def __init__(self, lines: int, line: bytes = b'{"text": "Thanks for waiting, it ships today."}\n') -> None:
        self.left, self.served, self.line = lines, 0, line

    def readable(self) -> bool:
        return True

    def readline(self, size: int = -1) -> bytes:
        if not self.left:
            return b""
        self.left -= 1
        self.served += 1
        return self.line

    def __iter__(self):
        return iter(self.readline, b"")


def test_jsonl_is_read_as_a_stream():
    stream = _CountingStream(10_000_000)
    sources = read_stream("big.jsonl", stream, ReadOptions())
    first = next(sources)
    assert first.text == "Thanks for waiting, it ships today." and first.file.line_base == 0
    for _ in range(999):
        last = next(sources)
    assert stream.served == 1000 and last.file.position(0) == (1000, 1) and len(last.file.text) < 100


def test_jsonl_whose_records_name_the_field_otherwise_fails_without_reading_on():
    stream = _CountingStream(10_000_000, b'{"id": 7, "note": "Thanks for waiting."}\n')
    with pytest.raises(InputError, match="has no reply field"):
        next(read_stream("big.jsonl", stream, ReadOptions()))
    assert stream.served == MAX_WAITING


# YAML -------------------------------------------------------------------------------------------------
YAML = """\
# saved replies
replies:
  - id: lit
    title: Literal
    text: |
      Hi {{ customer.first_name }},

      Like I said, it's done. 😀
  - id: fold
    text: >
      You should have
      checked first.
  - id: quoted
    text: "Caf\\u00e9 \\"ok\\"\\nobviously done"
  - id: single
    text: 'It''s obviously done'
"""


def test_yaml_scalars_map_back(read, maps_back, locate):
    sources = read(YAML, "replies.yaml")
    assert [s.record for s in sources] == ["lit", "fold", "quoted", "single"]
    assert sources[0].text == "Hi Alex,\n\nLike I said, it's done. 😀\n"
    assert sources[1].text == "You should have checked first.\n"
    assert sources[2].text == 'Café "ok"\nobviously done'
    assert sources[3].text == "It's obviously done"
    for source in sources:
        maps_back(source)
    assert locate(sources[0], "Like I said") == ((8, 7), (8, 18), "Like I said")
    assert locate(sources[1], "checked") == ((12, 7), (12, 14), "checked")
    assert locate(sources[2], "obviously") == ((14, 30), (14, 39), "obviously")
    assert locate(sources[3], "obviously") == ((16, 18), (16, 27), "obviously")


def test_yaml_single_quoted_doubled_quotes_map_onto_their_pair(read, maps_back, locate):
    (source,) = read("- text: 'Hi Sam,''0''0 that''s obviously done'\n", "replies.yaml")
    assert source.text == "Hi Sam,'0'0 that's obviously done"
    maps_back(source)
    quotes = [source.original_span(i, i + 1) for i, char in enumerate(source.text) if char == "'"]
    assert [source.file.text[a:b] for a, b in quotes] == ["''"] * 3
    assert locate(source, "0'0") == ((1, 19), (1, 23), "0''0")
    assert locate(source, "obviously") == ((1, 32), (1, 41), "obviously")


def test_yaml_errors(read):
    with pytest.raises(InputError, match="is not valid YAML") as error:
        read("replies:\n  - text: a\n   bad: [\n", "r.yaml")
    assert error.value.line == 3
    with pytest.raises(InputError, match="has no reply field"):
        read("- title: a\n- title: b\n", "r.yml")
    with pytest.raises(InputError, match="has no reply field"):  # a number, not a reply
        read("0\n", "r.yaml")


def test_yaml_error_says_where_an_unclosed_quote_began(read):
    with pytest.raises(InputError, match="is not valid YAML") as error:
        read('replies:\n  - id: a\n    text: "Like I said\n  - id: b\n', "r.yaml")
    assert error.value.line == 5  # PyYAML notices only at the end of the file…
    assert "while scanning a quoted scalar started at line 3, column 11" in str(error.value)  # …what began here


def test_yaml_aliases_are_read_once(read):
    # an alias inside its own anchor, and aliases that double 40 times: neither recurses nor expands
    doubling = "".join(f"\n    a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 41))
    data = f"- text: Like I said, no.\n- &loop [*loop]\n- id: laughs\n  more:\n    a0: &a0 [x, y]{doubling}\n"
    sources = read(data, "r.yaml")
    assert [(s.record, s.text) for s in sources] == [("1", "Like I said, no."), ("2", ""), ("laughs", "")]
    assert "neither a record" in sources[1].notices[0]


def test_yaml_numbers_and_booleans_are_not_replies(read):
    sources = read("- 0\n- true\n- Just restart it.\n- text: 12\n  id: 7\n", "r.yaml")
    assert [(s.record, s.text) for s in sources] == [("1", ""), ("2", ""), ("3", "Just restart it."), ("7", "")]
    assert "neither a record" in sources[0].notices[0] and "neither a record" in sources[1].notices[0]
    assert sources[3].notices == ["line 4, column 3: field 'text' is not a string; record skipped"]


# CSV --------------------------------------------------------------------------------------------------
def test_bitext_layout_works_with_defaults(read, maps_back, locate):
    data = ('flags,instruction,category,intent,response\r\n'
            'B,where is my order,ORDER,track_order,"Hi,\r\n\r\nYour order {{Order Number}} ships ""today"" — '
            'as I already explained."\r\n'
            'B,cancel it,ORDER,cancel_order,Just cancel it in {{Account Settings}}.\r\n')
    sources = read(data, "bitext.csv")
    assert [(s.record, s.title, s.customer) for s in sources] == [
        ("1", "track_order", "where is my order"), ("2", "cancel_order", "cancel it")]
    assert sources[0].text == 'Hi,\r\n\r\nYour order Order Number ships "today" — as I already explained.'
    maps_back(sources[0])
    maps_back(sources[1])
    assert locate(sources[0], "as I already explained") == ((4, 47), (4, 69), "as I already explained")
    # a doubled quote maps onto its first character, as a copied character does
    assert locate(sources[0], '"today"') == ((4, 35), (4, 43), '""today"')


def test_csv_options_delimiters_and_errors(read):
    [source] = read("key\tbody\tmsg\nk1\tHello.\tHi\n", "r.tsv", text_field="body", customer_field="msg",
                    id_field="key")
    assert (source.record, source.text, source.customer) == ("k1", "Hello.", "Hi")
    [source] = read("reply;customer\nHello.;Hi\n", "r.csv", customer_field="")
    assert (source.text, source.customer) == ("Hello.", None)
    with pytest.raises(InputError, match="has no column 'body'") as error:
        read("text,customer\na,b\n", "r.csv", text_field="body")
    assert error.value.line == 1
    with pytest.raises(InputError, match="has no reply field"):
        read("a,b\n1,2\n", "r.csv")


def test_csv_unclosed_quote_keeps_earlier_rows(read):
    sources = read('text\nFine.\n"Broken, never closed\nmore\n', "r.csv")
    assert [s.text for s in sources] == ["Fine.", ""]
    assert sources[1].notices == ["line 3, column 1: a quoted field is never closed (a missing '\"'): the rest "
                                  "of the file was not read; record skipped"]


def test_csv_row_longer_than_the_header_says_what_was_not_read(read):
    sources = read("id,response\r\n1,Thanks. Like I said, as I already explained, wait.\r\n2,\"Fine, thanks.\",\r\n",
                   "r.csv")
    assert [s.text for s in sources] == ["Thanks. Like I said", "Fine, thanks."]
    assert sources[0].notices == ["line 2, column 23: the row has 4 fields but the header names 2; the rest of the "
                                  "row was not read (quote a field that holds the delimiter)"]
    assert sources[1].notices == []  # a trailing empty field loses nothing
