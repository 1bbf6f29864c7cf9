"""Checking work: `compare` (is ours equal to the library's?) and the exercises' checks.

`compare` is the "build it, then prove it equals the real one" step of every
notebook that builds something by hand (``01_rnn_basics`` onwards). Each
``check_*`` function takes a learner's answer to one exercise, prints one
line that says whether it is right and, when it is not, what was expected
and what was given. It returns nothing (so a check cell shows only that
line) and never raises, so a wrong answer does not stop the rest of the
notebook. Each verdict is also kept in `results`, by exercise, for grading.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np

OK, WRONG, TODO = "✓", "✗", "…"

results: dict[str, bool] = {}  # exercise name -> passed, as last checked


def compare(name: str, ours, theirs, atol: float = 1e-6) -> bool:
    """Print whether `ours` equals `theirs` exactly, approximately (within `atol`), and the max difference.

    Returns whether they are approximately equal, so a notebook can
    ``assert compare(...)``. Shapes must match; a mismatch is reported as such.
    """
    a, b = np.asarray(ours), np.asarray(theirs)
    if a.shape != b.shape:
        print(f"{name:<28} shapes differ: {a.shape} vs {b.shape}")
        return False
    exact = bool(np.array_equal(a, b))
    diff = float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)))) if a.size else 0.0
    approx = diff <= atol
    print(f"{name:<28} exact: {exact!s:<5} | approximate: {approx!s:<5} | max diff: {diff:.1e}")
    return approx


def _report(exercise: str, ok: bool, message: str = "") -> None:
    results[exercise] = ok
    print(f"{OK if ok else WRONG} {exercise}: {'correct' if ok else 'not yet right'}." + (f" {message}" if message else ""))


def _not_done(exercise: str) -> None:
    results[exercise] = False
    print(f"{TODO} {exercise}: not done yet (the solution cell still raises NotImplementedError).")


class _Verdict(Exception):
    """Raised once a check has printed its verdict, to leave it early."""


def _exercise(name: str):
    """Make ``check(name, answer, ...)`` a check: ``None`` is "not done", it returns nothing and never raises."""

    def wrap(check):
        @functools.wraps(check)
        def run(answer, *args, **kwargs) -> None:
            if answer is None:
                return _not_done(name)
            try:
                check(name, answer, *args, **kwargs)
            except _Verdict:
                pass

        return run

    return wrap


def _call(name: str, function: Callable, *args):
    """The learner's function applied to `args`; NotImplementedError means not done, any other error is reported."""
    try:
        return function(*args)
    except NotImplementedError:
        _not_done(name)
    except Exception as e:  # a learner's bug: say what it was
        _report(name, False, f"Calling {getattr(function, '__name__', 'it')} raised {type(e).__name__}: {e}")
    raise _Verdict


# -- 01_rnn_basics ------------------------------------------------------------------------

def _many_to_many_reference(X, W_xh, W_hh, b, W_hy, b_y, recurrent=True, activation=np.tanh):
    h = np.zeros((X.shape[0], W_hh.shape[0]))
    ys = []
    for t in range(X.shape[1]):
        h = activation(X[:, t] @ W_xh + (h @ W_hh if recurrent else 0) + b)
        ys.append(h @ W_hy + b_y)
    return np.stack(ys, axis=1)


