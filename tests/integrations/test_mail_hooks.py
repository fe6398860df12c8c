"""The mail-tool filter: ``check -`` on a raw message, and the two hooks in examples/hooks run for real,
``pipe-draft.sh`` in front of a fake sendmail that records what it was given."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / "examples" / "hooks"
LINTER = Path(sys.executable).parent / "empathylint"
pytestmark = pytest.mark.skipif(shutil.which("sh") is None, reason="the hooks are POSIX sh scripts")

HEADERS = ("From: Sam Agent <sam@support.example>\r\nTo: Dana <dana@example.org>\r\nSubject: Re: my refund\r\n"
           "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\nMessage-ID: <r1@support.example>\r\n"
           "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n")
QUOTE = "On Sun, 22 Nov 2026, Dana wrote:\r\n> Where is my refund? I asked twice already!\r\n"
RUDE = (HEADERS + "Hi Dana,\r\n\r\nAs I already explained, just wait for the refund.\r\n\r\nSam\r\n\r\n"
        + QUOTE).encode()
# Non-ASCII, CRLF and a trailing space: the pass-through must not touch a byte.
CLEAN = (HEADERS + "Hi Dana,\r\n\r\nI'm sorry your refund is late. I have sent it again today; it will "
         "reach your account by Friday. Thank you for your patience. \r\n\r\nSam — café team\r\n\r\n"
         + QUOTE).encode()
PATCH = (b"From 1a2b Mon Sep 17 00:00:00 2001\nFrom: Sam <sam@example.com>\nSubject: [PATCH] %s\n\n%s\n"
         b"---\n macros/refund.txt | 2 +-\n 1 file changed\n\ndiff --git a/macros/refund.txt b/macros/refund.txt\n"
         b"--- a/macros/refund.txt\n+++ b/macros/refund.txt\n@@ -1 +1 @@\n-Obviously, as I already explained.\n"
         b"+Here are the steps again.\n-- \n2.39.5\n")


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    """The hooks' environment: this checkout's empathylint, rules only (fast), a fake sendmail that keeps
    its arguments and the exact bytes it was handed."""
    fake = tmp_path / "fake-sendmail"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$SENT.args"\ncat > "$SENT"\nexit "${FAKE_STATUS:-0}"\n')
    fake.chmod(0o755)
    return {**os.environ, "EMPATHYLINT": str(LINTER), "EMPATHYLINT_ARGS": "--no-model --no-cache",
            "EMPATHYLINT_SENDMAIL": str(fake), "SENT": str(tmp_path / "sent.eml")}


def pipe_draft(message: bytes, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(HOOKS / "pipe-draft.sh"), *args], input=message, env=env,
                          capture_output=True, timeout=300)


def test_check_reads_a_raw_message_on_stdin_as_json(env):
    result = subprocess.run([str(LINTER), "check", "-", "--format", "json", "--no-model", "--no-cache"],
                            input=RUDE, capture_output=True, timeout=300)
    assert result.returncode == 1, result.stderr
    [reply] = json.loads(result.stdout)["results"]
    assert reply["path"] == "<stdin>" and reply["title"] == "Re: my refund"
    found = {d["code"]: d for d in reply["diagnostics"]}
    assert found["CND001"]["line"] == 11 and found["CND001"]["text"] == "As I already explained"
    assert not any("Where is my refund" in d["text"] for d in reply["diagnostics"]), "the quote is not linted"


def test_pipe_draft_passes_a_clean_message_through_byte_for_byte(env):
    result = pipe_draft(CLEAN, env, "-oi", "-f", "sam@support.example", "--", "dana@example.org")
    assert result.returncode == 0, result.stderr.decode()
    assert Path(env["SENT"]).read_bytes() == CLEAN
    assert Path(env["SENT"] + ".args").read_text().split("\n")[:-1] == [
        "-oi", "-f", "sam@support.example", "--", "dana@example.org"]
    assert result.stdout == b""


def test_pipe_draft_holds_back_a_message_with_findings(env):
    result = pipe_draft(RUDE, env, "dana@example.org")
    assert result.returncode == 1
    assert not Path(env["SENT"]).exists(), "nothing may reach sendmail"
    err = result.stderr.decode()
    assert "CND001" in err and "As I already explained" in err and "not sent" in err


def test_pipe_draft_sends_anyway_when_told_to(env):
    result = pipe_draft(RUDE, {**env, "EMPATHYLINT_SKIP": "1"}, "dana@example.org")
    assert result.returncode == 0
    assert Path(env["SENT"]).read_bytes() == RUDE


def test_pipe_draft_returns_sendmails_own_failure(env):
    result = pipe_draft(CLEAN, {**env, "FAKE_STATUS": "75"}, "dana@example.org")
    assert result.returncode == 75  # EX_TEMPFAIL: the client should keep the message and retry
    assert Path(env["SENT"]).read_bytes() == CLEAN


def test_pipe_draft_sends_nothing_when_the_linter_cannot_run(env, tmp_path):
    result = pipe_draft(CLEAN, {**env, "EMPATHYLINT": str(tmp_path / "no-such-linter")}, "dana@example.org")
    assert result.returncode == 2
    assert not Path(env["SENT"]).exists()
    assert "could not check" in result.stderr.decode()


def test_pipe_draft_leaves_no_temporary_file(env, tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    pipe_draft(CLEAN, {**env, "TMPDIR": str(scratch)}, "dana@example.org")
    pipe_draft(RUDE, {**env, "TMPDIR": str(scratch)}, "dana@example.org")
    assert list(scratch.iterdir()) == []


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository with the hook installed, as its README says."""
    usage = subprocess.run(["git", "hook", "-h"], capture_output=True, text=True) if shutil.which("git") else None
    if usage is None or "hook run" not in usage.stdout + usage.stderr:
        pytest.skip("needs git 2.36 or later (`git hook run`) to run the hook the way git does")
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    hook = repo / ".git" / "hooks" / "sendemail-validate"
    shutil.copy(HOOKS / "sendemail-validate", hook)
    hook.chmod(0o755)
    return repo


