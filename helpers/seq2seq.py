"""An encoder-decoder over characters, with or without attention, and how it writes: greedy and beam search (07).

Taught in ``07_seq2seq_attention``, on the dates of `helpers.dates`:

- the **encoder** reads the padded source ids with a mask (``mask_zero=True``)
  through a `keras.layers.Bidirectional` LSTM; its two final states, joined,
  start the decoder;
- the **decoder** is an LSTM that reads the target shifted right by one
  (``<s>`` first: teacher forcing) and, with ``attention=True``, looks at every
  encoder output through Luong's dot-product attention
  (`keras.layers.Attention`, padding masked out), joining the context to its
  own output before the read-out, as Luong, Pham & Manning (2015) do;
- `Seq2Seq.step` runs the decoder one character at a time for inference:
  `greedy` picks the likeliest character at each step, `beam_search` keeps the
  `width` likeliest prefixes (`beam_step` is one step of it).

Shapes: sources (batch, T) int32 padded with 0, targets (batch, 11) int32.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf
from keras import layers, ops

from . import dates


def decoder_inputs(targets: np.ndarray) -> np.ndarray:
    """Teacher forcing: what the decoder reads, the targets shifted right by one, ``<s>`` first. (batch, S)."""
    start = np.full((len(targets), 1), dates.TARGET.symbol_to_id["<s>"], np.int32)
    return np.concatenate([start, np.asarray(targets)[:, :-1]], axis=1).astype(np.int32)


def batches(sources: np.ndarray, targets: np.ndarray, batch_size: int, seed: int | None = None) -> tf.data.Dataset:
    """``((sources, decoder inputs), targets)`` in batches for `Seq2Seq.train_model`; shuffled each epoch if `seed`."""
    data = tf.data.Dataset.from_tensor_slices(((sources, decoder_inputs(targets)), np.asarray(targets)))
    if seed is not None:
        data = data.shuffle(len(sources), seed=seed, reshuffle_each_iteration=True)
    return data.batch(batch_size)


class Seq2Seq:
    """The layers of one encoder-decoder, and the models built from them: `train_model`, `encoder`, `step`.

    `units` per direction of the encoder (the decoder has 2 x `units`);
    ``attention=False`` is the plain encoder-decoder, whose only view of the
    source is the state it starts from.
    """

    def __init__(self, units: int = 64, embed: int = 32, attention: bool = True):
        self.units, self.attention = units, attention
        self.source_embedding = layers.Embedding(len(dates.SOURCE), embed, mask_zero=True, name="source_embedding")
        self.bidirectional = layers.Bidirectional(
            layers.LSTM(units, return_sequences=True, return_state=True), name="encoder"
        )
        self.target_embedding = layers.Embedding(len(dates.TARGET), embed, name="target_embedding")
        self.decoder = layers.LSTM(2 * units, return_sequences=True, return_state=True, name="decoder")
        self.attend = layers.Attention(name="attention")  # Luong's dot product: scores = q . k, no scale
        self.combine = layers.Dense(2 * units, activation="tanh", name="combine")
        self.readout = layers.Dense(len(dates.TARGET), name="readout")

        source = keras.Input((None,), dtype="int32", name="source")
        encoded, h, c = self._encode(source)
        self.encoder = keras.Model(source, [encoded, h, c], name="encoder")

        previous = keras.Input((None,), dtype="int32", name="decoder_input")
        logits, _, _, _ = self._decode(previous, h, c, encoded, source)
        self.train_model = keras.Model([source, previous], logits, name="seq2seq" + "_attention" * attention)

        step_in = [
            keras.Input((1,), dtype="int32", name="previous"),
            keras.Input((2 * units,), name="h"),
            keras.Input((2 * units,), name="c"),
            keras.Input((None, 2 * units), name="encoded"),
            keras.Input((None,), dtype="int32", name="source_ids"),
        ]
        logits, h, c, weights = self._decode(*step_in)
        outputs = [logits, h, c] + ([weights] if attention else [])  # the weights: (batch, 1, T)
        self.step = keras.Model(step_in, outputs, name="decoder_step")

    def _encode(self, source):
        encoded, h_f, c_f, h_b, c_b = self.bidirectional(self.source_embedding(source))
        return encoded, ops.concatenate([h_f, h_b], -1), ops.concatenate([c_f, c_b], -1)

    def _decode(self, previous, h, c, encoded, source):
        """Logits (batch, S, vocab), the decoder's last h and c, and the attention weights (batch, S, T) or None."""
        out, h, c = self.decoder(self.target_embedding(previous), initial_state=[h, c])
        weights = None
        if self.attention:
            context, weights = self.attend(
                [out, encoded], mask=[None, ops.not_equal(source, 0)], return_attention_scores=True
            )
            out = self.combine(ops.concatenate([out, context], -1))
        return self.readout(out), h, c, weights

    def encode(self, sources) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The encoder's outputs (batch, T, 2 units) and the decoder's initial h and c (batch, 2 units), as arrays."""
        return tuple(ops.convert_to_numpy(t) for t in self.encoder(sources))

    def compile(self, learning_rate: float = 3e-3) -> keras.Model:
        """The training model compiled: Adam, cross-entropy on the logits, per-character accuracy."""
        self.train_model.compile(
            optimizer=keras.optimizers.Adam(learning_rate, clipnorm=1.0),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
        return self.train_model


def log_softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(-1, keepdims=True)
    return z - np.log(np.exp(z).sum(-1, keepdims=True))


def greedy(model: Seq2Seq, sources: np.ndarray, steps: int = dates.TARGET_LENGTH):
    """The likeliest character at each step: ids (batch, steps), summed log-probabilities (batch,), weights."""
    encoded, h, c = model.encode(sources)
    previous = np.full((len(sources), 1), dates.TARGET.symbol_to_id["<s>"], np.int32)
    ids, total, attention = [], np.zeros(len(sources)), []
    for _ in range(steps):
        logits, h, c, *weights = (ops.convert_to_numpy(t) for t in model.step([previous, h, c, encoded, sources]))
        logp = log_softmax(logits[:, 0].astype(np.float64))
        previous = logp.argmax(-1)[:, None].astype(np.int32)
        total += logp.max(-1)
        ids.append(previous[:, 0])
        if weights:
            attention.append(weights[0][:, 0])
    return np.stack(ids, 1), total, (np.stack(attention, 1) if attention else None)


def beam_step(scores: np.ndarray, log_probs: np.ndarray, width: int):
    """One step of beam search: of every beam extended by every symbol, the `width` best.

    `scores` (batch, beams): each beam's summed log-probability so far;
    `log_probs` (batch, beams, vocab): the next symbol's log-probabilities.
    Returns ``(scores, parents, symbols)``, each (batch, width): the new
    beams' scores, which beam each extends, and the symbol it adds; best first.
    """
    batch, beams, vocab = log_probs.shape
    total = (scores[:, :, None] + log_probs).reshape(batch, beams * vocab)
    best = np.argsort(-total, axis=1, kind="stable")[:, :width]
    return np.take_along_axis(total, best, 1), best // vocab, best % vocab


def beam_search(model: Seq2Seq, sources: np.ndarray, width: int, steps: int = dates.TARGET_LENGTH):
    """The `width` likeliest prefixes kept at each step: the best sequence's ids (batch, steps) and log-probability.

    A beam that has written ``</s>`` is finished: it can only add padding, at
    no cost, so finished and unfinished beams compete on their summed
    log-probabilities. Width 1 is `greedy`.
    """
    n = len(sources)
    encoded, h, c = model.encode(sources)
    rep = lambda a: np.repeat(a, width, axis=0)  # noqa: E731 - each source once per beam
    encoded, h, c, src = rep(encoded), rep(h), rep(c), rep(sources)
    scores = np.full((n, width), -np.inf)
    scores[:, 0] = 0.0  # one live beam to start from
    ids = np.zeros((n, width, 0), np.int32)
    previous = np.full((n * width, 1), dates.TARGET.symbol_to_id["<s>"], np.int32)
    end, pad = dates.TARGET.symbol_to_id["</s>"], dates.TARGET.symbol_to_id["<pad>"]
    for _ in range(steps):
        logits, h, c, *_ = model.step([previous, h, c, encoded, src])
        logp = log_softmax(ops.convert_to_numpy(logits)[:, 0].astype(np.float64)).reshape(n, width, -1)
        done = (ids == end).any(-1) if ids.shape[-1] else np.zeros((n, width), bool)
        logp[done] = -np.inf
        logp[done, pad] = 0.0
        scores, parents, symbols = beam_step(scores, logp, width)
        rows = (np.arange(n)[:, None] * width + parents).ravel()
        h, c = ops.convert_to_numpy(h)[rows], ops.convert_to_numpy(c)[rows]
        ids = np.concatenate([np.take_along_axis(ids, parents[:, :, None], 1), symbols[:, :, None]], -1)
        previous = symbols.reshape(-1, 1).astype(np.int32)
    return ids[:, 0], scores[:, 0]


def exact(predicted_ids, targets) -> float:
    """The fraction of sequences written exactly right (every character up to ``</s>``)."""
    return float(np.mean([p == t for p, t in zip(dates.decode_targets(predicted_ids), dates.decode_targets(targets))]))


def teacher_forced_exact(model: Seq2Seq, sources: np.ndarray, targets: np.ndarray, batch: int = 512) -> float:
    """Exact-sequence accuracy when the decoder reads the true previous characters (as in training)."""
    logits = model.train_model.predict(batches(sources, targets, batch), verbose=0)
    return exact(logits.argmax(-1), targets)