@_exercise("Exercise 1 (many_to_many)")
def check_many_to_many(name: str, many_to_many: Callable) -> None:
    """Exercise 1 of 01_rnn_basics: ``many_to_many(X, W_xh, W_hh, b, W_hy, b_y)`` in NumPy.

    From ``h_0 = 0``: ``h_t = tanh(x_t W_xh + h_{t-1} W_hh + b)`` and
    ``y_t = h_t W_hy + b_y`` at every step; the answer is all the ``y_t``,
    batch-major. Tried on a batch of 4, 6 steps, 3 features, 5 units and 2
    outputs, so it must return shape ``(4, 6, 2)``.
    """
    rng = np.random.default_rng(0)
    args = (rng.normal(size=(4, 6, 3)), rng.normal(size=(3, 5)) / 2, rng.normal(size=(5, 5)) / 2,
            rng.normal(size=5), rng.normal(size=(5, 2)), rng.normal(size=2))
    expected = _many_to_many_reference(*args)
    got = np.asarray(_call(name, many_to_many, *args), dtype=np.float64)
    if got.shape != expected.shape:
        hints = {(4, 2): "only the last output (that is many-to-one)", (6, 4, 2): "time-major outputs",
                 (4, 6, 5): "the states h_t rather than the outputs y_t"}
        hint = f" That looks like {hints[got.shape]}." if got.shape in hints else ""
        return _report(name, False, f"Expected shape (batch, time, outputs) = {expected.shape}, "
                       f"got {got.shape}.{hint}")
    if np.allclose(got, expected, atol=1e-6):
        return _report(name, True)
    X, W_xh, W_hh, b, W_hy, b_y = args
    hints = {
        "the state is not carried from one step to the next (h_{t-1} W_hh is missing)":
            _many_to_many_reference(*args, recurrent=False),
        "the tanh is missing": _many_to_many_reference(*args, activation=lambda z: z),
        "the read-out bias b_y is missing": expected - b_y,
        "the state's bias b is missing": _many_to_many_reference(X, W_xh, W_hh, 0 * b, W_hy, b_y),
    }
    for hint, value in hints.items():
        if np.allclose(got, value, atol=1e-6):
            return _report(name, False, f"It looks like {hint}.")
    i = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
    return _report(name, False, f"At index {tuple(map(int, i))} expected {expected[i]:.4f}, got {got[i]:.4f}.")


@_exercise("Exercise 2 (clip_by_global_norm)")
def check_clip_by_global_norm(name: str, clip: Callable) -> None:
    """Exercise 2 of 01_rnn_basics: ``clip(grads, max_norm)`` returns the clipped list and the global norm.

    Must agree with ``tf.clip_by_global_norm``: every gradient scaled by
    ``max_norm / max(global_norm, max_norm)``, the direction unchanged.
    """
    rng = np.random.default_rng(1)
    grads = [rng.normal(size=(3, 4)) * 10, rng.normal(size=4) * 10]
    norm = math.sqrt(sum(float(np.sum(g**2)) for g in grads))
    for max_norm in (1.0, 2 * norm):  # one case that clips, one that must leave the gradients alone
        scale = max_norm / max(norm, max_norm)
        got, got_norm = _call(name, clip, [g.copy() for g in grads], max_norm)
        if not math.isclose(float(got_norm), norm, rel_tol=1e-6):
            return _report(name, False, f"The global norm should be {norm:.4f} (the norm of all gradients "
                           f"as one vector), got {float(got_norm):.4f}.")
        if len(got) != len(grads):
            return _report(name, False, f"Expected {len(grads)} clipped gradients, got {len(got)}.")
        for k, (g, c) in enumerate(zip(grads, got)):
            c = np.asarray(c)
            if c.shape != g.shape:
                return _report(name, False, f"Gradient {k} should keep its shape {g.shape}, got {c.shape}.")
            if not np.allclose(c, g * scale, rtol=1e-6):
                what = "be left unchanged" if scale == 1 else f"be scaled by max_norm / global_norm = {scale:.4f}"
                return _report(name, False, f"With max_norm={max_norm:.4g}, gradient {k} should {what}.")
    return _report(name, True)


@_exercise("Exercise 3 (steps_to_vanish)")
def check_steps_to_vanish(name: str, steps_to_vanish: Callable) -> None:
    """Exercise 3 of 01_rnn_basics: ``steps_to_vanish(rho, threshold)``, the fewest k with ``rho**k < threshold``.

    Tried on (0.9, 1e-3), which the notebook's plot shows, and three more cases.
    """
    for rho, threshold in ((0.9, 1e-3), (0.5, 1e-6), (0.99, 0.01), (0.25, 0.3)):
        expected = math.floor(math.log(threshold) / math.log(rho)) + 1
        got = _call(name, steps_to_vanish, rho, threshold)
        if got != expected:
            hint = " (off by one: the power must be *below* the threshold)" if got in (expected - 1, expected + 1) else ""
            return _report(name, False, f"For rho={rho}, threshold={threshold:g}: expected k = {expected} "
                           f"({rho}**{expected} = {rho**expected:.2e}), got {got}{hint}.")
    return _report(name, True, f"0.9**66 = {0.9**66:.2e} < 0.001.")


