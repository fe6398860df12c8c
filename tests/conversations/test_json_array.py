"""A JSON array read as a stream: the same elements, at the same lines and columns of the file, however the
file is cut into blocks; a twitter-care file streamed gives what the whole file gives; a broken conversation
spoils only itself."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from empathylint.conversations import BadRecord, Conversation
from empathylint.conversations.json_array import iter_array
from empathylint.conversations.twitter_care import read_twitter_care, stream_twitter_care
from empathylint.errors import InputError
from empathylint.readers.jsonscan import parse_json
from empathylint.source import SourceFile

PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=80)
SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=12)
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5),
                                                                                           inner, max_size=3),
                      max_leaves=8)


def elements(text: str, block: int) -> list[SourceFile]:
    return list(iter_array("a.json", io.BytesIO(text.encode("utf-8")), "a list", block))


@PROPERTY
@given(st.lists(VALUES, max_size=6), st.sampled_from([None, 0, 1, 2]), st.booleans(), st.integers(1, 40))
def test_each_element_is_read_whole_at_its_place_in_the_file(values, indent, ascii_only, block):
    text = json.dumps(values, indent=indent, ensure_ascii=ascii_only)
    file = SourceFile("a.json", text)
    found = elements(text, block)
    assert [json.loads(w.text) for w in found] == values
    for window in found:
        begin = len(window.text) - len(window.text.lstrip(" "))
        line, column = window.position(begin)
        # the element's first character is where the whole file has it, and so is its last
        start = file._line_starts[line - 1] + column - 1
        assert text[start:start + len(window.text) - begin] == window.text[begin:]


def test_brackets_and_commas_inside_strings_count_for_nothing():
    text = '[{"a": "],[{"}, "x\\"]", [1, {"b": "\\\\"}]]'
    assert [json.loads(w.text) for w in elements(text, 3)] == [{"a": "],[{"}, 'x"]', [1, {"b": "\\"}]]


@pytest.mark.parametrize("text, problem", [
    ('{"a": 1}', "expected a JSON list"), ('[{"a": 1}, {"b": ', "ends inside an element"),
    ('[{"a": "never closed', "ends inside a string"), ('[1, 2] 3', "text after its JSON list"),
    ('[1,,2]', "an empty element"), ('  ', "expected a JSON list"), ('[1, 2', "a ']' is missing|ends inside"),
])
def test_a_file_that_is_not_one_json_list_is_an_error(text, problem):
    with pytest.raises(InputError, match=problem):
        elements(text, 4)


def test_not_utf8_is_an_error_naming_the_byte():
    with pytest.raises(InputError, match="not valid UTF-8 .byte 0xff"):
        list(iter_array("a.json", io.BytesIO(b'[1, "\xff"]'), "a list", 2))


def _view(items) -> list:
    out = []
    for item in items:
        if isinstance(item, BadRecord):
            out.append(("bad", item.record, item.notice))
        else:
            out.append((item.id, item.company, [(m.record, m.role, m.author, m.timestamp, m.text,
                                                 m.location.file.position(m.location.node.start))
                                                for m in item.messages]))
    return out


@pytest.mark.parametrize("block", [7, 4096, None])
def test_a_twitter_care_file_streamed_gives_what_the_whole_file_gives(data_dir, monkeypatch, block):
    from empathylint.conversations import json_array

    path = data_dir / "twitter.json"
    whole = _view(read_twitter_care(SourceFile(str(path), path.read_text(encoding="utf-8"))))
    if block:
        monkeypatch.setattr(json_array, "BLOCK", block)
    with open(path, "rb") as stream:
        assert _view(stream_twitter_care(str(path), stream)) == whole


def test_a_broken_conversation_is_a_notice_and_the_rest_is_read():
    good = {"dialogHeader": {"sessionID": "s2", "conversationDateTime": "2020-01-01T00:00:00.000Z",
                             "duration": "00:01:00.0"},
            "dialogContent": [{"client": "c", "datetime": "2020-01-01T00:00:00.000Z", "message": "hi",
                               "tweet_ID": "1"}]}
    text = '[\n' + json.dumps(dict(good, dialogHeader={"sessionID": "s1"})) + ',\n {"dialogHeader": tru},\n ' \
        + json.dumps(good) + '\n]'
    items = list(stream_twitter_care("t.json", io.BytesIO(text.encode())))
    assert [i.id for i in items if isinstance(i, Conversation)] == ["s1", "s2"]
    (bad,) = [i for i in items if isinstance(i, BadRecord)]
    assert bad.record == "2" and bad.notice.startswith("line 3: not valid JSON") and "conversation 2 skipped" in \
        bad.notice


def test_a_list_in_another_layout_is_an_error_naming_it():
    with pytest.raises(InputError, match=r"r.json:2: is not a twitter-care conversation file"):
        list(stream_twitter_care("r.json", io.BytesIO(b'[\n{"text": "Hello"}]')))


def test_the_parser_reads_each_window_as_the_whole_file_reads_it():
    text = '[ {"a": [1, 2]},\n   {"b": "c"} ]'
    found = elements(text, 5)
    assert [w.line_base for w in found] == [0, 1]
    assert [type(parse_json(w.text)).__name__ for w in found] == ["Mapping", "Mapping"]
