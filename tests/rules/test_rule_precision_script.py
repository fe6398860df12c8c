"""scripts/rule_precision.py: the samples are reproducible, verdict files are validated, precision adds up.
(The script's figures need ../shared/data; these tests do not.)"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from empathylint.diagnostic import Severity

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "rule_precision.py"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("rule_precision", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


def _reply(script, number: int, *hits: tuple[str, Severity]):
    diagnostics = [script.Hit(code, code.lower(), "tone", severity, "w", "before ", " after", "")
                   for code, severity in hits]
    return script.Reply(str(number), "text", None, diagnostics)


def _replies(script):
    out = []
    for n in range(1, 201):
        hits = [("AAA001", Severity.WARNING)] if n % 2 else []
        if n % 5 == 0:
            hits.append(("BBB001", Severity.INFO))
        out.append(_reply(script, n, *hits))
    return out


def test_samples_are_seeded_and_only_flagged_replies_enter_the_overall_sample(script):
    replies = _replies(script)
    first = script.draw_samples(replies, seed=5, size=10, rule_size=4, min_hits=20)
    again = script.draw_samples(replies, seed=5, size=10, rule_size=4, min_hits=20)
    assert first == again
    overall, per_rule = first
    assert len({i for i, _ in overall}) == 10
    assert all(code == "AAA001" and int(i) % 2 for i, code in overall)  # info-only replies are not "flagged"
    assert set(per_rule) == {"AAA001", "BBB001"}  # 100 and 40 hits, both above 20
    assert all(len(units) == 4 for units in per_rule.values())


def test_rules_at_or_under_the_minimum_get_no_own_sample(script):
    _, per_rule = script.draw_samples(_replies(script), seed=5, size=10, rule_size=4, min_hits=40)
    assert set(per_rule) == {"AAA001"}


def test_verdicts_are_read_and_checked(script, tmp_path):
    good = tmp_path / "v.yml"
    good.write_text("verdicts:\n  - {id: 7, rule: AAA001, verdict: right, why: ok}\n"
                    "  - {id: 9, rule: AAA001, verdict: wrong, why: an offer}\n")
    verdicts = script.load_verdicts(good)
    assert verdicts == {("7", "AAA001"): (True, "ok"), ("9", "AAA001"): (False, "an offer")}
    line = script.precision_line([("7", "AAA001"), ("9", "AAA001"), ("11", "AAA001")], verdicts)
    assert line == "1/2 right = 50% (1 without a verdict)"
    bad = tmp_path / "bad.yml"
    bad.write_text("verdicts:\n  - {id: 7, rule: AAA001, verdict: maybe}\n")
    with pytest.raises(SystemExit, match="right or wrong"):
        script.load_verdicts(bad)


def test_cache_is_reused_only_for_the_same_key(script, tmp_path):
    cache = tmp_path / "bitext.json"
    replies = _replies(script)[:5]
    calls = []

    def lint():
        calls.append(1)
        return replies

    assert script.cached_bitext(cache, "k1", lint) == replies
    assert script.cached_bitext(cache, "k1", lint) == replies  # read back, equal, severities restored
    assert len(calls) == 1
    script.cached_bitext(cache, "k2", lint)
    assert len(calls) == 2
