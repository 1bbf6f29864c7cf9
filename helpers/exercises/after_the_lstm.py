"""The checks of notebook 08_after_the_lstm's exercises: two steps as one, the flip by a negative transition,
a Transformer block's parameters.

Each ``check_*`` takes the learner's answer, prints one verdict line with a
hint for the usual slips, and (under nbgrader) raises when the answer is not
right: see `helpers.checks` for the harness.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import signsum
from ..checks import array, attempt, exercise, items, number, numbers, verdict


@exercise("Exercise 1 (combine)")
def check_combine(name: str, combine: Callable) -> None:
    """Exercise 1 of 07: ``combine((a1, b1), (a2, b2))``, the one step equal to step 1 then step 2.

    Compared with running the two steps on random arrays: it must give
    ``(a1 * a2, a2 * b1 + b2)``, the combine `helpers.min_rnn.combine` scans with.
    """
    rng = np.random.default_rng(7)
    a1, b1, a2, b2, h = (rng.uniform(-1, 1, size=(3, 5)) for _ in range(5))
    got = attempt(
        name,
        combine,
        (a1.copy(), b1.copy()),
        (a2.copy(), b2.copy()),
        returns=items(
            f"a pair (a, b) of NumPy arrays of shape {a1.shape}",
            *[array(a1.shape, check_shape=False)] * 2,
            names=("a", "b"),
        ),
    )
    a, b = (np.asarray(v, dtype=float) for v in got)
    expected = a2 * (a1 * h + b1) + b2
    if a.shape != a1.shape or b.shape != b1.shape:
        return verdict(name, False, f"a and b should keep the shape {a1.shape}; got {a.shape} and {b.shape}.")
    if np.allclose(a * h + b, expected):
        return verdict(name, True, "h -> a2 (a1 h + b1) + b2 is one step with a = a1 a2, b = a2 b1 + b2.")
    hint = ""
    if np.allclose(b, a1 * b2 + b1):
        hint = " b looks like step 2 done first: the later step's a2 multiplies the earlier b1."
    elif np.allclose(b, b1 + b2):
        hint = " The earlier b1 is carried through the later step, so it is multiplied by a2."
    verdict(
        name,
        False,
        f"a h + b differs from running step 1 then step 2 (by up to {np.abs(a * h + b - expected).max():.3g}).{hint}",
    )


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
