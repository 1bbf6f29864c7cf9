"""Generating text from a trained language model: warm the state on a prompt, then feed each sample back.

`Sampler` holds a batch-1 copy of a stateful model and its state between
calls, so ``sampler.generate(10)`` twice gives what ``generate(20)`` gives
once (with the same seed). `sample` is the one-call version. `pick` draws
one id from logits at a temperature: 0 is greedy (always the most likely
id), 1 samples the model's own distribution, lower is more conservative,
higher more adventurous.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from .models import reset_states, resized
from .vocab import Vocabulary


def check_temperature(temperature) -> float:
    """`temperature` as a float ≥ 0, or a ValueError that says what is allowed."""
    try:
        t = float(temperature)
    except (TypeError, ValueError):
        raise TypeError(f"temperature must be a number ≥ 0 (0 = greedy); got {temperature!r}") from None
    if not t >= 0 or not np.isfinite(t):
        raise ValueError(
            f"temperature must be a finite number ≥ 0 (0 = greedy, 1 = the model's own "
            f"probabilities); got {temperature!r}"
        )
    return t


def pick(logits, temperature: float, rng: np.random.Generator) -> int:
    """One id drawn from ``softmax(logits / temperature)``; the argmax when `temperature` is 0."""
    t = check_temperature(temperature)
    logits = np.asarray(logits, dtype=np.float64).reshape(-1)
    if t == 0:
        return int(np.argmax(logits))
    z = logits / t
    p = np.exp(z - z.max())
    return int(rng.choice(len(p), p=p / p.sum()))


class Sampler:
    """A running generation: a batch-1 copy of `model` whose state persists between calls.

    ``Sampler(model, vocab, seed=0)``, then `feed` a prompt (warms the state,
    returns nothing) and `generate` characters (or words), as many calls as
    you like: each continues where the last stopped.
    """

    def __init__(self, model: keras.Model, vocab: Vocabulary, seed: int | None = None):
        self.model = resized(model, batch_size=1, steps=None)
        self.vocab = vocab
        self.rng = np.random.default_rng(seed)
        self.logits = None  # the model's prediction for the next symbol
        # Compiled once per input length (the prompt's, then 1): several times faster than eager calls.
        self._call = tf.function(lambda ids: self.model(ids, training=False))

    def reset(self) -> None:
        """Forget everything fed so far (zero the state)."""
        reset_states(self.model)
        self.logits = None

    def _step(self, ids) -> None:
        out = self._call(tf.constant(np.asarray(ids, dtype=np.int32).reshape(1, -1)))
        self.logits = out.numpy()[0, -1]

    def feed(self, prompt) -> None:
        """Run the model over `prompt` (a string, or a list of words), carrying the state on."""
        if len(prompt) == 0:
            raise ValueError("The prompt is empty: give at least one symbol for the model to start from.")
        self._step(self.vocab.encode(prompt))  # raises UnknownSymbolError naming the symbol and its position

    def generate(self, length: int, temperature: float = 1.0) -> str:
        """`length` more symbols, each drawn at `temperature` and fed back; returns them joined as text."""
        check_temperature(temperature)
        if not isinstance(length, (int, np.integer)) or length < 0:
            raise ValueError(f"length must be a whole number ≥ 0; got {length!r}")
        if self.logits is None:
            raise ValueError("Feed a prompt first (sampler.feed('...')): the model needs something to continue.")
        ids = []
        for _ in range(int(length)):
            i = pick(self.logits, temperature, self.rng)
            ids.append(i)
            self._step([i])
        return self.vocab.decode_text(ids)


def sample(
    model: keras.Model, prompt, length: int, temperature: float = 1.0, *, vocab: Vocabulary, seed: int | None = None
) -> str:
    """`prompt` followed by `length` generated symbols, from a fresh state (see `Sampler`).

    `vocab` turns the prompt into ids and the ids back into text; `seed`
    makes a sampled text reproducible (temperature 0 needs none).
    """
    check_temperature(temperature)
    sampler = Sampler(model, vocab, seed=seed)
    sampler.feed(prompt)
    text = sampler.generate(length, temperature)
    joiner = vocab.separator
    head = prompt if isinstance(prompt, str) else joiner.join(prompt)
    return head + (joiner if text and joiner else "") + text
