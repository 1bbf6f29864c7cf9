"""A small causal Transformer over characters, and the same model with a minGRU where attention was (08).

Both are stacks of one residual block (the GPT-2 layout, as in Karpathy's
nanoGPT, https://github.com/karpathy/nanoGPT): ::

    x = x + Dropout(Mix(LayerNorm(x)))               Mix: causal self-attention, or a minGRU over the window
    x = x + Dropout(MLP(LayerNorm(x)))               MLP: Dense(4 width, gelu) -> Dense(width)

over a character embedding (plus a learned position embedding for
attention, which otherwise cannot tell the order of its inputs; the minGRU
reads them in order), then LayerNorm and a Dense read-out to one logit per
character at every position. ``mixer="attention"`` is
``keras.layers.MultiHeadAttention(use_causal_mask=True)``: position t sees
positions <= t of its window. ``mixer="mingru"`` is `helpers.min_rnn.MinGRU`
(Feng et al. 2024), which sees positions <= t by construction.

`block_model` builds either (named apart from `helpers.models.language_model`,
the stateful LSTM stack of notebooks 04 and 06: this one takes windows, not a
carried state); `compile_block_model` compiles it as nanoGPT does, and
`from_recipe` does both from `helpers.recipes.AFTER_LSTM`. They train on
random windows of ``context`` characters, not on a stream carried from batch
to batch: `helpers.batching.random_windows`. `fit_windows` trains one for a
number of updates, validating every so often on all the non-overlapping
windows of the validation text (`window_loss`).
"""

from __future__ import annotations

from pathlib import Path

import keras

from . import PACKAGE
from .batching import random_windows, windows
from .min_rnn import MinGRU
from .recipes import MIXERS


@keras.saving.register_keras_serializable(package=PACKAGE)
class Positions(keras.layers.Layer):
    """Add a learned vector per position to ``(batch, time, width)`` inputs, time <= `context`."""

    def __init__(self, context: int, **kwargs):
        super().__init__(**kwargs)
        self.context = int(context)

    def build(self, input_shape):
        self.table = self.add_weight(
            shape=(self.context, input_shape[-1]),
            name="table",
            initializer=keras.initializers.RandomNormal(stddev=0.02),
        )

    def call(self, x):
        return x + self.table[: keras.ops.shape(x)[1]]

    def get_config(self) -> dict:
        return {**super().get_config(), "context": self.context}


def block_model(
    vocab_size: int,
    *,
    mixer: str = "attention",
    layers: int = 4,
    width: int = 128,
    heads: int = 4,
    context: int = 64,
    dropout: float = 0.0,
    name: str | None = None,
) -> keras.Model:
    """Ids ``(batch, context)`` -> logits ``(batch, context, vocab_size)``: `layers` blocks of `width` (see the module).

    ``mixer``: "attention" (`heads` heads of ``width / heads``) or "mingru"
    (a `MinGRU` of `width` units, run as a loop: at 64 steps the loop is the
    faster order on a CPU, ``benchmarks/scan_speed.py``).
    """
    if mixer not in MIXERS:
        raise ValueError(f"mixer must be one of {MIXERS}; got {mixer!r}")
    if mixer == "attention" and width % heads:
        raise ValueError(f"width={width} does not split into heads={heads} equal heads")
    ids = keras.Input((context,), dtype="int32", name="ids")
    x = keras.layers.Embedding(
        vocab_size, width, embeddings_initializer=keras.initializers.RandomNormal(stddev=0.02), name="embedding"
    )(ids)
    if mixer == "attention":
        x = Positions(context, name="positions")(x)
    x = keras.layers.Dropout(dropout)(x)
    for i in range(layers):
        h = keras.layers.LayerNormalization(epsilon=1e-5, name=f"block{i}_norm1")(x)
        if mixer == "attention":
            h = keras.layers.MultiHeadAttention(heads, width // heads, name=f"block{i}_attention")(
                h, h, use_causal_mask=True
            )
        else:
            h = MinGRU(width, mode="loop", return_sequences=True, name=f"block{i}_mingru")(h)
        x = x + keras.layers.Dropout(dropout)(h)
        h = keras.layers.LayerNormalization(epsilon=1e-5, name=f"block{i}_norm2")(x)
        h = keras.layers.Dense(4 * width, activation="gelu", name=f"block{i}_mlp_in")(h)
        h = keras.layers.Dense(width, name=f"block{i}_mlp_out")(h)
        x = x + keras.layers.Dropout(dropout)(h)
    x = keras.layers.LayerNormalization(epsilon=1e-5, name="final_norm")(x)
    logits = keras.layers.Dense(vocab_size, name="logits")(x)
    return keras.Model(ids, logits, name=name or f"{mixer}_{layers}x{width}")