# -- 02_lstm_from_scratch -----------------------------------------------------------------

def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _gru_reference(x, h, kernel, recurrent_kernel, bias, reset_after=True, swap_z=False, recurrent_bias=True):
    u = h.shape[-1]
    x_z, x_r, x_h = np.split(x @ kernel + bias[0], 3, axis=-1)
    inner = h @ recurrent_kernel + (bias[1] if recurrent_bias else 0)
    u_z, u_r, u_h = np.split(inner, 3, axis=-1)
    z, r = _sigmoid(x_z + u_z), _sigmoid(x_r + u_r)
    if reset_after:
        candidate = np.tanh(x_h + r * u_h)
    else:
        candidate = np.tanh(x_h + (r * h) @ recurrent_kernel[:, 2 * u:] + (bias[1][2 * u:] if recurrent_bias else 0))
    return (1 - z) * h + z * candidate if swap_z else z * h + (1 - z) * candidate


@_exercise("Exercise 1 (gru_step)")
def check_gru_step(name: str, gru_step: Callable) -> None:
    """Exercise 1 of 02_lstm_from_scratch: one GRU step, ``gru_step(x_t, h_prev, kernel, recurrent_kernel, bias)``.

    Weights in Keras' layout (gate order z, r, h; ``bias`` of shape (2, 3
    units): input bias, recurrent bias). Checked against
    ``keras.layers.GRUCell`` itself on a batch of 4, 3 features, 5 units.
    """
    import keras

    rng = np.random.default_rng(2)
    x, h = rng.normal(size=(4, 3)).astype("float32"), rng.normal(size=(4, 5)).astype("float32")
    cell = keras.layers.GRUCell(5)
    cell.build((None, 3))
    kernel, recurrent_kernel, _ = cell.get_weights()
    bias = rng.normal(size=(2, 15)).astype("float32")
    cell.set_weights([kernel, recurrent_kernel, bias])
    expected = np.asarray(cell(x, [h])[0], dtype=np.float64)
    got = np.asarray(_call(name, gru_step, x, h, kernel, recurrent_kernel, bias), dtype=np.float64)
    if got.shape != expected.shape:
        return _report(name, False, f"Expected h_t of shape (batch, units) = {expected.shape}, got {got.shape}.")
    if np.allclose(got, expected, atol=1e-5):
        return _report(name, True, "It equals keras.layers.GRUCell.")
    args = (x, h, kernel, recurrent_kernel, bias)
    hints = {
        "z and 1 - z are swapped: Keras keeps h_{t-1} with weight z, the candidate with 1 - z":
            _gru_reference(*args, swap_z=True),
        "the reset gate is applied before the recurrent matmul (reset_after=False); "
        "Keras multiplies r with (h_{t-1} U_h + b_rec_h), after it": _gru_reference(*args, reset_after=False),
        "the recurrent bias bias[1] is missing": _gru_reference(*args, recurrent_bias=False),
    }
    for hint, value in hints.items():
        if np.allclose(got, value, atol=1e-5):
            return _report(name, False, f"It looks like {hint}.")
    i = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
    return _report(name, False, f"At index {tuple(map(int, i))} expected {expected[i]:.4f}, got {got[i]:.4f}.")


def _peephole_reference(x, h, c, kernel, recurrent_kernel, bias, p_i, p_f, p_o, output_peeks_at_old=False):
    z_i, z_f, z_c, z_o = np.split(x @ kernel + h @ recurrent_kernel + bias, 4, axis=-1)
    i = _sigmoid(z_i + p_i * c)
    f = _sigmoid(z_f + p_f * c)
    c_new = f * c + i * np.tanh(z_c)
    o = _sigmoid(z_o + p_o * (c if output_peeks_at_old else c_new))
    return o * np.tanh(c_new), c_new


