"""``--format sarif``: valid SARIF 2.1.0 (checked against the official schema), every rule described in
the driver, results that point at the right characters, and fingerprints that survive unrelated edits."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
import pytest

from empathylint.formatters import FORMATTERS, Summary
from empathylint.source import Source

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "shared" / "data" / "sarif" / "sarif-schema-2.1.0.json"


@pytest.fixture(scope="module")
def sarif_validator() -> jsonschema.protocols.Validator:
    """A validator for the official SARIF 2.1.0 schema, read from ../shared next to the checkout."""
    if not SCHEMA_PATH.exists():
        pytest.skip(f"the official SARIF schema is not at {SCHEMA_PATH} (CI clones next to ../shared, "
                    "which has it)")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def assert_valid(validator, document: dict) -> None:
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:10])


def sarif_of(linter, *sources: Source) -> dict:
    """The SARIF document for ``sources`` linted by ``linter``, written as the CLI writes it."""
    out = io.StringIO()
    formatter = FORMATTERS["sarif"](out, linter.rules)
    summary = Summary()
    formatter.start()
    for result in linter.lint_sources(list(sources)):
        summary.add(result)
        formatter.result(result)
    formatter.finish(summary)
    return json.loads(out.getvalue())


def test_sample_validates_against_the_official_schema(render, sarif_validator):
    assert_valid(sarif_validator, json.loads(render("sarif")))


def test_a_real_run_over_every_bundled_rule_validates(rules_linter, sarif_validator):
    reply = "Hi Dana,\nAs I already explained, just restart the router. Sorry for any inconvenience.\n"
    document = sarif_of(rules_linter, Source.from_text(reply, "replies/dana.txt"))
    assert_valid(sarif_validator, document)
    assert document["runs"][0]["results"], "the reply should have findings"


def test_the_driver_describes_every_rule(rules_linter):
    document = sarif_of(rules_linter)
    descriptors = document["runs"][0]["tool"]["driver"]["rules"]
    assert [d["id"] for d in descriptors] == [r.code for r in rules_linter.rules]
    for descriptor, rule in zip(descriptors, rules_linter.rules):
        assert descriptor["name"] == rule.name
        for field in ("shortDescription", "fullDescription", "help"):
            assert descriptor[field]["text"].strip(), (rule.code, field)
        assert descriptor["help"]["markdown"].startswith(f"### {rule.code}")


def test_results_carry_level_message_location_region_fingerprint_and_fix(render, stream):
    run = json.loads(render("sarif"))["runs"][0]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["CND001", "APO002", "TON001", "CND001"]
    assert [r["level"] for r in results] == ["warning", "error", "note", "warning"]
    descriptors = run["tool"]["driver"]["rules"]
    first = results[0]
    assert descriptors[first["ruleIndex"]]["id"] == "CND001"
    assert first["message"]["text"].startswith('"As I already explained" tells')
    location = first["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "replies/refund.txt"
    assert location["region"] == {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 23,
                                  "snippet": {"text": "As I already explained"}}
    assert all(len(r["partialFingerprints"]["empathylint/v1"]) == 32 for r in results)
    [fix] = results[1]["fixes"]
    assert fix["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"] == "I'm sorry that"
    assert results[3]["properties"]["record"] == "360001"


def test_input_errors_and_notices_become_tool_notifications(render):
    [invocation] = json.loads(render("sarif"))["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    notes = [(n["level"], n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
             for n in invocation["toolExecutionNotifications"]]
    assert notes == [("note", "replies/quoted.eml"), ("error", "replies/unreadable.eml"),
                     ("error", "replies/huge.txt")]


def test_fingerprints_survive_unrelated_edits(rules_linter):
    before = ("Hi Dana,\n"
              "Thanks for writing in. As I already explained, the refund takes five days.\n"
              "Like I said, the courier collects on Monday.\n")
    # A paragraph above, a changed sentence elsewhere, and the findings themselves moved down and across.
    after = ("Hi Dana,\n"
             "I have looked at your account again this morning.\n\n"
             "Thank you for your patience! As I already explained, the refund takes five days.\n"
             "Like I said, the courier collects on Tuesday afternoon.\n")

    def findings(text: str) -> dict[str, tuple[str, int]]:
        # The two condescension findings are followed; other packs may flag the edited words themselves.
        results = sarif_of(rules_linter, Source.from_text(text, "replies/dana.txt"))["runs"][0]["results"]
        return {r["partialFingerprints"]["empathylint/v1"]:
                (r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
                for r in results if r["ruleId"] in {"CND001", "CND002"}}

    old, new = findings(before), findings(after)
    assert sorted(code for code, _ in old.values()) == ["CND001", "CND002"]
    assert old.keys() == new.keys()
    assert all(new[fp][1] > old[fp][1] for fp in old), "the findings moved, their fingerprints did not"


def test_uris_are_relative_and_escaped():
    from empathylint.formatters.sarif import artifact_uri

    assert artifact_uri("<stdin>") == "%3Cstdin%3E"
    assert artifact_uri("macros/Refund delayed.txt") == "macros/Refund%20delayed.txt"
    assert artifact_uri(str(Path.cwd() / "templates" / "a.liquid")) == "templates/a.liquid"


def test_a_file_name_that_is_not_utf8_keeps_its_bytes_in_the_uri():
    from empathylint.formatters.sarif import artifact_uri

    # os.fsdecode(b"caf\xe9.txt"): how a Latin-1 file name arrives from a folder walk on a UTF-8 system.
    assert artifact_uri("replies/caf\udce9.txt") == "replies/caf%E9.txt"


def test_a_file_outside_the_working_directory_gets_an_absolute_uri(tmp_path, monkeypatch):
    from empathylint.formatters.sarif import artifact_location

    monkeypatch.chdir(tmp_path)
    outside = tmp_path.parent / "elsewhere" / "my reply.txt"
    assert artifact_location(str(outside)) == {"uri": outside.as_uri()}
    assert artifact_location("replies/a.txt") == {"uri": "replies/a.txt", "uriBaseId": "%SRCROOT%"}
