"""Measuring training speed: recurrent layers in tokens per second, a whole model in seconds per update.

`training_throughput` is used live in ``02_lstm_from_scratch`` (gate by gate
vs fused vs Keras) and by ``benchmarks/bench_cells.py`` for the full table;
`seconds_per_update` times the models of ``04`` and ``06``. Measurements,
not tests: they return figures and assert nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import keras
import tensorflow as tf


def training_step(layer: keras.layers.Layer) -> Callable:
    """A compiled (``tf.function``) forward and backward pass of `layer` on a batch ``(batch, time, features)``.

    The loss is the mean square of the layer's output; the step returns the
    gradients with respect to the layer's trainable weights (nothing is applied).
    """

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(layer(x, training=True)))
        return tape.gradient(loss, layer.trainable_weights)

    return step


def training_throughput(
    layers: dict[str, keras.layers.Layer],
    batch: int,
    steps: int,
    features: int,
    repeats: int = 5,
    rounds: int = 3,
    seed: int = 0,
) -> dict[str, float]:
    """Tokens per second (``batch * steps`` per training step) of each layer, measured side by side.

    Every layer gets the same input. After a warm-up step (which traces the
    ``tf.function``), the layers take turns, `rounds` times, each timing
    `repeats` steps; each layer's best round counts, which is the least
    disturbed by whatever else the machine was doing.
    """
    x = tf.random.stateless_normal((batch, steps, features), seed=(seed, 0))
    train = {name: training_step(layer) for name, layer in layers.items()}
    for step in train.values():
        tf.nest.map_structure(lambda g: g.numpy(), step(x))  # warm-up: trace and build
    best = {name: float("inf") for name in layers}
    for _ in range(rounds):
        for name, step in train.items():
            start = time.perf_counter()
            for _ in range(repeats):
                grads = step(x)
            tf.nest.map_structure(lambda g: g.numpy(), grads)  # wait for the last step to finish
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: batch * steps * repeats / seconds for name, seconds in best.items()}


def seconds_per_update(model: keras.Model, batches, n: int = 5) -> tuple[float, float]:
    """Wall time of one training update of the compiled `model`, and the loss of the last one.

    Takes one batch ``(x, y)`` after another from `batches`: the first
    update traces and compiles the step and is not timed; the time of the
    next `n` (``train_on_batch``) is averaged. Used by notebooks 04 and 06.
    """
    batches = iter(batches)
    model.train_on_batch(*next(batches))
    start = time.perf_counter()
    for _ in range(n):
        loss = model.train_on_batch(*next(batches))
    return (time.perf_counter() - start) / n, float(loss)
