"""The checks of notebook 02_lstm_from_scratch's exercises: a GRU step, a peephole LSTM step, parameter counts.

Each ``check_*`` takes the learner's answer, prints one verdict line with a
hint for the usual slips, and (under nbgrader) raises when the answer is not
right: see `helpers.checks` for the harness.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..checks import array, attempt, exercise, items, number, verdict


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
        candidate = np.tanh(x_h + (r * h) @ recurrent_kernel[:, 2 * u :] + (bias[1][2 * u :] if recurrent_bias else 0))
    return (1 - z) * h + z * candidate if swap_z else z * h + (1 - z) * candidate


@exercise("Exercise 1 (gru_step)")
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
    got = np.asarray(
        attempt(name, gru_step, x, h, kernel, recurrent_kernel, bias, returns=array(expected.shape, check_shape=False)),
        dtype=np.float64,
    )
    if got.shape != expected.shape:
        return verdict(name, False, f"Expected h_t of shape (batch, units) = {expected.shape}, got {got.shape}.")
    if np.allclose(got, expected, atol=1e-5):
        return verdict(name, True, "It equals keras.layers.GRUCell.")
    args = (x, h, kernel, recurrent_kernel, bias)
    hints = {
        "z and 1 - z are swapped: Keras keeps h_{t-1} with weight z, the candidate with 1 - z": _gru_reference(
            *args, swap_z=True
        ),
        "the reset gate is applied before the recurrent matmul (reset_after=False); "
        "Keras multiplies r with (h_{t-1} U_h + b_rec_h), after it": _gru_reference(*args, reset_after=False),
        "the recurrent bias bias[1] is missing": _gru_reference(*args, recurrent_bias=False),
    }
    for hint, value in hints.items():
        if np.allclose(got, value, atol=1e-5):
            return verdict(name, False, f"It looks like {hint}.")
    i = np.unravel_index(np.argmax(np.abs(got - expected)), got.shape)
    return verdict(name, False, f"At index {tuple(map(int, i))} expected {expected[i]:.4f}, got {got[i]:.4f}.")


def _peephole_reference(x, h, c, kernel, recurrent_kernel, bias, p_i, p_f, p_o, output_peeks_at_old=False):
    z_i, z_f, z_c, z_o = np.split(x @ kernel + h @ recurrent_kernel + bias, 4, axis=-1)
    i = _sigmoid(z_i + p_i * c)
    f = _sigmoid(z_f + p_f * c)
    c_new = f * c + i * np.tanh(z_c)
    o = _sigmoid(z_o + p_o * (c if output_peeks_at_old else c_new))
    return o * np.tanh(c_new), c_new


@exercise("Exercise 2 (peephole_step)")
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
    returns = items(
        f"a pair (h_t, c_t) of NumPy arrays of shape {(4, u)}",
        *[array((4, u), check_shape=False)] * 2,
        names=("h_t", "c_t"),
    )
    for p, what in ((zero, "with zero peephole weights (a plain LSTM)"), (peepholes, "")):
        expected = _peephole_reference(x, h, c, *weights, *p)
        got = tuple(
            np.asarray(a, dtype=np.float64)
            for a in attempt(name, peephole_step, x, h, c, *weights, *p, returns=returns)
        )
        if len(got) != 2 or got[0].shape != expected[0].shape or got[1].shape != expected[1].shape:
            return verdict(
                name, False, f"Expected (h_t, c_t), each of shape {expected[0].shape}; got {[a.shape for a in got]}."
            )
        if np.allclose(got[0], expected[0], atol=1e-6) and np.allclose(got[1], expected[1], atol=1e-6):
            continue
        if np.allclose(got[0], expected[1], atol=1e-6):
            return verdict(name, False, "h_t and c_t come back in the wrong order: return (h_t, c_t).")
        old = _peephole_reference(x, h, c, *weights, *p, output_peeks_at_old=True)
        if np.allclose(got[0], old[0], atol=1e-6):
            return verdict(name, False, "The output gate should look at the new cell state c_t, not c_{t-1}.")
        part = "c_t" if not np.allclose(got[1], expected[1], atol=1e-6) else "h_t"
        return verdict(name, False, f"{part} is off {what}".rstrip() + ".")
    return verdict(name, True)


@exercise("Exercise 3 (parameter_counts)")
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
        lstm_params, gru_params = attempt(
            name,
            parameter_counts,
            features,
            units,
            returns=items("a pair (lstm, gru) of integers", number(), number(), names=("lstm count", "gru count")),
        )
        problems = []
        if lstm_params != counts["LSTM"]:
            problems.append(
                f"LSTM: expected {counts['LSTM']}, got {lstm_params} (one W, one U and one b for each of the 4 gates)"
            )
        if gru_params != counts["GRU"]:
            hint = (
                " (Keras' GRU has two biases per gate: reset_after=True)"
                if gru_params == 3 * (features * units + units * units + units)
                else ""
            )
            problems.append(f"GRU: expected {counts['GRU']}, got {gru_params}{hint}")
        if problems:
            return verdict(name, False, f"For {units} units on {features} features: " + "; ".join(problems) + ".")
    return verdict(name, True, "24 units on 3 features: LSTM 2688, GRU 2088.")
