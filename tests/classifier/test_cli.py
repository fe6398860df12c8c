"""``empathylint classify``: one JSON line per input line; a bad line is reported and the batch goes on."""

from __future__ import annotations

import json

from click.testing import CliRunner

from empathylint.classifier.cli import COMMANDS, classify


def run(args, input=None):
    return CliRunner().invoke(classify, args, input=input)


def test_the_commands_the_main_group_adds():
    assert [c.name for c in COMMANDS] == ["classify", "train", "evaluate", "calibrate"]


def test_classify_a_file_with_a_bad_line(tiny_model, tmp_path):
    path = tmp_path / "messages.jsonl"
    path.write_bytes(
        b'{"id": "a", "text": "My parcel arrived broken and nobody answers."}\n'
        b'{"id": "b", "text": \n'  # broken JSON
        b'\n'
        b'{"text": "Thanks, all sorted!"}\n'
        b'{"id": "d", "body": "no text field"}\n'
        b'{"id": "e", "text": "caf\xe9"}\n'  # Latin-1, not UTF-8
        b'["not", "an", "object"]\n'
        b'{"id": 7, "text": "Where is my refund?"}\n')
    result = run(["--task", "emotion", "--model", str(tiny_model), str(path)])
    assert result.exit_code == 2
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", 4, 7]  # a line without "id" gets its line number
    for r in rows:
        assert set(r) == {"id", "label", "scores"}
        assert set(r["scores"]) == {"no_apology", "needs_apology"}
        assert r["label"] == max(r["scores"], key=r["scores"].get)
        assert abs(sum(r["scores"].values()) - 1.0) < 1e-5
    err = result.stderr
    assert f"{path}:2: not valid JSON" in err
    assert f'{path}:5: missing "text"' in err
    assert f"{path}:6: not valid UTF-8" in err
    assert f"{path}:7: expected a JSON object" in err
    assert "4 line(s) could not be classified" in err


def test_classify_stdin_sentiment(tiny_model):
    result = run(["--model", str(tiny_model), "-"], input='{"id": 1, "text": "I love it"}\n')
    assert result.exit_code == 0, result.output
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["id"] == 1 and row["label"] in ("negative", "neutral", "positive")
    assert set(row["scores"]) == {"negative", "neutral", "positive"}


def test_a_missing_model_folder_is_a_clean_error(tmp_path):
    result = run(["--model", str(tmp_path / "nope"), "-"], input='{"text": "hi"}\n')
    assert result.exit_code != 0
    assert "could not load" in result.output + result.stderr
