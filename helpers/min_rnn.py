"""minGRU and minLSTM: recurrences whose gates read only x_t, run step by step or all steps at once.

Taught in ``08_after_the_lstm`` (parallel recurrences), after the LSTM of ``02``.
Feng et al. 2024, "Were RNNs All We Needed?" (arXiv 2410.01201), take the
GRU and the LSTM and let their gates read only the input ``x_t``, never
``h_{t-1}``. What is left is a linear recurrence, elementwise over units::

    h_t = a_t * h_{t-1} + b_t            a_t, b_t computed from x_t alone: (batch, time, units)

    minGRU  (their Sec. 3)    z = sigmoid(Linear_z(x_t))   h~ = Linear_h(x_t)
                              a_t = 1 - z                  b_t = z * h~
    minLSTM (their Sec. 3)    f = sigmoid(Linear_f(x_t))   i = sigmoid(Linear_i(x_t))   h~ = Linear_h(x_t)
                              a_t = f' = f / (f + i)       b_t = i' * h~,  i' = i / (f + i)

Two steps compose into one step of the same form: first (a1, b1), then
(a2, b2) is ``(a1 * a2, a2 * b1 + b2)``, and this combine is associative,
so the T steps can be combined as a tree in about log2(T) rounds instead of
T (a prefix scan, Blelloch 1990). ``mode`` picks the evaluation order; the
function computed is the same (``tests/test_min_rnn.py`` measures it):

- ``"loop"``: `recurrence_loop`, ``keras.ops.scan``, one step after the other (a ``tf.while_loop``): the reference.
- ``"scan"``: `recurrence_scan`, ``keras.ops.associative_scan`` with the combine above; h_0 is folded
  into the first step (``b_1 <- a_1 h_0 + b_1``).
- ``"log"``: `recurrence_log`, the paper's log-space version (Appendix B of its v2) after Heinsen 2023 (arXiv
  2311.06281): ``log h_t = a*_t + logcumsumexp_{s<=t}(log b_s - a*_s)``, ``a*_t = sum_{s<=t} log a_s``,
  with ``s = 0`` the initial state (``log b_0 = log h_0``, ``a*_0 = 0``). It needs every a_t, b_t and h_0
  positive. Log coefficients come from softplus: ``log z = -softplus(-k)``, ``log(1 - z) = -softplus(k)``
  for ``z = sigmoid(k)``; for minLSTM ``d = softplus(-k_f) - softplus(-k_i)``, ``log f' = -softplus(d)``,
  ``log i' = -softplus(-d)``.

``candidate="g"`` (the default) passes h~ through the paper's ``g(x) = x + 0.5 if x >= 0 else sigmoid(x)``
(Appendix B.3 of v2), so h~ > 0 and log mode can take its log, ``log g(x) = log(x + 0.5)`` or
``-softplus(-x)``. ``candidate="linear"`` is the plain h~ of Section 3 (any sign): loop and scan only.

Measured (``tests/test_min_rnn.py``; float32, CPU, 4 units, weights N(0, 0.7^2), inputs N(0, 1)), max
difference from the loop. Up to T = 16: scan 3e-7 on outputs and 5e-7 on gradients (inputs, h_0, weights),
log 4e-6 and 4e-5. At T = 1000: scan 5e-7 and 3e-6 (float32 loop and scan are equally far, < 1e-5, from a
float64 loop), but log 1.7e-4 on outputs and up to 0.26 on gradients of size 17: ``a*_t`` grows with t
(hundreds here), and ``a*_t + logcumsumexp(...)`` cancels digits. So in float32 on long sequences the
plain scan is the accurate parallel form (its products a_1...a_t may underflow to 0, which is harmless:
nothing divides by them). Only loop and scan accept a negative a_t.
Keras 3.15 note: the TF backend's associative_scan cannot trace an unknown time length (mode "scan" then
raises); give the model a fixed length, or use "loop" or "log".
"""

from __future__ import annotations

import keras
import tensorflow as tf
from keras import ops

from . import PACKAGE
from .cells import check_width

MODES = ("loop", "scan", "log")
CANDIDATES = ("g", "linear")


def g(x):
    """The paper's candidate activation (Appendix B.3 of v2): ``x + 0.5`` for x >= 0, ``sigmoid(x)`` below: > 0."""
    return ops.where(x >= 0, x + 0.5, ops.sigmoid(x))


def log_g(x):
    """``log g(x)``, computed without taking the log of a small number; relu keeps the unused branch finite."""
    return ops.where(x >= 0, ops.log(ops.relu(x) + 0.5), -ops.softplus(-x))


def recurrence_loop(a, b, h0):
    """``h_t = a_t h_{t-1} + b_t``, one step after the other. ``a``, ``b`` (batch, time, units), ``h0`` (batch, units).

    Returns every h_t, (batch, time, units). ``keras.ops.scan`` runs a ``tf.while_loop`` over the time axis.
    """

    def step(h, a_b):
        h = a_b[0] * h + a_b[1]
        return h, h

    _, hs = ops.scan(step, h0, (ops.moveaxis(a, 1, 0), ops.moveaxis(b, 1, 0)))
    return ops.moveaxis(hs, 0, 1)