@_exercise("Exercise 2 (peephole_step)")
def check_peephole_step(name: str, peephole_step: Callable) -> None:
    """Exercise 2 of 02_lstm_from_scratch: an LSTM step with peephole connections (Gers & Schmidhuber 2000).

    ``peephole_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, p_i, p_f, p_o)``
    returns ``(h_t, c_t)``. The input and forget gates also see ``c_{t-1}``,
    the output gate sees the new ``c_t``, each through a vector of weights
    (one per unit): ``i = sigmoid(z_i + p_i * c_{t-1})``, ``f = sigmoid(z_f +
    p_f * c_{t-1})``, ``o = sigmoid(z_o + p_o * c_t)``.
    """
    rng = np.random.default_rng(3)
    u = 5
    x, h, c = rng.normal(size=(4, 3)), rng.normal(size=(4, u)), rng.normal(size=(4, u))
    weights = (rng.normal(size=(3, 4 * u)) / 2, rng.normal(size=(u, 4 * u)) / 2, rng.normal(size=4 * u))
    peepholes = tuple(rng.normal(size=u) for _ in range(3))
    zero = tuple(np.zeros(u) for _ in range(3))
    for p, what in ((zero, "with zero peephole weights (a plain LSTM)"), (peepholes, "")):
        expected = _peephole_reference(x, h, c, *weights, *p)
        got = tuple(np.asarray(a, dtype=np.float64) for a in _call(name, peephole_step, x, h, c, *weights, *p))
        if len(got) != 2 or got[0].shape != expected[0].shape or got[1].shape != expected[1].shape:
            return _report(name, False, f"Expected (h_t, c_t), each of shape {expected[0].shape}; "
                           f"got {[a.shape for a in got]}.")
        if np.allclose(got[0], expected[0], atol=1e-6) and np.allclose(got[1], expected[1], atol=1e-6):
            continue
        if np.allclose(got[0], expected[1], atol=1e-6):
            return _report(name, False, "h_t and c_t come back in the wrong order: return (h_t, c_t).")
        old = _peephole_reference(x, h, c, *weights, *p, output_peeks_at_old=True)
        if np.allclose(got[0], old[0], atol=1e-6):
            return _report(name, False, "The output gate should look at the new cell state c_t, not c_{t-1}.")
        part = "c_t" if not np.allclose(got[1], expected[1], atol=1e-6) else "h_t"
        return _report(name, False, f"{part} is off {what}".rstrip() + ".")
    return _report(name, True)


@_exercise("Exercise 3 (parameter_counts)")
def check_parameter_counts(name: str, parameter_counts: Callable) -> None:
    """Exercise 3 of 02_lstm_from_scratch: ``parameter_counts(features, units)`` -> ``(lstm, gru)``.

    The trainable parameters of ``keras.layers.LSTM(units)`` and
    ``keras.layers.GRU(units)`` (``reset_after=True``, so two bias vectors)
    reading `features` inputs, checked against Keras' own ``count_params``
    for 24 units on 3 features and two more sizes.
    """
    import keras

    for features, units in ((3, 24), (65, 128), (1, 1)):
        counts = {}
        for layer in (keras.layers.LSTM(units), keras.layers.GRU(units)):
            layer.build((None, None, features))
            counts[type(layer).__name__] = layer.count_params()
        lstm_params, gru_params = _call(name, parameter_counts, features, units)
        problems = []
        if lstm_params != counts["LSTM"]:
            problems.append(f"LSTM: expected {counts['LSTM']}, got {lstm_params} "
                            "(one W, one U and one b for each of the 4 gates)")
        if gru_params != counts["GRU"]:
            hint = (" (Keras' GRU has two biases per gate: reset_after=True)"
                    if gru_params == 3 * (features * units + units * units + units) else "")
            problems.append(f"GRU: expected {counts['GRU']}, got {gru_params}{hint}")
        if problems:
            return _report(name, False, f"For {units} units on {features} features: " + "; ".join(problems) + ".")
    return _report(name, True, "24 units on 3 features: LSTM 2688, GRU 2088.")


# -- 03_sign_sum --------------------------------------------------------------------------

@_exercise("Exercise 1 (running_sum)")
def check_running_sum(name: str, running_sum: Callable) -> None:
    """Exercise 1 of 03_sign_sum: ``running_sum(sequence)``, the sum after each character, by hand.

    Compared with `helpers.signsum.running_sum` on the task's examples and on
    200 random sequences of lengths 1 to 12.
    """
    from helpers import signsum

    cases = ["+++", "-I--", "II+", "I", "0+I000", "I++000", "+I+I+I"] + [
        s for n in range(1, 13) for s in signsum.random_sequences(17, n, seed=n)]
    for sequence in cases:
        expected = signsum.running_sum(sequence).tolist()
        got = [int(v) for v in _call(name, running_sum, sequence)]
        if got != expected:
            hint = ""
            if len(got) != len(expected):
                hint = f" Expected one sum per character ({len(expected)}), got {len(got)}."
            elif got[-1] == sum({"+": 1, "-": -1}.get(ch, 0) for ch in sequence):
                hint = " It looks like I is ignored: it should invert every character after it."
            return _report(name, False, f"running_sum({sequence!r}): expected {expected}, got {got}.{hint}")
    return _report(name, True, f"It agrees with helpers.signsum on {len(cases)} sequences.")


