"""CI over template repositories: the pre-commit hook manifest and the GitHub Actions example are what
their tools expect, and the commands in them run."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
#: The keys pre-commit's manifest schema knows (pre_commit/clientlib.py, MANIFEST_HOOK_DICT).
REQUIRED = {"id", "name", "entry", "language"}
OPTIONAL = {"alias", "files", "exclude", "types", "types_or", "exclude_types", "additional_dependencies",
            "args", "always_run", "fail_fast", "pass_filenames", "description", "language_version",
            "log_file", "minimum_pre_commit_version", "require_serial", "stages", "verbose"}
FLAGGED = "Hi {{ customer.first_name }},\n\nAs I already explained, your refund takes five days.\n"
CLEAN = "Hi Sam,\n\nThank you for your patience. Your refund is on its way and should arrive by Friday.\n"


def hook() -> dict:
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(manifest, list) and len(manifest) == 1
    return manifest[0]


def run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    # The console script of the environment running the tests, as pre-commit's own venv would have it.
    argv = [str(BIN / argv[0])] + argv[1:] if (BIN / argv[0]).exists() else argv
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_hook_manifest_has_what_pre_commit_requires():
    h = hook()
    assert REQUIRED <= h.keys() and h.keys() <= REQUIRED | OPTIONAL, h.keys() - REQUIRED - OPTIONAL
    assert (h["id"], h["language"]) == ("empathylint", "python")
    assert all(isinstance(h[key], str) and h[key] for key in REQUIRED)
    assert h.get("pass_filenames", True) is True


@pytest.mark.parametrize(("path", "linted"), [
    ("replies/refund.txt", True), ("templates/refund.liquid", True), ("macros/Welcome.HBS", True),
    ("emails/draft.eml", True), ("pages/help.html", True), ("kb/returns.md", True), ("t/a.jinja2", True),
    ("package.json", False), (".github/workflows/ci.yml", False), ("src/app.py", False),
    ("data/export.csv", False), ("notes.txt.bak", False),
])
def test_the_hook_picks_reply_and_template_files(path, linted):
    # pre-commit matches `files` with re.search on the repository-relative path.
    assert bool(re.search(hook()["files"], path)) is linted


def test_the_hook_extensions_are_ones_empathylint_reads_as_prose():
    from empathylint.readers import READERS

    prose = {ext for name in ("text", "markdown", "html", "email", "template") for ext in READERS[name].extensions}
    pattern = hook()["files"]
    assert all(re.search(pattern, f"x{ext}") for ext in prose), [e for e in prose if not re.search(pattern, f"x{e}")]


def test_the_hook_entry_runs_as_pre_commit_calls_it(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "refund.liquid").write_text(FLAGGED, encoding="utf-8")
    (tmp_path / "templates" / "thanks.txt").write_text(CLEAN, encoding="utf-8")
    h = hook()
    # entry + args + file names, as pre-commit builds the command line; `--no-model` is the args a user
    # would add to keep the hook fast, and keeps this test fast.
    command = shlex.split(h["entry"]) + h.get("args", []) + ["--no-model", "--no-cache"]
    flagged = run(command + ["templates/refund.liquid", "templates/thanks.txt"], tmp_path)
    assert flagged.returncode == 1, flagged.stderr
    assert "templates/refund.liquid:3:1: CND001" in flagged.stdout
    clean = run(command + ["templates/thanks.txt"], tmp_path)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def workflow() -> dict:
    data = yaml.safe_load((ROOT / "examples" / "ci" / "github-actions.yml").read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the bare key `on` as true
    return data


def test_the_workflow_lints_templates_and_uploads_sarif():
    data = workflow()
    assert {"push", "pull_request"} <= data["on"].keys()
    assert data["permissions"]["security-events"] == "write"
    [job] = data["jobs"].values()
    steps = job["steps"]
    lint = next(s for s in steps if s.get("id") == "lint")
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert steps.index(lint) < steps.index(upload)
    assert upload["if"] == "always()"
    argv = shlex.split(lint["run"])
    assert argv[:2] == ["empathylint", "check"] and "--format" in argv
    assert argv[argv.index("--format") + 1] == "sarif"
    assert argv[argv.index("--output") + 1] == upload["with"]["sarif_file"]
    assert steps[-1]["if"] == "steps.lint.outcome == 'failure'"


def test_the_workflows_lint_command_writes_valid_sarif(tmp_path):
    data = workflow()
    lint = next(s for s in data["jobs"]["lint-templates"]["steps"] if s.get("id") == "lint")
    folder = data["env"]["TEMPLATES"]
    (tmp_path / folder).mkdir()
    (tmp_path / folder / "refund.liquid").write_text(FLAGGED, encoding="utf-8")
    argv = [folder if a == "$TEMPLATES" else a for a in shlex.split(lint["run"])] + ["--no-cache"]
    result = run(argv, tmp_path)
    assert result.returncode == 1, result.stderr  # findings: the workflow's last step fails the job
    sarif = json.loads((tmp_path / "empathylint.sarif").read_text(encoding="utf-8"))
    [finding] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "CND001"]
    location = finding["locations"][0]["physicalLocation"]
    # Relative to the checkout root, which is what code scanning resolves against.
    assert location["artifactLocation"]["uri"] == f"{folder}/refund.liquid"
    assert location["region"]["startLine"] == 3
    schema_path = ROOT.parent / "shared" / "data" / "sarif" / "sarif-schema-2.1.0.json"
    if schema_path.exists():
        import jsonschema

        jsonschema.validate(sarif, json.loads(schema_path.read_text(encoding="utf-8")))
