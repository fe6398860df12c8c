"""HTML: the visible text only, offsets exact across tags and entities, quotes and hidden elements
skipped, malformed markup linted best-effort with a notice."""

from __future__ import annotations

import pytest


def test_visible_text_across_tags_and_entities(read, maps_back, locate):
    html = ("<html><head><title>Order</title><style>p {}</style></head>\r\n<body>\r\n"
            "<p>Caf&eacute; &amp; bar &#x1F600; &mdash; <b>As I</b> already explained,</p>\r\n"
            "<p>just&nbsp;restart the router.</p></body></html>")
    [source] = read(html, "reply.html")
    maps_back(source)
    assert source.text == "Café & bar 😀 — As I already explained,\n\njust restart the router."
    line = html.splitlines()[2]
    column = line.index("As I") + 1
    assert locate(source, "As I already explained") == ((3, column), (3, column + 26), "As I</b> already explained")
    assert locate(source, "é") == ((3, 7), (3, 15), "&eacute;")
    column = line.index("&#x1F600;") + 1
    assert locate(source, "😀") == ((3, column), (3, column + 9), "&#x1F600;")
    assert locate(source, "just") == ((4, 4), (4, 8), "just")


def test_skips_code_scripts_hidden_elements_and_comments(read, maps_back):
    html = ("<p>Hello.</p><script>var a = '<p>no</p>';</script><pre>Just run it</pre><code>x</code>"
            "<div hidden>secret</div><div style='display: none'>gone</div><span aria-hidden=\"true\">x</span>"
            "<!-- internal: obviously wrong --><input type=hidden value=v><p>Thanks.</p>")
    [source] = read(html, "reply.html")
    maps_back(source)
    assert source.text == "Hello.\n\nThanks."


def test_nested_blockquotes_are_skipped(read, maps_back):
    html = ("<p>Sorry about that.</p><blockquote>Where is it?<blockquote>Older message</blockquote>"
            "Please hurry.</blockquote><p>It ships today.</p>")
    [source] = read(html, "reply.html")
    maps_back(source)
    assert source.text == "Sorry about that.\n\nIt ships today."


def test_comment_value_html_fragment_and_crlf(read, maps_back, locate):
    [source] = read("Hi Sam,<br>\r\nLike I said, <i>it&#39;s</i> fixed.", "fragment.htm")
    maps_back(source)
    assert source.text == "Hi Sam,\nLike I said, it's fixed."
    assert locate(source, "it's") == ((2, 17), (2, 25), "it&#39;s")


@pytest.mark.parametrize(("html", "text", "notice"), [
    ("<p>Hello.</p><p>Bye <a href='x", "Hello.\n\nBye ", "a tag is never closed"),
    ("<p>Hello.</p><!-- draft", "Hello.", "the comment '<!--' is never closed"),
    ("<p>Hello.</p><script>alert(1)", "Hello.", "<script> is never closed"),
    ("<p>Hello.<blockquote>quoted", "Hello.", "<blockquote> is never closed"),
    ("</div></p>Stray end tags.<p>a < b & c</p>", "Stray end tags.\n\na < b & c", None),
    ("<p>Unclosed <b>bold <i>and italic.</p><p>Next.", "Unclosed bold and italic.\n\nNext.", None),
])
def test_malformed_html_is_linted_best_effort(read, maps_back, html, text, notice):
    [source] = read(html, "reply.html")
    maps_back(source)
    assert source.text == text
    if notice:
        assert len(source.notices) == 1 and notice in source.notices[0]
        assert source.notices[0].startswith("line 1, column ")
    else:
        assert not source.notices


def test_lints_the_visible_text(rules_linter, read):
    [source] = read("<div>\n  <p>Hello,</p>\n  <p><em>As I already explained</em>, the refund &amp; the "
                    "credit are on their way.</p>\n</div>\n", "reply.html")
    [result] = rules_linter.lint_sources([source])
    [d] = [d for d in result.diagnostics if d.code == "CND001"]
    assert (d.line, d.column, d.end_line, d.end_column) == (3, 10, 3, 32)
    assert d.text == "As I already explained"
