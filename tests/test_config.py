"""helpers.config: fast mode and seeding."""

import numpy as np
import pytest

from helpers.config import is_fast, set_seed


@pytest.mark.parametrize(
    "value, fast", [("1", True), ("true", True), ("ON", True), ("", False), ("0", False), ("no", False)]
)
def test_fast_mode_values(value, fast):
    assert is_fast({"RNN_COURSE_FAST": value}) is fast


def test_fast_mode_unset_is_full_mode():
    assert is_fast({}) is False


def test_fast_mode_rejects_a_typo():
    with pytest.raises(ValueError, match="'fsat'"):
        is_fast({"RNN_COURSE_FAST": "fsat"})


def train_a_little(seed):
    """A few steps of a small model with random init, dropout and shuffling: every source of randomness."""
    import keras

    set_seed(seed)
    x = np.random.normal(size=(64, 10, 3)).astype("float32")
    y = np.random.normal(size=(64, 1)).astype("float32")
    model = keras.Sequential(
        [keras.Input((10, 3)), keras.layers.SimpleRNN(8), keras.layers.Dropout(0.5), keras.layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    history = model.fit(x, y, epochs=2, batch_size=16, shuffle=True, verbose=0)
    return history.history["loss"], [w.copy() for w in model.get_weights()]


def test_same_seed_same_numbers():
    loss_a, weights_a = train_a_little(7)
    loss_b, weights_b = train_a_little(7)
    assert loss_a == loss_b
    for a, b in zip(weights_a, weights_b):
        assert np.array_equal(a, b)


def test_different_seed_different_numbers():
    loss_a, _ = train_a_little(7)
    loss_b, _ = train_a_little(8)
    assert loss_a != loss_b
