"""Retrain the tone model from ``../shared/data``, reproducibly, on CPU.

    nice -n 10 python -m empathylint.classifier.train --data-dir ../shared/data --out models

Recipe (the defaults are exactly what the shipped model was trained with; see models/README.md):

1. The base encoder's bottom layers (``0 .. first_trainable_layer-1``) stay frozen. Each training text is
   run through them once (no grad) and the hidden states are cached (float16, in memory).
2. The top layers + the three heads are trained on the cached states for a few epochs, multi-task: one
   shuffled stream mixes SST-2 (sentiment, negative-vs-positive only), GoEmotions (3-class sentiment via
   the Demszky et al. grouping + needs-apology), the TweetEval-sentiment training part (3-class,
   class-balanced loss, oversampled), TweetEval emotion train + val (needs-apology only: anger / sadness
   yes, joy / optimism no; why not sentiment: `data.read_tweeteval_emotion`) and the politeness training
   part (soft target = percentile of the normalised score). Batches are length-bucketed and padded dynamically
   (:mod:`.batches`); the loss is the per-example sum of the heads' losses that the example has targets
   for (:mod:`.losses`).
3. The fine-tuned layers and heads are saved as float16 safetensors (``models/tone-minilm.safetensors``)
   plus metadata (``models/tone-minilm.json``).

Fixed seed, 2 torch threads: the same data and code give the same weights on the same machine.

Stage 2, ``--stage sentiment-head`` (about a minute, one thread), re-balances the sentiment head of the model
in ``--out`` and leaves the encoder and the other heads bit for bit: :mod:`.sentiment_head`.
"""

from __future__ import annotations

import argparse
import math
import platform
import random
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch

from . import data as D
from .batches import HiddenCache, epoch_batches
from .losses import Targets, multitask_loss

STAGES = ("full", "sentiment-head")


@dataclass
class TrainConfig:
    data_dir: str = ""
    out_dir: str = ""
    seed: int = 13
    first_trainable_layer: int = 2
    epochs: float = 2.0
    batch_size: int = 32
    lr_layers: float = 1e-4
    lr_heads: float = 1e-3
    weight_decay: float = 0.01
    warmup: float = 0.06
    max_length: int = 128
    head_inner: int = 256
    dropout: float = 0.1
    threads: int = 2
    oversample: dict = field(default_factory=lambda: {"sst2": 1.0, "goemotions": 1.0, "tweeteval": 5.0,
                                                       "tweet_emotion": 1.0, "politeness": 2.0})
    balance_tweeteval: bool = True  # class-balanced sentiment loss on the TweetEval part (macro recall)
    loss_weights: dict = field(default_factory=lambda: {"sentiment": 1.0, "politeness": 1.0, "apology": 1.0})
    order_seed: int | None = None  # the batches' shuffling seed (None: ``seed``); initial weights keep ``seed``
    tweet_fraction: float = 1.0  # learning curves: a stratified part of the TweetEval training tweets, oversampled
    #                              in proportion so that they still make the same share of the steps
    max_steps: int | None = None  # stop early (smoke tests)
    limit_per_source: int | None = None  # use only the first N examples of each source (smoke tests)
    eval_each_epoch: bool = True


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def training_examples(data_dir: Path, limit: int | None = None, balance_tweeteval: bool = True,
                      tweet_fraction: float = 1.0) -> dict[str, list[D.Example]]:
    """Every training source, by name (held-out splits excluded; see :mod:`empathylint.classifier.data`);
    ``tweet_fraction`` < 1 keeps that stratified part of the TweetEval training tweets."""
    tweet_train, _ = D.tweeteval_sentiment_split(data_dir)
    pol_train, _ = D.politeness_split(data_dir)
    sources = {
        "sst2": D.read_sst2(data_dir, "train"),
        "goemotions": D.read_goemotions(data_dir, "train"),
        "tweeteval": tweet_train,
        "tweet_emotion": D.read_tweeteval_emotion(data_dir),
        "politeness": pol_train,
    }
    if limit is not None:
        sources = {k: v[:limit] for k, v in sources.items()}
    if balance_tweeteval:  # the class weights of all the training tweets, also for a part of them
        D.balance_classes(sources["tweeteval"])
    if tweet_fraction < 1.0:
        sources["tweeteval"] = D.stratified_part(sources["tweeteval"], tweet_fraction)
    return sources


