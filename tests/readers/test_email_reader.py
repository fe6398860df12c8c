"""Email: the agent's new text only, decoded in place (quoted-printable, base64, charsets), the quoted
customer message as context, signatures dropped, truncated or odd messages read best-effort."""

from __future__ import annotations

import base64

import pytest

from empathylint.errors import InputError
from empathylint.readers.eml import looks_like_email

HEADERS = ("From: Sam <sam@shop.example>\r\nTo: Jo <jo@example.net>\r\nSubject: =?UTF-8?Q?Re:_Refund_=E2=80=93_"
           "order_7?=\r\nDate: Tue, 4 Mar 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\n")


def message(body: str, content_type: str = 'text/plain; charset="utf-8"', encoding: str = "7bit") -> str:
    return (f"{HEADERS}Content-Type: {content_type}\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n"
            + body)


def test_quoted_printable_reply_with_quote_and_signature(read, maps_back, locate):
    body = ("Hi Jo,\r\n\r\nI=E2=80=99m sorry. As I already expla=\r\nined, the refund is on its way.\r\n\r\n"
            "-- \r\nSam | Shop Support\r\n\r\nOn Mon, 3 Mar 2025 at 09:14, Jo Park <jo@example.net> wrote:\r\n"
            "> Where is my refund? This is the third time I ask!\r\n>> On Sun, Sam wrote:\r\n>> older\r\n")
    [source] = read(message(body, encoding="quoted-printable"), "reply.eml")
    maps_back(source)
    assert source.text == "Hi Jo,\r\n\r\nI’m sorry. As I already explained, the refund is on its way."
    assert source.customer == "Where is my refund? This is the third time I ask!"
    assert source.title == "Re: Refund – order 7"
    assert locate(source, "’") == ((11, 2), (11, 11), "=E2=80=99")
    assert locate(source, "As I already explained") == ((11, 20), (12, 5), "As I already expla=\r\nined")


def test_soft_break_hit_is_reported_across_lines(rules_linter, read):
    body = "Hello,\r\n\r\nAs I already expla=\r\nined, the refund is on its way.\r\n"
    [source] = read(message(body, encoding="quoted-printable"), "reply.eml")
    [result] = rules_linter.lint_sources([source])
    [d] = [d for d in result.diagnostics if d.code == "CND001"]
    assert (d.line, d.column, d.end_line, d.end_column) == (11, 1, 12, 5)


def test_html_only_base64_mail(read, maps_back, locate):
    html = ("<div>Hi Jo,</div><div><br></div><div>Like I said, it&rsquo;s fixed.</div>"
            "<div class=\"gmail_signature\">Sam<br>Shop</div><div class=\"gmail_quote\"><div class=\"gmail_attr\">"
            "On Mon, Jo wrote:</div><blockquote class=\"gmail_quote\">It is still broken!!</blockquote></div>")
    encoded = base64.encodebytes(html.encode()).decode().replace("\n", "\r\n")
    [source] = read(message(encoded, 'text/html; charset="utf-8"', "base64"), "reply.eml")
    maps_back(source)
    assert source.text == "Hi Jo,\n\nLike I said, it’s fixed."
    assert source.customer == "It is still broken!!"
    (line, _), _, original = locate(source, "Like I said")
    assert line >= 8 and set(original) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/\r\n")
    assert base64.b64decode(original.replace("\r\n", "") + "==="[:(-len(original.replace("\r\n", ""))) % 4]
                            ).decode("utf-8", "replace").find("Like") >= 0


def test_multipart_alternative_prefers_plain_text(read):
    text = (f"{HEADERS}Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\nPlain version.\r\n--b1\r\n"
            "Content-Type: text/html; charset=utf-8\r\n\r\n<p>HTML version.</p>\r\n--b1--\r\nepilogue\r\n")
    [source] = read(text, "reply.eml")
    assert source.text == "Plain version."
    assert not source.notices


def test_truncated_multipart_is_read_with_a_notice(read, maps_back):
    text = (f"{HEADERS}Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\n"
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + base64.b64encode(b"Just restart the router, it will work.").decode()[:-7])
    [source] = read(text, "reply.eml")
    maps_back(source)
    assert source.text.startswith("Just restart the router")
    assert any("closing boundary '--b1--'" in n for n in source.notices)
    assert any("base64 body is truncated" in n for n in source.notices)


def test_latin1_8bit_message(read, maps_back, locate):
    text = message("Bonjour Zoé,\r\nLike I said, c'est réglé.\r\n", 'text/plain; charset="iso-8859-1"', "8bit")
    [source] = read(text.encode("latin-1"), "reply.eml")
    maps_back(source)
    assert source.text == "Bonjour Zoé,\r\nLike I said, c'est réglé."
    assert locate(source, "Like I said") == ((10, 1), (10, 12), "Like I said")
    assert "not valid UTF-8" in source.notices[0]


def test_windows_1252_quoted_printable(read, maps_back):
    [source] = read(message("It=92s fixed.\r\n", 'text/plain; charset="windows-1252"', "quoted-printable"),
                    "reply.eml")
    maps_back(source)
    assert source.text == "It’s fixed."


def test_outlook_header_block_starts_the_history(read):
    body = ("Hi Jo,\r\nJust restart the router.\r\n\r\nKind regards,\r\nSam Lee\r\nShop Support\r\n"
            "________________________________\r\nFrom: Jo Park <jo@example.net>\r\nSent: Monday, 3 March 2025 "
            "09:14\r\nTo: Support <help@shop.example>\r\nSubject: Router\r\n\r\nMy router keeps dropping.\r\n"
            "Please help.\r\n")
    [source] = read(message(body), "reply.eml")
    assert source.text == "Hi Jo,\r\nJust restart the router.\r\n\r\nKind regards,"
    assert source.customer == "My router keeps dropping.\nPlease help."


def test_inline_reply_skips_interleaved_quotes(read, maps_back):
    body = ("Hi Jo,\r\n\r\n> When will it ship?\r\nTomorrow morning.\r\n\r\n> Can I change the address?\r\n"
            "Yes, I've updated it.\r\n\r\nSent from my iPhone\r\n")
    [source] = read(message(body), "reply.eml")
    maps_back(source)
    assert source.text == "Hi Jo,\r\n\r\nTomorrow morning.\r\n\r\nYes, I've updated it."
    assert source.customer == "When will it ship?\nCan I change the address?"


def test_only_attachments_is_an_error(read):
    text = (f"{HEADERS}Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/pdf\r\n"
            "Content-Disposition: attachment; filename=a.pdf\r\n\r\nJVBERi0=\r\n--b--\r\n")
    with pytest.raises(InputError, match="no text/plain or text/html part"):
        read(text, "reply.eml")


def test_body_without_headers(read):
    [source] = read("Like I said, it's done.\n\nOn Mon, Jo wrote:\n> Is it done?\n", "x", "email")
    assert source.text == "Like I said, it's done."
    assert source.customer == "Is it done?"
    assert "no mail headers" in source.notices[0]


@pytest.mark.parametrize(("head", "expected"), [
    (HEADERS.encode() + b"\r\nBody", True),
    (b"Received: from x\r\n\tby y\r\nFrom: a@b\r\nSubject: hi\r\n\r\nBody", True),
    (b"Subject: only one known header\r\n\r\nBody", False),
    (b"Hi Sam,\nFrom: me\nTo: you\n", False),
    (b"Note: this is prose\nFrom: x\nTo: y\nand more prose\n", False),
])
def test_sniffing_rfc822_on_stdin(head, expected):
    assert looks_like_email(head) is expected