language_model = block_model  # the old name, which helpers/exercises/after_the_lstm.py still calls


def learning_schedule(updates: int, learning_rate: float, final_learning_rate: float, warmup: int):
    """From 0 up to `learning_rate` linearly over `warmup` updates, then a cosine down to `final_learning_rate` at `updates`."""
    return keras.optimizers.schedules.CosineDecay(
        0.0,
        decay_steps=max(1, updates - warmup),
        alpha=final_learning_rate / learning_rate,
        warmup_target=learning_rate,
        warmup_steps=warmup,
    )


def compile_block_model(
    model: keras.Model,
    *,
    updates: int,
    learning_rate: float,
    final_learning_rate: float,
    warmup: int,
    weight_decay: float,
    clipnorm: float = 1.0,
) -> None:
    """AdamW (beta_2 0.99) on `learning_schedule`, clipping by global norm: nanoGPT's ``shakespeare_char`` settings.

    The loss is the mean cross-entropy over every position: nats per character.
    Not `helpers.training.compile_language_model` (Adam, cosine without warm-up,
    no weight decay: notebook 04's recipe) because nanoGPT's recipe is the reference here.
    """
    schedule = learning_schedule(updates, learning_rate, final_learning_rate, warmup)
    optimizer = keras.optimizers.AdamW(schedule, weight_decay=weight_decay, beta_2=0.99, global_clipnorm=clipnorm)
    # nanoGPT decays the matrices only, not biases, norms or embeddings.
    optimizer.exclude_from_weight_decay(var_names=["bias", "gamma", "beta", "embeddings", "table"])
    model.compile(optimizer=optimizer, loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))


def from_recipe(mixer: str, fast: bool | None = None, cfg: dict | None = None) -> tuple[keras.Model, dict]:
    """Notebook 08's model for `mixer` built and compiled by recipe `cfg`, and the recipe.

    `cfg`: by default the mode's `helpers.recipes.AFTER_LSTM` (or `fast`'s).
    """
    from . import recipes, shakespeare

    cfg = recipes.get(recipes.AFTER_LSTM, fast=fast) if cfg is None else cfg
    _, vocab, _, _ = shakespeare.split(cfg["train_chars"])
    model = block_model(
        len(vocab),
        mixer=mixer,
        layers=cfg["layers"],
        width=cfg["width"],
        heads=cfg["heads"],
        context=cfg["context"],
        dropout=cfg["dropout"],
    )
    compile_block_model(
        model,
        updates=cfg["updates"],
        learning_rate=cfg["learning_rate"],
        final_learning_rate=cfg["final_learning_rate"],
        warmup=cfg["warmup"],
        weight_decay=cfg["weight_decay"],
    )
    return model, cfg


def window_batches(ids, context: int, batch_size: int = 128):
    """All non-overlapping windows of `ids` (`helpers.batching.windows`), in order, as a ``tf.data.Dataset`` of batches.

    A dataset rather than arrays: Keras' own array pipeline makes TensorFlow 2.21 log a harmless but
    alarming "NodeDef mentions attribute use_unbounded_threadpool" error line into the notebook.
    """
    import tensorflow as tf

    return tf.data.Dataset.from_tensor_slices(windows(ids, context)).batch(batch_size)


def window_loss(model: keras.Model, ids, batch_size: int = 128) -> float:
    """Mean nats per token over all non-overlapping windows of `ids` (each position sees its window up to itself)."""
    return float(model.evaluate(window_batches(ids, model.input_shape[1], batch_size), verbose=0))


def fit_windows(
    model: keras.Model,
    train_ids,
    valid_ids,
    *,
    updates: int,
    every: int,
    batch_size: int,
    run_dir: str | Path,
    seed: int = 0,
    progress: bool = True,
) -> dict[str, list[float]]:
    """Train the compiled `model` for `updates` on random windows, validating every `every` updates.

    An "epoch" of the log is `every` updates. It is `helpers.training.fit_run`,
    the same run as `helpers.training.fit_language_model` (``log.csv`` with
    ``seconds`` and ``val_loss``, a checkpoint, a backup, resume); it differs
    only in its batches: random windows, each from a zero state, instead of a
    stream carried from batch to batch. Returns the log.
    """
    from . import training

    context = model.input_shape[1]
    valid = window_batches(valid_ids, context)
    train = random_windows(train_ids, context, batch_size, seed=seed)
    return training.fit_run(
        model,
        train,
        valid,
        epochs=updates // every,
        steps_per_epoch=every,
        run_dir=run_dir,
        unit="char",
        progress=progress,
        stateful=False,
    )
