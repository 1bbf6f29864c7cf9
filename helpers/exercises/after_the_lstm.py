"""The checks of notebook 08_after_the_lstm's exercises: the parallel scan by hand, the flip by a negative
transition, a Transformer block's parameters.

Each ``check_*`` takes the learner's answer, prints one verdict line with a
hint for the usual slips, and (under nbgrader) raises when the answer is not
right: see `helpers.checks` for the harness.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import signsum
from ..checks import array, attempt, exercise, items, number, numbers, verdict


def _combine(earlier, later):
    """The combine of notebook 08 (section 1): step `earlier` then step `later` as one step."""
    (a1, b1), (a2, b2) = earlier, later
    return a1 * a2, a2 * b1 + b2


def scan_reference(a, b, *, rounds=None, swapped=False) -> np.ndarray:
    """h_1..h_T of ``h_t = a_t h_(t-1) + b_t`` from h_0 = 0 by Hillis and Steele's rounds; or a slip.

    `rounds`: stop after that many rounds; `swapped`: each round calls
    combine with the later element first.
    """
    a, b = np.array(a, dtype=float), np.array(b, dtype=float)
    offset, done = 1, 0
    while offset < len(a) and (rounds is None or done < rounds):
        earlier, later = (a[:-offset], b[:-offset]), (a[offset:], b[offset:])
        a[offset:], b[offset:] = _combine(later, earlier) if swapped else _combine(earlier, later)
        offset, done = 2 * offset, done + 1
    return b


@exercise("Exercise 1 (prefix_scan)")
def check_prefix_scan(name: str, prefix_scan: Callable) -> None:
    """Exercise 1 of 08: ``prefix_scan(a, b, combine)`` -> h_1..h_T, one call of `combine` per round.

    Compared with the step-by-step loop on random arrays of T = 1, 2, 5, 8
    and 13 steps (time on axis 0); the check passes its own `combine`, which
    counts the calls: a scan of T steps makes ceil(log2 T) of them.
    """
    rng = np.random.default_rng(8)
    for steps in (1, 2, 5, 8, 13):
        a, b = rng.uniform(-1, 1, size=(steps, 3)), rng.uniform(-1, 1, size=(steps, 3))
        h, expected = np.zeros(3), []
        for a_t, b_t in zip(a, b):
            h = a_t * h + b_t
            expected.append(h)
        expected, calls = np.array(expected), []

        def counted(earlier, later, calls=calls):
            calls.append(len(np.asarray(later[0])))
            return _combine(earlier, later)

        got = attempt(name, prefix_scan, a.copy(), b.copy(), counted, returns=array(expected.shape))
        rounds = int(np.ceil(np.log2(steps))) if steps > 1 else 0
        if not np.allclose(np.asarray(got, dtype=float), expected, atol=1e-9):
            got = np.asarray(got, dtype=float)
            hint = ""
            if np.allclose(got, scan_reference(a, b, swapped=True)):
                hint = " combine takes the earlier element first: combine((a[t - d], b[t - d]), (a[t], b[t]))."
            elif rounds and np.allclose(got, scan_reference(a, b, rounds=rounds - 1)):
                hint = (
                    f" You stopped a round early: T = {steps} needs offsets 1, 2, 4, ... while the offset is below T."
                )
            elif np.allclose(got[-1], a.prod(0)):
                hint = " You returned the a's (products of the a_t); h_t is the b of the combined step from 1 to t."
            return verdict(name, False, f"For T = {steps}, h_1..h_T differ from the step-by-step loop.{hint}")
        if len(calls) != rounds:
            return verdict(
                name,
                False,
                f"Right values, but for T = {steps} you called combine {len(calls)} times; a scan calls it once per "
                f"round, on all the positions at once: {rounds} rounds.",
            )
    verdict(name, True, "T = 13 steps in 4 rounds, each one combine of up to 12 positions side by side.")


@exercise("Exercise 2 (flip_coefficients)")
def check_flip_coefficients(name: str, flip_coefficients: Callable) -> None:
    """Exercise 2 of 07: ``flip_coefficients(sequence) -> (a, b)``, one pair per character.

    Run from h_0 = 0, ``h_t = a_t h_{t-1} + b_t`` must give u_t, the sum in
    the current frame (``+`` adds 1, ``-`` subtracts 1, ``I`` flips the sign of
    what is carried), so that u_t times the sign (-1 after an odd number of
    ``I``) is the running sum of `helpers.signsum`. Checked on 200 random
    sequences and the task's examples.
    """
    cases = ["+++", "-I--", "II+", "I", "0+I000", "+I+I+I"] + signsum.random_sequences(200, 12, seed=3)
    returns = items("a pair (a, b) of arrays, one number per character", *[numbers("numbers")] * 2, names=("a", "b"))
    for sequence in cases:
        got = attempt(name, flip_coefficients, sequence, returns=returns)
        a, b = (np.asarray(v, dtype=float).reshape(-1) for v in got)
        if len(a) != len(sequence) or len(b) != len(sequence):
            return verdict(
                name,
                False,
                f"One a and one b per character: {len(sequence)} for {sequence!r}; got {len(a)} and {len(b)}.",
            )
        h, u = 0.0, []
        for a_t, b_t in zip(a, b):
            h = a_t * h + b_t
            u.append(h)
        sign = np.where(np.cumsum([ch == "I" for ch in sequence]) % 2, -1, 1)
        expected = signsum.running_sum(sequence)
        if not np.allclose(sign * np.array(u), expected):
            hint = ""
            if any(ch == "I" for ch in sequence) and np.allclose(a[[ch == "I" for ch in sequence]], 0):
                hint = " a = 0 at an I wipes the count; the I should flip its sign (a = -1) and keep it."
            elif np.all(a >= 0):
                hint = " With every a_t >= 0 no step can flip the sign of what is carried."
            return verdict(
                name,
                False,
                f"For {sequence!r}: sign x h gives {(sign * np.array(u)).tolist()}, "
                f"the running sum is {expected.tolist()}.{hint}",
            )
    verdict(
        name,
        True,
        f"On {len(cases)} sequences, sign x h is the running sum: one transition of -1 per I "
        "does what no a_t in (0, 1) can.",
    )


@exercise("Exercise 3 (block_parameters)")
def check_block_parameters(name: str, block_parameters: Callable) -> None:
    """Exercise 3 of 07: ``block_parameters(width)``, the weights of one Transformer block of `helpers.transformer`.

    Two LayerNorms (2 width each), attention's query, key, value and output
    projections with biases (4 (width^2 + width)), the MLP (width x 4 width
    and back, with biases): 12 width^2 + 13 width. Compared with Keras' count.
    """
    from .. import transformer

    for width, heads in ((128, 4), (64, 2), (48, 3)):
        model = transformer.language_model(10, layers=1, width=width, heads=heads, context=8)
        block = sum(int(np.prod(w.shape)) for w in model.weights if w.path.startswith("block0_"))
        got = attempt(name, block_parameters, width, returns=number("an integer"))
        if got != block:
            hint = ""
            if got == 12 * width**2:
                hint = " That counts the matrices only: every Dense and projection has a bias too, and the norms a scale and a shift."
            elif got == 12 * width**2 + 9 * width:
                hint = " The two LayerNorms have a scale and a shift each: 4 width in all."
            return verdict(name, False, f"block_parameters({width}) = {got}; Keras counts {block:,}.{hint}")
    verdict(name, True, "12 width^2 + 13 width, as Keras counts.")
