"""A small BERT encoder in plain torch, weight-compatible with ``transformers.BertModel``.

all-MiniLM-L6-v2 is a 6-layer, 384-wide BERT. Building it here (modules made on the CPU, then the state
dict assigned) loads in about 0.2 s and does not import ``transformers``. Parameter names
follow the Hugging Face checkpoint (``embeddings.*``, ``encoder.layer.N.*``), so the package's
``model.safetensors`` loads as is. Attention uses ``scaled_dot_product_attention``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class _Embeddings(nn.Module):
    def __init__(self, vocab: int, hidden: int, positions: int, types: int, eps: float) -> None:
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, hidden, padding_idx=0)
        self.position_embeddings = nn.Embedding(positions, hidden)
        self.token_type_embeddings = nn.Embedding(types, hidden)
        self.LayerNorm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        length = input_ids.shape[1]
        x = self.word_embeddings(input_ids)
        x = x + self.position_embeddings.weight[:length].unsqueeze(0)
        x = x + self.token_type_embeddings.weight[0]
        return self.LayerNorm(x)


class _Linear(nn.Module):
    """``dense`` sub-module holder so names match the HF checkpoint (``...output.dense.weight``)."""

    def __init__(self, n_in: int, n_out: int, eps: float | None = None) -> None:
        super().__init__()
        self.dense = nn.Linear(n_in, n_out)
        if eps is not None:
            self.LayerNorm = nn.LayerNorm(n_out, eps=eps)


class _SelfAttention(nn.Module):
    def __init__(self, hidden: int) -> None:
        super().__init__()
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)


class _Attention(nn.Module):
    def __init__(self, hidden: int, eps: float) -> None:
        super().__init__()
        self.add_module("self", _SelfAttention(hidden))
        self.output = _Linear(hidden, hidden, eps)


class Layer(nn.Module):
    """One post-LayerNorm transformer layer (BERT)."""

    def __init__(self, hidden: int, heads: int, intermediate: int, eps: float, dropout: float = 0.1) -> None:
        super().__init__()
        self.heads = heads
        self.dropout = dropout
        self.attention = _Attention(hidden, eps)
        self.intermediate = _Linear(hidden, intermediate)
        self.output = _Linear(intermediate, hidden, eps)

    def forward(self, x: torch.Tensor, keep: torch.Tensor) -> torch.Tensor:
        """``x``: (batch, length, hidden); ``keep``: bool (batch, 1, 1, length), True for real tokens."""
        b, n, h = x.shape
        sa = self.attention._modules["self"]
        d = h // self.heads

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(b, n, self.heads, d).transpose(1, 2)

        p = self.dropout if self.training else 0.0
        a = F.scaled_dot_product_attention(split(sa.query(x)), split(sa.key(x)), split(sa.value(x)),
                                           attn_mask=keep, dropout_p=p)
        a = a.transpose(1, 2).reshape(b, n, h)
        out = self.attention.output
        x = out.LayerNorm(x + F.dropout(out.dense(a), p, self.training))
        f = self.output.dense(F.gelu(self.intermediate.dense(x)))
        return self.output.LayerNorm(x + F.dropout(f, p, self.training))


class _Encoder(nn.Module):
    def __init__(self, layers: list[Layer]) -> None:
        super().__init__()
        self.layer = nn.ModuleList(layers)


class MiniLM(nn.Module):
    """Embeddings + N layers; ``forward`` returns the last hidden states, ``run_layers`` a slice."""

    def __init__(self, config: dict) -> None:
        super().__init__()
        hidden = config["hidden_size"]
        eps = config.get("layer_norm_eps", 1e-12)
        self.config = dict(config)
        self.embeddings = _Embeddings(config["vocab_size"], hidden, config["max_position_embeddings"],
                                      config.get("type_vocab_size", 2), eps)
        self.encoder = _Encoder([
            Layer(hidden, config["num_attention_heads"], config["intermediate_size"], eps,
                  config.get("hidden_dropout_prob", 0.1))
            for _ in range(config["num_hidden_layers"])
        ])

    @property
    def num_layers(self) -> int:
        return len(self.encoder.layer)

    @classmethod
    def from_state_dict(cls, config: dict, state: dict[str, torch.Tensor]) -> "MiniLM":
        """Build the modules and assign the given weights. (On the ``meta`` device the modules' initialisers
        go through ``torch._refs``, which imports ``torch._dynamo`` and sympy: a second of start-up, where
        initialising on the CPU and throwing the values away takes 0.15 s.)"""
        with torch.no_grad():
            model = cls(config)
        wanted = set(model.state_dict())
        state = {k: v for k, v in state.items() if k in wanted}
        missing = wanted - set(state)
        if missing:
            raise ValueError(f"base weights lack {len(missing)} tensors, e.g. {sorted(missing)[:3]}")
        model.load_state_dict({k: v.float() for k, v in state.items()}, assign=True)
        return model.eval()

    @staticmethod
    def keep_mask(attention_mask: torch.Tensor) -> torch.Tensor:
        return attention_mask.bool()[:, None, None, :]

    def run_layers(self, x: torch.Tensor, attention_mask: torch.Tensor, start: int = 0,
                   stop: int | None = None) -> torch.Tensor:
        keep = self.keep_mask(attention_mask)
        for layer in self.encoder.layer[start:stop]:
            x = layer(x, keep)
        return x

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.run_layers(self.embeddings(input_ids), attention_mask)


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Mean of the real tokens' hidden states (sentence-transformers pooling, without normalisation), in
    float32 whatever the encoder ran in."""
    hidden = hidden.float()
    m = attention_mask.to(hidden.dtype).unsqueeze(-1)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
