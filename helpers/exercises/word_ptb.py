"""The checks of notebook 06_word_ptb's exercises: perplexity from logits, parameter counts, the tutorial's learning rate.

Each ``check_*`` takes the learner's answer, prints one verdict line with a
hint for the usual slips, and (under nbgrader) raises when the answer is not
right: see `helpers.checks` for the harness.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable

import numpy as np

from ..checks import attempt, exercise, number, verdict


@exercise("Exercise 1 (perplexity)")
def check_perplexity(name: str, perplexity: Callable) -> None:
    """Exercise 1 of 06_word_ptb: ``perplexity(logits, targets)`` -> exp of the mean cross-entropy per token.

    Tried on random logits (batch, steps, vocab) and targets (batch, steps),
    against `helpers.training.perplexity` of Keras' cross-entropy (in
    float64); the usual slips get a hint.
    """
    import keras

    from ..training import perplexity as reference

    rng = np.random.default_rng(6)
    for shape in ((3, 5, 11), (2, 20, 50)):
        logits = rng.normal(scale=2.0, size=shape).astype(np.float32)
        targets = rng.integers(0, shape[-1], shape[:2])
        nll = keras.ops.convert_to_numpy(
            keras.losses.sparse_categorical_crossentropy(targets, logits.astype(np.float64), from_logits=True)
        )  # (batch, steps), nats
        expected = reference(nll.mean())
        got = float(
            np.asarray(attempt(name, perplexity, logits.copy(), targets.copy(), returns=number("one number"))).squeeze()
        )
        if not math.isclose(got, expected, rel_tol=1e-4):
            slips = [
                (nll.mean(), " That is the mean cross-entropy: the perplexity is its exponential."),
                (
                    math.exp(nll.sum(1).mean()),
                    " That is exp of the loss summed over the steps (the tutorial's "
                    "loss): divide by the number of steps first, for the mean per word.",
                ),
                (2 ** nll.mean(), " Cross-entropy from a natural log is in nats: take e to it, not 2."),
                (np.exp(nll).mean(), " That is the mean of the exponentials; take the exponential of the mean."),
            ]
            hint = next((h for value, h in slips if math.isclose(got, value, rel_tol=1e-4)), "")
            return verdict(name, False, f"For logits of shape {shape} expected {expected:.4f}, got {got:.4f}.{hint}")
    return verdict(name, True)


@exercise("Exercise 2 (parameter_count)")
def check_parameter_count(name: str, parameter_count: Callable) -> None:
    """Exercise 2 of 06_word_ptb: ``parameter_count(vocab_size, units, layers, tied)`` -> the model's parameters.

    Checked against ``count_params()`` of `helpers.models.language_model`
    (embedding width = units, as in notebook 06) at several sizes, tied and not.
    """
    from ..models import language_model

    for vocab_size, units, layers, tied in (
        (10_000, 200, 2, False),
        (10_000, 200, 2, True),
        (50, 8, 1, False),
        (50, 8, 3, True),
    ):
        expected = language_model(
            vocab_size, units=units, layers=layers, embedding=units, batch_size=1, steps=1, tied=tied
        ).count_params()
        got = attempt(name, parameter_count, vocab_size, units, layers, tied, returns=number("an integer"))
        if got != expected:
            lstm = layers * 4 * (2 * units * units + units)
            hint = ""
            if tied and got == expected - vocab_size:
                hint = " The tied model still has an output bias, one per word."
            elif tied and got == expected + vocab_size * units:
                hint = " Tied: the table is counted once, it serves as input and output embedding."
            elif got == expected - lstm + layers * 4 * (2 * units * units):
                hint = " Each LSTM layer has a bias per gate unit: 4 x units."
            elif got == expected - lstm + layers * 4 * units * (units + 1):
                hint = " Each LSTM gate reads both the input (units wide here) and the last h."
            return verdict(
                name,
                False,
                f"For vocab_size={vocab_size}, units={units}, layers={layers}, tied={tied} "
                f"the model has {expected:,} parameters; got {got!r}.{hint}",
            )
    return verdict(name, True)


@exercise("Exercise 3 (learning_rate)")
def check_learning_rate(name: str, learning_rate: Callable) -> None:
    """Exercise 3 of 06_word_ptb: ``learning_rate(epoch, config)`` -> the tutorial's rate for a 0-based epoch.

    Checked against `helpers.ptb.learning_rate` for every epoch of the three configurations.
    """
    from ..ptb import CONFIGS
    from ..ptb import learning_rate as reference

    for config_name in ("small", "medium", "large"):
        config = CONFIGS[config_name]
        expected = [reference(config, e) for e in range(config["epochs"])]
        got = [
            float(np.asarray(attempt(name, learning_rate, e, copy.deepcopy(config), returns=number())).squeeze())
            for e in range(config["epochs"])
        ]  # a copy: the learner's function cannot change ptb.CONFIGS
        if not np.allclose(got, expected, rtol=1e-9):
            first = next(e for e in range(len(got)) if not math.isclose(float(got[e]), expected[e], rel_tol=1e-9))
            hint = ""
            if np.allclose(got[1:], expected[:-1]) or np.allclose(got[:-1], expected[1:]):
                hint = (
                    f" Off by one epoch: the rate stays {config['learning_rate']} for the first max_epoch = "
                    f"{config['max_epoch']} epochs (0 to {config['max_epoch'] - 1}), then decays each epoch."
                )
            return verdict(
                name,
                False,
                f"{config_name}: at epoch {first} (0-based) expected {expected[first]:.6g}, "
                f"got {float(got[first]):.6g}.{hint}",
            )
    return verdict(name, True)
