"""The checks of notebook 01_rnn_basics's exercises: many-to-many in NumPy, clipping by global norm, how far back a signal reaches.

Each ``check_*`` takes the learner's answer, prints one verdict line with a
hint for the usual slips, and (under nbgrader) raises when the answer is not
right: see `helpers.checks` for the harness.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..checks import array, attempt, each, exercise, items, number, verdict


def _many_to_many_reference(X, W, U, b, W_y, b_y, recurrent=True, activation=np.tanh):
    h = np.zeros((X.shape[0], U.shape[0]))
    ys = []
    for t in range(X.shape[1]):
        h = activation(X[:, t] @ W + (h @ U if recurrent else 0) + b)
        ys.append(h @ W_y + b_y)
    return np.stack(ys, axis=1)


@exercise("Exercise 1 (many_to_many)")
def check_many_to_many(name: str, many_to_many: Callable) -> None:
    """Exercise 1 of 01_rnn_basics: ``many_to_many(X, W, U, b, W_y, b_y)`` in NumPy.

    From ``h_0 = 0``: ``h_t = tanh(x_t W + h_{t-1} U + b)`` and
    ``y_t = h_t W_y + b_y`` at every step; the answer is all the ``y_t``,
    batch-major. Tried on a batch of 4, 6 steps, 3 features, 5 units and 2
    outputs, so it must return shape ``(4, 6, 2)``.
    """
    rng = np.random.default_rng(0)
    args = (
        rng.normal(size=(4, 6, 3)),
        rng.normal(size=(3, 5)) / 2,
        rng.normal(size=(5, 5)) / 2,
        rng.normal(size=5),
        rng.normal(size=(5, 2)),
        rng.normal(size=2),
    )
    expected = _many_to_many_reference(*args)
    got = np.asarray(
        attempt(name, many_to_many, *args, returns=array(expected.shape, check_shape=False)), dtype=np.float64
    )
    if got.shape != expected.shape:
        hints = {
            (4, 2): "only the last output (that is many-to-one)",
            (6, 4, 2): "time-major outputs",
            (4, 6, 5): "the states h_t rather than the outputs y_t",
        }
        hint = f" That looks like {hints[got.shape]}." if got.shape in hints else ""
        return verdict(name, False, f"Expected shape (batch, time, outputs) = {expected.shape}, got {got.shape}.{hint}")
    if np.allclose(got, expected, atol=1e-6):
        return verdict(name, True)
    X, W, U, b, W_y, b_y = args
    hints = {
        "the state is not carried from one step to the next (h_{t-1} U is missing)": _many_to_many_reference(
            *args, recurrent=False
        ),
        "the tanh is missing": _many_to_many_reference(*args, activation=lambda z: z),
        "the read-out bias b_y is missing": expected - b_y,
        "the state's bias b is missing": _many_to_many_reference(X, W, U, 0 * b, W_y, b_y),
    }
    for hint, value in hints.items():
        if np.allclose(got, value, atol=1e-6):
            return verdict(name, False, f"It looks like {hint}.")
    i = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
    return verdict(name, False, f"At index {tuple(map(int, i))} expected {expected[i]:.4f}, got {got[i]:.4f}.")


@exercise("Exercise 2 (clip_by_global_norm)")
def check_clip_by_global_norm(name: str, clip: Callable) -> None:
    """Exercise 2 of 01_rnn_basics: ``clip(grads, max_norm)`` returns the clipped list and the global norm.

    Must agree with ``tf.clip_by_global_norm``: every gradient scaled by
    ``max_norm / max(global_norm, max_norm)``, the direction unchanged.
    """
    rng = np.random.default_rng(1)
    grads = [rng.normal(size=(3, 4)) * 10, rng.normal(size=4) * 10]
    norm = math.sqrt(sum(float(np.sum(g**2)) for g in grads))
    returns = items(
        "a pair (clipped gradients, global norm): a list of NumPy arrays and a number",
        each("a list of NumPy arrays", array()),
        number(),
        names=("clipped list", "global norm"),
    )
    for max_norm in (1.0, 2 * norm):  # one case that clips, one that must leave the gradients alone
        scale = max_norm / max(norm, max_norm)
        got, got_norm = attempt(name, clip, [g.copy() for g in grads], max_norm, returns=returns)
        if not math.isclose(float(got_norm), norm, rel_tol=1e-6):
            return verdict(
                name,
                False,
                f"The global norm should be {norm:.4f} (the norm of all gradients "
                f"as one vector), got {float(got_norm):.4f}.",
            )
        if len(got) != len(grads):
            return verdict(name, False, f"Expected {len(grads)} clipped gradients, got {len(got)}.")
        for k, (g, c) in enumerate(zip(grads, got)):
            c = np.asarray(c)
            if c.shape != g.shape:
                return verdict(name, False, f"Gradient {k} should keep its shape {g.shape}, got {c.shape}.")
            if not np.allclose(c, g * scale, rtol=1e-6):
                what = "be left unchanged" if scale == 1 else f"be scaled by max_norm / global_norm = {scale:.4f}"
                return verdict(name, False, f"With max_norm={max_norm:.4g}, gradient {k} should {what}.")
    return verdict(name, True)


@exercise("Exercise 3 (steps_to_vanish)")
def check_steps_to_vanish(name: str, steps_to_vanish: Callable) -> None:
    """Exercise 3 of 01_rnn_basics: ``steps_to_vanish(rho, threshold)``, the fewest k with ``rho**k < threshold``.

    Tried on (0.9, 1e-3), which the notebook's plot shows, and three more cases.
    """
    for rho, threshold in ((0.9, 1e-3), (0.5, 1e-6), (0.99, 0.01), (0.25, 0.3)):
        expected = math.floor(math.log(threshold) / math.log(rho)) + 1
        got = attempt(name, steps_to_vanish, rho, threshold, returns=number("an integer k"))
        if got != expected:
            hint = (
                " (off by one: the power must be *below* the threshold)" if got in (expected - 1, expected + 1) else ""
            )
            return verdict(
                name,
                False,
                f"For rho={rho}, threshold={threshold:g}: expected k = {expected} "
                f"({rho}**{expected} = {rho**expected:.2e}), got {got}{hint}.",
            )
    return verdict(name, True, f"0.9**66 = {0.9**66:.2e} < 0.001.")
