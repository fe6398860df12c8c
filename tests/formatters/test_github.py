"""``--format github``: one workflow command per finding, escaped the way the Actions toolkit reads it."""

from __future__ import annotations

import re
from urllib.parse import unquote

from empathylint.formatters.github import command, escape_data, escape_property

COMMAND = re.compile(r"^::(?P<name>error|warning|notice)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def parse(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command line back into (name, properties, message), undoing the escapes."""
    match = COMMAND.match(line)
    assert match, line
    props = dict(p.split("=", 1) for p in match["props"].split(",")) if match["props"] else {}
    return match["name"], {k: unquote(v) for k, v in props.items()}, unquote(match["message"])


def test_escaping_follows_the_actions_toolkit():
    assert escape_data("100%\r\nnext") == "100%25%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert command("notice", "hi") == "::notice::hi"
    assert command("error", "x", file="a,b.txt", line=None) == "::error file=a%2Cb.txt::x"


def test_every_finding_is_one_annotation_that_reads_back(render):
    lines = render("github").splitlines()
    commands = [parse(line) for line in lines[:-1]]
    names = [name for name, _, _ in commands]
    assert names == ["warning", "error", "notice", "warning", "notice", "error", "error"]
    _, props, message = commands[0]
    assert props == {"file": "replies/refund.txt", "line": "2", "endLine": "2", "col": "1", "endColumn": "23",
                     "title": "CND001 as-already-explained"}
    assert message.splitlines()[1].startswith("Why: Pointing back")
    _, props, message = commands[2]  # the hostile-tone sentence: %, quotes, <, & survive the round trip
    assert 'score 0.71, threshold 0.60): 100%, <free> & "fast".' in message
    assert commands[3][1]["title"] == "CND001 as-already-explained [#360001]"
    assert lines[-1] == "empathylint: 4 problems (1 error, 2 warnings, 1 info) in 4 replies."
