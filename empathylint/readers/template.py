"""Template files of support tools and template languages (Liquid, Handlebars, Mustache, Jinja): one
canned response per file. The template is never rendered: placeholders and tags are masked (see
`placeholders`), and a template whose body is HTML is read for its visible text first."""

from __future__ import annotations

from typing import Iterator

from ..source import Source, SourceFile
from . import ReadOptions, register_reader
from .extract import Extract
from .html import extract_html, looks_like_html
from .placeholders import masked_source


@register_reader("template", (".liquid", ".hbs", ".handlebars", ".mustache", ".j2", ".jinja", ".jinja2",
                              ".tmpl", ".tpl"),
                 description="a Liquid/Handlebars/Mustache/Jinja template: placeholders and tags masked")
def read_template(file: SourceFile, options: ReadOptions) -> Iterator[Source]:
    notices: list[str] = []
    text = Extract.verbatim(file.text)
    if looks_like_html(file.text):
        text = extract_html(text, file, notices).extract
    yield masked_source(text, file, notices)
