"""A small BERT encoder in plain torch, weight-compatible with ``transformers.BertModel``.

all-MiniLM-L6-v2 is a 6-layer, 384-wide BERT. Building it here (modules made on the CPU, then the state
dict assigned) loads in about 0.2 s and does not import ``transformers``. Parameter names
follow the Hugging Face checkpoint (``embeddings.*``, ``encoder.layer.N.*``), so the package's
``model.safetensors`` loads as is. Attention uses ``scaled_dot_product_attention``; prediction runs the layers on
the real tokens alone (`Packed`).
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

        def split(t: torch.Tensor) -> torch.Tensor:
            return t.view(b, n, self.heads, h // self.heads).transpose(1, 2)

        p = self.dropout if self.training else 0.0
        a = F.scaled_dot_product_attention(split(sa.query(x)), split(sa.key(x)), split(sa.value(x)),
                                           attn_mask=keep, dropout_p=p)
        return self._after_attention(x, a.transpose(1, 2).reshape(b, n, h), p)

    def forward_packed(self, x: torch.Tensor, packed: "Packed") -> torch.Tensor:
        """The same layer on ``x`` = `Packed.pack` of the hidden states: every matrix product on the real
        tokens alone, the attention on them laid out as the padded batch. For prediction (no dropout)."""
        sa = self.attention._modules["self"]
        b, n = packed.shape
        h = x.shape[1]

        def split(t: torch.Tensor) -> torch.Tensor:
            return packed.unpack(t).view(b, n, self.heads, h // self.heads).transpose(1, 2)

        a = F.scaled_dot_product_attention(split(sa.query(x)), split(sa.key(x)), split(sa.value(x)),
                                           attn_mask=packed.keep)
        return self._after_attention(x, packed.pack(a.transpose(1, 2).reshape(b, n, h)), 0.0)

    def _after_attention(self, x: torch.Tensor, a: torch.Tensor, p: float) -> torch.Tensor:
        """Attention output, residual and LayerNorm, then the feed-forward block (on any leading shape)."""
        out = self.attention.output
        x = out.LayerNorm(x + F.dropout(out.dense(a), p, self.training))
        f = self.output.dense(F.gelu(self.intermediate.dense(x)))
        return self.output.LayerNorm(x + F.dropout(f, p, self.training))


def round_up(n: int, multiple: int) -> int:
    """``n`` rounded up to a multiple of ``multiple``."""
    return -(-n // multiple) * multiple


class Packed:
    """The real tokens of a padded batch, one row each, in a ``(rows, hidden)`` matrix.

    A layer's matrix products cost the same for a padding token as for a word, and a batch of canned-reply
    sentences padded to its longest (and, in bfloat16, to a multiple of 8 rows and tokens:
    `inference.SHAPE_MULTIPLE`) is about a third padding. Packed, the linear layers, LayerNorms and GELUs run on
    the words alone; only the attention, which needs each sentence's tokens side by side, sees the padded
    layout (`unpack`), where the padding is masked out as before. Each row's arithmetic is the row's own, so
    the scores are those of the padded batch (tested; bit for bit on 2,000 Bitext sentences in float32 and
    bfloat16). ``rows`` is the token count rounded up to ``row_multiple`` (to an eighth of it when there are fewer
    tokens than that) with rows of zeros: oneDNN, which runs the bfloat16 products, compiles a kernel per matrix
    shape."""

    def __init__(self, attention_mask: torch.Tensor, row_multiple: int = 1) -> None:
        self.shape = tuple(attention_mask.shape)
        self.index = attention_mask.reshape(-1).nonzero().squeeze(1)
        self.tokens = int(self.index.shape[0])
        # a few tokens (one new sentence of a draft) round to a multiple of 8 only: 64 rows for 20 tokens
        # would triple a pre-send check's work
        step = row_multiple if self.tokens > row_multiple else max(1, row_multiple // 8)
        self.rows = round_up(self.tokens, step)
        self.keep = MiniLM.keep_mask(attention_mask)

    def pack(self, x: torch.Tensor) -> torch.Tensor:
        """(batch, length, hidden) -> (rows, hidden): the real tokens, then rows of zeros."""
        h = x.shape[-1]
        out = x.reshape(-1, h)[self.index]
        if self.rows > self.tokens:
            out = torch.cat([out, out.new_zeros((self.rows - self.tokens, h))])
        return out

    def unpack(self, t: torch.Tensor) -> torch.Tensor:
        """(rows, hidden) -> (batch * length, hidden), zeros where the padding is."""
        b, n = self.shape
        out = t.new_zeros((b * n, t.shape[1]))
        out[self.index] = t[: self.tokens]
        return out


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

    def run_layers_packed(self, x: torch.Tensor, attention_mask: torch.Tensor, row_multiple: int = 1
                          ) -> torch.Tensor:
        """Every layer, for prediction, on the real tokens alone (`Packed`): `run_layers`' (batch, length,
        hidden) result, zeros where the padding is."""
        packed = Packed(attention_mask, row_multiple)
        t = packed.pack(x)
        for layer in self.encoder.layer:
            t = layer.forward_packed(t, packed)
        return packed.unpack(t).view(*packed.shape, -1)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.run_layers(self.embeddings(input_ids), attention_mask)


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """Mean of the real tokens' hidden states (sentence-transformers pooling, without normalisation), in
    float32 whatever the encoder ran in."""
    hidden = hidden.float()
    m = attention_mask.to(hidden.dtype).unsqueeze(-1)
    return (hidden * m).sum(1) / m.sum(1).clamp(min=1.0)