def validate(repo: Path, env: dict[str, str], *files: Path) -> subprocess.CompletedProcess:
    """Run the hook the way git runs it (same working directory and environment handling)."""
    return subprocess.run(["git", "hook", "run", "sendemail-validate", "--", *map(str, files)], cwd=repo,
                          env=env, capture_output=True, text=True, timeout=300)


def test_sendemail_validate_accepts_clean_messages_and_patches(repo, env):
    reply = repo / "reply.eml"
    reply.write_bytes(CLEAN)
    # The diff removes condescending lines: only the commit message is linted, so this passes.
    patch = repo / "0001-reword.patch"
    patch.write_bytes(PATCH % (b"Reword the refund macro", b"Thank you for flagging the tone, Dana."))
    result = validate(repo, env, reply, patch)
    assert result.returncode == 0, result.stdout + result.stderr


def test_sendemail_validate_aborts_on_a_message_with_findings(repo, env):
    clean, rude = repo / "1.eml", repo / "2.eml"
    clean.write_bytes(CLEAN)
    rude.write_bytes(RUDE)
    result = validate(repo, env, clean, rude)
    assert result.returncode == 1
    assert "CND001" in result.stderr and "2.eml: empathylint found problems" in result.stderr


def test_sendemail_validate_lints_a_patchs_message_not_its_diff(repo, env):
    patch = repo / "0001-fix.patch"
    patch.write_bytes(PATCH % (b"Fix the macro", b"Obviously the old wording was wrong, like I said."))
    result = validate(repo, env, patch)
    assert result.returncode == 1
    # Line 5 of the file: the mbox `From ` line kept its place as a header.
    assert "<stdin>:5:1: CND004" in result.stderr and "CND002" in result.stderr
    assert "as i already explained" not in result.stderr.lower()  # only in the diff


def test_sendemail_validate_reports_an_unreadable_message(repo, env):
    result = validate(repo, env, repo / "missing.eml")
    assert result.returncode == 2
    assert "missing.eml: cannot read the message" in result.stderr


def test_sendemail_validate_fails_closed_when_the_linter_cannot_run(repo, env, tmp_path):
    message = repo / "reply.eml"
    message.write_bytes(CLEAN)
    result = validate(repo, {**env, "EMPATHYLINT": str(tmp_path / "no-such-linter")}, message)
    assert result.returncode == 2
    assert "could not check" in result.stderr
