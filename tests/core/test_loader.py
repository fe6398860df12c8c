"""The rule-pack loader reports a bad pack by file and line, and says what is wrong."""

from __future__ import annotations

import textwrap

import pytest

from empathylint.checks import CHECKS
from empathylint.errors import RuleFileError
from empathylint.rules.conditions import CONDITIONS
from empathylint.rules.loader import load_pack
from empathylint.rules.registry import RuleSet

GOOD_RULE = """\
family: team
prefix: TEAM
rules:
  - code: TEAM001
    name: no-worries
    category: cliche
    severity: info
    message: '"{text}" is overused.'
    reason: It reads as scripted.
    suggestions: ["Say what you did."]
    patterns:
      - phrases: ["no worries"]
    examples:
      flag: ["No worries, it's done."]
      pass: ["It's done."]
"""


def load(tmp_path, text: str):
    path = tmp_path / "team.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_pack(path, set(CONDITIONS), set(CHECKS))


def test_a_valid_pack_loads(tmp_path):
    [rule] = load(tmp_path, GOOD_RULE)
    assert (rule.code, rule.name, rule.category, str(rule.severity)) == ("TEAM001", "no-worries", "cliche", "info")
    assert rule.line == 4
    assert [e.flags for e in rule.examples] == [True, False]


@pytest.mark.parametrize(("change", "line", "problem"), [
    (("    patterns:", "    pattern:"), 4, "unknown key 'pattern' (did you mean 'patterns'?)"),
    (("category: cliche", "category: clichés"), 4, "unknown category 'clichés'"),
    (("severity: info", "severity: fatal"), 4, "unknown severity 'fatal'"),
    (("code: TEAM001", "code: CND001"), 4, "code must start with the pack prefix 'TEAM'"),
    (("name: no-worries", "name: No Worries"), 4, "must be kebab-case"),
    (('      pass: ["It\'s done."]\n', ""), 14, "needs at least one 'pass' example"),
    (('      - phrases: ["no worries"]', '      - phrases: ["no worries"]\n        when: [imperativ]'), 12,
     "unknown condition 'imperativ' (did you mean 'imperative'?)"),
])
def test_bad_packs_are_reported_with_file_line_and_problem(tmp_path, change, line, problem):
    with pytest.raises(RuleFileError) as info:
        load(tmp_path, GOOD_RULE.replace(*change))
    error = info.value
    assert error.path.endswith("team.yml")
    assert error.line == line
    assert problem in error.problem
    assert str(error).startswith(f"{error.path}:{line}: ")


def test_invalid_yaml_names_the_line(tmp_path):
    with pytest.raises(RuleFileError) as info:
        load(tmp_path, GOOD_RULE.replace("    reason: It reads as scripted.", "    reason: [unclosed"))
    assert info.value.line == 10
    assert "invalid YAML" in info.value.problem


def test_yaml_words_like_on_and_no_stay_words(tmp_path):
    [rule] = load(tmp_path, GOOD_RULE.replace('      - phrases: ["no worries"]',
                                              "      - tokens: [{LOWER: {IN: [on, no, yes, off]}}]"))
    assert rule.patterns[0].value == [{"LOWER": {"IN": ["on", "no", "yes", "off"]}}]


def test_a_pattern_spacy_rejects_is_reported_when_compiled(tmp_path):
    from empathylint.component import RuleEngine
    from empathylint.pipeline import load_english

    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "team.yml").write_text(GOOD_RULE.replace('      - phrases: ["no worries"]',
                                                       "      - tokens: [{LOWR: worries}]"), encoding="utf-8")
    with pytest.raises(RuleFileError) as info:
        RuleEngine(load_english(), "rules", [str(folder)])
    assert info.value.path.endswith("team.yml") and info.value.line == 12
    assert "TEAM001: invalid tokens pattern" in info.value.problem


def test_duplicate_codes_across_packs_are_refused(tmp_path):
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "team.yml").write_text(GOOD_RULE.replace("TEAM", "CND").replace("no-worries", "other-name")
                                     .replace("CND001", "CND001"), encoding="utf-8")
    with pytest.raises(RuleFileError, match="already used by rule CND001"):
        RuleSet.load([folder])
