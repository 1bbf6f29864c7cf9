"""The checks of notebook 01_rnn_basics's exercises: many-to-many in NumPy, clipping by global norm, how far back a signal reaches, backpropagation through time by hand.

Each ``check_*`` takes the learner's answer, prints one verdict line with a
hint for the usual slips, and (under nbgrader) raises when the answer is not
right: see `helpers.checks` for the harness.
"""

from __future__ import annotations

import itertools
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


def _rnn_backward_reference(X, h0, W, U, b, dH, carry=True, dtanh="h", dU_with="h_prev", dU_transposed=False):
    """(dW, dU, db, dh0, dz_1) of the loop of section 1, by hand: right by default, or with the usual slips.

    ``carry=False``: each step's own term only; ``dtanh``: ``"h"`` (1 - h_t**2, right), ``"none"`` or
    ``"z"`` (1 - z_t**2, at the pre-activation); ``dU_with="h_t"``: dU gathered with h_t, not h_{t-1}.
    """
    states, pre = [h0], []
    for t in range(X.shape[1]):
        pre.append(X[:, t] @ W + states[-1] @ U + b)
        states.append(np.tanh(pre[-1]))
    dW, dU, db, back = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b), np.zeros_like(h0)
    for t in reversed(range(X.shape[1])):
        dz = (dH[:, t] + (back if carry else 0)) * {"h": 1 - states[t + 1] ** 2, "none": 1, "z": 1 - pre[t] ** 2}[dtanh]
        dW += X[:, t].T @ dz
        h_used = states[t if dU_with == "h_prev" else t + 1]
        dU += dz.T @ h_used if dU_transposed else h_used.T @ dz
        db += dz.sum(axis=0)
        back = dz @ U.T
    return dW, dU, db, back, dz


def _tape_gradients(X, h0, W, U, b, dH) -> tuple[np.ndarray, ...]:
    """dW, dU, db, dh0 by `tf.GradientTape`, in float64, of ``L = sum(H * dH)``, whose dL/dh_t is dH[:, t]."""
    import tensorflow as tf

    variables = [tf.Variable(v, dtype=tf.float64) for v in (W, U, b, h0)]
    Wv, Uv, bv, h = variables
    with tf.GradientTape() as tape:
        loss = tf.constant(0.0, tf.float64)
        for t in range(X.shape[1]):
            h = tf.tanh(X[:, t] @ Wv + h @ Uv + bv)
            loss += tf.reduce_sum(h * dH[:, t])
    return tuple(g.numpy() for g in tape.gradient(loss, variables))


def _loss(X, dH, W, U, b, h0) -> float:
    """The same loss in NumPy: ``sum over t of sum(h_t * dH[:, t])``."""
    h, loss = h0, 0.0
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ W + h @ U + b)
        loss += float(np.sum(h * dH[:, t]))
    return loss


