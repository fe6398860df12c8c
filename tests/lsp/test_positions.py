"""Offsets ↔ LSP positions in each position encoding, the way the protocol counts them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types

from empathylint.lsp.positions import Positions

TEXT = "Olá 😀 Zoë,\r\nwe ❤ you\rthird 🧑‍💻 line\nlast"


def test_utf16_counts_an_emoji_as_two_units_and_an_accent_as_one():
    positions = Positions(TEXT)
    after_emoji = TEXT.index("Zoë")
    assert positions.position(after_emoji) == types.Position(0, 7)  # O l á ␠ 😀(2) ␠
    assert positions.offset(types.Position(0, 7)) == after_emoji


def test_utf8_counts_bytes_and_utf32_code_points():
    after_emoji = TEXT.index("Zoë")
    assert Positions(TEXT, "utf-8").position(after_emoji) == types.Position(0, 10)  # á: 2 bytes, 😀: 4
    assert Positions(TEXT, "utf-32").position(after_emoji) == types.Position(0, 6)
    assert Positions(TEXT, types.PositionEncodingKind.Utf8).encoding == "utf-8"


def test_lines_end_at_crlf_a_lone_cr_and_lf_only():
    positions = Positions(TEXT + "\u2028still last")  # U+2028 ends a line for str.splitlines, not for LSP
    assert positions.position(TEXT.index("we")) == types.Position(1, 0)
    assert positions.position(TEXT.index("third")) == types.Position(2, 0)
    assert positions.position(TEXT.index("last")) == types.Position(3, 0)
    assert positions.position(len(TEXT) + 1).line == 3


def test_a_zwj_sequence_counts_each_of_its_code_points():
    positions = Positions(TEXT)
    start = TEXT.index("🧑")
    assert positions.position(start + 3).character - positions.position(start).character == 5  # 🧑 ZWJ 💻


def test_out_of_range_positions_clamp_as_the_protocol_says():
    positions = Positions(TEXT)
    assert positions.offset(types.Position(0, 999)) == TEXT.index("\r\n")  # past the line: its end
    assert positions.offset(types.Position(99, 0)) == len(TEXT)
    assert positions.offset(types.Position(0, 5)) == TEXT.index("😀")  # inside a surrogate pair: before it
    assert positions.position(-3) == types.Position(0, 0)


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60),
       st.sampled_from(["utf-16", "utf-8", "utf-32"]))
def test_every_offset_off_a_line_break_round_trips(text, encoding):
    positions = Positions(text, encoding)
    for offset in range(len(text) + 1):
        if offset and text[offset - 1] == "\r" and text[offset:offset + 1] == "\n":
            continue  # between CR and LF: no position names it
        assert positions.offset(positions.position(offset)) == offset
