"""Recurrent cells built by hand with TensorFlow ops, each equal to its Keras twin.

Taught in ``02_lstm_from_scratch`` and trained for real from ``03_sign_sum`` on.

- `SimpleRNNCell`, `LSTMCell`, `GRUCell`: one time step each, usable inside
  ``keras.layers.RNN``, with the weights laid out exactly as Keras lays out
  ``SimpleRNN``, ``LSTM`` and ``GRU`` (so ``set_weights`` works both ways).
- `lstm_gates`: the LSTM step's arithmetic after the matmuls, shared by
  `LSTMCell` and the fast layer of `helpers.fast_lstm`.
- `GateByGateLSTMCell`: the same LSTM written with eight separate matrices, as
  the early tutorials wrote it; slower, kept for the lesson and the benchmark.

The layer the course trains, `helpers.fast_lstm.LSTM`, runs `LSTMCell`'s
weights over a whole sequence with its backward pass written out.

Notation, as in notebooks 01 and 02 (rows are examples): ``W`` multiplies the
input, ``U`` the previous output, ``b`` is the bias. For gate g in i, f, c, o,
``z_g = x_t W_g + h_{t-1} U_g + b_g``; ``kernel`` is ``[W_i W_f W_c W_o]``,
``recurrent_kernel`` is ``[U_i U_f U_c U_o]``, ``bias`` is ``[b_i b_f b_c b_o]``.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from . import PACKAGE


def check_width(shape, expected_features: int | None, layer: str, rank: int) -> None:
    """Raise a ValueError that names the expected and the given input shape."""
    shape = tuple(shape)
    want = "(batch, time, features)" if rank == 3 else "(batch, features)"
    if expected_features is not None:
        want = want.replace("features", f"features={expected_features}")
    if len(shape) != rank or (expected_features is not None and shape[-1] != expected_features):
        raise ValueError(f"{layer} expects input of shape {want}; got shape {shape}.")


class _Cell(keras.layers.Layer):
    """What the three cells share: units, initialisers, the input check, get_config."""

    gates = 1  # how many blocks of `units` columns the kernel has

    def __init__(
        self,
        units: int,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        **kwargs,
    ):
        super().__init__(**kwargs)
        if int(units) < 1:
            raise ValueError(f"units must be a positive integer; got {units}")
        self.units = int(units)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)
        self.recurrent_initializer = keras.initializers.get(recurrent_initializer)
        self.bias_initializer = keras.initializers.get(bias_initializer)

    @property
    def output_size(self) -> int:
        return self.units

    def _build_weights(self, input_shape, bias_shape, bias_initializer=None) -> None:
        check_width(input_shape, None, type(self).__name__, rank=2)
        features = input_shape[-1]
        n = self.gates * self.units
        self.kernel = self.add_weight(shape=(features, n), name="kernel", initializer=self.kernel_initializer)
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, n), name="recurrent_kernel", initializer=self.recurrent_initializer
        )
        self.bias = self.add_weight(
            shape=bias_shape, name="bias", initializer=bias_initializer or self.bias_initializer
        )

    def _check_step_input(self, inputs) -> None:
        check_width(inputs.shape, self.kernel.shape[0], type(self).__name__, rank=2)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": keras.initializers.serialize(self.recurrent_initializer),
            "bias_initializer": keras.initializers.serialize(self.bias_initializer),
        }


@keras.saving.register_keras_serializable(package=PACKAGE)
class SimpleRNNCell(_Cell):
    """The vanilla cell of notebook 01: ``h_t = tanh(x_t W + h_{t-1} U + b)``. Twin: ``keras.layers.SimpleRNN``.

    Weights: ``kernel`` (features, units), ``recurrent_kernel`` (units, units), ``bias`` (units,).
    """

    @property
    def state_size(self) -> int:
        return self.units

    def build(self, input_shape) -> None:
        self._build_weights(input_shape, (self.units,))

    def call(self, inputs, states, training=False):
        self._check_step_input(inputs)
        h_prev = states[0] if isinstance(states, (list, tuple)) else states
        h = tf.tanh(inputs @ self.kernel + h_prev @ self.recurrent_kernel + self.bias)
        return h, [h]


@keras.saving.register_keras_serializable(package=PACKAGE)
class LSTMCell(_Cell):
    """One step of the LSTM, the four gates computed with one fused matmul. Twin: ``keras.layers.LSTM``.

    Inputs ``x_t`` (batch, features) and state ``[h, c]``, each (batch, units)::

        z = x_t W + h_{t-1} U + b                      (batch, 4 units), split into z_i, z_f, z_c, z_o
        i = sigmoid(z_i)   f = sigmoid(z_f)   c~ = tanh(z_c)   o = sigmoid(z_o)
        c_t = f * c_{t-1} + i * c~                     the cell state: the conveyor
        h_t = o * tanh(c_t)

    Weights as Keras lays them out, gate order i, f, c, o: ``kernel``
    (features, 4 units), ``recurrent_kernel`` (units, 4 units), ``bias``
    (4 units,), whose forget part starts at 1 (`unit_forget_bias`).

    ``output_state="c"`` makes the cell output its cell state ``c_t`` instead of
    ``h_t`` (the state it carries is unchanged): a read-out from the
    unbounded cell state, used in ``03_sign_sum`` to count beyond what the
    bounded ``h_t`` can show.
    """

    gates = 4

    def __init__(self, units: int, unit_forget_bias: bool = True, output_state: str = "h", **kwargs):
        super().__init__(units, **kwargs)
        if output_state not in ("h", "c"):
            raise ValueError(f"output_state must be 'h' or 'c'; got {output_state!r}")
        self.unit_forget_bias = unit_forget_bias
        self.output_state = output_state

    @property
    def state_size(self) -> list[int]:
        return [self.units, self.units]

    def build(self, input_shape) -> None:
        initializer = self.bias_initializer
        if self.unit_forget_bias:
            u = self.units

            def initializer(shape, dtype=None):  # [b_i, b_f = 1, b_c, b_o]
                b = self.bias_initializer((4 * u,), dtype=dtype)
                return tf.concat([b[:u], tf.ones((u,), dtype=b.dtype), b[2 * u :]], axis=0)

        self._build_weights(input_shape, (4 * self.units,), initializer)

    def call(self, inputs, states, training=False):
        self._check_step_input(inputs)
        h_prev, c_prev = states
        z = inputs @ self.kernel + h_prev @ self.recurrent_kernel + self.bias
        h, c, _ = lstm_gates(z, c_prev)
        return (c if self.output_state == "c" else h), [h, c]

    def get_config(self) -> dict:
        return {**super().get_config(), "unit_forget_bias": self.unit_forget_bias, "output_state": self.output_state}


def lstm_gates(z, c_prev):
    """From the pre-activations ``z`` (batch, 4 units) and ``c_{t-1}`` to ``(h_t, c_t, gates)``; gate order i, f, c, o.

    ``gates`` is ``[i, f, c~, o]`` after their nonlinearities, concatenated
    (batch, 4 units): what the backward pass of `helpers.fast_lstm.lstm_recurrence` needs.
    """
    z_i, z_f, z_c, z_o = tf.split(z, 4, axis=-1)
    i, f, c_tilde, o = tf.sigmoid(z_i), tf.sigmoid(z_f), tf.tanh(z_c), tf.sigmoid(z_o)
    c = f * c_prev + i * c_tilde
    return o * tf.tanh(c), c, tf.concat([i, f, c_tilde, o], axis=-1)


@keras.saving.register_keras_serializable(package=PACKAGE)
class GRUCell(_Cell):
    """One step of the GRU (Cho et al. 2014), as Keras computes it (``reset_after=True``). Twin: ``keras.layers.GRU``.

    Gate order z (update), r (reset), h (candidate)::

        [x_z x_r x_h] = x_t W + b_in        [u_z u_r u_h] = h_{t-1} U + b_rec
        z = sigmoid(x_z + u_z)   r = sigmoid(x_r + u_r)   h~ = tanh(x_h + r * u_h)
        h_t = z * h_{t-1} + (1 - z) * h~

    Weights: ``kernel`` (features, 3 units), ``recurrent_kernel`` (units, 3
    units), ``bias`` (2, 3 units): row 0 the input bias, row 1 the recurrent one.
    """

    gates = 3

    @property
    def state_size(self) -> int:
        return self.units

    def build(self, input_shape) -> None:
        self._build_weights(input_shape, (2, 3 * self.units))

    def call(self, inputs, states, training=False):
        self._check_step_input(inputs)
        h_prev = states[0] if isinstance(states, (list, tuple)) else states
        x_z, x_r, x_h = tf.split(inputs @ self.kernel + self.bias[0], 3, axis=-1)
        u_z, u_r, u_h = tf.split(h_prev @ self.recurrent_kernel + self.bias[1], 3, axis=-1)
        z = tf.sigmoid(x_z + u_z)
        r = tf.sigmoid(x_r + u_r)
        h = z * h_prev + (1 - z) * tf.tanh(x_h + r * u_h)
        return h, [h]


@keras.saving.register_keras_serializable(package=PACKAGE)
class GateByGateLSTMCell(_Cell):
    """The LSTM step with eight matmuls, one input and one recurrent matrix per gate.

    The form of the early tutorials and of notebook 02's first version:
    ``z_g = x_t W_g + h_{t-1} U_g + b_g`` for each gate g separately. The
    eight matrices are the column blocks of `LSTMCell`'s fused ``kernel`` and
    ``recurrent_kernel`` (the same weights, the same outputs), only computed
    one block at a time: more and smaller operations, which is slower on small
    cells and on GPUs (on a 2-core CPU, mid-size cells can run the blocks side
    by side and come out faster; notebook 02 measures it).
    """

    gates = 4

    @property
    def state_size(self) -> list[int]:
        return [self.units, self.units]

    def build(self, input_shape) -> None:
        check_width(input_shape, None, type(self).__name__, rank=2)
        features, u = input_shape[-1], self.units
        self.W, self.U, self.b = {}, {}, {}
        for g in "ifco":
            self.W[g] = self.add_weight(shape=(features, u), name=f"W_{g}", initializer=self.kernel_initializer)
            self.U[g] = self.add_weight(shape=(u, u), name=f"U_{g}", initializer=self.recurrent_initializer)
            self.b[g] = self.add_weight(
                shape=(u,), name=f"b_{g}", initializer="ones" if g == "f" else self.bias_initializer
            )

    def call(self, inputs, states, training=False):
        check_width(inputs.shape, self.W["i"].shape[0], type(self).__name__, rank=2)
        h_prev, c_prev = states
        i = tf.sigmoid(inputs @ self.W["i"] + h_prev @ self.U["i"] + self.b["i"])
        f = tf.sigmoid(inputs @ self.W["f"] + h_prev @ self.U["f"] + self.b["f"])
        c_tilde = tf.tanh(inputs @ self.W["c"] + h_prev @ self.U["c"] + self.b["c"])
        o = tf.sigmoid(inputs @ self.W["o"] + h_prev @ self.U["o"] + self.b["o"])
        c = f * c_prev + i * c_tilde
        h = o * tf.tanh(c)
        return h, [h, c]

    def set_fused_weights(self, kernel, recurrent_kernel, bias) -> None:
        """Take the weights of a fused LSTM (`LSTMCell` or ``keras.layers.LSTM``), split into the eight matrices."""
        u = self.units
        for k, g in enumerate("ifco"):
            self.W[g].assign(kernel[:, k * u : (k + 1) * u])
            self.U[g].assign(recurrent_kernel[:, k * u : (k + 1) * u])
            self.b[g].assign(bias[k * u : (k + 1) * u])
