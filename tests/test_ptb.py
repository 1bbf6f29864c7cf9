"""helpers.ptb (groundwork for notebook 06): the tutorial's data, sizes, loss scale and schedule; tied embeddings."""

import math

import keras
import numpy as np
import pytest

from helpers import batching, models, ptb
from helpers.config import set_seed
from helpers.data import fetch


@pytest.fixture(scope="module")
def data():
    return ptb.load()


def test_vocabulary_and_token_counts(data):
    vocab, train, valid, test = data
    assert len(vocab) == 10_000
    assert (len(train), len(valid), len(test)) == (ptb.SIZES["train"], ptb.SIZES["valid"], ptb.SIZES["test"])
    assert vocab.id_to_symbol[:4] == ["the", "<unk>", "<eos>", "N"]  # the tutorial's first ids
    assert "<unk>" in vocab and vocab.unk is None  # PTB has its own <unk> token; nothing else is unknown


def test_eos_ends_every_line(data):
    vocab, train, _, _ = data
    eos = vocab.symbol_to_id["<eos>"]
    with open(fetch("ptb.train"), encoding="utf-8") as f:
        lines = f.read().count("\n")
    assert int((train == eos).sum()) == lines


def test_epoch_size_of_the_small_configuration(data):
    _, train, _, _ = data
    small = ptb.CONFIGS["small"]
    assert batching.epoch_size(len(train), small["batch_size"], small["steps"]) == 2323


def test_uniform_model_has_the_vocabulary_size_as_perplexity():
    steps, vocab = 20, 10_000
    y = np.zeros((4, steps), dtype="int32")
    loss = float(ptb.SummedCrossEntropy()(y, np.zeros((4, steps, vocab), dtype="float32")))
    assert loss == pytest.approx(steps * math.log(vocab), rel=1e-5)
    assert ptb.perplexity(loss, steps) == pytest.approx(vocab, rel=1e-4)


def test_summed_loss_is_steps_times_the_mean():
    rng = np.random.default_rng(0)
    y, logits = rng.integers(0, 7, (3, 5)), rng.normal(size=(3, 5, 7)).astype("float32")
    mean = float(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, logits))
    assert float(ptb.SummedCrossEntropy()(y, logits)) == pytest.approx(5 * mean, rel=1e-5)


def test_learning_rate_schedule_of_the_small_configuration():
    small = ptb.CONFIGS["small"]
    assert [ptb.learning_rate(small, e) for e in range(7)] == [1.0, 1.0, 1.0, 1.0, 0.5, 0.25, 0.125]


def test_tied_model_reads_its_logits_through_the_embedding():
    set_seed(0)
    model = models.language_model(50, units=8, embedding=8, batch_size=2, steps=3, tied=True, init_scale=0.1)
    names = [w.path for w in model.weights]
    assert not any("logits" in n for n in names)  # no separate output matrix
    table = model.get_layer("embedding")
    assert np.abs(keras.ops.convert_to_numpy(table.embeddings)).max() <= 0.1
    h = np.random.default_rng(0).normal(size=(2, 3, 8)).astype("float32")
    expected = h @ keras.ops.convert_to_numpy(table.embeddings).T + keras.ops.convert_to_numpy(table.output_bias)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(table(h, reverse=True)), expected, atol=1e-5)
    assert model(np.zeros((2, 3), "int32")).shape == (2, 3, 50)
    with pytest.raises(ValueError, match="embedding == units"):
        models.language_model(50, units=8, embedding=4, batch_size=2, tied=True)


def test_tied_model_saves_and_loads(tmp_path):
    set_seed(0)
    model = models.language_model(30, units=6, embedding=6, batch_size=2, steps=4, tied=True)
    x = np.arange(8, dtype="int32").reshape(2, 4)
    expected = keras.ops.convert_to_numpy(model(x))
    model.save(tmp_path / "tied.keras")
    loaded = keras.models.load_model(tmp_path / "tied.keras")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded(x)), expected, atol=1e-6)