@_exercise("Exercise 2 (readout_bound)")
def check_readout_bound(name: str, readout_bound: Callable) -> None:
    """Exercise 2 of 03_sign_sum: the largest output of ``Dense(1)`` on inputs in ``(-1, 1)``.

    ``readout_bound(kernel, bias)`` with ``kernel`` (units, 1) and ``bias``
    (1,) must return ``sum(|kernel|) + bias`` (the supremum, reached as every
    input goes to the sign of its weight).
    """
    rng = np.random.default_rng(4)
    for _ in range(5):
        kernel, bias = rng.normal(size=(24, 1)), rng.normal(size=1)
        expected = float(np.abs(kernel).sum() + bias[0])
        got = float(np.asarray(_call(name, readout_bound, kernel, bias)).squeeze())
        if not math.isclose(got, expected, rel_tol=1e-6):
            if math.isclose(got, float(np.abs(kernel).sum() + abs(bias[0])), rel_tol=1e-6):
                hint = " The bias is added as it is, with its sign, not as |b|."
            elif math.isclose(got, float(kernel.sum() + bias[0]), rel_tol=1e-6):
                hint = " Each input can take the sign of its weight, so every weight counts as |w|."
            else:
                hint = ""
            return _report(name, False, f"Expected {expected:.4f}, got {got:.4f}.{hint}")
    return _report(name, True)


@_exercise("Exercise 3 (zero_sum_count)")
def check_zero_sum_count(name: str, zero_sum_count: Callable) -> None:
    """Exercise 3 of 03_sign_sum: ``zero_sum_count(length)``, how many sequences of `length` sum to 0.

    Checked for lengths 1 to 6 against a count over `helpers.signsum.all_sequences`.
    """
    from helpers import signsum

    for length in range(1, 7):
        every = signsum.all_sequences(length)
        expected = sum(signsum.final_sum(s) == 0 for s in every)
        got = _call(name, zero_sum_count, length)
        if isinstance(got, float) and 0 < got < 1:
            return _report(name, False, f"Give the number of sequences, not the fraction ({got:.4f}).")
        if got != expected:
            return _report(name, False, f"For length {length}: expected {expected} of {len(every)}, got {got}.")
    return _report(name, True, f"Length 6: {expected} of 4096, so a model that always answers 0 "
                   f"would be right {expected / 4096:.1%} of the time.")


# -- 04_char_shakespeare -------------------------------------------------------------------

@_exercise("Exercise 1 (top_k_pick)")
def check_top_k_pick(name: str, top_k_pick: Callable) -> None:
    """Exercise 1 of 04_char_shakespeare: ``top_k_pick(logits, k, temperature, rng)``.

    Keep the `k` largest logits, divide by `temperature`, softmax, draw one
    index with ``rng``. Checked over many draws: only the top k ever come
    out, k=1 is the argmax, and with k = all the frequencies follow
    ``softmax(logits / temperature)``.
    """
    logits = np.array([2.0, -1.0, 0.5, 3.0, 1.0, -2.0, 2.5, 0.0])
    order = np.argsort(-logits)
    for k in (1, 3):
        rng = np.random.default_rng(0)
        got = {int(_call(name, top_k_pick, logits, k, 1.0, rng)) for _ in range(300)}
        allowed = set(order[:k].tolist())
        if not got <= allowed:
            extra = sorted(got - allowed)
            return _report(name, False, f"With k={k} only indices {sorted(allowed)} (the {k} largest logits) may "
                           f"come out; got also {extra}. Mask the others to -inf before the softmax.")
        if k == 3 and got != allowed:
            return _report(name, False, f"With k=3 each of {sorted(allowed)} should come out in 300 draws; "
                           f"only {sorted(got)} did. Is it sampling, or always taking the argmax?")
    rng = np.random.default_rng(1)
    n, t = 4000, 0.7
    draws = np.array([int(_call(name, top_k_pick, logits, len(logits), t, rng)) for _ in range(n)])
    freq = np.bincount(draws, minlength=len(logits)) / n
    p = np.exp(logits / t - (logits / t).max())
    p /= p.sum()
    p1 = np.exp(logits - logits.max())
    p1 /= p1.sum()
    if np.abs(freq - p).max() > 0.03:
        if np.abs(freq - p1).max() <= 0.03:
            return _report(name, False, "The draws follow softmax(logits), not softmax(logits / temperature).")
        return _report(name, False, f"With k = all 8 and temperature {t}, index {int(order[0])} should come out "
                       f"{p[order[0]]:.0%} of the time; it came out {freq[order[0]]:.0%}.")
    return _report(name, True)


