"""helpers.models, helpers.training, helpers.sampling: the stateful character model of notebook 04."""

import math

import keras
import numpy as np
import pytest

from helpers import batching, logs, models, sampling, training
from helpers.config import set_seed
from helpers.vocab import UnknownSymbolError, Vocabulary

TEXT = "to be, or not to be, that is the question: whether 'tis nobler in the mind to suffer " * 6
VOCAB = Vocabulary.from_text(TEXT)
IDS = VOCAB.encode(TEXT)


def tiny(lstm="course", dropout=0.0, batch_size=4, steps=10, **kwargs):
    return models.language_model(
        len(VOCAB), units=12, embedding=6, dropout=dropout, batch_size=batch_size, steps=steps, lstm=lstm, **kwargs
    )


def test_batches_of_the_real_layout_continue_across_steps():
    x, y = batching.batch_producer(IDS, batch_size=4, num_steps=10)
    for k in range(len(x) - 1):
        # the target of the last step of batch k is the first input of batch k+1, in every row
        np.testing.assert_array_equal(y[k][:, -1], x[k + 1][:, 0])
        np.testing.assert_array_equal(x[k][:, 1:], y[k][:, :-1])


@pytest.mark.parametrize("lstm", ["course", "keras"])
def test_stateful_model_carries_its_state_and_reset_clears_it(lstm):
    set_seed(0)
    model = tiny(lstm)
    x = IDS[:40].reshape(4, 10)
    first = keras.ops.convert_to_numpy(model(x))
    second = keras.ops.convert_to_numpy(model(x))
    assert not np.allclose(first, second)  # the second call started from the first one's state
    assert [layer.name for layer in models.stateful_layers(model)] == ["lstm_1", "lstm_2"]
    models.reset_states(model)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(model(x)), first, atol=1e-6)


def test_stateful_model_needs_a_batch_size():
    with pytest.raises(ValueError, match="fixed batch_size"):
        models.language_model(10, units=4, stateful=True)


def test_resized_copy_has_the_same_weights_and_outputs():
    set_seed(0)
    model = tiny()
    one = models.resized(model, 1)
    assert one.input_shape == (1, None)
    for a, b in zip(model.get_weights(), one.get_weights()):
        np.testing.assert_array_equal(a, b)
    x = IDS[:40].reshape(4, 10)
    models.reset_states(model)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(one(x[:1])), keras.ops.convert_to_numpy(model(x))[:1], atol=1e-5
    )


def test_progress_bar_shows_the_epochs_and_the_running_loss(capsys):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(
        np.ones((8, 3)),
        np.ones((8, 1)),
        batch_size=4,
        epochs=2,
        verbose=0,
        callbacks=[training.progress_bar(mininterval=0)],
    )
    err = capsys.readouterr().err
    assert "2/2" in err and "loss=" in err, err  # the epochs' bar, and the loss as its postfix


def test_units_of_the_loss():
    assert training.bits(math.log(2)) == pytest.approx(1.0)
    assert training.perplexity(math.log(65)) == pytest.approx(65.0)


