"""``check --fix``: only safe fixes, at the right characters of the original file, written atomically;
files without a safe fix are never touched; a second run has nothing left to do."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from empathylint.cli import main
from empathylint.diagnostic import Diagnostic, Fix, Severity
from empathylint.fixes import apply_fixes, fix_file, safe_fixes, write_atomic
from empathylint.readers import read_path

CRLF_REPLY = "Hello Zoë 😀,\r\nYour refund went out today.\r\nPlease do not hesitate to contact us at your earliest convenience.\r\n"
CRLF_FIXED = "Hello Zoë 😀,\r\nYour refund went out today.\r\nPlease contact us when you can.\r\n"


@pytest.fixture()
def fix(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    def invoke(*args, input=None):
        return CliRunner().invoke(main, ["check", "--no-model", "--no-cache", "--fix", *args], input=input)

    return invoke


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _diagnostic(start: int, end: int, replacement: str, safe: bool = True) -> Diagnostic:
    return Diagnostic("CLC006", "dont-hesitate", "cliche", Severity.INFO, "m", (), start, end, "",
                      fix=Fix(start, end, replacement, safe))


class TestApplyFixes:
    def test_deletion_takes_one_space_with_it(self):
        text = "Please do not hesitate to contact us."
        start = text.index("do not")
        assert apply_fixes(text, [Fix(start, start + len("do not hesitate to"), "")]) == "Please contact us."

    def test_deleted_sentence_start_passes_its_capital_on(self):
        text = "Thanks!\nDon't hesitate to ask."
        start = text.index("Don't")
        assert apply_fixes(text, [Fix(start, start + len("Don't hesitate to"), "")]) == "Thanks!\nAsk."

    def test_several_fixes_apply_last_first_on_original_offsets(self):
        text = "a at your convenience b at your convenience c"
        first, second = text.index("at your"), text.rindex("at your")
        n = len("at your convenience")
        fixes = [Fix(first, first + n, "when you can"), Fix(second, second + n, "when you can")]
        assert apply_fixes(text, fixes) == "a when you can b when you can c"


def test_safe_fixes_skip_unsafe_overlapping_and_escaping_ones():
    chosen = safe_fixes([
        _diagnostic(0, 5, "x"),
        _diagnostic(3, 8, "y"),  # overlaps the first
        _diagnostic(5, 7, "z"),  # touches the first
        _diagnostic(10, 12, "w", safe=False),
        _diagnostic(20, 22, "<b>"),  # would need escaping in HTML
        _diagnostic(30, 32, ""),
    ])
    assert [(d.fix.start, d.fix.replacement) for d in chosen] == [(0, "x"), (30, "")]


def test_fix_lands_on_the_right_characters_with_crlf_and_multibyte(fix, tmp_path):
    path = write(tmp_path, "reply.txt", CRLF_REPLY)
    result = fix("--select", "CLC", str(path))
    assert path.read_bytes() == CRLF_FIXED.encode("utf-8")
    assert result.exit_code == 0
    assert f"{path}: applied 2 fixes" in result.stderr
    assert "applied 2 safe fixes in 1 file" in result.stderr


def test_byte_order_mark_and_mode_are_kept(fix, tmp_path):
    path = tmp_path / "reply.txt"
    path.write_bytes(b"\xef\xbb\xbf" + CRLF_REPLY.encode("utf-8"))
    os.chmod(path, 0o640)
    fix("--select", "CLC", str(path))
    assert path.read_bytes() == b"\xef\xbb\xbf" + CRLF_FIXED.encode("utf-8")
    assert (path.stat().st_mode & 0o777) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["reply.txt"]  # no temporary file left behind


def test_file_without_a_safe_fix_is_not_touched(fix, tmp_path):
    path = write(tmp_path, "reply.txt", "Like I said, your refund will be processed shortly.\n")
    before = path.stat()
    result = fix(str(path))
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert result.exit_code == 1  # the unsafe findings are still reported
    assert "applied 0 safe fixes in 0 files" in result.stderr


def test_exit_code_judges_what_is_left_and_second_run_is_idempotent(fix, tmp_path):
    clean = write(tmp_path, "clean.txt", "Your refund went out today. Please do not hesitate to contact us.\n")
    warned = write(tmp_path, "warned.txt", "Like I said, the refund went out. Please don't hesitate to reply.\n")
    first = fix("--select", "CLC,CND", str(clean), str(warned))
    assert first.exit_code == 1  # CND002 is left in warned.txt
    assert "CND002" in first.output and "CLC006" not in first.output
    assert warned.read_text() == "Like I said, the refund went out. Please reply.\n"
    snapshot = {p: p.read_bytes() for p in (clean, warned)}
    stamps = {p: p.stat().st_mtime_ns for p in (clean, warned)}
    second = fix("--select", "CLC,CND", str(clean), str(warned))
    assert second.exit_code == 1
    assert {p: p.read_bytes() for p in snapshot} == snapshot
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    assert "applied 0 safe fixes in 0 files" in second.stderr
    assert fix("--select", "CLC", str(clean)).exit_code == 0


def test_fix_inside_html_keeps_the_markup(fix, tmp_path):
    path = write(tmp_path, "reply.html", "<p>Your refund went out.</p>\n<p>Please don&#39;t hesitate to call us.</p>\n")
    fix("--select", "CLC", str(path))
    assert path.read_text() == "<p>Your refund went out.</p>\n<p>Please call us.</p>\n"


def test_stdin_is_reported_not_fixed(fix):
    result = fix("--select", "CLC", "-", input="Please do not hesitate to contact us.\n")
    assert "whole files" in result.stderr
    assert "CLC006" in result.output


def test_file_changed_since_it_was_linted_is_left_alone(rules_linter, tmp_path):
    path = write(tmp_path, "reply.txt", "Please do not hesitate to contact us.\n")
    results = list(rules_linter.lint_sources(read_path(path)))
    path.write_text("Someone edited this meanwhile.\n", encoding="utf-8")
    report = fix_file(str(path), results)
    assert report.failed and "changed" in (report.skipped or "")
    assert path.read_text() == "Someone edited this meanwhile.\n"


def test_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = write(tmp_path, "reply.txt", "old\n")

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomic(path, b"new\n")
    assert path.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["reply.txt"]
