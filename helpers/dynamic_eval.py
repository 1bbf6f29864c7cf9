"""Dynamic evaluation (Krause et al. 2018): a language model that goes on learning from the text it is scoring.

To be taught in ``04_char_shakespeare`` (its validation text is a play the
model never saw) and tried on ``06_word_ptb``'s test text. The text is read
in order by a batch-1 copy of the model, its state carried from chunk to
chunk. Each chunk of `chunk` tokens is scored first (its loss counts) and
only then learned from, by one gradient step on that chunk's mean loss with
a decay back towards the trained weights ``theta_0``:

    plain SGD:    theta <- theta - lr * g + decay * (theta_0 - theta)
    RMS + prior:  theta <- theta - lr * g / (rms + eps) + decay * r * (theta_0 - theta)

The second is the paper's "RMS with a global prior": `gradient_rms`
measures ``rms``, the root mean square of each weight's gradient over
training batches, so that every weight takes steps of about `lr` in its own
units, and ``r = rms / mean(rms)`` (the mean over the weight tensors of
their means, clipped at ``1 / decay``) pulls back hardest the weights that
training moved most. ``lr = 0`` is the static model read the same way.

- `gradient_rms`: the per-weight ``rms`` from batches of training text;
- `DynamicEvaluation`: the batch-1 copy, the update, `run` (nats per token
  over a text) and `step` (one chunk: score, then learn).
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from . import batching, models


def _dense(gradient) -> tf.Tensor:
    """A gradient as a dense tensor (an embedding's comes back as ``tf.IndexedSlices``)."""
    return tf.convert_to_tensor(gradient)


def _mean_loss(model: keras.Model, x, y) -> tf.Tensor:
    """Mean cross-entropy, in nats per token, of `model`'s logits on ids `x` against the next ids `y`."""
    logits = tf.cast(model(x, training=False), tf.float32)
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))


def gradient_rms(
    model: keras.Model, ids, *, rows: int = 32, steps: int = 50, batches: int | None = None
) -> list[np.ndarray]:
    """Root mean square of each trainable weight's gradient over batches of the training ids `ids`.

    A copy of `model` (weights shared by value, the model itself untouched)
    reads `ids` in batches of ``(rows, steps)`` that continue each other
    (`helpers.batching.batch_producer`), the state carried, no dropout, and
    for each batch takes the gradient of the mean loss; the first `batches`
    of them (all if None) give ``sqrt(mean(g ** 2))``, one array per weight
    of ``model.trainable_weights``, of that weight's shape. This is the
    paper's ``MS_g`` (its code takes batches of 100 rows x 5 steps).
    """
    reader = models.resized(model, rows, steps, stateful=True)
    weights = reader.trainable_weights
    squares = [tf.Variable(tf.zeros_like(w)) for w in weights]

    @tf.function
    def accumulate(x, y):
        with tf.GradientTape() as tape:
            loss = _mean_loss(reader, x, y)
        for total, g in zip(squares, tape.gradient(loss, weights)):
            total.assign_add(tf.square(_dense(g)))

    xs, ys = batching.batch_producer(ids, rows, steps)
    count = len(xs) if batches is None else min(batches, len(xs))
    if count < 1:
        raise ValueError(f"batches must be at least 1; got {batches}")
    models.reset_states(reader)
    for x, y in zip(xs[:count], ys[:count]):
        accumulate(tf.constant(x), tf.constant(y))
    return [np.sqrt(s.numpy() / count) for s in squares]


