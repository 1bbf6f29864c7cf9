"""Next-word prediction from a fixed window of words: the Aesop notebook's data, models, ceiling and generation.

Taught in ``05_word_aesop``: the fable becomes windows of `n_input` words,
each labelled with the word that follows (`examples`); a model reads the
window and scores every word of the vocabulary. `ceiling` computes the best
accuracy any model can reach on the text (some contexts are followed by
different words); `continue_text` feeds each predicted word back to write on.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Sequence

import keras
import numpy as np
import tensorflow as tf

from . import PACKAGE, fast_lstm
from .batching import windows
from .sampling import check_temperature, pick
from .training import TimeLimit, progress_bar
from .vocab import Vocabulary


def examples(ids, n_input: int) -> tuple[np.ndarray, np.ndarray]:
    """Every window of `n_input` consecutive ids and the id after it: ``X`` (n, n_input), ``y`` (n,), int32.

    ``n = len(ids) - n_input``: `helpers.batching.windows` with a step of 1,
    each window labelled with the last of its targets, the id that follows it.
    """
    X, Y = windows(ids, n_input, step=1)
    return X, Y[:, -1].copy()


def followers(tokens: Sequence, n_input: int) -> dict[tuple, Counter]:
    """For each context of `n_input` consecutive tokens, how often each token follows it."""
    found: dict[tuple, Counter] = defaultdict(Counter)
    for i in range(len(tokens) - n_input):
        found[tuple(tokens[i : i + n_input])][tokens[i + n_input]] += 1
    return dict(found)


def ceiling(tokens: Sequence, n_input: int) -> tuple[int, int]:
    """``(best, total)``: how many of the `total` windows the best possible model gets right.

    A context followed by different words in different places can only be
    right for its most frequent next word; every other occurrence is lost,
    whatever the model.
    """
    total = len(tokens) - n_input
    return sum(max(c.values()) for c in followers(tokens, n_input).values()), total


def ambiguous_contexts(tokens: Sequence, n_input: int) -> dict[tuple, Counter]:
    """The contexts of `n_input` words followed by more than one different word, with what follows them."""
    return {ctx: c for ctx, c in followers(tokens, n_input).items() if len(c) > 1}


@keras.saving.register_keras_serializable(package=PACKAGE)
class RawIds(keras.layers.Layer):
    """Ids ``(batch, n)`` to numbers ``(batch, n, 1)``: each word fed as its id's value, as the classic tutorial did."""

    def call(self, ids):
        return keras.ops.expand_dims(keras.ops.cast(ids, "float32"), -1)

    def compute_output_shape(self, input_shape):
        return (*input_shape, 1)


def next_word_model(
    vocab_size: int,
    n_input: int = 3,
    *,
    units: int = 512,
    layers: int = 1,
    embedding: int | None = 64,
    name: str = "next_word",
) -> keras.Model:
    """`n_input` word ids in, `vocab_size` logits for the next word out: ``(batch, n_input) -> (batch, vocab_size)``.

    ``embedding=None`` is the classic recipe: each id fed as a single number
    (so word 57 is "bigger" than word 3, which means nothing); otherwise a
    learned `embedding`-wide vector per word. `layers` LSTMs of `units`
    (``helpers.fast_lstm.LSTM``); the last one's final output goes through a
    dense layer.
    """
    ids = keras.Input((n_input,), dtype="int32", name="ids")
    x = (
        RawIds(name="raw_ids")(ids)
        if embedding is None
        else keras.layers.Embedding(vocab_size, embedding, name="embedding")(ids)
    )
    for i in range(1, layers + 1):
        x = fast_lstm.LSTM(units, return_sequences=i < layers, name=f"lstm_{i}")(x)
    return keras.Model(ids, keras.layers.Dense(vocab_size, name="logits")(x), name=name)


class _Record(keras.callbacks.Callback):
    """Record each epoch's figures and wall time, with ``right`` (windows right) in the logs; stop once the
    count has stayed at `target` for `hold` consecutive epochs."""

    def __init__(self, n: int, target: int | None, hold: int = 1):
        super().__init__()
        self.n, self.target, self.hold = n, target, hold
        self.streak = 0  # consecutive epochs at the target
        self.log = {"epoch": [], "seconds": [], "loss": [], "accuracy": []}
        self.reached = None  # seconds when `target` was first reached

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        elapsed = time.perf_counter() - self.start
        for key, value in (
            ("epoch", epoch + 1),
            ("seconds", elapsed),
            ("loss", float(logs["loss"])),
            ("accuracy", float(logs["accuracy"])),
        ):
            self.log[key].append(value)
        logs["right"] = right = round(logs["accuracy"] * self.n)
        if self.target is not None and right >= self.target:
            self.streak += 1
            if self.reached is None:
                self.reached = elapsed
            if self.streak >= self.hold:
                self.model.stop_training = True
        else:
            self.streak = 0