def _relative_error(a, b) -> float:
    """CS231n's relative error, max |a - b| / max(|a| + |b|, 1e-8): about 1e-7 or less for a right gradient."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)))


def _centred_differences(X, dH, params: list[np.ndarray], picks: list[list[tuple]], eps: float = 1e-4) -> list:
    """(L(p + eps) - L(p - eps)) / 2 eps at the `picks` entries of each of `params` (W, U, b, h0).

    eps = 1e-4 in float64: the truncation error (about eps**2) then outweighs the rounding error (about
    1e-16 / eps), so the relative error printed is set by the maths, not by this CPU's last bits.
    """
    found = []
    for k, entries in enumerate(picks):
        values = []
        for index in entries:
            moved = []
            for step in (eps, -eps):
                p = [q.copy() for q in params]
                p[k][index] += step
                moved.append(_loss(X, dH, *p))
            values.append((moved[0] - moved[1]) / (2 * eps))
        found.append(np.array(values))
    return found


# the usual slips of exercise 4: what the verdict says -> how `_rnn_backward_reference` makes it
_BPTT_SLIPS = {
    "the gradient is not carried back through time (each step has only its own dH[:, t]: add dz_{t+1} U^T)": {
        "carry": False
    },
    "the tanh's derivative is missing (multiply by 1 - h_t**2)": {"dtanh": "none"},
    "the tanh's derivative is taken at the pre-activation z_t: it is 1 - tanh(z_t)**2 = 1 - h_t**2": {"dtanh": "z"},
    "dU is built with h_t: step t multiplies h_{t-1} by U, so dU gathers h_{t-1}.T @ dz_t": {"dU_with": "h_t"},
    "dU is transposed (h_{t-1}.T @ dz_t, not dz_t.T @ h_{t-1})": {"dU_transposed": True},
}


def _bptt_slips(args, got: dict, close) -> list[str]:
    """The slips (one, or two at once) that give what the learner's function gave for dW, dU and db; else dh0's."""
    for size in (1, 2):
        for combo in itertools.combinations(_BPTT_SLIPS, size):
            slip = [_BPTT_SLIPS[hint] for hint in combo]
            if size == 2 and set(slip[0]) & set(slip[1]):
                continue  # two ways of writing the same term
            wrong = _rnn_backward_reference(*args, **{k: v for s in slip for k, v in s.items()})
            if all(close(got[n], w) for n, w in zip(("dW", "dU", "db"), wrong)):
                return list(combo)
    right = _rnn_backward_reference(*args)
    if all(close(got[n], w) for n, w in zip(("dW", "dU", "db"), right)):  # then only dh0 is off
        if np.allclose(got["dh0"], 0):
            return ["dh0 is zero: what comes back from step 1, dz_1 U^T, is the gradient on h0"]
        if close(got["dh0"], right[4]):
            return ["dh0 is dz_1, the gradient before step 1's U: take it through U too (dz_1 U^T)"]
    return []


@exercise("Exercise 4 (rnn_backward)")
def check_rnn_backward(name: str, rnn_backward: Callable) -> None:
    """Exercise 4 of 01_rnn_basics: ``rnn_backward(X, h0, W, U, b, dH)``, backpropagation through time by hand.

    The loop of section 1 from ``h0``: ``h_t = tanh(x_t W + h_{t-1} U + b)``, X batch-major (batch, time,
    features); ``dH[:, t]`` is dL/dh_t through step t's own output, shape (batch, time, units). Returns
    ``dW, dU, db, dh0``, each of the shape of W, U, b, h0. Compared with `tf.GradientTape` on the same
    forward pass in float64, and with centred differences on 3 random entries of each (CS231n's relative
    error, printed in the verdict); a wrong answer is matched against the usual slips.
    """
    rng = np.random.default_rng(4)
    batch, time, features, units = 4, 6, 3, 5
    X, h0 = rng.normal(size=(batch, time, features)), rng.normal(size=(batch, units)) / 2
    W, U, b = rng.normal(size=(features, units)) / 2, rng.normal(size=(units, units)) / 2, rng.normal(size=units) / 2
    dH = rng.normal(size=(batch, time, units))
    args, names, of = (X, h0, W, U, b, dH), ("dW", "dU", "db", "dh0"), ("W", "U", "b", "h0")
    expected = dict(zip(names, _tape_gradients(*args)))
    returns = items(
        "a tuple (dW, dU, db, dh0) of NumPy arrays shaped as W, U, b and h0",
        *(array(e.shape, check_shape=False) for e in expected.values()),
        names=names,
    )
    answer = attempt(name, rnn_backward, *(a.copy() for a in args), returns=returns)
    got = dict(zip(names, (np.asarray(g, dtype=np.float64) for g in answer)))
    for n, what in zip(names, of):
        shape, given = expected[n].shape, got[n].shape
        if given != shape:
            hint = {
                ("dW", shape[::-1]): " (transposed: X[:, t].T @ dz_t, not dz_t.T @ X[:, t])",
                ("db", (batch, units)): " (sum over the batch's rows as well as over time)",
                ("dh0", (units,)): " (one row per sequence, as h0: no sum over the batch)",
            }.get((n, given), "")
            return verdict(name, False, f"{n} should have the shape of {what}, {shape}, got {given}{hint}.")

    def close(a, b):
        return np.allclose(a, b, rtol=1e-7, atol=1e-9)

    picks = [[tuple(int(rng.integers(k)) for k in expected[n].shape) for _ in range(3)] for n in names]
    numerical = dict(zip(names, _centred_differences(X, dH, [W, U, b, h0], picks)))
    error = {n: _relative_error([got[n][i] for i in p], numerical[n]) for n, p in zip(names, picks)}
    wrong = [n for n in names if not close(got[n], expected[n])]
    if not wrong:
        return verdict(
            name,
            True,
            f"dW, dU, db and dh0 equal tf.GradientTape's (float64); centred differences on 3 random entries of "
            f"each: largest relative error {max(error.values()):.0e}.",
        )
    evidence = "Relative error against centred differences: " + ", ".join(f"{n} {error[n]:.1g}" for n in wrong) + "."
    if found := _bptt_slips(args, got, close):
        return verdict(name, False, f"It looks like {' and '.join(found)}. {evidence}")
    n = wrong[0]
    i = np.unravel_index(np.argmax(np.abs(got[n] - expected[n])), expected[n].shape)
    return verdict(
        name,
        False,
        f"{', '.join(wrong)} differ from tf.GradientTape's: {n}{list(map(int, i))} should be "
        f"{expected[n][i]:.4f}, got {got[n][i]:.4f}. {evidence}",
    )
