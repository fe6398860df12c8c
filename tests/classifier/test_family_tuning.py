"""Joint family tuning (`classifier.family_tuning`) on the tiny tone model: the family head learns, the tone
heads keep their outputs thanks to the distillation, the tuned layers install and round-trip through the
saved model, and the model handed in is never changed by tuning."""

from __future__ import annotations

import pytest
import torch

from empathylint.classifier import families as F
from empathylint.classifier import family_tuning as T
from empathylint.classifier.inference import ToneClassifier
from empathylint.classifier.model import save_model

BAD = ["Honestly, a child could set this up.", "It's really not that hard to follow the steps.",
       "Anyone could have read the manual first.", "This is basic stuff, surely you know it."]
GOOD = ["It's easy to miss, so here's a screenshot.", "I've explained the steps below.",
        "Thanks for your patience while we look.", "Your refund was sent this morning."]
REPLAY = ["A dull, lifeless mess.", "Great service, thank you!", "The store opens at nine.",
          "Could you please take a look when you have a moment?", "Stop reverting my edits.",
          "My order number is 12345.", "I hated this, total waste of time.", "We went there on Tuesday."]


def _setup(tiny_model):
    classifier = ToneClassifier.load(tiny_model, precision="float32")
    texts = BAD + GOOD
    y = torch.zeros(len(texts), len(F.FAMILIES))
    y[: len(BAD), F.FAMILIES.index("condescension")] = 1
    return classifier, T.cache_hidden(classifier.model, texts, 4, batch_size=4), y, \
        T.cache_hidden(classifier.model, REPLAY, 4, batch_size=4)


def _tone(model, replay, layers=None):
    """The sentiment logits of the replay texts through ``layers`` (the model's own from layer 4 by default)."""
    layers = model.base.encoder.layer[4:] if layers is None else layers
    with torch.no_grad():
        return torch.cat([model.heads(T.run_top(layers, b, False))["sentiment"] for b in replay])


def _drift(model, top, replay, before):
    return (_tone(model, replay, top) - before).abs().mean().item()


def test_joint_tuning_learns_the_family_and_the_distillation_keeps_the_tone_heads(tiny_model):
    classifier, train, y, replay = _setup(tiny_model)
    model = classifier.model
    before = _tone(model, replay)
    layer5 = [p.clone() for p in model.base.encoder.layer[5].parameters()]
    top, head = T.tune(model, train, y, replay, T.TuningConfig(epochs=6, lr_layers=1e-4, head_warmup_epochs=40))
    p = F.probabilities(head, T.pooled(top, train, len(y)))[:, F.FAMILIES.index("condescension")]
    assert p[: len(BAD)].min() > p[len(BAD):].max()  # every bad sentence above every look-alike
    assert torch.equal(_tone(model, replay), before)  # tuning works on a copy: the model is unchanged
    assert all(torch.equal(a, b) for a, b in zip(model.base.encoder.layer[5].parameters(), layer5))
    kept = _drift(model, top, replay, before)
    free, _ = T.tune(model, train, y, replay,
                     T.TuningConfig(epochs=6, lr_layers=1e-4, head_warmup_epochs=40, distill=0.0))
    assert kept < _drift(model, free, replay, before)  # without the replay the tone heads move further


def test_installed_layers_are_the_model_pass_and_survive_save_and_load(tiny_model, tmp_path):
    classifier, train, y, replay = _setup(tiny_model)
    top, head = T.tune(classifier.model, train, y, replay, T.TuningConfig(epochs=2, head_warmup_epochs=5))
    expected = T.pooled(top, train, len(y))
    T.install(classifier.model, top, 4)
    save_model(classifier.model, tmp_path, classifier.max_length, {**classifier.meta["training"],
                                                                   "family_stage": {"method": "joint"}})
    loaded = ToneClassifier.load(tmp_path, precision="float32")
    assert loaded.meta["training"]["family_stage"] == {"method": "joint"}
    got = torch.zeros_like(expected)
    texts = BAD + GOOD
    for idx, vectors in loaded.pooled(texts):
        got[idx] = vectors.float()
    # the one encoder pass now gives the tuned vector (shipped in float16: close, not equal)
    assert torch.nn.functional.cosine_similarity(got, expected).min() > 0.999
    untuned = ToneClassifier.load(tiny_model, precision="float32")
    plain = torch.zeros_like(expected)
    for idx, vectors in untuned.pooled(texts):
        plain[idx] = vectors.float()
    assert (got - plain).abs().max() > 10 * (got - expected).abs().max()  # and not the untuned one


def test_setfit_runs_on_a_copy_and_an_unknown_method_is_refused(tiny_model):
    classifier, train, y, replay = _setup(tiny_model)
    before = _tone(classifier.model, replay)
    top, head = T.tune(classifier.model, train, y, replay, T.TuningConfig(method="setfit", contrastive_steps=3))
    assert len(top) == 2 and torch.equal(_tone(classifier.model, replay), before)
    with pytest.raises(ValueError, match="unknown method 'lora'"):
        T.tune(classifier.model, train, y, replay, T.TuningConfig(method="lora"))


def test_batch_contrast_is_zero_when_families_are_apart_and_high_when_they_collapse():
    labels = torch.tensor([0, 0, -1, -1])
    apart = torch.tensor([[1.0, 0.0], [2.0, 0.0], [0.0, 1.0], [0.0, 3.0]])  # same family parallel, others orthogonal
    assert T.batch_contrast(apart, labels).item() == pytest.approx(0.0, abs=1e-6)
    collapsed = torch.ones(4, 2)  # every sentence alike: the different-family pairs should be 0, are 1
    assert T.batch_contrast(collapsed, labels).item() == pytest.approx(8 / 12)
    assert T.batch_contrast(torch.ones(1, 2), torch.tensor([0])).item() == 0.0  # one sentence: no pairs


def test_joint_tuning_with_the_contrastive_term_still_learns_the_family(tiny_model):
    classifier, train, y, replay = _setup(tiny_model)
    cfg = T.TuningConfig(epochs=6, lr_layers=1e-4, head_warmup_epochs=40, contrast=1.0)
    top, head = T.tune(classifier.model, train, y, replay, cfg)
    p = F.probabilities(head, T.pooled(top, train, len(y)))[:, F.FAMILIES.index("condescension")]
    assert p[: len(BAD)].min() > p[len(BAD):].max()
    plain, _ = T.tune(classifier.model, train, y, replay, T.TuningConfig(epochs=6, lr_layers=1e-4,
                                                                        head_warmup_epochs=40))
    assert any(not torch.equal(a, b) for a, b in zip(top.parameters(), plain.parameters()))  # the term acts
