"""Notebook 04's character model of tiny Shakespeare: the split, the recipe, the model and how it is compiled.

One home for what ``04_char_shakespeare``, ``benchmarks/train_shakespeare.py``,
``benchmarks/roof.py``, ``benchmarks/bfloat16_quality.py`` and
`helpers.trained` (a shipped run's model) build the same way, as
`helpers.ptb` is notebook 06's and `helpers.transformer` notebook 08's:

- `split`: the text, its 65-character vocabulary and the ids of its first
  90% (training) and last 10% (validation), in order; notebook 08 trains on it too;
- `recipe`: the mode's settings of `helpers.recipes.SHAKESPEARE`;
- `build`: the recipe's stacked stateful LSTM, `helpers.models.language_model`
  with the recipe's sizes (uncompiled: notebook 04 also builds it with
  Keras' LSTM and times both);
- `compile_recipe`: Adam with the recipe's cosine decay over its epochs,
  clipped by global norm (`helpers.training.compile_language_model`);
- `compiled`: the two together, what the scripts train.

It is trained with `helpers.training.fit_language_model`.
"""

from __future__ import annotations

import keras

from . import models, recipes, training
from .data import read_text
from .vocab import Vocabulary


def split(train_chars: int | None = None, valid_fraction: float = 0.1):
    """Tiny Shakespeare as ``(text, vocab, train_ids, valid_ids)``: the first 90% to train on, the last 10% to validate.

    The split is in order (no shuffling of lines), so the validation text is
    a stretch the model never saw. The vocabulary is built on the whole text
    (65 characters, most frequent first). `train_chars` cuts both parts to a
    slice for fast mode (the validation part to a quarter of it): the
    recipe's ``train_chars``.
    """
    text = read_text("shakespeare")
    vocab = Vocabulary.from_text(text)
    cut = int(len(text) * (1 - valid_fraction))
    train, valid = text[:cut], text[cut:]
    if train_chars is not None:
        train, valid = train[:train_chars], valid[: max(train_chars // 4, 1)]
    return text, vocab, vocab.encode(train), vocab.encode(valid)


def recipe(fast: bool | None = None) -> dict:
    """A copy of the current mode's recipe (`helpers.recipes.SHAKESPEARE`; or of `fast`'s, if given)."""
    return recipes.get(recipes.SHAKESPEARE, fast)


def build(
    vocab_size: int,
    cfg: dict | None = None,
    *,
    lstm: str = "course",
    precision: str = "float32",
    name: str = "language_model",
) -> keras.Model:
    """Recipe `cfg`'s model (default `recipe()`), uncompiled: ids ``(batch_size, steps)`` -> logits ``(..., vocab)``.

    An embedding of ``cfg["embedding"]``, ``cfg["layers"]`` stateful LSTMs
    of ``cfg["units"]`` with dropout between them, a dense read-out, for
    batches of ``cfg["batch_size"]`` rows x ``cfg["steps"]`` characters.
    `lstm`: ``"course"`` (`helpers.fast_lstm.LSTM`, what notebook 04 trains)
    or ``"keras"`` (`keras.layers.LSTM`); `precision`: of the products
    (`helpers.models.language_model`).
    """
    cfg = recipe() if cfg is None else cfg
    return models.language_model(
        vocab_size,
        units=cfg["units"],
        layers=cfg["layers"],
        embedding=cfg["embedding"],
        dropout=cfg["dropout"],
        locked_dropout=cfg.get("locked_dropout", False),
        weight_drop=cfg.get("weight_drop", 0.0),
        batch_size=cfg["batch_size"],
        steps=cfg["steps"],
        lstm=lstm,
        precision=precision,
        name=name,
    )


def compile_recipe(model: keras.Model, cfg: dict, train_size: int) -> int:
    """Compile `model` as recipe `cfg` trains it on `train_size` ids; returns the updates per epoch.

    Adam from ``cfg["learning_rate"]``, cosine decay to
    ``cfg["final_learning_rate"]`` over ``cfg["epochs"]`` epochs of updates,
    gradients clipped to a global norm of ``cfg["clipnorm"]``.
    """
    updates = training.updates_per_epoch(train_size, model)
    training.compile_language_model(
        model,
        learning_rate=cfg["learning_rate"],
        decay_steps=cfg["epochs"] * updates,
        final_learning_rate=cfg["final_learning_rate"],
        clipnorm=cfg["clipnorm"],
    )
    return updates


def compiled(
    cfg: dict, vocab_size: int, train_size: int, *, lstm: str = "course", precision: str = "float32"
) -> tuple[keras.Model, int]:
    """`build` then `compile_recipe`: ``(model, updates per epoch)``, for `helpers.training.fit_language_model`."""
    model = build(vocab_size, cfg, lstm=lstm, precision=precision)
    return model, compile_recipe(model, cfg, train_size)
