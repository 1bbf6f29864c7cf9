"""helpers.min_rnn: minGRU and minLSTM give the same outputs and gradients by loop, by associative scan, in log space."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from helpers import min_rnn
from helpers.config import set_seed

LAYERS = [min_rnn.MinGRU, min_rnn.MinLSTM]
LENGTHS = [1, 2, 7, 16]  # one step, an odd length, a power of two
ATOL = 1e-5
BATCH, FEATURES, UNITS = 3, 3, 4


def inputs(batch, time, features=FEATURES, seed=0):
    return np.random.default_rng(seed).normal(size=(batch, time, features)).astype("float32")


def positive_state(batch, seed=1):
    """An initial state that log mode can take the log of."""
    return np.random.default_rng(seed).uniform(0.1, 1.0, size=(batch, UNITS)).astype("float32")


def weights_for(layer_class, seed=2):
    """Random kernel and bias, scale 0.7, so that the gates spread over (0, 1) and the bias is not zero."""
    blocks = len(layer_class.blocks)
    rng = np.random.default_rng(seed)
    return [
        0.7 * rng.normal(size=(FEATURES, blocks * UNITS)).astype("float32"),
        0.7 * rng.normal(size=(blocks * UNITS,)).astype("float32"),
    ]


def make(layer_class, mode, weights, **kwargs):
    layer = layer_class(UNITS, mode=mode, return_sequences=True, **kwargs)
    layer.build((None, None, FEATURES))
    layer.set_weights(weights)
    return layer


def run_with_grads(layer, x, h0):
    """Every h_t, and the gradients of a scalar loss w.r.t. input, initial state, kernel and bias."""
    x, h0 = tf.constant(x), tf.constant(h0)
    with tf.GradientTape() as tape:
        tape.watch([x, h0])
        hs = layer(x, initial_state=h0)
        loss = tf.reduce_sum(hs * tf.sin(tf.reshape(tf.range(hs.shape[1] * UNITS, dtype=hs.dtype), (1, -1, UNITS))))
    return hs.numpy(), [g.numpy() for g in tape.gradient(loss, [x, h0, layer.kernel, layer.bias])]


def max_diff(a, b):
    return max(float(np.max(np.abs(u - v))) for u, v in zip(a, b))


@pytest.mark.parametrize("time", LENGTHS)
@pytest.mark.parametrize("layer_class", LAYERS)
def test_loop_scan_and_log_agree(layer_class, time):
    """Outputs (about 2 at most): measured max differences from the loop, scan <= 3e-7, log <= 4e-6 (float32)."""
    x, h0, w = inputs(BATCH, time), positive_state(BATCH), weights_for(layer_class)
    loop, grads_loop = run_with_grads(make(layer_class, "loop", w), x, h0)
    scan, grads_scan = run_with_grads(make(layer_class, "scan", w), x, h0)
    log, grads_log = run_with_grads(make(layer_class, "log", w), x, h0)
    assert loop.shape == (BATCH, time, UNITS)
    np.testing.assert_allclose(scan, loop, atol=ATOL, rtol=0)
    np.testing.assert_allclose(log, loop, atol=ATOL, rtol=0)
    # Gradients w.r.t. input, initial state, kernel, bias (they reach about 5): scan measured <= 5e-7; log
    # measured <= 4e-5 at T = 16 (its float32 error grows with T, see test_long_sequence): a looser bound.
    assert max_diff(grads_scan, grads_loop) <= ATOL
    assert max_diff(grads_log, grads_loop) <= 1e-4


def g_numpy(x):
    return np.where(x >= 0, x + 0.5, 1 / (1 + np.exp(-x)))


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def by_hand(layer_class, x, h0, kernel, bias, candidate, negative):
    """The two steps of the paper's equations, in NumPy, written out without the layer's code."""
    h, outputs = h0, []
    for t in range(x.shape[1]):
        pre = x[:, t] @ kernel + bias
        if layer_class is min_rnn.MinGRU:
            k, pre_h = np.split(pre, 2, axis=-1)
            z = sigmoid(k)
            a, input_gate = 1 - z, z
        else:
            k_f, k_i, pre_h = np.split(pre, 3, axis=-1)
            f, i = sigmoid(k_f), sigmoid(k_i)
            a, input_gate = f / (f + i), i / (f + i)
        h_tilde = g_numpy(pre_h) if candidate == "g" else pre_h
        if negative:
            a = 2 * a - 1
        h = a * h + input_gate * h_tilde
        outputs.append(h)
    return np.stack(outputs, axis=1)


@pytest.mark.parametrize(
    "candidate, negative, mode",
    [
        ("g", False, "log"),
        ("g", False, "scan"),
        ("linear", False, "loop"),
        ("linear", True, "scan"),
        ("g", True, "loop"),
    ],
)
@pytest.mark.parametrize("layer_class", LAYERS)
def test_two_steps_by_hand(layer_class, candidate, negative, mode):
    x, h0, w = inputs(2, 2, seed=5), positive_state(2, seed=6), weights_for(layer_class, seed=7)
    layer = make(layer_class, mode, w, candidate=candidate, negative_transition=negative)
    expected = by_hand(layer_class, x.astype("float64"), h0.astype("float64"), *w, candidate, negative)
    np.testing.assert_allclose(layer(x, initial_state=h0), expected, atol=ATOL, rtol=0)


@pytest.mark.parametrize("layer_class", LAYERS)
def test_log_coefficients_are_the_logs_and_stay_finite(layer_class):
    """log a, log b from softplus equal the logs of a, b (float64, |k| <= 15); at |k| = 120 they stay finite
    where float32 sigmoid underflows and the naive log gives -inf."""
    layer = layer_class(UNITS)
    rng = np.random.default_rng(12)

    def pre_activations(scale):  # gates spread over [-scale, scale], the candidate's over [-3, 3]
        gates = [rng.uniform(-scale, scale, size=50) for _ in layer_class.blocks[:-1]]
        return [tf.constant(v, "float32") for v in gates + [rng.uniform(-3, 3, size=50)]]

    pre = pre_activations(15)
    log_a, log_b = (v.numpy() for v in layer._log_coefficients(*pre))
    a, b = (v.numpy() for v in layer._coefficients(*[tf.cast(p, "float64") for p in pre]))
    np.testing.assert_allclose(log_a, np.log(a), atol=1e-5, rtol=1e-5)
    np.testing.assert_allclose(log_b, np.log(b), atol=1e-5, rtol=1e-5)
    pre = [tf.constant(np.linspace(-120, 120, 9), "float32")] * (len(layer_class.blocks) - 1) + [tf.ones(9)]
    if layer_class is min_rnn.MinLSTM:
        pre[1] = -pre[1]  # f and i at opposite extremes
    assert all(np.all(np.isfinite(v.numpy())) for v in layer._log_coefficients(*pre))
    with np.errstate(divide="ignore"):
        assert not all(np.all(np.isfinite(np.log(v.numpy()))) for v in layer._coefficients(*pre))


@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("layer_class", LAYERS)
def test_shapes_and_zero_initial_state(layer_class, return_sequences):
    x = inputs(BATCH, 5)
    outputs = {}
    for mode in min_rnn.MODES:
        layer = layer_class(UNITS, mode=mode, return_sequences=return_sequences)
        out = layer(x)
        assert out.shape == ((BATCH, 5, UNITS) if return_sequences else (BATCH, UNITS))
        layer_seq = layer_class(UNITS, mode=mode, return_sequences=True)
        layer_seq.build(x.shape)
        layer_seq.set_weights(layer.get_weights())
        sequence = layer_seq(x)
        np.testing.assert_array_equal(out, sequence if return_sequences else sequence[:, -1])
        if mode != "log":  # no initial state means zeros (log mode cannot take log 0: it leaves h_0 out)
            np.testing.assert_array_equal(layer_seq(x, initial_state=np.zeros((BATCH, UNITS), "float32")), sequence)
        outputs[mode] = (sequence.numpy(), layer.get_weights())
    loop = make(layer_class, "loop", outputs["log"][1])
    np.testing.assert_allclose(outputs["log"][0], loop(x), atol=ATOL)  # log without h_0 = loop from zeros
    model = keras.Sequential([keras.Input((6, FEATURES)), layer_class(UNITS, return_sequences=return_sequences)])
    assert model.output_shape == ((None, 6, UNITS) if return_sequences else (None, UNITS))


@pytest.mark.parametrize(
    "layer_class, mode, negative",
    [
        (min_rnn.MinGRU, "scan", True),
        (min_rnn.MinGRU, "loop", False),
        (min_rnn.MinLSTM, "log", False),
        (min_rnn.MinLSTM, "scan", False),
    ],
)
def test_save_and_load_keras_file(tmp_path, layer_class, mode, negative):
    set_seed(10)
    model = keras.Sequential(
        [keras.Input((6, FEATURES)), layer_class(UNITS, mode=mode, negative_transition=negative), keras.layers.Dense(2)]
    )
    path = tmp_path / "model.keras"
    model.save(path)
    loaded = keras.models.load_model(path)
    x = inputs(BATCH, 6)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    config = loaded.layers[0].get_config()
    assert type(loaded.layers[0]) is layer_class
    assert (config["mode"], config["negative_transition"], config["units"]) == (mode, negative, UNITS)


@pytest.mark.parametrize("layer_class", LAYERS)
def test_wrong_shapes_name_both_shapes(layer_class):
    with pytest.raises(ValueError, match=r"\(batch, time, features\).*got shape \(5, 3\)"):
        layer_class(UNITS)(np.zeros((5, 3), "float32"))
    layer = layer_class(UNITS)
    layer(np.zeros((2, 5, 3), "float32"))
    with pytest.raises(ValueError, match=r"\(batch, time, features=3\).*got shape \(2, 5, 7\)"):
        layer(np.zeros((2, 5, 7), "float32"))
    with pytest.raises(ValueError, match=r"initial_state of shape \(batch, units=4\).*got shape \(2, 3\)"):
        layer(np.zeros((2, 5, 3), "float32"), initial_state=np.ones((2, 3), "float32"))


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="cannot represent a negative a_t"):
        min_rnn.MinGRU(UNITS, mode="log", negative_transition=True)
    with pytest.raises(ValueError, match="cannot represent a negative a_t"):
        min_rnn.MinLSTM(UNITS, mode="log", negative_transition=True)
    with pytest.raises(ValueError, match="candidate='g'"):
        min_rnn.MinLSTM(UNITS, mode="log", candidate="linear")
    with pytest.raises(ValueError, match="mode must be one of"):
        min_rnn.MinGRU(UNITS, mode="parallel")
    with pytest.raises(ValueError, match="candidate must be one of"):
        min_rnn.MinGRU(UNITS, candidate="tanh")
    layer = min_rnn.MinGRU(UNITS, mode="log")
    with pytest.raises(tf.errors.InvalidArgumentError, match="initial_state > 0"):
        layer(inputs(2, 3), initial_state=-np.ones((2, UNITS), "float32"))


def test_scan_needs_a_known_length():
    layer = min_rnn.MinGRU(UNITS, mode="scan")
    layer.build((None, None, FEATURES))
    traced = tf.function(layer, input_signature=[tf.TensorSpec((None, None, FEATURES))])
    with pytest.raises(ValueError, match="time length known"):
        traced.get_concrete_function()


@pytest.mark.parametrize("layer_class", LAYERS)
def test_negative_transition(layer_class):
    x, w = inputs(BATCH, 9), weights_for(layer_class)
    h0 = np.random.default_rng(3).normal(size=(BATCH, UNITS)).astype("float32")  # any sign: no log here
    a_pos, b_pos = (v.numpy() for v in make(layer_class, "scan", w).coefficients(x))
    a_neg, b_neg = (v.numpy() for v in make(layer_class, "scan", w, negative_transition=True).coefficients(x))
    assert 0 < a_pos.min() and a_pos.max() < 1
    assert -1 < a_neg.min() < 0 < a_neg.max() < 1  # really negative, and still inside (-1, 1)
    np.testing.assert_allclose(a_neg, 2 * a_pos - 1, atol=1e-6)
    np.testing.assert_array_equal(b_neg, b_pos)  # Grazzi et al.'s recipe: only the transition changes
    loop, grads_loop = run_with_grads(make(layer_class, "loop", w, negative_transition=True), x, h0)
    scan, grads_scan = run_with_grads(make(layer_class, "scan", w, negative_transition=True), x, h0)
    np.testing.assert_allclose(scan, loop, atol=ATOL, rtol=0)
    assert max_diff(grads_scan, grads_loop) <= ATOL


@pytest.mark.parametrize("mode", ["loop", "scan"])
def test_negative_transition_computes_parity(mode):
    """Weights set by hand: a_t = 1 - 2 sigmoid(20 x_t - 10) is about +1 for bit 0 and -1 for bit 1, b_t = 0,
    so from h_0 = 1 the sign of h_T is (-1)^(number of ones). With a_t in (0, 1) the sign can never flip."""
    bits = np.random.default_rng(4).integers(0, 2, size=(64, 20, 1)).astype("float32")
    parity = bits.sum(axis=(1, 2)) % 2
    h0 = np.ones((64, 1), "float32")
    for negative in (True, False):
        layer = min_rnn.MinGRU(1, mode=mode, candidate="linear", negative_transition=negative)
        layer.build(bits.shape)
        layer.set_weights([np.array([[20.0, 0.0]], "float32"), np.array([-10.0, 0.0], "float32")])
        h_last = layer(bits, initial_state=h0).numpy()[:, 0]
        if negative:
            np.testing.assert_array_equal(h_last < 0, parity == 1)
        else:
            assert np.all(h_last >= 0)  # (a product of 20 numbers in (0, 1) may underflow to 0)


@pytest.mark.parametrize("layer_class", LAYERS)
def test_long_sequence(layer_class):
    """T = 1000, float32. Measured max differences from the loop: scan outputs 5e-7, scan gradients 3e-6 (the
    gradients themselves reach about 17); log outputs 1.7e-4 (log h_t = a*_t + logcumsumexp(...), a*_t in the
    hundreds, loses digits to cancellation), log gradients up to 0.26: not asserted (see min_rnn's docstring).
    Against the same loop in float64, float32 loop and scan are both within 9e-6 on gradients, log 0.26 off."""
    x, h0, w = inputs(2, 1000, seed=8), positive_state(2, seed=9), weights_for(layer_class, seed=10)
    loop, grads_loop = run_with_grads(make(layer_class, "loop", w), x, h0)
    scan, grads_scan = run_with_grads(make(layer_class, "scan", w), x, h0)
    log = make(layer_class, "log", w)(x, initial_state=h0).numpy()
    np.testing.assert_allclose(scan, loop, atol=ATOL, rtol=0)
    assert max_diff(grads_scan, grads_loop) <= 2e-5
    np.testing.assert_allclose(log, loop, atol=1e-3, rtol=0)


def test_trains_the_same_in_fit_by_loop_and_by_scan():
    """Inside model.fit (a tf.function): the loss falls, and loop and scan take the same steps."""
    x = inputs(64, 8, features=2, seed=11)
    y = x[:, :, :1].sum(axis=1)
    histories = {}
    for mode in ("loop", "scan"):
        set_seed(11)
        model = keras.Sequential([keras.Input((8, 2)), min_rnn.MinLSTM(16, mode=mode), keras.layers.Dense(1)])
        model.compile(keras.optimizers.Adam(0.01), "mse")
        histories[mode] = model.fit(x, y, epochs=10, batch_size=16, verbose=0).history["loss"]
    assert histories["scan"][-1] < 0.8 * histories["scan"][0]  # measured: 6.76 -> 4.87 in 10 epochs
    np.testing.assert_allclose(histories["scan"], histories["loop"], rtol=1e-4)
