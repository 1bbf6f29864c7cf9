"""The course's fast LSTM layer: the cell of `helpers.cells` run over a whole sequence, its backward pass by hand.

Taught in ``02_lstm_from_scratch`` (section "Faster") and trained from
``04_char_shakespeare`` on. `LSTM` has the weights of `helpers.cells.LSTMCell`
(and of ``keras.layers.LSTM``: ``set_weights`` works both ways) and gives the
same outputs, states and gradients; what differs is how the work is laid out:

- the input part of every gate at every step, ``x_t W + b``, is one large
  matmul before the loop;
- the loop (`lstm_recurrence`) does one recurrent matmul per step and reads
  its step inputs from a ``TensorArray``, so its gradient never drags the
  whole ``(time, batch, 4 * units)`` tensor through every step;
- its backward pass is written out, with the gradient of the recurrent
  weights computed once after the loop.
"""

from __future__ import annotations

import keras
import tensorflow as tf

from . import PACKAGE
from .cells import LSTMCell, check_width, lstm_gates

PRECISIONS = ("float32", "bfloat16")


def check_precision(precision: str) -> str:
    """`precision` if it is one of `PRECISIONS`, else a ValueError that lists them."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}; got {precision!r}")
    return precision


def rounded(precision: str, *tensors) -> tuple:
    """The operands of a product in `precision`: as they are for float32, rounded to bfloat16 for ``"bfloat16"``.

    bfloat16 keeps float32's range with an 8-bit mantissa; CPUs with bfloat16
    instructions (``avx512_bf16``, ``amx_bf16``: `helpers.config.bfloat16_instructions`)
    multiply such matrices faster than float32 (`benchmarks/roof.py` measures
    how much at each of the course's shapes). Only a product's operands are
    rounded: its result is cast back to float32 (`product`), so the gates,
    the cell state and every sum around the products stay float32.
    """
    return tensors if precision == "float32" else tuple(tf.cast(t, tf.bfloat16) for t in tensors)


def product(a, b, precision: str = "float32"):
    """``a @ b`` with its operands `rounded` to `precision`, the result in float32."""
    return tf.cast(tf.matmul(*rounded(precision, a, b)), tf.float32)


def lstm_recurrence(xz, recurrent_kernel, h0, c0, precision: str = "float32"):
    """The LSTM loop over time, with its backward pass (BPTT) written out.

    `xz` (time, batch, 4 units) is ``x_t W + b`` for every step, computed
    before the loop; each step adds ``h_{t-1} U`` and applies the gates.
    Returns ``(hs, h_T, c_T)``, ``hs`` being every ``h_t``, (time, batch, units).
    ``precision="bfloat16"`` rounds the operands of the loop's products
    (``h_{t-1} U``, ``dz_t U^T``, ``dU``) to bfloat16 (see `rounded`).
    """
    return _RECURRENCES[check_precision(precision)](xz, recurrent_kernel, h0, c0)


def _recurrence(precision: str):
    """`lstm_recurrence` for one precision of its products (a `tf.custom_gradient` takes tensors only)."""

    @tf.custom_gradient
    def recurrence(xz, recurrent_kernel, h0, c0):
        return _forward_and_backward(xz, recurrent_kernel, h0, c0, precision)

    return recurrence


def _forward_and_backward(xz, recurrent_kernel, h0, c0, precision):
    """The loop and its backward function, for `_recurrence`.

    Why by hand: left to automatic differentiation, the gradient of ``U``
    is a thin ``(units, batch) @ (batch, 4 units)`` product, summed into a
    ``(units, 4 units)`` accumulator at every one of the steps. The backward
    loop below keeps only what must be sequential (``dz_t U^T`` and the
    running ``dh``, ``dc``) and computes ``dU = sum_t h_{t-1}^T dz_t`` after it
    as one large matmul: about twice as fast on a CPU. The gates' slopes, which
    do not depend on the incoming gradient, are computed for all steps at once
    before the loop (4% faster for notebook 06's model, no change for 04's).
    """
    (recurrent_kernel,) = rounded(precision, recurrent_kernel)  # the operand every step shares, rounded once
    steps = tf.shape(xz)[0]
    xz_steps = tf.TensorArray(xz.dtype, size=steps).unstack(xz)
    record = {k: tf.TensorArray(xz.dtype, size=steps) for k in ("h", "c", "gates")}

    def forward(t, h, c, record):
        h, c, gates = lstm_gates(xz_steps.read(t) + product(h, recurrent_kernel, precision), c)
        return (
            t + 1,
            h,
            c,
            {"h": record["h"].write(t, h), "c": record["c"].write(t, c), "gates": record["gates"].write(t, gates)},
        )

    _, h, c, record = tf.while_loop(lambda t, *_: t < steps, forward, (0, h0, c0, record), maximum_iterations=steps)
    hs, cs, gates_all = record["h"].stack(), record["c"].stack(), record["gates"].stack()

    def backward(d_hs, d_h_last, d_c_last):
        # Everything that does not depend on the incoming gradient, for all steps at once (elementwise, vectorised):
        # dc_t gains dh_t * o (1 - tanh^2 c_t), and dz_t = [dc_t, dc_t, dc_t, dh_t] * gate_slopes_t.
        i, f, c_tilde, o = tf.split(gates_all, 4, axis=-1)
        tanh_c = tf.tanh(cs)
        c_prev = tf.concat([c0[None], cs[:-1]], axis=0)
        h_to_c = o * (1 - tanh_c**2)
        gate_slopes = tf.concat(
            [
                c_tilde * i * (1 - i),  # dz_i = dc_t * c~ * i (1 - i)
                c_prev * f * (1 - f),  # dz_f = dc_t * c_{t-1} * f (1 - f)
                i * (1 - c_tilde**2),  # dz_c = dc_t * i * (1 - c~^2)
                tanh_c * o * (1 - o),
            ],
            axis=-1,
        )  # dz_o = dh_t * tanh(c_t) * o (1 - o)

        def steps_of(tensor):
            return tf.TensorArray(xz.dtype, size=steps).unstack(tensor)

        d_hs = steps_of(tf.zeros_like(hs) if d_hs is None else d_hs)
        h_to_c, gate_slopes, forget = steps_of(h_to_c), steps_of(gate_slopes), steps_of(f)
        recurrent_t = tf.transpose(recurrent_kernel)

        def step_back(t, dh, dc, dz_all):  # only what must be sequential
            dh = dh + d_hs.read(t)  # from the output at t, and from step t+1 through h_t
            dc = dc + dh * h_to_c.read(t)  # dc_t: through h_t = o tanh(c_t), and the conveyor
            dz = tf.concat([dc, dc, dc, dh], axis=-1) * gate_slopes.read(t)
            return (
                t - 1,
                product(dz, recurrent_t, precision),
                dc * forget.read(t),
                dz_all.write(t, dz),
            )  # dh_{t-1}, dc_{t-1}

        d_h_last = tf.zeros_like(h0) if d_h_last is None else d_h_last
        d_c_last = tf.zeros_like(c0) if d_c_last is None else d_c_last
        _, dh0, dc0, dz_all = tf.while_loop(
            lambda t, *_: t >= 0,
            step_back,
            (steps - 1, d_h_last, d_c_last, tf.TensorArray(xz.dtype, size=steps)),
            maximum_iterations=steps,
        )
        dz_all = dz_all.stack()  # (time, batch, 4 units)
        h_prev = tf.concat([h0[None], hs[:-1]], axis=0)  # (time, batch, units)
        d_recurrent = tf.cast(
            tf.einsum("tbu,tbg->ug", *rounded(precision, h_prev, dz_all)),  # one matmul for all steps
            tf.float32,
        )
        return dz_all, d_recurrent, dh0, dc0

    return (hs, h, c), backward


_RECURRENCES = {precision: _recurrence(precision) for precision in PRECISIONS}


@keras.saving.register_keras_serializable(package=PACKAGE)
class LSTM(keras.layers.Layer):
    """The course's LSTM layer: `helpers.cells.LSTMCell`'s weights, run fast over a whole sequence.

    Input (batch, time, features). Output (batch, units), or (batch, time,
    units) with ``return_sequences=True``; with ``return_state=True`` also
    the final ``h`` and ``c``, each (batch, units). ``stateful=True`` carries
    (h, c) from one call to the next (the batch size must then be fixed, e.g.
    ``keras.Input(batch_shape=(20, 35, 200))``); `reset_state` zeroes them.
    ``get_weights()`` is ``[kernel, recurrent_kernel, bias]``, as for
    ``keras.layers.LSTM``. ``precision="bfloat16"`` rounds the operands of
    every matrix product to bfloat16 (`rounded`; faster on a CPU with
    bfloat16 instructions); the weights, the state and the gates stay float32.
    ``weight_drop=p``: in training, each call drops a fraction p of the
    recurrent kernel's entries (DropConnect on the recurrence, Merity et al.
    2017's weight-drop; the rest scaled by 1 / (1 - p)), the same for every
    step of the call; no effect when not training.
    """

    def __init__(
        self,
        units: int,
        return_sequences: bool = False,
        return_state: bool = False,
        stateful: bool = False,
        unit_forget_bias: bool = True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        precision: str = "float32",
        weight_drop: float = 0.0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.units = int(units)
        self.precision = check_precision(precision)
        if not 0.0 <= weight_drop < 1.0:
            raise ValueError(
                f"weight_drop is the fraction of recurrent weights dropped, in [0, 1); got {weight_drop!r}"
            )
        self.weight_drop = float(weight_drop)
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.stateful = stateful
        self.cell = LSTMCell(
            units,
            unit_forget_bias=unit_forget_bias,
            kernel_initializer=kernel_initializer,
            recurrent_initializer=recurrent_initializer,
            bias_initializer=bias_initializer,
            name="lstm_cell",
        )
        self.states = None

    def build(self, input_shape) -> None:
        check_width(input_shape, None, "LSTM", rank=3)
        self.cell.build((input_shape[0], input_shape[-1]))
        if self.stateful:
            if input_shape[0] is None:
                raise ValueError(
                    "A stateful LSTM needs a fixed batch size: give the model "
                    "keras.Input(batch_shape=(batch, time, features))."
                )
            shape = (input_shape[0], self.units)
            # synchronization="on_read": under a tf.distribute strategy each replica keeps its own copy,
            # the state of its own rows of the batch (notebook 06); on one device, a plain variable.
            states = [
                keras.Variable(tf.zeros(shape), trainable=False, name=n, synchronization="on_read", aggregation="mean")
                for n in ("h", "c")
            ]
            # Set past Keras' attribute tracking: the carried state is not a weight, so
            # get_weights() stays [kernel, recurrent_kernel, bias], as for Keras' own stateful RNNs.
            object.__setattr__(self, "states", states)

    def reset_state(self) -> None:
        """Zero the carried (h, c) of a stateful layer."""
        if self.states is not None:
            for s in self.states:
                s.assign(tf.zeros_like(s))

    def call(self, inputs, initial_state=None, training=False):
        check_width(inputs.shape, self.cell.kernel.shape[0], "LSTM", rank=3)
        x = tf.convert_to_tensor(inputs)
        kernel = tf.convert_to_tensor(self.cell.kernel)
        recurrent_kernel = tf.convert_to_tensor(self.cell.recurrent_kernel)
        if training and self.weight_drop:
            recurrent_kernel = tf.nn.dropout(recurrent_kernel, rate=self.weight_drop)
        bias = tf.convert_to_tensor(self.cell.bias)
        batch = tf.shape(x)[0]
        if initial_state is not None:
            h, c = (tf.convert_to_tensor(s) for s in initial_state)
        elif self.stateful:
            h, c = (tf.convert_to_tensor(s) for s in self.states)
        else:
            h = c = tf.zeros((batch, self.units), dtype=x.dtype)

        # The input part of every gate at every step, in one matmul: (time, batch, 4 units).
        xz = tf.cast(tf.einsum("btf,fg->tbg", *rounded(self.precision, x, kernel)), tf.float32) + bias
        hs, h, c = lstm_recurrence(xz, recurrent_kernel, h, c, self.precision)

        if self.stateful:
            self.states[0].assign(h)
            self.states[1].assign(c)
        output = tf.transpose(hs, [1, 0, 2]) if self.return_sequences else h
        return [output, h, c] if self.return_state else output

    def compute_output_shape(self, input_shape):
        batch, time = input_shape[0], input_shape[1]
        out = (batch, time, self.units) if self.return_sequences else (batch, self.units)
        return [out, (batch, self.units), (batch, self.units)] if self.return_state else out

    def get_config(self) -> dict:
        cell = self.cell.get_config()
        return {
            **super().get_config(),
            "units": self.units,
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "stateful": self.stateful,
            "precision": self.precision,
            "weight_drop": self.weight_drop,
            **{
                k: cell[k]
                for k in ("unit_forget_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer")
            },
        }
