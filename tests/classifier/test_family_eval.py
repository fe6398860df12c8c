"""scripts/family_eval.py: a family catches a sentence when a diagnostic of its pack is reported on it, split
by where it came from (rules or the model rule) and whether it is a warning."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from empathylint.classifier.families import Sentence

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "family_eval.py"
spec = importlib.util.spec_from_file_location("family_eval", SCRIPT)
family_eval = importlib.util.module_from_spec(spec)
spec.loader.exec_module(family_eval)


def test_precision_and_recall_per_family_and_source():
    sentences = [Sentence("a", "excuse"), Sentence("b", "excuse"), Sentence("c", None, "excuse")]
    warned = [{"rules": set(), "model": {"excuse"}}, {"rules": set(), "model": set()},
              {"rules": set(), "model": {"excuse"}}]
    assert family_eval.figures(sentences, warned, "model", "excuse") == (0.5, 0.5)
    assert family_eval.figures(sentences, warned, "rules", "excuse") == (None, 0.0)


def test_a_model_hint_counts_for_the_model_but_is_not_a_warning(model_linter):
    (seen,) = family_eval.warned_families(model_linter, ["Head office sets these rules, not me."])
    assert seen["model"] == {"excuse"} and seen["any"] == {"excuse"}
    assert "excuse" not in seen["warned"] and not seen["rules"]
