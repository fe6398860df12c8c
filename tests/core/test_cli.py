"""The command line: exit codes, formats, stdin, errors that name the file, and the rules pages."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from empathylint.cli import main

SCHEMA = json.loads((Path(__file__).parents[2] / "empathylint" / "schemas" / "output-v2.json").read_text())


@pytest.fixture()
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def invoke(*args, input=None):
        return CliRunner().invoke(main, ["check", "--no-model", *args], input=input)

    return invoke


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_exit_1_with_problems_and_text_output(run, tmp_path):
    path = write(tmp_path, "reply.txt", "Hello,\nLike I said, the refund is on its way.\n")
    result = run(path)
    assert result.exit_code == 1
    assert f"{path}:2:1: CND002 [warning]" in result.output
    assert "  2 | Like I said, the refund is on its way." in result.output
    assert "    | ^^^^^^^^^^^" in result.output
    assert "Found 1 problem (1 warning) in 1 reply from 1 file." in result.output


def test_exit_0_when_clean_or_below_fail_on(run, tmp_path):
    clean = write(tmp_path, "clean.txt", "Thanks for writing in! Your refund went out today.\n")
    assert run(clean).exit_code == 0
    warn = write(tmp_path, "warn.txt", "Like I said, the refund is on its way.\n")
    assert run("--fail-on", "error", warn).exit_code == 0
    assert run("--exit-zero", warn).exit_code == 0


def test_exit_2_for_a_missing_file_but_the_others_are_still_linted(run, tmp_path):
    good = write(tmp_path, "good.txt", "Like I said, no.\n")
    result = run(str(tmp_path / "missing.txt"), good)
    assert result.exit_code == 2
    assert "missing.txt: no such file" in result.output
    assert "CND002" in result.output


def test_binary_and_bad_utf8_are_clear_errors(run, tmp_path):
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\x00\x00")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9\nLike I said".encode("latin-1"))
    result = run(str(tmp_path / "image.txt"), str(tmp_path / "latin1.txt"))
    assert result.exit_code == 2
    assert "image.txt: looks like a binary file" in result.output
    assert "latin1.txt:1: is not valid UTF-8" in result.output


@pytest.fixture()
def bad_name(tmp_path):
    """A reply whose file name is not valid UTF-8, as `touch $'bad\\xffname.txt'` makes one."""
    (tmp_path / "replies").mkdir()
    try:
        with open(os.fsencode(tmp_path / "replies") + b"/bad\xffname.txt", "w", encoding="utf-8") as file:
            file.write("As I already explained, just restart it.\n")
    except OSError:  # a file system that takes UTF-8 names only
        pytest.skip("this file system cannot hold a name that is not UTF-8")
    return tmp_path / "replies"


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github", "junit"])
def test_a_file_name_that_is_not_utf8_gives_well_formed_output(run, bad_name, output_format):
    result = run("-f", output_format, "-o", "out", str(bad_name))
    assert result.exit_code == 1, result.output
    output = Path("out").read_bytes().decode("utf-8")
    assert "bad\ufffdname.txt" in output or "bad%FFname.txt" in output  # SARIF's URIs keep the byte
    stdout = run("-f", "json", str(bad_name))
    assert json.loads(stdout.output)["results"][0]["path"] == str(bad_name / "bad\ufffdname.txt")


def test_a_baseline_records_and_matches_a_file_name_that_is_not_utf8(run, bad_name):
    recorded = run("--baseline", "base.json", str(bad_name))
    assert recorded.exit_code == 0, recorded.output
    entries = json.loads(Path("base.json").read_bytes().decode("utf-8"))["findings"]
    assert {e["path"] for e in entries} == {"replies/bad\ufffdname.txt"} and len(entries) == 2
    again = run("--baseline", "base.json", str(bad_name))
    assert again.exit_code == 0 and "2 findings baselined" in again.output


@pytest.mark.parametrize("output_format", ["text", "github"])
def test_control_characters_from_a_file_are_shown_not_sent_to_the_terminal(run, tmp_path, output_format):
    record = {"id": "r1", "title": "Refund \u001b[2J", "text": "As I already explained, no."}
    write(tmp_path, "a\x1b]0;owned\x07.jsonl", json.dumps(record) + "\n")
    result = run("-f", output_format, str(tmp_path))
    assert result.exit_code == 1 and "CND001" in result.output
    assert not any(c in result.output for c in "\x1b\x07") and "a\ufffd]0;owned\ufffd.jsonl" in result.output
    assert output_format == "github" or "Refund \ufffd[2J" in result.output  # the title, shown by the text format


def test_an_internal_error_exits_2_with_one_line(run, tmp_path, monkeypatch):
    from empathylint.formatters.text import TextFormatter

    def crash(self, result):
        raise RuntimeError("boom\non two lines")

    monkeypatch.setattr(TextFormatter, "result", crash)
    result = run(write(tmp_path, "r.txt", "Like I said, no.\n"))
    assert result.exit_code == 2
    assert result.stderr == "empathylint: internal error: RuntimeError: boom on two lines\n"


def test_folders_are_walked(run, tmp_path):
    (tmp_path / "macros").mkdir()
    write(tmp_path / "macros", "a.txt", "Like I said, no.\n")
    write(tmp_path / "macros", "b.txt", "All done!\n")
    write(tmp_path / "macros", "notes.bin", "Like I said")
    result = run("-f", "json", "macros")
    data = json.loads(result.output)
    assert sorted(r["path"] for r in data["results"]) == [str(Path("macros") / "a.txt"), str(Path("macros") / "b.txt")]


def test_stdin_and_json_schema(run):
    result = run("-f", "json", "-", input="As I already explained, just restart it.\n")
    assert result.exit_code == 1
    data = json.loads(result.output)
    jsonschema.validate(data, SCHEMA)
    [entry] = data["results"]
    assert entry["path"] == "<stdin>"
    assert [(d["code"], d["text"], d["line"], d["column"]) for d in entry["diagnostics"]] == [
        ("CND001", "As I already explained", 1, 1), ("CND005", "just", 1, 25)]
    assert data["summary"]["by_severity"] == {"error": 0, "warning": 2, "info": 0}


def test_json_with_an_unreadable_file_still_validates(run, tmp_path):
    result = run("-f", "json", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    data = json.loads(result.output)
    jsonschema.validate(data, SCHEMA)
    assert data["errors"][0]["message"] == "no such file"


def test_select_customer_and_statistics(run, tmp_path):
    reply = write(tmp_path, "r.txt", "Your order will arrive on Friday. Like I said, it shipped.\n")
    customer = write(tmp_path, "c.txt", "This is unacceptable, it's two weeks late!\n")
    result = run("--select", "APO", "--customer", customer, "--statistics", reply)
    assert result.exit_code == 1
    assert "APO006" in result.output and "CND002" not in result.output
    assert "1  APO006  curt-reply" in result.output


def test_usage_errors_exit_2(run, tmp_path):
    assert run().exit_code == 2
    path = write(tmp_path, "r.txt", "Hi\n")
    bad = run("--select", "NOPE", path)
    assert bad.exit_code == 2 and "unknown rule selector 'NOPE'" in bad.output
    empty = run("--select", "", path)
    assert empty.exit_code == 2 and "Invalid value for --select: is empty, which would turn off every rule" in empty.output
    assert run("-f", "yaml", path).exit_code == 2


def test_config_file_is_used(run, tmp_path):
    (tmp_path / ".empathylint.toml").write_text('ignore = ["CND002"]\n')
    path = write(tmp_path, "r.txt", "Like I said, no.\n")
    assert run(path).exit_code == 0


def test_rules_listing_and_page():
    runner = CliRunner()
    listing = runner.invoke(main, ["rules"])
    assert listing.exit_code == 0
    assert "CND001  as-already-explained" in listing.output
    page = runner.invoke(main, ["rules", "just-do-it"])
    assert page.exit_code == 0
    assert page.output.startswith("CND005 just-do-it  [warning, condescension]")
    for part in ("What it flags:", "Why it hurts:", "Flags:", "Passes:", "Instead:", "Just restart the router"):
        assert part in page.output
    assert runner.invoke(main, ["rules", "NOPE999"]).exit_code == 2
    data = json.loads(runner.invoke(main, ["rules", "--category", "blame", "-f", "json"]).output)
    assert data and all(r["category"] == "blame" for r in data)


def test_empty_file_and_empty_folder_are_named_errors(run, tmp_path):
    (tmp_path / "empty.txt").write_text("  \n")
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "image.png").write_bytes(b"\x89PNG")
    good = write(tmp_path, "good.txt", "Like I said, no.\n")
    result = run(str(tmp_path / "empty.txt"), str(tmp_path / "nothing"), good)
    assert result.exit_code == 2
    assert "empty.txt: is empty" in result.output
    assert "nothing: is a folder with no files to lint" in result.output
    assert "CND002" in result.output


def test_a_collection_with_no_records_says_that_nothing_was_checked(run, tmp_path):
    # A collection may be empty (an export with a header only, an empty stream): not an error, but not silence.
    header_only = write(tmp_path, "macros.csv", "response,instruction\n")
    empty_stream = write(tmp_path, "replies.jsonl", "\n")
    result = run(header_only, empty_stream)
    assert result.exit_code == 0
    assert result.output == "No replies found: nothing was checked.\n"
    assert run("--quiet", header_only).output == ""


def test_config_is_found_upward_from_each_linted_file(run, tmp_path):
    team = tmp_path / "billing"
    team.mkdir()
    (team / ".empathylint.toml").write_text('ignore = ["CND002"]\n[severity]\nCND001 = "error"\n')
    write(team, "a.txt", "Like I said, no. As I already explained, no.\n")
    write(tmp_path, "b.txt", "Like I said, no.\n")
    data = json.loads(run("-f", "json", str(team / "a.txt"), str(tmp_path / "b.txt")).output)
    found = {Path(r["path"]).name: [(d["code"], d["severity"]) for d in r["diagnostics"]] for r in data["results"]}
    assert found == {"a.txt": [("CND001", "error")], "b.txt": [("CND002", "warning")]}
