"""`minilm.Packed`: prediction runs the encoder's layers on the real tokens alone and gives exactly the vectors
of the padded batch; training keeps the padded path."""

from __future__ import annotations

import pytest
import torch

from empathylint.classifier.minilm import Packed

TEXTS = ["Thanks!",
         "This is the worst service I have ever had, I hate it.",
         "Your replacement {{Product Name}} will arrive on {{Delivery Date}}, and I have refunded the postage.",
         "Send me the receipt now.",
         "Could you please send me the receipt when you have a moment?"]


def test_pack_keeps_the_real_tokens_in_order_and_unpack_puts_them_back():
    mask = torch.tensor([[1, 1, 1, 0], [1, 1, 0, 0], [1, 1, 1, 1]])
    x = torch.arange(3 * 4 * 2, dtype=torch.float32).view(3, 4, 2)
    packed = Packed(mask, row_multiple=8)
    rows = packed.pack(x)
    assert packed.tokens == 9 and rows.shape == (16, 2)
    assert rows[:9].tolist() == [x[0, 0].tolist(), x[0, 1].tolist(), x[0, 2].tolist(), x[1, 0].tolist(),
                                 x[1, 1].tolist(), x[2, 0].tolist(), x[2, 1].tolist(), x[2, 2].tolist(),
                                 x[2, 3].tolist()]
    assert not rows[9:].any()  # rounding rows are zeros
    back = packed.unpack(rows).view(3, 4, 2)
    assert torch.equal(back, x * mask.unsqueeze(-1))  # padding positions come back as zeros
    assert Packed(mask).rows == 9
    assert Packed(mask, row_multiple=64).rows == 16  # a few tokens round to an eighth of the multiple
    assert Packed(torch.ones((3, 30), dtype=torch.long), row_multiple=64).rows == 128


@pytest.mark.parametrize("row_multiple", [1, 64])
def test_packed_layers_give_the_padded_batch_vectors_bit_for_bit(shipped_model, row_multiple):
    from empathylint.classifier.inference import ToneClassifier, encoded_batches

    clf = ToneClassifier.load(precision="float32", cache_size=0)
    model = clf.model
    with torch.inference_mode():
        for idx, ids, mask in encoded_batches(clf.tokenizer, TEXTS, 64, 1024, 8):
            assert mask.sum() < mask.numel()  # there is padding to leave out
            padded = model._pool_from_hidden(model.bottom(ids, mask), mask)
            assert torch.equal(model.pooled(ids, mask, row_multiple), padded)


def test_training_runs_the_padded_layers(shipped_model, monkeypatch):
    from empathylint.classifier.inference import ToneClassifier, encoded_batches

    clf = ToneClassifier.load(precision="float32", cache_size=0)
    monkeypatch.setattr(Packed, "pack", lambda *a: pytest.fail("packed in training"))
    _, ids, mask = next(encoded_batches(clf.tokenizer, TEXTS, 64, 1024))
    clf.model.train()
    try:
        clf.model.pooled(ids, mask).sum().backward()
    finally:
        clf.model.eval()
    assert clf.model.base.encoder.layer[5].output.dense.weight.grad is not None
