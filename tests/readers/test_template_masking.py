"""Placeholders and tags of the common template languages are masked with stand-ins that parse, mapped
as synthetic runs onto the whole placeholder; plain text and template files both mask."""

from __future__ import annotations

import pytest

from empathylint.readers.placeholders import stand_in


@pytest.mark.parametrize(("slot", "expected"), [
    ("ticket.requester.first_name", "Alex"),
    ("current_user.name", "Alex"),
    ("customer.fname,fallback=there", "Alex"),
    ('first_name | fallback: "there"', "Alex"),
    ("customer.name|default('there')", "Alex"),
    ("ticket.id", "12345"),
    ("Order Number", "Order Number"),
    ("Order Number Anonymized", "Order Number"),
    ("Customer Support Phone Number", "555-0100"),
    ("Website Name", "website"),
    ("Website URL", "example.com"),
    ("number of days", "three"),
    ("Live Chat", "Live Chat"),
    ("satisfaction.rating_url", "example.com"),
    ("order.total_price", "$20"),
    ("dc.refund_policy", "refund policy"),
    ("Contact.FirstName", "Alex"),
    ("", "it"),
])
def test_stand_ins_read_as_what_the_slot_holds(slot, expected):
    assert stand_in(slot) == expected


@pytest.mark.parametrize(("template", "expected"), [
    ("Hi {{ticket.requester.first_name}}, thanks.", "Hi Alex, thanks."),
    ("Hi {{ ticket.requester.first_name }}, thanks.", "Hi Alex, thanks."),
    ("Hi {{- name -}}, thanks.", "Hi Alex, thanks."),
    ("Hi {{{customer.name}}}!", "Hi Alex!"),
    ("Hi {%customer.fname,fallback=there%}!", "Hi Alex!"),
    ("Hi {!Contact.FirstName}!", "Hi Alex!"),
    ("Hi ${first_name}!", "Hi Alex!"),
    ("{% if vip %}Thanks!{% endif %}", "Thanks!"),
    ("{{#if vip}}Thanks!{{else}}Hello.{{/if}}", "Thanks!Hello."),
    ("A{% if x %}B", "A B"),
    ("{{! a comment }}Hello.", "Hello."),
    ("{{!-- a {{nested}} comment --}}Hello.", "Hello."),
    ("{# Jinja comment #}Hello.", "Hello."),
    ("{% comment %}internal {{note}}{% endcomment %}Hello.", "Hello."),
    ("{% raw %}{{literal}}{% endraw %} stays", "{{literal}} stays"),
    ("{{> footer}}Bye.", "Bye."),
    ("Your order {{Order Number}} has shipped.", "Your order Order Number has shipped."),
    ("Set x = {a: 1} and 50% off {not a tag", "Set x = {a: 1} and 50% off {not a tag"),
])
def test_masking(read, template, expected):
    [source] = read(template)
    assert source.text == expected
    assert not source.notices


def test_stand_in_maps_onto_the_whole_placeholder(read, maps_back):
    [source] = read("Hi {{ticket.requester.first_name}}, thanks.")
    maps_back(source)
    assert source.offsets.placeholder_spans() == [(3, 7)]
    assert source.original_span(3, 7) == (3, 34)
    assert source.original_span(4, 6) == (3, 34)  # inside the stand-in: still the whole placeholder


def test_placeholder_at_the_start_of_a_sentence_keeps_columns(read, locate):
    text = "Hi,\r\n{{ticket.requester.first_name}}, as I already explained, the refund is on its way.\r\n"
    [source] = read(text, "macro.liquid")
    assert source.text.startswith("Hi,\r\nAlex, as I already explained")
    start, end, original = locate(source, "as I already explained")
    assert start == (2, 34) and end == (2, 56) and original == "as I already explained"


def test_multibyte_characters_before_a_placeholder(read, locate):
    [source] = read("Café 😀 — {{customer.first_name}}: just restart it.")
    assert source.text == "Café 😀 — Alex: just restart it."
    assert locate(source, "just") == ((1, 35), (1, 39), "just")


def test_unclosed_tags_are_masked_best_effort_with_a_notice(read, maps_back):
    [source] = read("Hi {{ticket.requester.first_name,\nyour order {{ticket.id}} shipped.\n{% if x")
    maps_back(source)
    assert source.text == "Hi Alex,\nyour order 12345 shipped.\n"
    assert source.notices == [
        "line 1, column 4: '{{' is never closed ('}}' missing); masked up to the end of its name",
        "line 3, column 1: '{%' is never closed ('%}' missing); masked up to the end of the line"]


def test_unclosed_comment_hides_the_rest_with_a_notice(read):
    [source] = read("Hello.\n{% comment %} internal notes\nJust restart it.", "macro.liquid")
    assert source.text == "Hello.\n"
    assert "'{% comment %}' is never closed" in source.notices[0]


def test_template_with_html_body_is_read_for_visible_text(read, maps_back):
    [source] = read('<p>Hi {{customer.name}},</p>\n<p>All you have to do is <a href="{{url}}">sign in</a>.</p>',
                    "welcome.hbs")
    maps_back(source)
    assert source.text == "Hi Alex,\n\nAll you have to do is sign in."


@pytest.mark.parametrize("name", ["a.liquid", "a.hbs", "a.handlebars", "a.mustache", "a.j2", "a.jinja",
                                  "a.jinja2", "a.tmpl"])
def test_template_extensions(read, name):
    [source] = read("Hi {{name}}.", name)
    assert source.text == "Hi Alex."
