"""The check of notebook 06_word_ptb's exercise 4: what tying the output layer to the embedding buys.

`check_tying_ablation` runs the learner's ``tying_ablation(config, train_ids,
valid_ids, updates)``, checks that the two models it trained differ only in
tying, and prints one verdict line with a hint for the usual slips (see
`helpers.checks` for the harness). On a right answer it keeps what it
measured on the two models in `ablation`, for the notebook to print. It lives
apart from `helpers.exercises.word_ptb` (exercises 1-3) to keep each module
short.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable

import numpy as np

from ..checks import attempt, exercise, instance, items, numbers, verdict

ablation: dict = {}  # what check_tying_ablation last measured on a right answer: name -> figures of that model


def _ablation_setup() -> tuple[dict, np.ndarray, np.ndarray, int]:
    """A stand-in for the notebook's (config, train_ids, valid_ids, updates): 8 units, 4 rows of 5 steps, 6 updates
    on a text that repeats 12 words, which the two models learn at clearly different speeds."""
    from ..ptb import CONFIGS

    text = np.tile(np.arange(12), 20)
    return dict(CONFIGS["small"], units=8, batch_size=4, steps=5), text[: 4 * 5 * 10 + 4], text[5 : 4 * 5 * 2 + 9], 6


def _expected_parameters(config: dict, vocab_size: int, tied: bool) -> int:
    units, layers = config["units"], config["layers"]
    return vocab_size * units + layers * 4 * (2 * units * units + units) + vocab_size * (1 if tied else units + 1)


@exercise("Exercise 4 (tying_ablation)")
def check_tying_ablation(
    name: str, tying_ablation: Callable, config: dict | None = None, train_ids=None, valid_ids=None, updates=None
) -> None:
    """Exercise 4 of 06_word_ptb: ``tying_ablation(config, train_ids, valid_ids, updates)`` -> (untied, tied, ppl).

    Runs the learner's function on the notebook's `config`, data and number of
    `updates` (or on a small stand-in), then checks its two trained models: the
    same configuration but for `tied` (batch shape, dropout, optimiser,
    parameter counts that differ by the output layer's units x vocabulary
    weights), `updates` updates each (the optimiser's own count), and the two
    validation perplexities it reported against each model's, measured here
    (`helpers.training.evaluate`). What it measured goes into `ablation`.
    """
    import keras

    from ..ptb import SummedCrossEntropy
    from ..training import evaluate

    if config is None:
        config, train_ids, valid_ids, updates = _ablation_setup()
    ablation.clear()
    model = instance(keras.Model, "a Keras model")
    untied, tied, reported = attempt(
        name,
        tying_ablation,
        copy.deepcopy(config),
        train_ids,
        valid_ids,
        updates,
        returns=items(
            "a triple (untied, tied, perplexities)",
            model,
            model,
            numbers("two perplexities"),
            names=("untied model", "tied model", "perplexities"),
        ),
    )
    if len(reported) != 2:
        return verdict(name, False, f"Return two perplexities (untied, then tied); got {len(reported)}.")
    reported = [float(np.asarray(p)) for p in reported]
    shape = (config["batch_size"], config["steps"])
    for label, m in (("untied", untied), ("tied", tied)):
        if tuple(m.input_shape) != shape:
            return verdict(
                name,
                False,
                f"The {label} model reads batches of {tuple(m.input_shape)}, config's are {shape}: build both "
                f"models from config, with only tied changed, so that nothing but tying differs.",
            )
    vocab_size = int(untied.output_shape[-1])
    counts = (untied.count_params(), tied.count_params())
    expected = tuple(_expected_parameters(config, vocab_size, t) for t in (False, True))
    if counts != expected:
        hint = {
            expected[::-1]: " They are swapped: return the untied model first.",
            (expected[0], expected[0]): " Both are untied: build the second from dict(config, tied=True).",
            (expected[1], expected[1]): " Both are tied: build the first from dict(config, tied=False).",
        }.get(counts, " Build both from config (units, layers), changing only tied.")
        return verdict(
            name,
            False,
            f"The models have {counts[0]:,} and {counts[1]:,} parameters; untied and tied from config have "
            f"{expected[0]:,} and {expected[1]:,}.{hint}",
        )

    def setting(m):
        rates = [layer.rate for layer in m.layers if isinstance(layer, keras.layers.Dropout)]
        opt = m.optimizer
        lr = None if opt is None else float(keras.ops.convert_to_numpy(opt.learning_rate))
        return rates, lr, None if opt is None else opt.global_clipnorm

    if setting(untied) != setting(tied):
        return verdict(
            name,
            False,
            f"The models differ in more than tying (dropout rates, learning rate, clipping: {setting(untied)} "
            f"against {setting(tied)}): build both with ptb.build from config, changing only tied.",
        )
    done = tuple(int(keras.ops.convert_to_numpy(m.optimizer.iterations)) for m in (untied, tied))
    if done != (updates, updates):
        return verdict(
            name,
            False,
            f"The models took {done[0]} and {done[1]} updates, expected {updates} each: fit each on the first "
            f"{updates} batches, .take(updates) of training.language_model_batches(train_ids, model).",
        )
    measured = []
    for m in (untied, tied):
        loss = float(evaluate(m, valid_ids))
        measured.append(math.exp(loss / shape[1] if isinstance(m.loss, SummedCrossEntropy) else loss))
    if not all(math.isclose(g, e, rel_tol=1e-3) for g, e in zip(reported, measured)):
        nats = [math.log(p) for p in measured]
        slips = [
            (measured[::-1], " They are swapped: untied first, then tied."),
            (nats, " Those are cross-entropies in nats per word: the perplexity is e to them."),
            (
                [math.exp(n * shape[1]) for n in nats],
                " That is e to the loss summed over the steps: divide the "
                "summed loss by the steps first, for the perplexity per word.",
            ),
        ]
        hint = next((h for value, h in slips if np.allclose(reported, value, rtol=1e-3)), "")
        return verdict(
            name,
            False,
            f"Reported validation perplexities {reported[0]:.2f} and {reported[1]:.2f}; the models measure "
            f"{measured[0]:.2f} and {measured[1]:.2f} (training.evaluate on valid_ids).{hint}",
        )
    for label, count, ppl in zip(("untied", "tied"), counts, measured):
        ablation[label] = dict(parameters=count, updates=updates, perplexity=ppl)
    return verdict(
        name, True, "The two models differ only in tying, took the same updates and measure what you reported."
    )
