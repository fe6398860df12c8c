"""``empathylint check`` on conversation exports: the twitter-care layout recognised by its shape,
``--input-format conversations`` for JSONL and CSV, field options, JSON output naming conversation and
message, exit codes; the other JSON readers still get their files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from empathylint.cli import main

ROOT = Path(__file__).parents[2]


@pytest.fixture()
def check():
    def invoke(*args, input=None):
        return CliRunner().invoke(main, ["check", "--no-model", "--no-cache", *args], input=input)

    return invoke


def test_twitter_care_json_is_recognised_by_its_shape(check, data_dir):
    result = check("--quiet", str(data_dir / "twitter.json"))
    assert result.exit_code == 1, result.output
    path = str(data_dir / "twitter.json")
    assert (f'{path}:6:38: CND001 [warning] "As I already explained" tells the customer they should have '
            "listened the first time.") in result.output
    assert '[#conv-A/113 "agent AcmeHelp, 2020-03-20 18:43"]' in result.output
    assert f"{path}:6:67: CND005" in result.output


def test_json_output_names_conversation_and_message(check, data_dir):
    result = check("--format", "json", str(data_dir / "twitter.json"))
    assert result.exit_code == 1
    results = json.loads(result.output)["results"]
    assert [r["record"] for r in results] == ["conv-A/112", "conv-A/113", "conv-B/210", "conv-B/211", "conv-C/311",
                                              "conv-C/312", "conv-C/313", "conv-C/314", "4",
                                              "conv-E/1242379375727345664"]
    final = results[1]
    assert final["title"] == "agent AcmeHelp, 2020-03-20 18:43"
    cnd001 = next(d for d in final["diagnostics"] if d["code"] == "CND001")
    assert (cnd001["line"], cnd001["column"], cnd001["end_column"], cnd001["record"]) == (6, 38, 60, "conv-A/113")
    assert results[4]["notices"] == ["line 53, column 13: a message with no 'client' or 'agent' field (who wrote "
                                     "it); record skipped"]


def test_jsonl_and_csv_with_input_format_conversations(check, data_dir):
    jsonl, csv = str(data_dir / "messages.jsonl"), str(data_dir / "messages.csv")
    result = check("--quiet", "--input-format", "conversations", jsonl, csv)
    assert result.exit_code == 1, result.output
    assert f'{jsonl}:3:262: CND001' in result.output and '[#c1/a1 "agent Ola, 2024-05-01 09:10"]' in result.output
    assert f"{jsonl}:11:105: CND005" in result.output
    assert f'{csv}:4:15: CND003' in result.output and '[#t1/2 "agent Ravi, 2024-06-01 10:30"]' in result.output
    assert "unknown role 'manager'" in result.output and "unknown role 'robot'" in result.output


def test_field_options_and_stdin(check):
    line = {"ticket": "T-1", "from": "agent", "by": "Jo", "sent": "2024-01-01T12:00:00Z",
            "body": "Like I said, the refund is on its way.", "uid": "u7"}
    data = json.dumps(line) + "\n"
    result = check("--quiet", "--input-format", "conversations", "--conversation-field", "ticket", "--role-field",
                   "from", "--author-field", "by", "--time-field", "sent", "--text-field", "body", "--id-field", "uid",
                   "-", input=data)
    assert result.exit_code == 1, result.output
    assert '<stdin>:1:' in result.output and '[#T-1/u7 "agent Jo, 2024-01-01 12:00"]' in result.output


def test_a_clean_conversation_exits_0(check, tmp_path):
    path = tmp_path / "chat.jsonl"
    path.write_text(
        '{"conversation_id": "k", "role": "customer", "author": "Ann", "timestamp": "2024-01-01T10:00:00Z", '
        '"text": "I was charged twice for my order."}\n'
        '{"conversation_id": "k", "role": "agent", "author": "Jo", "timestamp": "2024-01-01T10:05:00Z", '
        '"text": "I\'m sorry we charged you twice for your order, Ann. I have refunded the second charge. '
        'Thank you for telling us!"}\n', encoding="utf-8")
    result = check("--input-format", "conversations", str(path))
    assert result.exit_code == 0, result.output


def test_a_file_in_no_conversation_layout_exits_2_naming_it(check, tmp_path):
    path = tmp_path / "bitext.csv"
    path.write_text("instruction,response\nhi,Like I said no\n", encoding="utf-8")
    result = check("--input-format", "conversations", str(path))
    assert result.exit_code == 2
    assert f"{path}:1: is not a conversation export (one message per row)" in result.output


def test_the_other_json_readers_still_get_their_files(check, tmp_path, data_dir):
    collection = tmp_path / "replies.json"
    collection.write_text('[{"id": "r1", "text": "Like I said, no."}]', encoding="utf-8")
    result = check("--quiet", str(collection), str(ROOT / "examples" / "replies" / "zendesk-macros.json"))
    assert result.exit_code == 1, result.output
    assert f"{collection}:1:24: CND002" in result.output and "[#r1]" in result.output
    assert "zendesk-macros.json:21:96: CND001" in result.output
    # asked for a JSON collection, the twitter-care file is one: no conversation ids
    result = check("--quiet", "--input-format", "json", str(data_dir / "twitter.json"))
    assert "conv-A/113" not in result.output


def test_the_example_conversations(check):
    folder = ROOT / "examples" / "conversations"
    result = check("--quiet", "--input-format", "conversations", str(folder))
    assert result.exit_code == 1, result.output
    assert '[#kettle-1042/m3 "agent Sam, 2026-03-02 10:02"]' in result.output
    assert '[#qst-7781/9000000000000000104 "agent QuestlineHelp, 2026-02-14 19:46"]' in result.output
