"""The checks of notebook 06_word_ptb's exercises 1-3: a unigram baseline, parameter counts, a warm-up schedule.

Each ``check_*`` takes the learner's answer, prints one verdict line with a
hint for the usual slips, and (under nbgrader) raises when the answer is not
right: see `helpers.checks` for the harness. Exercise 4 (the tying ablation)
is checked in `helpers.exercises.word_ptb_tying`, exercise 5 in
`helpers.exercises.word_ptb_vectors`, to keep each module short.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable

import numpy as np

from ..checks import attempt, exercise, number, verdict


@exercise("Exercise 1 (unigram_perplexity)")
def check_unigram_perplexity(name: str, unigram_perplexity: Callable) -> None:
    """Exercise 1 of 06_word_ptb: ``unigram_perplexity(train_ids, test_ids, vocab_size)`` -> one number.

    The add-one unigram model: p(w) = (count of w in `train_ids` + 1) /
    (len(train_ids) + vocab_size), scored on `test_ids` as e to the mean
    cross-entropy per word. Tried on small made-up texts, one with a test
    word never seen in training; the usual slips get a hint.
    """
    rng = np.random.default_rng(26)
    cases = [(np.array([0, 0, 1, 2, 2, 2, 3]), np.array([0, 2, 4, 2, 1]), 6)]
    cases.append((rng.zipf(1.5, 3000) % 40, rng.zipf(1.5, 500) % 50, 50))
    for train, test, vocab_size in cases:
        counts = np.bincount(train, minlength=vocab_size)

        def score(c, total, test=test):
            with np.errstate(divide="ignore"):
                return float(np.exp(-np.mean(np.log(c[test] / total))))

        expected = score(counts + 1, len(train) + vocab_size)
        got = float(
            np.asarray(
                attempt(name, unigram_perplexity, train.copy(), test.copy(), vocab_size, returns=number("one number"))
            ).squeeze()
        )
        if not math.isclose(got, expected, rel_tol=1e-6):
            nll = math.log(expected)
            slips = [
                (
                    score(counts, len(train)),
                    " A word of the test text never seen in training has probability 0: add "
                    "one to every count (and vocab_size to the total).",
                ),
                (
                    score(counts + 1, len(train)),
                    " Adding one to each count adds vocab_size to the total: divide by "
                    "len(train_ids) + vocab_size, or the probabilities sum to more than 1.",
                ),
                (
                    score(np.bincount(test, minlength=vocab_size) + 1, len(test) + vocab_size),
                    " Those counts are the test text's: count the training text, and score the test text with them.",
                ),
                (nll, " That is the mean cross-entropy: the perplexity is its exponential."),
                (2**nll, " Cross-entropy from a natural log is in nats: take e to it, not 2."),
            ]
            hint = next((h for value, h in slips if math.isclose(got, value, rel_tol=1e-6)), "")
            return verdict(
                name,
                False,
                f"For a training text of {len(train)} words and vocab_size={vocab_size} expected {expected:.4f}, "
                f"got {got:.4f}.{hint}",
            )
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


@exercise("Exercise 3 (warmup_learning_rate)")
def check_warmup_learning_rate(name: str, warmup_learning_rate: Callable) -> None:
    """Exercise 3 of 06_word_ptb: ``warmup_learning_rate(update, config, warmup, epoch_size)`` -> the rate.

    A linear warm-up over the first `warmup` updates (0-based `update`: the
    rate times ``(update + 1) / warmup``), then the tutorial's rate of the
    epoch the update is in, `helpers.ptb.learning_rate` (the schedule notebook
    06 prints). Checked at the warm-up's updates and at every epoch's first
    and last update for small, medium and tied, with the epoch sizes of PTB.
    """
    from ..batching import epoch_size as batches
    from ..ptb import CONFIGS, SIZES
    from ..ptb import learning_rate as reference

    def rule(update, config, warmup, size, start=1, top=None, epoch=None):
        if update < warmup:
            return (top or config["learning_rate"]) * (update + start) / warmup
        return reference(config, epoch(update) if epoch else update // size)

    for config_name, warmup in (("small", 500), ("medium", 1000), ("tied", 700)):
        config = CONFIGS[config_name]
        size = batches(SIZES["train"], config["batch_size"], config["steps"])
        updates = sorted(
            {0, 1, warmup // 2, warmup - 1, warmup, size - 1, size, size + size // 2}
            | {e * size + d for e in range(config["epochs"]) for d in (0, size - 1)}
        )
        for update in updates:
            expected = rule(update, config, warmup, size)
            got = float(
                np.asarray(
                    attempt(name, warmup_learning_rate, update, copy.deepcopy(config), warmup, size, returns=number())
                ).squeeze()
            )  # a copy: the learner's function cannot change ptb.CONFIGS
            if math.isclose(got, expected, rel_tol=1e-9):
                continue
            slips = [
                (
                    rule(update, config, warmup, size, start=0),
                    " The first update (0) should take a step: the rate "
                    "times (update + 1) / warmup, reaching the full rate at the last warm-up update.",
                ),
                (
                    rule(update, config, warmup, size, top=1.0),
                    f" The warm-up rises to config['learning_rate'] "
                    f"({config['learning_rate']:.4g} for {config_name}), not to 1.",
                ),
                (
                    rule(update, config, warmup, size, epoch=lambda u, s=size: u / s),
                    " The rate changes at an epoch's "
                    "start only: the epoch of an update is update // epoch_size, a whole number.",
                ),
                (
                    config["learning_rate"] * config["lr_decay"] ** max(update // size - config["max_epoch"], 0),
                    f" Off by one epoch: the rate stays {config['learning_rate']:.4g} for the first max_epoch = "
                    f"{config['max_epoch']} epochs (0 to {config['max_epoch'] - 1}), as ptb.learning_rate has it.",
                ),
            ]
            hint = next((h for value, h in slips if math.isclose(got, value, rel_tol=1e-9)), "")
            return verdict(
                name,
                False,
                f"{config_name}, warmup={warmup}, epoch_size={size}: at update {update} (0-based) expected "
                f"{expected:.6g}, got {got:.6g}.{hint}",
            )
    return verdict(name, True)