def train(
    model: keras.Model,
    X,
    y,
    *,
    optimizer="rmsprop",
    learning_rate: float = 1e-3,
    max_epochs: int = 100_000,
    max_seconds: float = 120.0,
    target: int | None = None,
    progress: bool = False,
    hold: int = 50,
) -> dict:
    """Train on all windows at once (one full-batch update per epoch) until `target` correct, or a time/epoch limit.

    The accuracy of each epoch is measured on the whole batch before its
    update, so it is the exact share of windows right at that point.
    Training goes on until the model has stayed at `target` for `hold`
    consecutive updates (a model stopped the moment it first touches the
    ceiling sits on a knife edge: the next update can lose a window again).
    Returns the log (lists by ``epoch``, ``seconds``, ``loss``, ``accuracy``),
    with ``reached``: the seconds at which `target` was first reached, or None.
    ``progress=True`` shows a bar (`helpers.training.progress_bar`) with the
    updates so far, the loss and the count right, redrawn every 30 seconds.

    Not `helpers.training.fit_run` (the resumable run of notebooks 04, 06 and
    07): one full batch of a few hundred windows, stopped on a count of words
    right or a time limit, in seconds: nothing worth a run folder, a
    checkpoint or a resume.
    """
    opt = {"rmsprop": keras.optimizers.RMSprop, "adam": keras.optimizers.Adam, "sgd": keras.optimizers.SGD}
    if optimizer not in opt:
        raise ValueError(f"optimizer must be one of {sorted(opt)}; got {optimizer!r}")
    model.compile(
        optimizer=opt[optimizer](learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    record = _Record(len(X), target, hold)
    callbacks = [record, TimeLimit(max_seconds)]
    if progress:  # after `record`, so the bar shows the count right it adds to the logs
        callbacks.append(progress_bar(batches=False, mininterval=30, bar_format="{n_fmt} updates [{elapsed}{postfix}]"))
    data = tf.data.Dataset.from_tensors((np.asarray(X, np.int32), np.asarray(y, np.int32)))
    model.fit(data, epochs=max_epochs, verbose=0, shuffle=False, callbacks=callbacks)
    return {**record.log, "reached": record.reached}


def correct(model: keras.Model, X, y) -> int:
    """How many of the windows `X` the model's top prediction gets right."""
    logits = keras.ops.convert_to_numpy(model(np.asarray(X, np.int32), training=False))
    return int((logits.argmax(-1) == np.asarray(y)).sum())


def prompt_ids(prompt, vocab: Vocabulary, n_input: int) -> np.ndarray:
    """The ids of `prompt` (a string of space-separated words, or a list), checked: `n_input` known words."""
    words = prompt.split() if isinstance(prompt, str) else list(prompt)
    if len(words) != n_input:
        raise ValueError(
            f"The prompt has {len(words)} word{'s' * (len(words) != 1)} {words}; this model reads "
            f"exactly {n_input} words (n_input = {n_input}), separated by spaces."
        )
    unknown = [w for w in words if w not in vocab]
    if unknown:
        raise ValueError(
            f"{unknown[0]!r} is not in the vocabulary of {len(vocab)} words. The words it knows: "
            f"{' '.join(sorted(vocab.id_to_symbol))}"
        )
    return vocab.encode(words)


def continue_text(
    model: keras.Model, vocab: Vocabulary, prompt, n_words: int = 32, temperature: float = 0.0, seed: int | None = None
) -> list[str]:
    """The `n_words` words the model writes after `prompt`, each predicted from the last `n_input` words.

    Temperature 0 (the default) takes the most likely word each time;
    above 0 it samples (see `helpers.sampling.pick`), reproducibly with `seed`.
    """
    check_temperature(temperature)
    n_input = model.input_shape[1]
    ids = list(prompt_ids(prompt, vocab, n_input))
    rng = np.random.default_rng(seed)
    for _ in range(n_words):
        logits = keras.ops.convert_to_numpy(model(np.asarray([ids[-n_input:]], np.int32), training=False))[0]
        ids.append(pick(logits, temperature, rng))
    return vocab.decode(ids[n_input:])


def follows_text(tokens: Sequence[str], prompt, generated: Sequence[str]) -> tuple[int, int]:
    """``(leading, same)``: how many generated words continue the text after `prompt` before the first
    difference, and how many of them equal the text's word at the same position."""
    words = prompt.split() if isinstance(prompt, str) else list(prompt)
    n = len(words)
    starts = [i for i in range(len(tokens) - n + 1) if list(tokens[i : i + n]) == words]
    if not starts:
        return 0, 0
    truth = list(tokens[starts[0] + n :])
    same = [g == t for g, t in zip(generated, truth)]
    leading = next((i for i, s in enumerate(same) if not s), len(same))
    return leading, sum(same)