def train(cfg: TrainConfig) -> Path:
    from .model import ToneModel, save_model
    from .encoder import load_base_encoder

    started = time.time()
    torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed if cfg.order_seed is None else cfg.order_seed)
    data_dir = Path(cfg.data_dir) if cfg.data_dir else D.default_data_dir()
    out_dir = Path(cfg.out_dir) if cfg.out_dir else _default_out()

    if not 0.0 < cfg.tweet_fraction <= 1.0:
        raise ValueError(f"tweet_fraction must be in (0, 1], not {cfg.tweet_fraction}")
    sources = training_examples(data_dir, cfg.limit_per_source, cfg.balance_tweeteval, cfg.tweet_fraction)
    oversample = dict(cfg.oversample, tweeteval=cfg.oversample["tweeteval"] / cfg.tweet_fraction)
    examples: list[D.Example] = []
    by_source: dict[str, list[int]] = {}
    for name in sorted(sources):
        by_source[name] = list(range(len(examples), len(examples) + len(sources[name])))
        examples.extend(sources[name])
    log("examples: " + ", ".join(f"{k} {len(v)}" for k, v in sources.items()))

    base = load_base_encoder(max_length=cfg.max_length)
    model = ToneModel(base.model, cfg.first_trainable_layer, cfg.head_inner, cfg.dropout)
    model.freeze_bottom()
    log(f"caching hidden states below layer {cfg.first_trainable_layer} ...")
    t0 = time.time()
    cache = HiddenCache(model, base.tokenizer, [e.text for e in examples])
    log(f"cached {cache.states.shape[0]} token states in {time.time() - t0:.0f}s")
    targets = Targets(examples)

    per_epoch = len(epoch_batches(by_source, oversample, cfg.batch_size, random.Random(0), cache.lengths))
    total_steps = max(1, math.ceil(per_epoch * cfg.epochs))
    if cfg.max_steps is not None:
        total_steps = min(total_steps, cfg.max_steps)
    warmup = max(1, int(total_steps * cfg.warmup))
    groups = _param_groups(model, cfg)
    opt = torch.optim.AdamW(groups)
    base_lrs = [g["lr"] for g in groups]
    log(f"training {sum(p.numel() for g in groups for p in g['params'])} parameters, {total_steps} steps "
        f"({per_epoch} per epoch), batch {cfg.batch_size}")

    step, epoch = 0, 0
    model.train()
    model.base.embeddings.eval()
    running: dict[str, float] = {}
    t_train = time.time()
    while step < total_steps:
        epoch += 1
        for idx in epoch_batches(by_source, oversample, cfg.batch_size, rng, cache.lengths):
            if step >= total_steps:
                break
            scale = (step + 1) / warmup if step < warmup else max(0.0, (total_steps - step) / (total_steps - warmup))
            for g, lr in zip(opt.param_groups, base_lrs):
                g["lr"] = lr * scale
            x, mask = cache.batch(idx)
            loss, parts = multitask_loss(model.from_hidden(x, mask), targets, idx, cfg.loss_weights)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_([p for g in groups for p in g["params"]], 1.0)
            opt.step()
            step += 1
            for k, v in parts.items():
                running[k] = 0.98 * running.get(k, v) + 0.02 * v
            if step % 200 == 0 or step == total_steps:
                rate = step / (time.time() - t_train)
                log(f"step {step}/{total_steps} epoch {epoch} " +
                    " ".join(f"{k} {v:.3f}" for k, v in sorted(running.items())) +
                    f" | {rate:.1f} steps/s, eta {(total_steps - step) / rate / 60:.1f} min")
        if cfg.eval_each_epoch and step < total_steps:
            _quick_eval(model, base.tokenizer, data_dir, epoch)
            model.train()
            model.base.embeddings.eval()
    model.eval()
    wall = time.time() - started
    training = {k: v for k, v in asdict(cfg).items() if k not in ("data_dir", "out_dir", "eval_each_epoch")}
    training.update({
        "oversample": oversample,
        "steps": step,
        "examples": {k: len(v) for k, v in sources.items()},
        "wall_clock_s": round(wall),
        "machine": f"{platform.processor() or platform.machine()}, torch threads {cfg.threads}",
        "torch": torch.__version__,
    })
    save_model(model, out_dir, cfg.max_length, training)
    log(f"saved to {out_dir} after {wall / 60:.1f} min")
    return out_dir


def _param_groups(model, cfg: TrainConfig) -> list[dict]:
    """AdamW groups: trainable encoder weights (decayed), their biases and LayerNorms (not decayed), heads."""
    def decay(name: str) -> bool:
        return not (name.endswith("bias") or "LayerNorm" in name)

    trainable = [(n, p) for n, p in model.base.named_parameters() if p.requires_grad]
    return [
        {"params": [p for n, p in trainable if decay(n)], "lr": cfg.lr_layers, "weight_decay": cfg.weight_decay},
        {"params": [p for n, p in trainable if not decay(n)], "lr": cfg.lr_layers, "weight_decay": 0.0},
        {"params": list(model.heads.parameters()), "lr": cfg.lr_heads, "weight_decay": cfg.weight_decay},
    ]


