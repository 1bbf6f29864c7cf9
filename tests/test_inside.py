"""helpers.inside: the gates recomputed from a layer's outputs, the text's features, and the measures built on them."""

import numpy as np
import pytest

from helpers import inside, models


@pytest.fixture(scope="module")
def tiny():
    model = models.language_model(11, units=6, layers=2, embedding=4, batch_size=2, steps=5)
    model.set_weights([np.random.default_rng(0).normal(0, 0.7, w.shape) for w in model.get_weights()])
    return model


def test_trace_recomputes_each_layer_output_from_its_weights(tiny):
    ids = np.random.default_rng(1).integers(0, 11, 61)
    layers = inside.trace(tiny, ids, rows=3, chunk=7)
    assert len(layers) == 2
    for layer in layers:
        assert layer["h"].shape == layer["c"].shape == layer["f"].shape == (60, 6)
        assert layer["h_error"] < 1e-5
    assert np.allclose(layers[1]["x"], layers[0]["h"], atol=1e-6)  # the second layer reads the first


def test_each_row_reads_its_stretch_in_order_as_one_text(tiny):
    ids = np.random.default_rng(2).integers(0, 11, 40)
    whole = inside.trace(tiny, ids[:20], rows=1, chunk=20)[1]["h"]
    split = inside.trace(tiny, ids, rows=2, chunk=3)[1]["h"][:20]  # row 0 is ids[:20], read 3 at a time
    assert np.allclose(whole, split, atol=1e-5)


def test_features_of_a_tiny_play():
    text = "ROMEO:\nHi there\n"
    f = inside.features(text)
    assert f["position in the line"].tolist() == [0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 7, 8]
    assert f["characters to the end of the line"][:7].tolist() == [6, 5, 4, 3, 2, 1, 0]
    assert f["in a speaker's name line"].tolist() == [1.0] * 7 + [0.0] * 9
    assert f["an upper-case letter"].sum() == 6 and f["a newline"].sum() == 2
    assert f["position in the word"][6:13].tolist() == [
        0,
        1,
        2,
        0,
        1,
        2,
        3,
    ]  # "\nHi the": since the last space or newline


def test_correlations_are_pearsons_and_best_units_ranks_them():
    rng = np.random.default_rng(3)
    feature = rng.normal(size=500)
    values = np.stack([rng.normal(size=500), -feature + 0.1 * rng.normal(size=500), np.ones(500)], axis=1)
    r = inside.correlations(values, feature)
    assert np.allclose(r[:2], [np.corrcoef(values[:, k], feature)[0, 1] for k in range(2)]) and r[2] == 0
    (row,) = inside.best_units(values, {"f": feature})
    assert row["unit"] == 1 and row["r"] < -0.99 and row["above"] == 1


def test_saturation_counts_time_below_and_above():
    gate = np.array([[0.05, 0.5], [0.95, 0.5], [0.05, 0.99], [0.5, 0.5]])
    left, right = inside.saturation(gate)
    assert left.tolist() == [0.5, 0.0] and right.tolist() == [0.25, 0.25]


def test_with_no_recurrence_and_forget_gates_shut_the_last_loss_reaches_only_its_own_input(tiny):
    weights = tiny.get_weights()
    cut = models.language_model(11, units=6, layers=2, embedding=4, batch_size=2, steps=5)
    new = []
    for w, path in zip(weights, [v.path for v in cut.weights]):
        if "recurrent" in path:
            w = np.zeros_like(w)  # no h_{t-1}
        elif path.endswith("lstm_cell/bias"):
            w = w.copy()
            w[6:12] = -1000.0  # forget gates shut: no c_{t-1} either
        new.append(w)
    cut.set_weights(new)
    ids = np.random.default_rng(4).integers(0, 11, 200)
    far = inside.reach(cut, ids, windows=4, length=8)
    assert far.shape == (8,) and far[0] > 0 and np.all(far[1:] == 0)
    assert inside.reach(tiny, ids, windows=4, length=8)[1] > 0


def test_a_longer_context_is_scored_over_the_same_characters(tiny):
    ids = np.random.default_rng(5).integers(0, 11, 101)
    short, long = inside.loss_by_context(tiny, ids, 10), inside.loss_by_context(tiny, ids, 100)
    assert np.isfinite(short) and np.isfinite(long) and short != long


def test_loss_by_context_is_the_mean_cross_entropy_of_the_windows_read_apart(tiny):
    import keras

    ids = np.random.default_rng(6).integers(0, 11, 71)
    x, y = ids[:70].reshape(7, 10), ids[1:71].reshape(7, 10)
    m = models.resized(tiny, None, 10, stateful=False)
    m.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    assert inside.loss_by_context(tiny, ids, 10, rows=3) == pytest.approx(m.evaluate(x, y, verbose=0), abs=1e-5)
