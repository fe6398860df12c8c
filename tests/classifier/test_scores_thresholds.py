"""ToneScores labels, placeholder stand-ins, threshold files and the calibration rule (no model needed)."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError

import pytest

from empathylint.classifier import ToneScores, load_thresholds
from empathylint.classifier.calibrate import APOLOGY_WORDS, bitext_share, pick_threshold
from empathylint.classifier.placeholders import fill_placeholders
from empathylint.classifier.thresholds import DEFAULT, THRESHOLDS_FILE


def scores(neg: float, neu: float, pos: float, polite: float = 0.9, apology: float = 0.1) -> ToneScores:
    return ToneScores({"negative": neg, "neutral": neu, "positive": pos}, polite, apology)


def test_labels_per_task():
    s = scores(0.7, 0.2, 0.1, polite=0.3, apology=0.8)
    assert s.label("sentiment") == "negative"
    assert s.label("politeness") == "impolite"
    assert s.label("emotion") == "needs_apology"
    assert s.scores("politeness") == pytest.approx({"impolite": 0.7, "polite": 0.3})
    with pytest.raises(ValueError, match="unknown task"):
        s.label("sarcasm")


def test_a_tie_goes_to_neutral():
    assert scores(0.4, 0.4, 0.2).label("sentiment") == "neutral"


def test_tone_scores_are_frozen():
    with pytest.raises(FrozenInstanceError):
        scores(0.1, 0.1, 0.8).politeness = 0.0


def test_placeholders_become_neutral_stand_ins():
    text = "Call {{Customer Support Phone Number}} about order {{Order Number}} or see {{Order History}}."
    assert fill_placeholders(text) == "Call 555-0100 about order 12345 or see Order History."
    assert "{" not in fill_placeholders("Hi {{Client First Name}}, visit {{Website URL}} on {{ Date }}")


def test_thresholds_are_read_from_the_model_folder(tmp_path):
    (tmp_path / THRESHOLDS_FILE).write_text(json.dumps(
        {"thresholds": {"negative": 0.8, "impolite": 0.75, "needs_apology": 0.4}, "note": "test"}))
    t = load_thresholds(tmp_path)
    assert (t.negative, t.impolite, t.needs_apology) == (0.8, 0.75, 0.4)
    assert t.note == "test"


def test_a_folder_without_thresholds_gets_the_uncalibrated_default(tmp_path):
    assert load_thresholds(tmp_path) == DEFAULT


def test_shipped_thresholds_are_probabilities_if_present():
    t = load_thresholds()
    for value in (t.negative, t.impolite, t.needs_apology):
        assert 0.0 < value < 1.0


def test_pick_threshold_takes_the_smallest_with_the_wanted_precision():
    s = [0.95, 0.9, 0.85, 0.8, 0.7, 0.6]
    gold = [True, True, False, True, False, False]
    picked = pick_threshold(s, gold, precision=0.99)
    assert picked["threshold"] == pytest.approx(0.8525, abs=0.003)  # just above the false positive at 0.85
    assert picked["precision"] == 1.0 and picked["flagged"] == 2


def test_apology_sentences_are_left_out_of_the_negative_check_only():
    sorry = "I'm so sorry, that sounds frustrating."
    rude = "Read the manual."
    table = {sorry: scores(0.95, 0.03, 0.02, polite=0.9), rude: scores(0.2, 0.7, 0.1, polite=0.05)}
    assert APOLOGY_WORDS.search(sorry) and not APOLOGY_WORDS.search(rude)
    share = bitext_share([[sorry], [rude]], table, neg_t=0.9, imp_t=0.9, skip_apology=True)
    assert share == {"negative": 0.0, "impolite": 0.5, "any": 0.5}
    raw = bitext_share([[sorry], [rude]], table, neg_t=0.9, imp_t=0.9, skip_apology=False)
    assert raw["negative"] == 0.5 and raw["any"] == 1.0
