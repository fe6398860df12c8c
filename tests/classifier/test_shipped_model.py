"""The weights shipped in models/: small, safetensors, hash-pinned, and sane on obvious sentences.
Skipped (not failed) only when models/ has no weights."""

from __future__ import annotations

import json

from empathylint.classifier import load_classifier, load_thresholds
from empathylint.classifier.model import META_FILE


def test_the_shipped_files_are_small_tensors_only(shipped_model):
    files = [p for p in shipped_model.iterdir() if p.suffix in (".safetensors", ".bin", ".pt", ".pkl", ".pth")]
    assert sorted(p.name for p in files) == ["family-heads.safetensors", "tone-minilm.safetensors"]
    total = sum(p.stat().st_size for p in shipped_model.iterdir() if p.is_file())
    assert total <= 25 * 1024 * 1024
    meta = json.loads((shipped_model / META_FILE).read_text())
    assert meta["base"]["sha256"] == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    assert (shipped_model / "README.md").is_file() and (shipped_model / "thresholds.json").is_file()


def test_obvious_sentiment(shipped_model):
    clf = load_classifier()
    neg, pos, neu = clf.predict([
        "This is the worst service I have ever had, I hate it.",
        "Thank you so much, you were wonderful and fixed everything!",
        "Your order ships from our warehouse in Ohio.",
    ])
    assert neg.label("sentiment") == "negative" and neg.sentiment["negative"] > 0.8
    assert pos.label("sentiment") == "positive" and pos.sentiment["positive"] > 0.8
    assert neu.sentiment["neutral"] > neu.sentiment["negative"]


def test_obvious_politeness_and_needs_apology(shipped_model):
    clf = load_classifier()
    polite, rude, angry, happy = clf.predict([
        "Could you please take a look at this when you have a moment? Thanks so much!",
        "Why the hell did you delete my edit? Stop it.",
        "I am furious. My order arrived broken for the third time and nobody answers my emails.",
        "Everything arrived on time, thanks, have a nice day!",
    ])
    assert polite.politeness > 0.7 > rude.politeness
    assert polite.politeness - rude.politeness > 0.5
    assert angry.needs_apology >= load_thresholds().needs_apology > happy.needs_apology


def test_calibrated_thresholds_spare_empathy_but_flag_hostility(shipped_model):
    t = load_thresholds()
    assert t.source.endswith("thresholds.json")
    clf = load_classifier()
    hostile, fine = clf.predict(["That is a stupid question, read the manual yourself.",
                                 "Your replacement {{Product Name}} will arrive on {{Delivery Date}}."])
    assert hostile.sentiment["negative"] >= t.negative or 1 - hostile.politeness >= t.impolite
    assert fine.sentiment["negative"] < t.negative and 1 - fine.politeness < t.impolite


def test_the_family_head_is_pinned_by_hash_and_reads_the_tone_pass(shipped_model):
    from empathylint.classifier import families

    head, meta = families.load(shipped_model)  # raises when the weights' sha256 differs from the metadata
    assert meta["families"] == list(families.FAMILIES)
    scores = load_classifier().predict(["Honestly, it's not rocket science: the button is right there."])[0]
    assert set(scores.families) == set(families.FAMILIES)
    assert max(scores.families, key=scores.families.get) == "condescension"