def _quick_eval(model, tokenizer, data_dir: Path, epoch: int) -> None:
    """Progress log only (the figures that count come from ``evaluate`` on the saved weights)."""
    try:
        from .evaluate import evaluate_politeness, evaluate_sst2, evaluate_tweeteval

        model.eval()
        sst = evaluate_sst2(_Predictor(model, tokenizer), data_dir)
        tw = evaluate_tweeteval(_Predictor(model, tokenizer), data_dir)
        pol = evaluate_politeness(_Predictor(model, tokenizer), data_dir)
        log(f"epoch {epoch}: SST-2 dev acc {sst['accuracy']:.4f}, TweetEval held-out macro-recall "
            f"{tw['macro_recall']:.4f}, politeness held-out acc {pol['accuracy']:.4f}")
    except D.DataError as exc:
        log(f"epoch {epoch}: no quick eval ({exc})")


class _Predictor:
    def __init__(self, model, tokenizer) -> None:
        from .inference import ToneClassifier

        model.tokenizer = tokenizer
        # the model being trained stays float32
        self._clf = ToneClassifier(model, {"max_length": 128}, cache_size=0, precision="float32")

    def predict(self, texts):
        self._clf._cache.clear()
        return self._clf.predict(texts)


def _default_out() -> Path:
    from ..resources import models_dir

    return models_dir()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m empathylint.classifier.train", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    d = TrainConfig()
    p.add_argument("--data-dir", default="", help="shared data folder (default <repo>/../shared/data)")
    p.add_argument("--out", default="", help="output model folder (default: the shipped models/ folder)")
    p.add_argument("--seed", type=int, default=d.seed)
    p.add_argument("--first-trainable-layer", type=int, default=d.first_trainable_layer)
    p.add_argument("--epochs", type=float, default=d.epochs)
    p.add_argument("--batch-size", type=int, default=d.batch_size)
    p.add_argument("--lr-layers", type=float, default=d.lr_layers)
    p.add_argument("--lr-heads", type=float, default=d.lr_heads)
    p.add_argument("--threads", type=int, default=None,
                   help=f"torch threads (default {d.threads} for the full stage, 1 for sentiment-head)")
    p.add_argument("--order-seed", type=int, default=None,
                   help="seed of the batches' order (default: --seed); the initial weights still come from --seed")
    p.add_argument("--tweet-fraction", type=_fraction, default=d.tweet_fraction,
                   help="learning curves: train on this stratified fraction (0-1] of the TweetEval training "
                        "tweets, oversampled in proportion (the held-out tweets are the same)")
    p.add_argument("--max-steps", type=int, default=None)
    p.add_argument("--limit-per-source", type=int, default=None)
    p.add_argument("--no-epoch-eval", action="store_true")
    p.add_argument("--stage", choices=STAGES, default="full",
                   help="full: train encoder layers + heads into --out; sentiment-head: then re-balance the "
                        "sentiment head of the model in --out in place (see empathylint.classifier.sentiment_head)")
    p.add_argument("--retrain-head", action="store_true",
                   help="sentiment-head stage: train a fresh head on frozen vectors before choosing offsets")
    return p


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"{text} is not in (0, 1]")
    return value


def config_from_args(a: argparse.Namespace) -> TrainConfig:
    d = TrainConfig()
    return TrainConfig(data_dir=a.data_dir, out_dir=a.out, seed=a.seed, first_trainable_layer=a.first_trainable_layer,
                       epochs=a.epochs, batch_size=a.batch_size, lr_layers=a.lr_layers, lr_heads=a.lr_heads,
                       threads=d.threads if a.threads is None else a.threads, max_steps=a.max_steps,
                       limit_per_source=a.limit_per_source, eval_each_epoch=not a.no_epoch_eval,
                       order_seed=a.order_seed, tweet_fraction=a.tweet_fraction)


def head_config(data_dir: str, out: str, seed: int | None = None, threads: int | None = None,
                retrain_head: bool = False, max_steps: int | None = None, limit_per_source: int | None = None):
    """The sentiment-head stage's settings (None = its default): it reads and rewrites the model in ``out``
    (default: the shipped models/ folder)."""
    from .sentiment_head import SentimentHeadConfig

    cfg = SentimentHeadConfig(data_dir=data_dir, model_dir=out or str(_default_out()), retrain_head=retrain_head,
                              max_steps=max_steps, limit_per_source=limit_per_source)
    for key, value in (("seed", seed), ("threads", threads)):
        if value is not None:
            setattr(cfg, key, value)
    return cfg


def main(argv: list[str] | None = None) -> int:
    a = build_parser().parse_args(argv)
    if a.stage == "sentiment-head":
        from .sentiment_head import train_sentiment_head

        train_sentiment_head(head_config(a.data_dir, a.out, a.seed, a.threads, a.retrain_head, a.max_steps,
                                         a.limit_per_source))
    else:
        train(config_from_args(a))
    return 0


if __name__ == "__main__":
    sys.exit(main())