@_exercise("Exercise 2 (gru_language_model)")
def check_gru_language_model(name: str, gru_language_model: Callable) -> None:
    """Exercise 2 of 04_char_shakespeare: ``gru_language_model(vocab_size, units, batch_size, steps)``.

    A stateful Keras model with GRU layers in place of the LSTMs: ids
    ``(batch_size, steps)`` in, logits ``(batch_size, steps, vocab_size)``
    out, the state carried from one call to the next until reset.
    """
    import keras

    from .models import reset_states, stateful_layers

    model = _call(name, gru_language_model, 30, 16, 3, 7)
    if not isinstance(model, keras.Model):
        return _report(name, False, f"Expected a keras.Model, got {type(model).__name__}.")
    grus = [layer for layer in model.layers if isinstance(layer, keras.layers.GRU)]
    if not grus:
        return _report(name, False, "The model has no keras.layers.GRU layer.")
    x = np.random.default_rng(0).integers(0, 30, (3, 7)).astype("int32")
    try:
        first = keras.ops.convert_to_numpy(model(x))
        second = keras.ops.convert_to_numpy(model(x))
        reset_states(model)
        again = keras.ops.convert_to_numpy(model(x))
    except Exception as e:
        return _report(name, False, f"Calling the model on ids of shape (3, 7) raised {type(e).__name__}: {e}")
    if first.shape != (3, 7, 30):
        return _report(name, False, f"Expected logits of shape (batch, steps, vocab) = (3, 7, 30), got {first.shape}.")
    if not all(layer in stateful_layers(model) for layer in grus):
        return _report(name, False, "The GRU layers must be stateful (stateful=True, with keras.Input(batch_shape=...)).")
    if np.allclose(first, second):
        return _report(name, False, "A second call on the same ids gave the same logits: the state is not carried over.")
    if not np.allclose(first, again, atol=1e-5):
        return _report(name, False, "After reset_states the model should give the first call's logits again.")
    return _report(name, True)


