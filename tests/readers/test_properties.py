"""Property tests for every reader: whatever the input, reading never crashes (a bad file is an `InputError`,
a bad record a notice), and every extracted character maps inside the file, in order, onto the same
character where it was copied (`conftest.assert_maps_back`).

Inputs are built from fragments that exercise the hard parts: placeholders of every template language,
entities, tags, quotes, CRLF, multi-byte characters, and broken versions of each.
"""

from __future__ import annotations

import csv
import io
import json

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from empathylint.errors import InputError

from .conftest import assert_maps_back, read_bytes

PROSE = ["Hi Sam,", "As I already explained, ", "the refund", " is on its way.", "Café — ", "😀", "naïve ",
         "Thanks!", " ", "\n", "\r\n", "\n\n", "\t", "Just restart it. ", "Order #42", "“quoted”"]
PLACEHOLDERS = ["{{ticket.requester.first_name}}", "{{Order Number}}", "{% if x %}", "{% endif %}",
                "{{#each items}}", "{{/each}}", "{%customer.fname%}", "{{ name | default: 'there' }}",
                "{{", "}}", "{%", "{# note #}", "{{! comment }}", "${order.id}", "{!Contact.Name}"]
MARKDOWN = ["# ", "## Title\n", "> ", "```\ncode\n```\n", "`code`", "[link](http://x.y)", "*", "**bold**",
            "- ", "1. ", "<!-- hidden -->", "---\n", "| a | b |\n|---|---|\n"]
HTML = ["<p>", "</p>", "&amp;", "&#x1F600;", "&nbsp;", "&bogus;", "<blockquote>", "</blockquote>", "<br>",
        "<div hidden>", "</div>", "<!-- c -->", "<script>x()</script>", "<style>p{}</style>", "<p", "<b>",
        "</b>", "<a href='x'>", "</a>", "<li>", "&lt;", "<span style=\"display:none\">", "</span>"]
EMAIL_BODY = ["> quoted line\n", "On Mon, 2 Jan 2024 at 10:00, Ana <ana@example.com> wrote:\n", "-- \n",
              "From: Ana\nSent: Monday\n", "=C3=A9", "=\n", "=3D", "Best,\nSam\n", ">> deeper\n"]


def joined(*pools: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from([f for pool in pools for f in pool]) | st.text(max_size=6),
                    max_size=25).map("".join)


def read_all(data: bytes | str, name: str, **options):
    """Sources of ``data`` read as ``name``; an `InputError` is an acceptable answer (a clear error)."""
    try:
        return read_bytes(data, name, **options)
    except InputError as exc:
        assert exc.path and exc.problem
        return []


def check(data: bytes | str, name: str, **options) -> None:
    for source in read_all(data, name, **options):
        assert_maps_back(source)


PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # examples: tests/conftest.py


@PROPERTY
@given(joined(PROSE))
def test_text(text):
    check(text, "reply.txt")


@PROPERTY
@given(joined(PROSE, PLACEHOLDERS), st.sampled_from(["r.liquid", "r.hbs", "r.j2", "r.mustache"]))
def test_templates(text, name):
    check(text, name)


@PROPERTY
@given(joined(PROSE, MARKDOWN, PLACEHOLDERS))
def test_markdown(text):
    check(text, "reply.md")


@PROPERTY
@given(joined(PROSE, HTML, PLACEHOLDERS))
def test_html(text):
    check(text, "reply.html")


@PROPERTY
@given(joined(PROSE, EMAIL_BODY), st.sampled_from(["7bit", "quoted-printable", "base64"]),
       st.sampled_from(["text/plain", "text/html"]), st.booleans())
def test_email(body, encoding, content_type, truncate):
    payload = body.encode("utf-8")
    if encoding == "base64":
        import base64

        payload = base64.encodebytes(payload)
    headers = (f"From: Sam <sam@example.com>\r\nTo: ana@example.com\r\nSubject: Re: refund\r\n"
               f"Content-Type: {content_type}; charset=utf-8\r\nContent-Transfer-Encoding: {encoding}\r\n\r\n")
    data = headers.encode("ascii") + payload
    check(data[: len(data) // 2] if truncate else data, "reply.eml")


@PROPERTY
@given(st.lists(joined(PROSE, PLACEHOLDERS), min_size=1, max_size=4), st.booleans(), st.booleans())
def test_json_collections(texts, ascii_only, indent):
    records = [{"id": i, "title": f"T{i}", "text": t} for i, t in enumerate(texts)]
    check(json.dumps(records, ensure_ascii=ascii_only, indent=2 if indent else None), "replies.json")


@PROPERTY
@given(st.lists(joined(PROSE, PLACEHOLDERS), min_size=1, max_size=4), st.booleans())
def test_zendesk_macros(texts, html):
    field = "comment_value_html" if html else "comment_value"
    macros = [{"id": i, "title": f"M{i}", "actions": [{"field": field, "value": t}]} for i, t in enumerate(texts)]
    check(json.dumps({"macros": macros}), "macros.json")


@PROPERTY
@given(st.lists(joined(PROSE, PLACEHOLDERS), min_size=1, max_size=4), st.booleans())
def test_jsonl(texts, crlf):
    lines = [json.dumps({"id": i, "text": t}) for i, t in enumerate(texts)]
    check(("\r\n" if crlf else "\n").join(lines), "replies.jsonl")


@PROPERTY
@given(st.lists(joined(PROSE, PLACEHOLDERS), min_size=1, max_size=4),
       st.sampled_from([None, "|", ">", "'", '"']))
@example(["\x1b\""], None)  # "\e\"": the quote must map onto the escaped quote, not the opening one
@example(["\ufffe\\"], None)  # "\uFFFE\\": the backslash must map onto "\\", not the escape's backslash
@example(["0\x850"], "|")  # NEL is a YAML line break, read as "\n": the second line's indent is not text
@example(["Hi Sam,'0'0"], "'")  # 'Hi Sam,''0''0': each doubled quote stands for one; the 0s are copies
def test_yaml(texts, style):
    data = yaml.safe_dump({"replies": [{"id": i, "text": t} for i, t in enumerate(texts)]},
                          default_style=style, allow_unicode=True)
    check(data, "replies.yaml")


@PROPERTY
@given(st.lists(joined(PROSE, PLACEHOLDERS), min_size=1, max_size=4), st.sampled_from([",", ";", "\t"]))
def test_csv(texts, delimiter):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(["id", "response"])
    writer.writerows([i, t] for i, t in enumerate(texts))
    check(out.getvalue(), "replies.tsv" if delimiter == "\t" else "replies.csv")


@PROPERTY
@given(st.binary(max_size=200), st.sampled_from(["r.txt", "r.md", "r.html", "r.eml", "r.json", "r.jsonl",
                                                 "r.yaml", "r.csv", "r.liquid"]))
@example(b"\xc2\xc2", "r.eml")  # the decoder holds the second byte back: each U+FFFD maps onto its own byte
@example(b"0", "r.yaml")  # a YAML number keeps its digits as a string value, but it is not a reply string
def test_arbitrary_bytes_never_crash(data, name):
    check(data, name)