def fit(run_dir, epochs=3, interrupt_at=None, dropout=0.0):
    """Train a tiny model into run_dir; raise KeyboardInterrupt at the start of epoch `interrupt_at`."""
    set_seed(0)
    model = tiny(dropout=dropout)
    updates = training.updates_per_epoch(len(IDS) - 100, model)
    training.compile_language_model(model, learning_rate=1e-2, decay_steps=epochs * updates)

    class Interrupt(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            if epoch == interrupt_at:
                raise KeyboardInterrupt

    log = training.fit_language_model(
        model,
        IDS[:-100],
        IDS[-100:],
        epochs=epochs,
        run_dir=run_dir,
        progress=False,
        tensorboard=False,
        extra_callbacks=[Interrupt()],
    )
    return model, log, updates


def test_training_lowers_the_loss_and_logs_every_epoch(tmp_path):
    model, log, updates = fit(tmp_path, epochs=3)
    assert log["epoch"] == [0, 1, 2]
    assert log["loss"][-1] < log["loss"][0] < math.log(len(VOCAB)) + 0.1
    assert log["val_bits"][-1] == pytest.approx(log["val_loss"][-1] / math.log(2))
    assert log["seconds"] == sorted(log["seconds"])
    assert int(model.optimizer.iterations) == 3 * updates
    assert (tmp_path / "latest.keras").exists() and not (tmp_path / "backup").exists()


def test_interrupted_run_resumes_from_the_saved_epoch(tmp_path):
    whole, whole_log, updates = fit(tmp_path / "whole")
    with pytest.raises(KeyboardInterrupt):
        fit(tmp_path / "cut", interrupt_at=2)
    assert logs.read_log(tmp_path / "cut" / "log.csv")["epoch"] == [0, 1]
    resumed, log, _ = fit(tmp_path / "cut")  # the same call again
    assert log["epoch"] == [0, 1, 2]
    assert int(resumed.optimizer.iterations) == 3 * updates  # 2 epochs restored + 1 trained, not 3 more
    # no dropout, state reset each epoch: the resumed run ends exactly where the whole one did
    for a, b in zip(whole.get_weights(), resumed.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)
    np.testing.assert_allclose(log["val_loss"], whole_log["val_loss"], atol=1e-6)


def test_finished_run_is_loaded_not_retrained(tmp_path):
    trained, _, _ = fit(tmp_path)
    again, log, _ = fit(tmp_path)
    assert int(again.optimizer.iterations) == int(trained.optimizer.iterations)  # restored, nothing more trained
    for a, b in zip(trained.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert log["epoch"] == [0, 1, 2]


@pytest.fixture(scope="module")
def model():
    set_seed(1)
    m = tiny()
    training.compile_language_model(m, learning_rate=1e-2, decay_steps=100)
    x, y = batching.batch_producer(IDS, 4, 10)
    for k in range(len(x)):
        m.train_on_batch(x[k], y[k])
    return m


def test_greedy_sampling_is_deterministic(model):
    a = sampling.sample(model, "to be", 40, 0, vocab=VOCAB)
    assert a == sampling.sample(model, "to be", 40, 0, vocab=VOCAB, seed=123)
    assert a.startswith("to be") and len(a) == 45


def test_sampling_is_reproducible_under_a_seed(model):
    a = sampling.sample(model, "to be", 60, 1.0, vocab=VOCAB, seed=5)
    assert a == sampling.sample(model, "to be", 60, 1.0, vocab=VOCAB, seed=5)
    assert a != sampling.sample(model, "to be", 60, 1.0, vocab=VOCAB, seed=6)


def test_sampler_keeps_the_state_between_characters(model):
    one = sampling.Sampler(model, VOCAB, seed=2)
    one.feed("whether ")
    many = sampling.Sampler(model, VOCAB, seed=2)
    many.feed("whether ")
    assert one.generate(30, 0.8) == "".join(many.generate(1, 0.8) for _ in range(30))
    # and the state matters: a sampler reset before each character writes something else
    fresh = sampling.Sampler(model, VOCAB, seed=2)
    fresh.feed("whether ")
    amnesiac = ""
    for _ in range(30):
        ch = fresh.generate(1, 0.8)
        amnesiac += ch
        fresh.reset()
        fresh.feed(ch)
    assert amnesiac != one.generate(0, 0.8) and len(amnesiac) == 30


def test_saved_model_loads_and_samples_the_same_text(model, tmp_path):
    model.save(tmp_path / "m.keras")
    loaded = keras.models.load_model(tmp_path / "m.keras")
    assert sampling.sample(loaded, "to be", 50, 0.9, vocab=VOCAB, seed=3) == sampling.sample(
        model, "to be", 50, 0.9, vocab=VOCAB, seed=3
    )


@pytest.mark.parametrize(
    "prompt, temperature, error, message",
    [
        ("to be", -0.5, ValueError, "temperature must be a finite number ≥ 0"),
        ("to be", float("nan"), ValueError, "temperature"),
        ("", 1.0, ValueError, "prompt is empty"),
        ("to bZ", 1.0, UnknownSymbolError, r"'Z' \(at position 4\) is not in the vocabulary"),
    ],
)
def test_bad_arguments_say_what_is_wrong(model, prompt, temperature, error, message):
    with pytest.raises(error, match=message):
        sampling.sample(model, prompt, 5, temperature, vocab=VOCAB)


def test_pick_follows_the_tempered_softmax():
    rng = np.random.default_rng(0)
    logits = np.log([0.7, 0.2, 0.1])
    draws = np.bincount([sampling.pick(logits, 1.0, rng) for _ in range(5000)], minlength=3) / 5000
    np.testing.assert_allclose(draws, [0.7, 0.2, 0.1], atol=0.03)
    cold = np.bincount([sampling.pick(logits, 0.25, rng) for _ in range(2000)], minlength=3) / 2000
    assert cold[0] > 0.95  # 0.7^4 : 0.2^4 : 0.1^4
    assert sampling.pick(logits, 0, rng) == 0


def test_weight_drop_drops_recurrent_weights_in_training_only():
    from helpers import fast_lstm

    set_seed(0)
    x = np.random.default_rng(0).normal(size=(3, 6, 4)).astype("float32")
    layer = fast_lstm.LSTM(5, return_sequences=True, weight_drop=0.5)
    plain = fast_lstm.LSTM(5, return_sequences=True)
    layer(x), plain(x)
    plain.set_weights(layer.get_weights())
    np.testing.assert_allclose(layer(x, training=False), plain(x), atol=1e-6)
    assert np.abs(layer(x, training=True).numpy() - plain(x).numpy()).max() > 1e-3
    # the first step never sees the recurrent kernel (h0 = 0): dropping it leaves step 0 alone
    np.testing.assert_allclose(layer(x, training=True)[:, 0], plain(x)[:, 0], atol=1e-6)
    assert fast_lstm.LSTM.from_config(layer.get_config()).weight_drop == 0.5
    with pytest.raises(ValueError, match="fraction of recurrent weights"):
        fast_lstm.LSTM(5, weight_drop=1.0)


def test_locked_dropout_keeps_one_mask_for_every_step():
    set_seed(0)
    model = models.language_model(7, units=4, embedding=6, dropout=0.5, locked_dropout=True, batch_size=2, steps=9)
    drop = model.get_layer("dropout_1")
    out = drop(np.ones((2, 9, 6), "float32"), training=True).numpy()
    assert (out == 0).any() and (out != 0).any()
    assert (out == out[:, :1]).all()  # each row's mask is the same at all 9 steps
    fresh = models.language_model(7, units=4, embedding=6, dropout=0.5, batch_size=2, steps=9)
    out = fresh.get_layer("dropout_1")(np.ones((2, 9, 6), "float32"), training=True).numpy()
    assert not (out == out[:, :1]).all()  # the usual dropout draws a new mask every step
