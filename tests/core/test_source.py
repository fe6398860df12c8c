"""Offset maps and line/column positions: every extracted character maps back onto the same original
character, and positions are 1-based with CRLF and multi-byte text."""

from __future__ import annotations

from hypothesis import given, strategies as st

from empathylint.source import OffsetMap, Source, SourceFile


def test_position_is_one_based_and_counts_code_points():
    file = SourceFile("f.txt", "héllo 👋\r\nsecond line\n")
    assert file.position(0) == (1, 1)
    assert file.position(7) == (1, 8)           # after "héllo " and the emoji, one code point each
    assert file.position(9) == (2, 1)           # after "\r\n"
    assert file.line_text(1) == "héllo 👋"
    assert file.line_text(2) == "second line"


def test_line_base_shifts_lines_of_a_window():
    file = SourceFile("big.jsonl", '{"text": "x"}\n', line_base=41)
    assert file.position(10) == (42, 11)
    assert file.line_text(42) == '{"text": "x"}'


def test_synthetic_runs_map_as_a_whole():
    # original: "Hi {{name}}, thanks" -> extracted "Hi Alex, thanks"
    original = "Hi {{name}}, thanks"
    offsets = OffsetMap()
    offsets.copy(3, 0)
    offsets.synthetic(4, 3, 11)
    offsets.copy(8, 11)
    text = "Hi Alex, thanks"
    source = Source(text, SourceFile("t", original), offsets)
    assert source.original_span(3, 7) == (3, 11)          # the stand-in covers the whole placeholder
    assert source.original_span(5, 7) == (3, 11)          # never starts inside it
    start, end = source.original_span(9, 15)
    assert original[start:end] == "thanks"


@st.composite
def extractions(draw):
    """A random original text and an extraction made of copied and synthetic pieces of it."""
    original = draw(st.text(min_size=1, max_size=80))
    cuts = sorted(draw(st.lists(st.integers(0, len(original)), max_size=8)))
    bounds = [0, *cuts, len(original)]
    offsets, extracted, kinds = OffsetMap(), [], []
    for a, b in zip(bounds, bounds[1:]):
        if a == b:
            continue
        if draw(st.booleans()):
            offsets.copy(b - a, a)
            extracted.append(original[a:b])
            kinds.append(("copy", a, b))
        else:
            stand_in = draw(st.text(min_size=1, max_size=5))
            offsets.synthetic(len(stand_in), a, b)
            extracted.append(stand_in)
            kinds.append(("synthetic", a, b))
    return original, "".join(extracted), offsets, kinds


@given(extractions(), st.data())
def test_every_span_maps_inside_the_source_and_copies_map_exactly(case, data):
    original, text, offsets, kinds = case
    if not text:
        return
    source = Source(text, SourceFile("p", original), offsets)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    o_start, o_end = source.original_span(start, end)
    assert 0 <= o_start <= o_end <= len(original)
    # where each piece sits in the extracted text
    synthetic = iter(offsets.synthetic_spans())
    ext = 0
    for kind, a, b in kinds:
        size = b - a if kind == "copy" else (lambda s: s[1] - s[0])(next(synthetic))
        if kind == "copy" and ext <= start and end <= ext + size:
            assert original[o_start:o_end] == text[start:end]   # copied text maps char for char
        if kind == "synthetic" and ext < end and start < ext + size:
            # a span touching a synthetic run never starts or ends strictly inside its original
            assert not a < o_start < b and not a < o_end < b
        ext += size
