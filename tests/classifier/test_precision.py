"""The tone model's arithmetic (`empathylint.classifier.precision`): what ``auto`` picks, what each precision
changes in the model, that the faster paths agree with float32, and that the setting reaches the pipeline
and the result cache."""

from __future__ import annotations

import os

import pytest

from empathylint.classifier import precision as P
from empathylint.config import parse_config
from empathylint.errors import ConfigError

TEXTS = ["This is the worst service I have ever had, I hate it.",
         "Thank you so much, you were wonderful and fixed everything!",
         "Send me the receipt now.",
         "Could you please send me the receipt when you have a moment?",
         "Your replacement {{Product Name}} will arrive on {{Delivery Date}}."]


@pytest.mark.parametrize("native, expected", [(True, "bfloat16"), (False, "float32")])
def test_auto_is_bfloat16_only_where_the_cpu_has_bfloat16_instructions(monkeypatch, native, expected):
    monkeypatch.setattr(P, "native_bfloat16", lambda: native)
    assert P.resolve("auto") == expected
    assert P.resolve("float32") == "float32" and P.resolve("int8") == "int8"


def test_an_unknown_precision_is_an_error_that_names_the_choices():
    with pytest.raises(ValueError, match="unknown precision 'fp16'.*float32"):
        P.resolve("fp16")


@pytest.fixture(scope="module")
def exact(shipped_model):
    from empathylint.classifier.inference import ToneClassifier

    return ToneClassifier.load(precision="float32", cache_size=0)


def test_bfloat16_stores_the_encoder_matrices_in_bfloat16_and_keeps_the_heads_float32(exact):
    import torch

    from empathylint.classifier.inference import ToneClassifier

    fast = ToneClassifier.load(precision="bfloat16", cache_size=0)
    layer = fast.model.base.encoder.layer[3]
    assert layer.intermediate.dense.weight.dtype == torch.bfloat16
    assert layer.attention._modules["self"].query.weight.dtype == torch.bfloat16
    assert layer.output.LayerNorm.weight.dtype == torch.float32
    assert fast.model.heads.sentiment.dense.weight.dtype == torch.float32
    assert exact.model.base.encoder.layer[3].intermediate.dense.weight.dtype == torch.float32
    for a, b in zip(fast.predict(TEXTS), exact.predict(TEXTS)):
        assert a.label("sentiment") == b.label("sentiment")
        assert max(abs(a.sentiment[k] - b.sentiment[k]) for k in a.sentiment) < 0.03
        assert abs(a.politeness - b.politeness) < 0.03
        assert abs(a.needs_apology - b.needs_apology) < 0.03


def test_int8_quantises_only_the_feed_forward_layers_and_agrees_with_float32(exact):
    import torch

    from empathylint.classifier.inference import ToneClassifier

    fast = ToneClassifier.load(precision="int8", cache_size=0)
    layer = fast.model.base.encoder.layer[0]
    assert isinstance(layer.intermediate.dense, torch.ao.nn.quantized.dynamic.Linear)
    assert isinstance(layer.output.dense, torch.ao.nn.quantized.dynamic.Linear)
    assert isinstance(layer.attention.output.dense, torch.nn.Linear)  # attention stays float
    for a, b in zip(fast.predict(TEXTS), exact.predict(TEXTS)):
        assert a.label("sentiment") == b.label("sentiment")
        assert abs(a.politeness - b.politeness) < 0.1


def test_the_config_file_and_the_command_line_set_the_precision():
    from empathylint.cli import apply_overrides

    assert parse_config({}, "x.toml").precision == "auto"
    config = parse_config({"precision": "float32"}, "team.toml")
    assert config.precision == "float32"
    assert apply_overrides(config, precision="int8").precision == "int8"
    assert apply_overrides(config, precision=None).precision == "float32"
    with pytest.raises(ConfigError, match=r"team.toml: 'precision' must be one of auto, float32, bfloat16, int8"):
        parse_config({"precision": "fast"}, "team.toml")


def test_the_pipeline_runs_the_classifier_in_the_configured_precision(shipped_model):
    from empathylint.pipeline import build_pipeline

    nlp = build_pipeline(True, precision="float32")
    assert nlp.get_pipe("empathylint_classifier").classifier.precision == "float32"
    assert build_pipeline(True, precision="float32") is nlp
    assert build_pipeline(True, precision="int8") is not nlp


def test_results_cached_in_one_precision_are_not_reused_in_another(monkeypatch):
    from empathylint.cache import fingerprint as config_fingerprint
    from empathylint.config import Config

    monkeypatch.setattr(P, "native_bfloat16", lambda: True)
    fingerprints = {p: config_fingerprint(Config(precision=p)) for p in ("auto", "float32", "bfloat16", "int8")}
    assert fingerprints["auto"] == fingerprints["bfloat16"]
    assert len({fingerprints[p] for p in ("float32", "bfloat16", "int8")}) == 3
    assert config_fingerprint(Config(use_model=False, precision="int8")) == \
        config_fingerprint(Config(use_model=False, precision="float32"))


def test_bfloat16_bounds_onednn_kernel_cache_unless_the_user_set_it(monkeypatch):
    import types

    import torch
    from torch import nn

    def fake_model():
        return types.SimpleNamespace(base=types.SimpleNamespace(encoder=nn.Sequential(nn.Linear(4, 4))))

    monkeypatch.delenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY", raising=False)
    model = fake_model()
    P.prepare(model, "bfloat16")
    assert model.base.encoder[0].weight.dtype == torch.bfloat16
    assert os.environ["ONEDNN_PRIMITIVE_CACHE_CAPACITY"] == str(P.ONEDNN_CACHE_CAPACITY)
    monkeypatch.setenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "2048")
    P.prepare(fake_model(), "bfloat16")
    assert os.environ["ONEDNN_PRIMITIVE_CACHE_CAPACITY"] == "2048"
    monkeypatch.delenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY")
    P.prepare(fake_model(), "float32")
    assert "ONEDNN_PRIMITIVE_CACHE_CAPACITY" not in os.environ


def test_padding_to_shape_multiples_adds_masked_rows_and_length_only():
    from empathylint.classifier.inference import pad

    nine = [[101, 7, 8, 102], [101, 9, 102]] + [[101, 102]] * 7
    ids, mask = pad(nine, 8)
    assert ids.shape == mask.shape == (16, 8)
    assert mask.sum(1).tolist() == [4, 3] + [2] * 7 + [1] * 7
    assert ids[0, :4].tolist() == [101, 7, 8, 102] and ids[1, :3].tolist() == [101, 9, 102]
    assert ids[9:, 0].tolist() == [101] * 7 and not ids[:, 4:].any()
    assert pad(nine[:2], 8)[0].shape == (2, 8)  # a few rows stay a few rows (single-reply latency)
    assert pad([[101, 7, 102]])[0].shape == (1, 3)


def test_the_padded_shapes_give_the_scores_of_the_unpadded_ones(exact):
    """In float32 (exact arithmetic on the same rows) padding to multiples of 8 changes no score."""
    import torch

    from empathylint.classifier.inference import encoded_batches

    def pooled(multiple):
        out = {}
        with torch.inference_mode():
            for idx, ids, mask in encoded_batches(exact.tokenizer, TEXTS, 64, 2048, multiple):
                vectors = exact.model.pooled(ids, mask)
                out.update({i: vectors[j] for j, i in enumerate(idx)})
        return out

    plain, padded = pooled(1), pooled(8)
    assert all(torch.allclose(plain[i], padded[i], atol=1e-5) for i in range(len(TEXTS)))