def combine(earlier, later):
    """Two steps as one: ``h -> a2 (a1 h + b1) + b2`` is ``(a1 a2, a2 b1 + b2)``. Associative, so it can be scanned."""
    (a1, b1), (a2, b2) = earlier, later
    return a1 * a2, a2 * b1 + b2


def recurrence_scan(a, b, h0):
    """The same as `recurrence_loop`, by ``keras.ops.associative_scan`` of `combine` over the time axis.

    The pair at step t after the scan is (a_1 ... a_t, h_t with h_0 = 0); h_0 enters as ``b_1 <- a_1 h_0 + b_1``.
    """
    if a.shape[1] is None:  # Keras 3.15's TF associative_scan cannot trace an unknown length with two arrays
        raise ValueError(
            "mode='scan' needs a time length known when the graph is built: give the model "
            "keras.Input((time, features)), or use mode='loop' or 'log'."
        )
    b = ops.concatenate([a[:, :1] * h0[:, None] + b[:, :1], b[:, 1:]], axis=1)
    _, hs = ops.associative_scan(combine, (a, b), axis=1)
    return tf.ensure_shape(hs, b.shape)  # in a tf.function the scan's tf.cond loses the static shape


def recurrence_log(log_a, log_b, log_h0=None):
    """The same in log space (Heinsen 2023): ``log h_t = a*_t + logcumsumexp(log b - a*)_t``, ``a* = cumsum(log a)``.

    ``log_a``, ``log_b`` (batch, time, units); ``log_h0`` (batch, units), or None for h_0 = 0 (whose log,
    -inf, would make the gradient NaN, so that term is left out). Returns h_t = exp(log h_t), (batch, time, units).
    """
    if log_h0 is not None:  # step 0 is the initial state: a*_0 = 0, log b_0 = log h_0
        log_a = ops.concatenate([ops.zeros_like(log_a[:, :1]), log_a], axis=1)
        log_b = ops.concatenate([log_h0[:, None], log_b], axis=1)
    a_star = ops.cumsum(log_a, axis=1)
    log_h = a_star + tf.math.cumulative_logsumexp(log_b - a_star, axis=1)  # keras.ops has no logcumsumexp
    h = ops.exp(log_h)
    return h if log_h0 is None else h[:, 1:]


