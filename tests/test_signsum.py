"""helpers.signsum: the task's rules, its encoding, and its data sets."""

import numpy as np
import pytest

from helpers import signsum

EXAMPLES = {
    "+++": 3,
    "--": -2,
    "+--": -1,
    "00+": 1,
    "I+": -1,
    "I0-": 1,
    "0+I000": 1,
    "I++000": -2,
    "+-+-+-": 0,
    "------": -6,
    "-I--": 1,
    "II+": 1,
}


@pytest.mark.parametrize("sequence, expected", EXAMPLES.items())
def test_examples(sequence, expected):
    assert signsum.final_sum(sequence) == expected


def test_running_sum():
    assert signsum.running_sum("+I+-").tolist() == [1, 1, 0, 1]
    assert signsum.running_sum("-I--").tolist() == [-1, -1, 0, 1]


def test_encode_decode_round_trip():
    x = signsum.encode("0+-I")
    assert x.tolist() == [[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]] and x.dtype == np.float32
    batch = ["+-0I", "II00"]
    assert signsum.encode(batch).shape == (2, 4, 3)
    assert signsum.decode(signsum.encode(batch)) == batch


@pytest.mark.parametrize("bad, message", [("+-x0", r"'x' at position 2"), ("", "empty"), ("+ -", r"' ' at position 1")])
def test_bad_characters_are_named(bad, message):
    with pytest.raises(ValueError, match=message):
        signsum.final_sum(bad)


def test_decode_rejects_unknown_codes_and_shapes():
    with pytest.raises(ValueError, match="Row 1"):
        signsum.decode([[1, 0, 0], [1, 1, 0]])
    with pytest.raises(ValueError, match=r"\(time, 3\)"):
        signsum.decode(np.zeros((4, 2)))


def test_batches_need_one_length():
    with pytest.raises(ValueError, match=r"lengths \[2, 3\]"):
        signsum.encode(["++", "+++"])


def test_all_sequences():
    every = signsum.all_sequences(6)
    assert len(every) == 4096 == len(set(every))
    assert every == signsum.all_sequences(6)  # a fixed order
    assert every != sorted(every)  # ... that is shuffled
    assert signsum.all_sequences(2, seed=1) != signsum.all_sequences(2, seed=2)


def test_random_sequences_and_targets():
    seqs = signsum.random_sequences(5, 50, seed=3)
    assert len(seqs) == 5 and all(len(s) == 50 and set(s) <= set(signsum.ALPHABET) for s in seqs)
    assert signsum.targets(seqs).shape == (5, 1)
    running = signsum.targets(seqs, running=True)
    assert running.shape == (5, 50, 1)
    assert np.array_equal(running[:, -1], signsum.targets(seqs))


def test_a_short_training_lowers_the_loss():
    """The hand-built LSTM learns something of the task within a few epochs (the notebook's set-up, smaller)."""
    import keras

    from helpers import cells
    from helpers.config import set_seed

    set_seed(0)
    sequences = signsum.all_sequences(6)[:256]
    model = keras.Sequential(
        [keras.Input((None, 3)), keras.layers.RNN(cells.LSTMCell(16), return_sequences=True), keras.layers.Dense(1)]
    )
    model.compile(keras.optimizers.Adam(0.01), "mse")
    losses = model.fit(
        signsum.encode(sequences), signsum.targets(sequences, running=True), batch_size=32, epochs=20, verbose=0
    ).history["loss"]
    assert losses[-1] < 0.3 * losses[0], losses