class DynamicEvaluation:
    """`model` read through a text in order, scoring each chunk, then taking one gradient step on it.

    The copy is ``models.resized(model, 1, None, stateful=True)``: one row,
    any chunk length, the state carried from chunk to chunk; `model` itself
    is left as it is. `learning_rate` and `decay` are the update's ``lr``
    and ``decay`` (change them with `set`); `rms` (from `gradient_rms`, one
    array per trainable weight) switches from plain SGD to the RMS update
    with the global prior, `epsilon` its ``eps``. Ids ``(1, length)`` int32.
    """

    def __init__(
        self,
        model: keras.Model,
        *,
        learning_rate: float = 0.0,
        decay: float = 0.0,
        rms: list | None = None,
        epsilon: float = 1e-5,
        chunk: int = 50,
    ):
        if chunk < 1:
            raise ValueError(f"chunk must be at least 1 token; got {chunk}")
        self.chunk = int(chunk)
        self.model = models.resized(model, 1, None, stateful=True)
        self.weights = self.model.trainable_weights
        self.trained = [tf.Variable(w.numpy(), trainable=False) for w in self.weights]  # theta_0
        if rms is not None:
            if len(rms) != len(self.weights) or any(np.shape(r) != tuple(w.shape) for r, w in zip(rms, self.weights)):
                raise ValueError(
                    f"rms must hold one array per trainable weight, of its shape: "
                    f"{[tuple(w.shape) for w in self.weights]}; got {[tuple(np.shape(r)) for r in rms]}"
                )
            rms = [np.asarray(r, dtype=np.float32) for r in rms]
            self._rates = [r / np.mean([x.mean() for x in rms]) for r in rms]  # r = rms / mean(rms), unclipped
            self._scales = [tf.Variable(1.0 / (r + epsilon), trainable=False) for r in rms]
        else:
            self._rates = None
            self._scales = [tf.constant(1.0) for _ in self.weights]
        self.rms = rms
        self._lr = tf.Variable(0.0, trainable=False)
        self._pull = [tf.Variable(tf.zeros_like(w), trainable=False) for w in self.weights]  # decay * r
        self.set(learning_rate, decay)
        self._learn = tf.function(self._learn_step, reduce_retracing=True)
        self._score = tf.function(self._score_step, reduce_retracing=True)

    def set(self, learning_rate: float, decay: float) -> None:
        """Set the update's step size ``lr`` and its decay towards the trained weights (0 <= decay <= 1)."""
        if learning_rate < 0 or not 0 <= decay <= 1:
            raise ValueError(f"learning_rate must be >= 0 and decay in [0, 1]; got {learning_rate} and {decay}")
        self.learning_rate, self.decay = float(learning_rate), float(decay)
        self._lr.assign(self.learning_rate)
        for i, (pull, w) in enumerate(zip(self._pull, self.weights)):
            if self._rates is None:
                pull.assign(tf.fill(w.shape, self.decay))
            else:  # the paper clips r at 1 / decay, so that no weight is pulled back past theta_0
                cap = np.inf if self.decay == 0 else 1.0 / self.decay
                pull.assign(self.decay * np.minimum(self._rates[i], cap))

    def restore(self) -> None:
        """Back to the start of a text: the trained weights, a zero state."""
        for w, w0 in zip(self.weights, self.trained):
            w.assign(w0)
        models.reset_states(self.model)

    def _learn_step(self, x, y):
        with tf.GradientTape() as tape:
            loss = _mean_loss(self.model, x, y)
        gradients = tape.gradient(loss, self.weights)
        for w, w0, g, scale, pull in zip(self.weights, self.trained, gradients, self._scales, self._pull):
            w.assign(w - self._lr * _dense(g) * scale + pull * (w0 - w))
        return loss

    def _score_step(self, x, y):
        return _mean_loss(self.model, x, y)

    def step(self, x, y, *, learn: bool = True) -> float:
        """Chunk `x` (ids ``(1, length)``), targets `y` (the same, one token on): its mean loss, then (if `learn`) the update.

        The loss is measured with the weights from before the update, so a
        chunk never counts a prediction the model made after learning from it.
        """
        x, y = (tf.constant(np.asarray(a, dtype=np.int32).reshape(1, -1)) for a in (x, y))
        return float((self._learn if learn else self._score)(x, y))

    def run(self, ids, *, learn: bool = True, progress: bool = False) -> float:
        """Mean nats per token over the 1-D ids `ids`, read in order from the trained weights and a zero state.

        Every token but the first is predicted once: chunks of ``chunk``
        tokens (the last one shorter), each scored and then, with `learn`,
        learned from. ``learn=False`` (or ``learning_rate=0``) is the static
        model read the same way. Starts with `restore`; leaves the weights
        where the text took them. `progress`: a tqdm bar over the chunks.
        """
        ids = np.asarray(ids, dtype=np.int32)
        if ids.ndim != 1 or len(ids) < 2:
            raise ValueError(f"ids must be a 1-D sequence of at least 2 token ids; got shape {ids.shape}")
        self.restore()
        starts = range(0, len(ids) - 1, self.chunk)
        if progress:
            from tqdm.std import tqdm

            starts = tqdm(starts, mininterval=10, bar_format="{l_bar}{bar:20}{r_bar}")
        total = 0.0
        for start in starts:
            end = min(start + self.chunk, len(ids) - 1)
            total += self.step(ids[start:end], ids[start + 1 : end + 1], learn=learn) * (end - start)
        return total / (len(ids) - 1)
