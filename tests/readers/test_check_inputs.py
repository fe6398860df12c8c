"""`empathylint check` over inputs that cannot be read: the error names the file and what is wrong, exits 2,
and the other inputs are still linted."""

from __future__ import annotations

from click.testing import CliRunner

from empathylint.cli import main


def check(*args: str):
    return CliRunner().invoke(main, ["check", "--no-model", "--no-cache", "--quiet", *args])


def test_customer_folder_is_a_usage_error(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("Like I said, no.\n", encoding="utf-8")
    result = check("--customer", str(tmp_path), str(reply))
    assert result.exit_code == 2
    assert f"Invalid value for --customer: {tmp_path}: cannot be read" in result.output


def test_a_self_referencing_yaml_file_does_not_stop_the_others(tmp_path):
    (tmp_path / "loop.yaml").write_text("replies: &r\n  - *r\n  - text: Like I said, no.\n", encoding="utf-8")
    (tmp_path / "reply.txt").write_text("Like I said, no.\n", encoding="utf-8")
    result = check(str(tmp_path))
    assert result.exit_code == 1, result.output
    assert "loop.yaml:3:11: CND002" in result.output
    assert "reply.txt:1:1: CND002" in result.output