class _MinRNN(keras.layers.Layer):
    """What minGRU and minLSTM share: the weights, the three modes, the checks, get_config."""

    blocks: tuple[str, ...] = ()  # the column blocks of `kernel`, in order

    def __init__(
        self,
        units: int,
        mode: str = "scan",
        candidate: str = "g",
        negative_transition: bool = False,
        return_sequences: bool = False,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        name = type(self).__name__
        if int(units) < 1:
            raise ValueError(f"units must be a positive integer; got {units}")
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}; got {mode!r}")
        if candidate not in CANDIDATES:
            raise ValueError(f"candidate must be one of {CANDIDATES}; got {candidate!r}")
        if mode == "log" and negative_transition:
            raise ValueError(
                f"{name}: mode='log' cannot represent a negative a_t (its log is not real); "
                "use mode='scan' or 'loop' with negative_transition=True."
            )
        if mode == "log" and candidate != "g":
            raise ValueError(f"{name}: mode='log' needs b_t > 0, so candidate='g'; got candidate={candidate!r}.")
        self.units = int(units)
        self.mode = mode
        self.candidate = candidate
        self.negative_transition = bool(negative_transition)
        self.return_sequences = return_sequences
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)

    def build(self, input_shape) -> None:
        check_width(input_shape, None, type(self).__name__, rank=3)
        n = len(self.blocks) * self.units
        self.kernel = self.add_weight(shape=(input_shape[-1], n), name="kernel", initializer=self.kernel_initializer)
        self.bias = self.add_weight(shape=(n,), name="bias", initializer=self.bias_initializer)

    def _preactivations(self, inputs):
        """``x_t W + b`` for every step, split into the blocks: each (batch, time, units)."""
        check_width(inputs.shape, self.kernel.shape[0], type(self).__name__, rank=3)
        x = ops.convert_to_tensor(inputs, dtype=self.compute_dtype)
        return ops.split(ops.matmul(x, self.kernel) + self.bias, len(self.blocks), axis=-1)

    def _candidate(self, pre):
        return g(pre) if self.candidate == "g" else pre

    def coefficients(self, inputs):
        """``(a, b)`` of ``h_t = a_t h_{t-1} + b_t`` for input (batch, time, features): each (batch, time, units).

        With ``negative_transition=True``, ``a_t`` is ``2 a_t - 1``, in (-1, 1), and ``b_t`` is unchanged:
        the recipe of Grazzi et al. 2024 ("Unlocking State-Tracking in Linear RNNs Through Negative
        Eigenvalues", arXiv 2411.12537) for Mamba's diagonal transition, A -> 2A - 1, from [0, 1] to [-1, 1].
        Why this one rather than b = (1 - |a|) h~: it is the published recipe, it changes one thing only
        (b_t is the positive mode's), |a_t| < 1 keeps the state bounded (|h_t| <= |h_0| + max|b| / (1 - max|a|)),
        and a_t near -1 flips the state's sign, which parity needs: with a_t > 0 a linear RNN cannot count
        modulo 2 (their result). For minGRU ``a_t = 1 - 2 z``; for minLSTM ``a_t = 2 f' - 1``.
        """
        a, b = self._coefficients(*self._preactivations(inputs))
        return (2 * a - 1 if self.negative_transition else a), b

    def _initial_state(self, initial_state):
        if initial_state is None:
            return None
        shape = tuple(initial_state.shape)
        if len(shape) != 2 or shape[-1] != self.units:
            raise ValueError(
                f"{type(self).__name__} expects initial_state of shape (batch, units={self.units}); got shape {shape}."
            )
        return ops.convert_to_tensor(initial_state, dtype=self.compute_dtype)

    def call(self, inputs, initial_state=None):
        h0 = self._initial_state(initial_state)
        if self.mode == "log":
            log_a, log_b = self._log_coefficients(*self._preactivations(inputs))
            if h0 is not None:  # log h_0 must be real: raises InvalidArgumentError otherwise
                with tf.control_dependencies(
                    [tf.debugging.assert_positive(h0, message="mode='log' needs initial_state > 0")]
                ):
                    h0 = tf.identity(h0)
            hs = recurrence_log(log_a, log_b, None if h0 is None else ops.log(h0))
        else:
            a, b = self.coefficients(inputs)
            h0 = ops.zeros_like(a[:, 0]) if h0 is None else h0
            hs = (recurrence_scan if self.mode == "scan" else recurrence_loop)(a, b, h0)
        return hs if self.return_sequences else hs[:, -1]

    def compute_output_shape(self, input_shape):
        batch, time = input_shape[0], input_shape[1]
        return (batch, time, self.units) if self.return_sequences else (batch, self.units)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "mode": self.mode,
            "candidate": self.candidate,
            "negative_transition": self.negative_transition,
            "return_sequences": self.return_sequences,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }


@keras.saving.register_keras_serializable(package=PACKAGE)
class MinGRU(_MinRNN):
    """minGRU (Feng et al. 2024, Sec. 3): ``h_t = (1 - z_t) h_{t-1} + z_t h~_t``, z and h~ from x_t alone.

    Input (batch, time, features); output (batch, units), or (batch, time, units) with
    ``return_sequences=True``; ``initial_state`` (batch, units) in call, zeros if not given (> 0 in log mode).
    ``mode``: "loop", "scan" (default) or "log" (see the module). ``candidate``: "g" (default) or "linear".
    ``negative_transition=True``: ``a_t = 1 - 2 z_t`` in (-1, 1) (see `coefficients`); not with "log".
    Weights: ``kernel`` (features, 2 units) = ``[W_z W_h]``, ``bias`` (2 units,).
    """

    blocks = ("z", "h")

    def _coefficients(self, k, pre_h):
        z = ops.sigmoid(k)
        return 1 - z, z * self._candidate(pre_h)

    def _log_coefficients(self, k, pre_h):
        return -ops.softplus(k), -ops.softplus(-k) + log_g(pre_h)  # log(1 - z), log z + log h~


@keras.saving.register_keras_serializable(package=PACKAGE)
class MinLSTM(_MinRNN):
    """minLSTM (Feng et al. 2024, Sec. 3): ``h_t = f'_t h_{t-1} + i'_t h~_t``, f' = f/(f+i), i' = i/(f+i).

    Input (batch, time, features); output (batch, units), or (batch, time, units) with
    ``return_sequences=True``; ``initial_state`` (batch, units) in call, zeros if not given.
    ``mode``, ``candidate``, ``negative_transition`` as for `MinGRU`; negative: ``a_t = 2 f'_t - 1``.
    Weights: ``kernel`` (features, 3 units) = ``[W_f W_i W_h]``, ``bias`` (3 units,).
    """

    blocks = ("f", "i", "h")

    def _coefficients(self, k_f, k_i, pre_h):
        f, i = ops.sigmoid(k_f), ops.sigmoid(k_i)
        return f / (f + i), i / (f + i) * self._candidate(pre_h)

    def _log_coefficients(self, k_f, k_i, pre_h):
        d = ops.softplus(-k_f) - ops.softplus(-k_i)  # log i - log f
        return -ops.softplus(d), -ops.softplus(-d) + log_g(pre_h)  # log f', log i' + log h~
