"""helpers.cells and helpers.fast_lstm: each hand-built cell and the fast layer equal their Keras twins, forwards and backwards."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from helpers import cells, fast_lstm
from helpers.config import set_seed

SHAPES = [(4, 7, 3, 5), (1, 9, 2, 4), (3, 1, 6, 8)]  # (batch, time, features, units): incl. batch 1, one step
ATOL = 1e-5


def run_with_grads(layer, x):
    """Outputs (sequence, final states) and the gradients w.r.t. input and weights of a scalar loss."""
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        outputs = layer(x)
        seq, states = outputs[0], outputs[1:]
        loss = tf.reduce_sum(seq * tf.sin(tf.range(seq.shape[-1], dtype=seq.dtype))) + sum(
            tf.reduce_sum(s**2) for s in states
        )
    grads = tape.gradient(loss, [x] + layer.trainable_weights)
    return [o.numpy() for o in outputs], [g.numpy() for g in grads]


def assert_twins(ours, theirs, x):
    theirs.build(x.shape)
    ours.build(x.shape)
    ours.set_weights(theirs.get_weights())  # same layout, so copying works
    assert [w.shape for w in ours.get_weights()] == [w.shape for w in theirs.get_weights()]
    out_a, grad_a = run_with_grads(ours, x)
    out_b, grad_b = run_with_grads(theirs, x)
    assert len(out_a) == len(out_b) and len(grad_a) == len(grad_b)
    for a, b in zip(out_a + grad_a, out_b + grad_b):
        np.testing.assert_allclose(a, b, atol=ATOL, rtol=0)


def inputs(batch, time, features, seed=0):
    return np.random.default_rng(seed).normal(size=(batch, time, features)).astype("float32")


def sequence_layer(layer_class, units):
    return layer_class(units, return_sequences=True, return_state=True)


def rnn_of(cell_class):
    return lambda units: keras.layers.RNN(cell_class(units), return_sequences=True, return_state=True)


TWINS = {  # ours, theirs: each a function of units
    "RNN(cells.LSTMCell) ~ LSTM": (rnn_of(cells.LSTMCell), lambda u: sequence_layer(keras.layers.LSTM, u)),
    "fast_lstm.LSTM ~ LSTM": (
        lambda u: sequence_layer(fast_lstm.LSTM, u),
        lambda u: sequence_layer(keras.layers.LSTM, u),
    ),
    "RNN(cells.SimpleRNNCell) ~ SimpleRNN": (
        rnn_of(cells.SimpleRNNCell),
        lambda u: sequence_layer(keras.layers.SimpleRNN, u),
    ),
}


@pytest.mark.parametrize("twin", TWINS)
@pytest.mark.parametrize("batch, time, features, units", SHAPES)
def test_equals_keras_twin(twin, batch, time, features, units):
    set_seed(1)
    ours, theirs = (make(units) for make in TWINS[twin])
    assert_twins(ours, theirs, inputs(batch, time, features))


def test_fast_lstm_layer_last_output_only():
    set_seed(3)
    x = inputs(4, 6, 3)
    ours, theirs = fast_lstm.LSTM(5), keras.layers.LSTM(5)
    theirs.build(x.shape)
    ours.build(x.shape)
    ours.set_weights(theirs.get_weights())
    np.testing.assert_allclose(ours(x), theirs(x), atol=ATOL)
    assert ours(x).shape == (4, 5)


@pytest.mark.parametrize("batch, time, features, units", SHAPES)
def test_gru_cell_equals_keras_gru(batch, time, features, units):
    set_seed(5)
    ours, theirs = rnn_of(cells.GRUCell)(units), sequence_layer(keras.layers.GRU, units)
    theirs.build((batch, time, features))
    # Keras starts both GRU biases at zero: make them non-zero so a mix-up of the two would show.
    kernel, recurrent, bias = theirs.get_weights()
    theirs.set_weights([kernel, recurrent, np.random.default_rng(0).normal(size=bias.shape).astype("float32")])
    assert_twins(ours, theirs, inputs(batch, time, features))


def test_gate_by_gate_cell_equals_fused_cell():
    set_seed(6)
    x = inputs(3, 5, 4)
    fused = keras.layers.RNN(cells.LSTMCell(6), return_sequences=True)
    gated_cell = cells.GateByGateLSTMCell(6)
    gated = keras.layers.RNN(gated_cell, return_sequences=True)
    fused.build(x.shape)
    gated.build(x.shape)
    gated_cell.set_fused_weights(*fused.get_weights())
    np.testing.assert_allclose(gated(x), fused(x), atol=ATOL)


def test_cell_state_output():
    set_seed(13)
    x = inputs(2, 5, 3)
    layer = keras.layers.RNN(cells.LSTMCell(4, output_state="c"), return_sequences=True, return_state=True)
    sequence, h, c = layer(x)
    np.testing.assert_array_equal(sequence[:, -1], c)  # the output is the cell state
    reference = keras.layers.RNN(cells.LSTMCell(4), return_state=True)
    reference.build(x.shape)
    reference.set_weights(layer.get_weights())
    np.testing.assert_allclose(reference(x)[1], h, atol=ATOL)  # and the carried state is unchanged
    with pytest.raises(ValueError, match="'h' or 'c'"):
        cells.LSTMCell(4, output_state="x")


def test_forget_bias_starts_at_one():
    cell = cells.LSTMCell(3)
    cell.build((None, 2))
    np.testing.assert_array_equal(cell.bias.numpy(), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    plain = cells.LSTMCell(3, unit_forget_bias=False)
    plain.build((None, 2))
    np.testing.assert_array_equal(plain.bias.numpy(), np.zeros(12))


def test_weights_copy_back_to_keras():
    set_seed(7)
    x = inputs(2, 4, 3)
    ours, theirs = fast_lstm.LSTM(5, return_sequences=True), keras.layers.LSTM(5, return_sequences=True)
    ours.build(x.shape)
    theirs.build(x.shape)
    theirs.set_weights(ours.get_weights())  # the other direction
    np.testing.assert_allclose(ours(x), theirs(x), atol=ATOL)


def test_stateful_halves_equal_the_whole():
    set_seed(8)
    x = inputs(2, 10, 3)
    whole = fast_lstm.LSTM(4, return_sequences=True)
    whole.build(x.shape)
    stateful = fast_lstm.LSTM(4, return_sequences=True, stateful=True)
    stateful.build(x.shape)
    stateful.set_weights(whole.get_weights())
    assert len(stateful.get_weights()) == 3  # the carried state is not a weight
    expected = whole(x).numpy()
    halves = np.concatenate([stateful(x[:, :6]).numpy(), stateful(x[:, 6:]).numpy()], axis=1)
    np.testing.assert_allclose(halves, expected, atol=ATOL)
    stateful.reset_state()
    assert all(not np.any(s.numpy()) for s in stateful.states)
    np.testing.assert_allclose(stateful(x[:, :6]), expected[:, :6], atol=ATOL)


def test_stateful_in_a_model_with_fixed_batch():
    set_seed(9)
    model = keras.Sequential([keras.Input(batch_shape=(2, 5, 3)), fast_lstm.LSTM(4, stateful=True)])
    x = inputs(2, 5, 3)
    first = model(x).numpy()
    assert not np.allclose(model(x).numpy(), first)  # the state carried over
    model.layers[0].reset_state()
    np.testing.assert_allclose(model(x).numpy(), first, atol=ATOL)


def test_stateful_needs_a_fixed_batch_size():
    with pytest.raises(ValueError, match="batch_shape"):
        fast_lstm.LSTM(4, stateful=True).build((None, 5, 3))


@pytest.mark.parametrize(
    "make",
    [
        lambda: fast_lstm.LSTM(4, return_sequences=True),
        lambda: keras.layers.RNN(cells.LSTMCell(4, output_state="c"), return_sequences=True),
        lambda: keras.layers.RNN(cells.GRUCell(4), return_sequences=True),
        lambda: keras.layers.RNN(cells.SimpleRNNCell(4), return_sequences=True),
    ],
)
def test_save_and_load_keras_file(tmp_path, make):
    set_seed(10)
    model = keras.Sequential([keras.Input((6, 3)), make(), keras.layers.Dense(2)])
    x = inputs(3, 6, 3)
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_wrong_rank_names_both_shapes():
    layer = fast_lstm.LSTM(4)
    with pytest.raises(ValueError, match=r"\(batch, time, features\).*got shape \(5, 3\)"):
        layer(np.zeros((5, 3), "float32"))


def test_wrong_width_names_both_shapes():
    layer = fast_lstm.LSTM(4)
    layer(np.zeros((2, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"\(batch, time, features=3\).*got shape \(2, 5, 7\)"):
        layer(np.zeros((2, 5, 7), "float32"))
    cell = cells.LSTMCell(4)
    cell.build((None, 3))
    with pytest.raises(ValueError, match=r"\(batch, features=3\).*got shape \(2, 7\)"):
        cell(np.zeros((2, 7), "float32"), [np.zeros((2, 4), "float32")] * 2)


def test_trains_inside_fit():
    """A compiled model (tf.function, while_loop gradient) learns: the loss falls."""
    set_seed(11)
    x = inputs(64, 8, 2)
    y = x[:, :, :1].sum(axis=1)
    model = keras.Sequential([keras.Input((8, 2)), fast_lstm.LSTM(16), keras.layers.Dense(1)])
    model.compile(keras.optimizers.Adam(0.01), "mse")
    history = model.fit(x, y, epochs=30, batch_size=16, verbose=0).history["loss"]
    assert history[-1] < 0.3 * history[0]


def test_initial_state_and_its_gradient_equal_keras():
    """The hand-written backward pass also returns the gradient of the initial (h, c)."""
    set_seed(12)
    x = tf.constant(inputs(3, 5, 2))
    h0 = tf.constant(np.random.default_rng(1).normal(size=(3, 4)).astype("float32"))
    c0 = tf.constant(np.random.default_rng(2).normal(size=(3, 4)).astype("float32"))
    ours, theirs = fast_lstm.LSTM(4, return_sequences=True), keras.layers.LSTM(4, return_sequences=True)
    ours.build(x.shape)
    theirs.build(x.shape)
    ours.set_weights(theirs.get_weights())
    results = []
    for layer in (ours, theirs):
        with tf.GradientTape() as tape:
            tape.watch([h0, c0])
            loss = tf.reduce_sum(layer(x, initial_state=[h0, c0]) ** 3)
        results.append([loss.numpy()] + [g.numpy() for g in tape.gradient(loss, [h0, c0])])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, atol=ATOL)


def test_bfloat16_products_stay_close_to_float32():
    """precision="bfloat16" rounds the products' operands only: outputs, states and gradients move by bfloat16's
    rounding (a few parts in a thousand), not more, and they do move (the rounding is really done)."""
    set_seed(13)
    x = inputs(4, 30, 6)
    exact, rounded = (
        fast_lstm.LSTM(16, return_sequences=True, return_state=True, precision=p) for p in ("float32", "bfloat16")
    )
    exact.build(x.shape)
    rounded.build(x.shape)
    rounded.set_weights(exact.get_weights())
    out_a, grad_a = run_with_grads(exact, x)
    out_b, grad_b = run_with_grads(rounded, x)
    assert all(b.dtype == np.float32 for b in out_b + grad_b)
    moved = []
    for a, b in zip(out_a + grad_a, out_b + grad_b):
        scale = np.abs(a).max()
        np.testing.assert_allclose(b, a, atol=3e-2 * scale, rtol=0)
        moved.append(np.abs(a - b).max() / scale)
    assert max(moved) > 1e-4  # float32 products would agree to ~1e-7


def test_bfloat16_model_gives_float32_logits_close_to_float32():
    from helpers import models

    set_seed(14)
    exact, rounded = (
        models.language_model(30, units=12, layers=2, embedding=8, batch_size=3, steps=7, stateful=False, precision=p)
        for p in ("float32", "bfloat16")
    )
    rounded.set_weights(exact.get_weights())
    ids = np.random.default_rng(3).integers(0, 30, (3, 7)).astype("int32")
    a, b = exact(ids).numpy(), rounded(ids).numpy()
    assert b.dtype == np.float32
    np.testing.assert_allclose(b, a, atol=3e-2 * np.abs(a).max())
    assert not np.array_equal(a, b)
    tied = models.language_model(30, units=8, embedding=8, batch_size=3, steps=7, tied=True, precision="bfloat16")
    assert tied(ids).dtype == "float32"


def test_precision_is_checked_and_saved():
    with pytest.raises(ValueError, match="precision must be one of"):
        fast_lstm.LSTM(4, precision="float16")
    layer = fast_lstm.LSTM(4, precision="bfloat16")
    assert fast_lstm.LSTM.from_config(layer.get_config()).precision == "bfloat16"
    from helpers import models

    with pytest.raises(ValueError, match="needs the course's LSTM"):
        models.language_model(10, units=4, batch_size=2, steps=3, lstm="keras", precision="bfloat16")
    with pytest.raises(ValueError, match="precision must be one of"):
        models.language_model(10, units=4, batch_size=2, steps=3, precision="float16")


def test_bfloat16_instructions_read_from_cpuinfo(tmp_path):
    from helpers.config import bfloat16_instructions

    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("flags\t\t: fpu avx512f avx512_bf16 amx_tile amx_bf16\nflags\t\t: fpu avx512f avx512_bf16\n")
    assert bfloat16_instructions(cpuinfo) == ["amx_bf16", "avx512_bf16"]
    cpuinfo.write_text("flags\t\t: fpu avx2\n")
    assert bfloat16_instructions(cpuinfo) == []
    assert bfloat16_instructions(tmp_path / "absent") == []
