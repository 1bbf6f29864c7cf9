"""The checks of notebook 07_seq2seq_attention's exercises: attention with a mask, teacher forcing, a beam's step.

Each ``check_*`` takes the learner's answer, prints one verdict line with a
hint for the usual slip, and (under nbgrader) raises when the answer is not
right: see `helpers.checks` for the harness.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..checks import array, attempt, exercise, items, verdict


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


@exercise("Exercise 1 (masked_attention)")
def check_masked_attention(name: str, masked_attention: Callable) -> None:
    """Exercise 1 of 07: ``masked_attention(query, keys, mask) -> (context, weights)``, Luong's dot product.

    On random queries (2, 3, 4) and keys (2, 5, 4) whose second row has two
    padded positions: the weights must be the softmax of ``query . key`` over
    the real positions only (0 on padding, each row summing to 1), the
    context their weighted sum of the keys.
    """
    rng = np.random.default_rng(3)
    query, keys = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 5, 4))
    mask = np.array([[True] * 5, [True, True, True, False, False]])
    scores = query @ keys.transpose(0, 2, 1)
    weights = _softmax(np.where(mask[:, None, :], scores, -np.inf))
    got = attempt(
        name,
        masked_attention,
        query.copy(),
        keys.copy(),
        mask.copy(),
        returns=items(
            "a pair (context, weights) of NumPy arrays",
            array((2, 3, 4)),
            array((2, 3, 5)),
            names=("context", "weights"),
        ),
    )
    context, w = (np.asarray(v, dtype=float) for v in got)
    if np.allclose(w, weights, atol=1e-6) and np.allclose(context, weights @ keys, atol=1e-6):
        return verdict(name, True, "The padded positions get no weight, and each row of weights sums to 1.")
    hint = ""
    if np.allclose(w, _softmax(scores) * mask[:, None, :], atol=1e-6):
        hint = (
            " The mask was applied after the softmax: the second row's weights sum to "
            f"{w[1].sum(-1).min():.2f}, not 1. Set the padded scores to -inf before it."
        )
    elif np.allclose(w, _softmax(scores), atol=1e-6):
        hint = " The padded positions get weight: set their scores to -inf before the softmax."
    elif np.allclose(w, _softmax(np.where(mask[:, None, :], scores / 2.0, -np.inf)), atol=1e-6):
        hint = " The scores were divided by sqrt(d): Luong's dot product (and keras.layers.Attention's default) has no scale."
    elif np.allclose(w, weights, atol=1e-6):
        hint = " The weights are right; the context is their weighted sum of the keys: weights @ keys."
    else:
        hint = f" The weights differ from softmax(query . key) over the real positions by up to {np.abs(w - weights).max():.3g}."
    verdict(name, False, hint.strip())


@exercise("Exercise 2 (shift_right)")
def check_shift_right(name: str, shift_right: Callable) -> None:
    """Exercise 2 of 07: ``shift_right(targets, start_id)``: what the decoder reads under teacher forcing.

    Compared with `helpers.seq2seq.decoder_inputs` on two target batches:
    ``start_id`` first, then every target but the last, one step later.
    """
    targets = np.array([[4, 12, 12, 10, 2], [5, 6, 7, 8, 2]], np.int32)
    for start in (1, 9):
        expected = np.concatenate([np.full((2, 1), start), targets[:, :-1]], axis=1)
        got = attempt(name, shift_right, targets.copy(), start, returns=array(targets.shape))
        got = np.asarray(got)
        if np.array_equal(got, expected):
            continue
        if np.array_equal(got, targets):
            hint = (
                "These are the targets themselves: the decoder would read the very character it must predict, "
                "so it learns to copy its input and writes nothing sensible on its own. Shift right by one."
            )
        elif np.array_equal(got, np.concatenate([targets[:, 1:], np.full((2, 1), start)], axis=1)):
            hint = "Shifted the wrong way: at step t the decoder reads target t - 1 (start_id at t = 0)."
        elif np.array_equal(got[:, 1:], targets[:, :-1]):
            hint = f"The first column should be start_id = {start}."
        else:
            hint = f"For start_id = {start} expected {expected.tolist()}, got {got.tolist()}."
        return verdict(name, False, hint)
    verdict(name, True, "At step t the decoder reads target t - 1, the character before the one it writes.")


@exercise("Exercise 3 (beam_step)")
def check_beam_step(name: str, beam_step: Callable) -> None:
    """Exercise 3 of 07: ``beam_step(scores, log_probs, width) -> (scores, parents, symbols)``.

    Compared with `helpers.seq2seq.beam_step` on random log-probabilities
    (batch 2, 3 beams, 6 symbols) for widths 3 and 2: the `width` best
    extensions over all beams, by summed log-probability, best first.
    """
    from ..seq2seq import beam_step as reference

    rng = np.random.default_rng(5)
    scores = np.log(rng.dirichlet(np.ones(3), size=2))
    log_probs = np.log(rng.dirichlet(np.ones(6), size=(2, 3)))
    for width in (3, 2):
        expected = reference(scores, log_probs, width)
        got = attempt(
            name,
            beam_step,
            scores.copy(),
            log_probs.copy(),
            width,
            returns=items(
                "a triple (scores, parents, symbols) of NumPy arrays",
                *[array((2, width))] * 3,
                names=("scores", "parents", "symbols"),
            ),
        )
        new, parents, symbols = (np.asarray(v) for v in got)
        if (
            np.allclose(new, expected[0])
            and np.array_equal(parents, expected[1])
            and np.array_equal(symbols, expected[2])
        ):
            continue
        if np.allclose(np.sort(new, 1), np.sort(expected[0], 1)):
            hint = "The right beams in another order: best (highest score) first."
        elif np.array_equal(parents, np.broadcast_to(np.arange(width), parents.shape)):
            hint = (
                "Each beam kept its own best symbol: compare the extensions of all beams together, "
                "so that one good beam can have several children and a poor one none."
            )
        elif np.allclose(new, np.sort(log_probs.reshape(2, -1), 1)[:, ::-1][:, :width]):
            hint = "The scores ignore the beams' scores so far: a beam's score is its sum of log-probabilities."
        else:
            hint = f"For width {width} expected scores {np.round(expected[0], 3).tolist()}, got {np.round(new, 3).tolist()}."
        return verdict(name, False, hint)
    verdict(name, True)