@_exercise("Exercise 3 (windows)")
def check_windows(name: str, windows: Callable) -> None:
    """Exercise 3 of 04_char_shakespeare: ``windows(ids, length)``, the classic recipe's pairs.

    Must agree with `helpers.training.windows`: ``(x, y)`` of shape
    ``(n, length)``, ``n = (len(ids) - 1) // length``, non-overlapping,
    ``y`` shifted one position ahead of ``x``.
    """
    from .training import windows as reference

    for n_ids, length in ((103, 10), (100, 10), (26, 25)):
        ids = np.arange(n_ids)
        expected = reference(ids, length)
        got = _call(name, windows, ids, length)
        try:
            x, y = (np.asarray(a) for a in got)
        except (TypeError, ValueError):
            return _report(name, False, f"Expected a pair (x, y); got {type(got).__name__}.")
        if x.shape != expected[0].shape or y.shape != expected[1].shape:
            hint = (" The last window needs one more id for its target: n = (len(ids) - 1) // length."
                    if x.shape[0] == n_ids // length != expected[0].shape[0] else "")
            return _report(name, False, f"For {n_ids} ids and length {length} expected x and y of shape "
                           f"{expected[0].shape}; got {x.shape} and {y.shape}.{hint}")
        if not np.array_equal(x, expected[0]):
            return _report(name, False, f"x[1] should be ids {expected[0][1].tolist()}; got {x[1].tolist()}.")
        if not np.array_equal(y, expected[1]):
            return _report(name, False, f"y should be x shifted one position ahead: y[0] = "
                           f"{expected[1][0].tolist()}; got {y[0].tolist()}.")
    return _report(name, True)


# -- 05_word_aesop -------------------------------------------------------------------------

@_exercise("Exercise 1 (ceiling)")
def check_ceiling(name: str, my_ceiling: Callable) -> None:
    """Exercise 1 of 05_word_aesop: ``my_ceiling(tokens, n_input)`` -> ``(best, total)``.

    Checked against `helpers.nextword.ceiling` on the fable for n_input 1-5
    and on a small made-up text.
    """
    from .data import read_words
    from .nextword import ceiling

    cases = [("a b a c a b a b".split(), 1), ("a b a c a b a b".split(), 2)]
    cases += [(read_words("aesop", eos=None), n) for n in range(1, 6)]
    for tokens, n in cases:
        expected = ceiling(tokens, n)
        got = _call(name, my_ceiling, tokens, n)
        try:
            got = tuple(int(v) for v in got)
        except (TypeError, ValueError):
            return _report(name, False, f"Expected a pair (best, total) of integers; got {got!r}.")
        where = "the fable" if len(tokens) > 20 else repr(" ".join(tokens))
        if got != expected:
            hint = ""
            if got[1] != expected[1]:
                hint = f" There are len(tokens) - n_input = {expected[1]} windows."
            elif got[0] == len({tuple(tokens[i:i + n]) for i in range(len(tokens) - n)}):
                hint = " That is the number of distinct contexts; count the occurrences of each one's commonest next word."
            return _report(name, False, f"For {where} with n_input = {n} expected {expected}, got {got}.{hint}")
    return _report(name, True)


@_exercise("Exercise 2 (top_words)")
def check_top_words(name: str, top_words: Callable) -> None:
    """Exercise 2 of 05_word_aesop: ``top_words(model, vocab, prompt, k)`` -> ``[(word, probability), ...]``.

    Tried on a small untrained model (fixed seed) for two prompts: the words
    and the softmax probabilities must match, most likely first.
    """
    import keras

    from .data import read_words
    from .nextword import next_word_model
    from .vocab import Vocabulary

    vocab = Vocabulary.from_tokens(read_words("aesop", eos=None))
    keras.utils.set_random_seed(7)
    model = next_word_model(len(vocab), 3, units=8, embedding=4)
    for prompt, k in (("the cat .", 3), ("up and said", 5)):
        logits = keras.ops.convert_to_numpy(model(vocab.encode(prompt.split())[None]))[0].astype(np.float64)
        p = np.exp(logits - logits.max())
        p /= p.sum()
        order = np.argsort(-p)[:k]
        expected = [(vocab.id_to_symbol[i], float(p[i])) for i in order]
        got = _call(name, top_words, model, vocab, prompt, k)
        try:
            got = [(str(w), float(q)) for w, q in got]
        except (TypeError, ValueError):
            return _report(name, False, f"Expected a list of (word, probability) pairs; got {got!r}.")
        if len(got) != k:
            return _report(name, False, f"Asked for k={k} words after {prompt!r}; got {len(got)}.")
        if [w for w, _ in got] != [w for w, _ in expected]:
            if sorted(w for w, _ in got) == sorted(w for w, _ in expected):
                return _report(name, False, "The right words in the wrong order: most likely first.")
            return _report(name, False, f"After {prompt!r} the top {k} words are {[w for w, _ in expected]}; "
                           f"got {[w for w, _ in got]}.")
        if not np.allclose([q for _, q in got], [q for _, q in expected], atol=1e-4):
            raw = [float(logits[i]) for i in order]
            hint = (" Those are the logits: apply the softmax." if np.allclose([q for _, q in got], raw, atol=1e-4)
                    else "")
            return _report(name, False, f"After {prompt!r} the probabilities are "
                           f"{[round(q, 4) for _, q in expected]}; got {[round(q, 4) for _, q in got]}.{hint}")
    return _report(name, True)


# -- 06_word_ptb ------------------------------------------------------------------------------

@_exercise("Exercise 1 (perplexity)")
def check_perplexity(name: str, perplexity: Callable) -> None:
    """Exercise 1 of 06_word_ptb: ``perplexity(logits, targets)`` -> exp of the mean cross-entropy per token.

    Tried on random logits (batch, steps, vocab) and targets (batch, steps),
    against a float64 reference; the usual slips get a hint.
    """
    rng = np.random.default_rng(6)
    for shape in ((3, 5, 11), (2, 20, 50)):
        logits = rng.normal(scale=2.0, size=shape).astype(np.float32)
        targets = rng.integers(0, shape[-1], shape[:2])
        z = logits.astype(np.float64)
        log_p = z - z.max(-1, keepdims=True)
        log_p -= np.log(np.exp(log_p).sum(-1, keepdims=True))
        nll = -np.take_along_axis(log_p, targets[..., None], -1)[..., 0]          # (batch, steps), nats
        expected = math.exp(nll.mean())
        got = _call(name, perplexity, logits, targets)
        try:
            got = float(got)
        except (TypeError, ValueError):
            return _report(name, False, f"Expected one number; got {got!r}.")
        if not math.isclose(got, expected, rel_tol=1e-4):
            slips = [(nll.mean(), " That is the mean cross-entropy: the perplexity is its exponential."),
                     (math.exp(nll.sum(1).mean()), " That is exp of the loss summed over the steps (the tutorial's "
                      "loss): divide by the number of steps first, for the mean per word."),
                     (2 ** nll.mean(), " Cross-entropy from a natural log is in nats: take e to it, not 2."),
                     (np.exp(nll).mean(), " That is the mean of the exponentials; take the exponential of the mean.")]
            hint = next((h for value, h in slips if math.isclose(got, value, rel_tol=1e-4)), "")
            return _report(name, False, f"For logits of shape {shape} expected {expected:.4f}, got {got:.4f}.{hint}")
    return _report(name, True)


@_exercise("Exercise 2 (parameter_count)")
def check_parameter_count(name: str, parameter_count: Callable) -> None:
    """Exercise 2 of 06_word_ptb: ``parameter_count(vocab_size, units, layers, tied)`` -> the model's parameters.

    Checked against ``count_params()`` of `helpers.models.language_model`
    (embedding width = units, as in notebook 06) at several sizes, tied and not.
    """
    from .models import language_model

    for vocab_size, units, layers, tied in ((10_000, 200, 2, False), (10_000, 200, 2, True),
                                            (50, 8, 1, False), (50, 8, 3, True)):
        expected = language_model(vocab_size, units=units, layers=layers, embedding=units, batch_size=1,
                                  steps=1, tied=tied).count_params()
        got = _call(name, parameter_count, vocab_size, units, layers, tied)
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
            return _report(name, False, f"For vocab_size={vocab_size}, units={units}, layers={layers}, tied={tied} "
                           f"the model has {expected:,} parameters; got {got!r}.{hint}")
    return _report(name, True)


@_exercise("Exercise 3 (learning_rate)")
def check_learning_rate(name: str, learning_rate: Callable) -> None:
    """Exercise 3 of 06_word_ptb: ``learning_rate(epoch, config)`` -> the tutorial's rate for a 0-based epoch.

    Checked against `helpers.ptb.learning_rate` for every epoch of the three configurations.
    """
    from .ptb import CONFIGS
    from .ptb import learning_rate as reference

    for config_name in ("small", "medium", "large"):
        config = CONFIGS[config_name]
        expected = [reference(config, e) for e in range(config["epochs"])]
        got = [_call(name, learning_rate, e, config) for e in range(config["epochs"])]
        if not np.allclose(np.asarray(got, dtype=float), expected, rtol=1e-9):
            first = next(e for e in range(len(got)) if not math.isclose(float(got[e]), expected[e], rel_tol=1e-9))
            hint = ""
            if np.allclose(got[1:], expected[:-1]) or np.allclose(got[:-1], expected[1:]):
                hint = (f" Off by one epoch: the rate stays {config['learning_rate']} for the first max_epoch = "
                        f"{config['max_epoch']} epochs (0 to {config['max_epoch'] - 1}), then decays each epoch.")
            return _report(name, False, f"{config_name}: at epoch {first} (0-based) expected {expected[first]:.6g}, "
                           f"got {float(got[first]):.6g}.{hint}")
    return _report(name, True)
