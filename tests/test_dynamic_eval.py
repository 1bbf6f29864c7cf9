"""helpers.dynamic_eval: score each chunk first, then one step of SGD (or RMS) with a decay back to the trained weights."""

import numpy as np
import pytest
import tensorflow as tf

import helpers.config
from helpers import dynamic_eval, models

VOCAB = 7


def tiny_model(seed: int = 0, scale: float | None = 0.5):
    """A 2 x 8 stateful LSTM language model over 7 ids, as the course builds them (batches of 2 x 5).

    With `scale`, its weights are drawn from N(0, scale^2): a "trained" model whose predictions are far from
    uniform and depend on the state it carries; with None, Keras' initial weights (predictions near uniform).
    """
    helpers.config.set_seed(seed)
    model = models.language_model(VOCAB, units=8, layers=2, embedding=4, dropout=0.25, batch_size=2, steps=5)
    if scale is not None:
        rng = np.random.default_rng(seed)
        model.set_weights([rng.normal(0, scale, w.shape).astype(np.float32) for w in model.get_weights()])
    return model


def text(length: int = 43, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, VOCAB, length).astype(np.int32)


def mean_loss(model, x, y) -> float:
    logits = model(np.asarray(x, np.int32).reshape(1, -1), training=False)
    return float(tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(np.reshape(y, (1, -1)), logits)))


def gradient(model, x, y) -> list[np.ndarray]:
    """The gradient of the mean loss on one chunk, for a batch-1 model from its current state, by a tape of its own."""
    with tf.GradientTape() as tape:
        logits = model(np.asarray(x, np.int32).reshape(1, -1), training=False)
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(np.reshape(y, (1, -1)), logits))
    return [tf.convert_to_tensor(g).numpy() for g in tape.gradient(loss, model.trainable_weights)]


def weights(reader) -> list[np.ndarray]:
    return [w.numpy() for w in reader.weights]


def test_with_no_learning_the_loss_is_the_static_models_over_the_whole_text_read_at_once():
    model, ids = tiny_model(), text(43)  # 42 predictions: 8 chunks of 5 and one of 2
    reader = dynamic_eval.DynamicEvaluation(model, chunk=5)
    static = reader.run(ids, learn=False)
    whole = models.resized(model, 1, None, stateful=False)  # no chunks: the state runs through in one call
    assert static == pytest.approx(mean_loss(whole, ids[:-1], ids[1:]), abs=1e-6)
    fresh = np.mean([mean_loss(whole, ids[s : s + 5], ids[s + 1 : s + 6]) for s in range(0, 40, 5)])
    carried = dynamic_eval.DynamicEvaluation(model, chunk=5).run(ids[:41], learn=False)
    assert abs(carried - fresh) > 1e-4  # zeroing the state at each chunk would be another figure (4e-4 away)


def test_learning_rate_zero_gives_the_static_loss_exactly_and_leaves_the_weights():
    model, ids = tiny_model(), text(43)
    reader = dynamic_eval.DynamicEvaluation(model, chunk=5, learning_rate=0.0, decay=0.0)
    static = reader.run(ids, learn=False)
    assert reader.run(ids) == static
    for w, w0 in zip(weights(reader), model.get_weights()):
        np.testing.assert_array_equal(w, w0)


def test_a_chunk_is_scored_before_the_model_learns_from_it():
    model, ids = tiny_model(), text(43)
    reader = dynamic_eval.DynamicEvaluation(model, chunk=5, learning_rate=0.5)
    static = models.resized(model, 1, None, stateful=True)
    reader.restore()
    first = reader.step(ids[:5], ids[1:6])
    assert first == pytest.approx(mean_loss(static, ids[:5], ids[1:6]), abs=1e-6)  # the trained weights scored it
    assert not np.allclose(weights(reader)[-1], model.get_weights()[-1])  # and then it learned

    # The second chunk is scored by the weights and the state the first one left, before its own step.
    snapshot = models.resized(reader.model, 1, None, stateful=True)
    for mine, theirs in zip(models.stateful_layers(snapshot), models.stateful_layers(reader.model)):
        for s, t in zip(mine.states, theirs.states):
            s.assign(t)
    expected = mean_loss(snapshot, ids[5:10], ids[6:11])
    assert reader.step(ids[5:10], ids[6:11]) == pytest.approx(expected, abs=1e-6)


def test_one_sgd_step_is_theta_minus_lr_times_the_gradient_and_decay_one_forgets_all_but_the_last_step():
    model, ids, lr = tiny_model(), text(43), 0.3
    reader = dynamic_eval.DynamicEvaluation(model, chunk=5, learning_rate=lr, decay=1.0)
    g = gradient(models.resized(model, 1, None, stateful=True), ids[:5], ids[1:6])
    reader.restore()
    reader.step(ids[:5], ids[1:6])
    for w, w0, gw in zip(weights(reader), model.get_weights(), g):
        np.testing.assert_allclose(w, w0 - lr * gw, atol=1e-6)


def test_decay_one_returns_to_the_trained_weights():
    model, ids = tiny_model(), text(43)
    reader = dynamic_eval.DynamicEvaluation(model, chunk=5, learning_rate=0.5, decay=0.0)
    reader.run(ids[:21])  # four steps away from the trained weights
    assert max(np.abs(w - w0).max() for w, w0 in zip(weights(reader), model.get_weights())) > 1e-3
    reader.set(0.0, 1.0)
    reader.step(ids[21:26], ids[22:27])
    for w, w0 in zip(weights(reader), model.get_weights()):
        np.testing.assert_allclose(w, w0, atol=1e-7)


def test_decay_pulls_back_a_fraction_of_the_way():
    model, ids = tiny_model(), text(43)
    reader = dynamic_eval.DynamicEvaluation(model, chunk=5, learning_rate=0.5)
    reader.run(ids[:21])
    before = weights(reader)
    reader.set(0.0, 0.25)
    reader.step(ids[21:26], ids[22:27])
    for w, b, w0 in zip(weights(reader), before, model.get_weights()):
        np.testing.assert_allclose(w, b + 0.25 * (w0 - b), atol=1e-6)


def test_the_rms_update_divides_each_gradient_by_its_rms_and_pulls_back_by_rms_over_its_mean_clipped():
    model, ids, lr, eps = tiny_model(), text(43), 0.01, 1e-5
    rng = np.random.default_rng(3)
    rms = [rng.uniform(0.01, 1.0, w.shape).astype(np.float32) for w in model.trainable_weights]
    reader = dynamic_eval.DynamicEvaluation(model, chunk=5, learning_rate=lr, rms=rms, epsilon=eps)
    g = gradient(models.resized(model, 1, None, stateful=True), ids[:5], ids[1:6])
    reader.restore()
    reader.step(ids[:5], ids[1:6])
    for w, w0, gw, r in zip(weights(reader), model.get_weights(), g, rms):
        np.testing.assert_allclose(w, w0 - lr * gw / (r + eps), atol=1e-6)

    reader.set(0.0, 0.5)  # a step of pure decay: each weight moves back by 0.5 * min(rms / mean rms, 2)
    before = weights(reader)
    reader.step(ids[5:10], ids[6:11])
    mean = np.mean([r.mean() for r in rms])
    for w, b, w0, r in zip(weights(reader), before, model.get_weights(), rms):
        np.testing.assert_allclose(w, b + 0.5 * np.minimum(r / mean, 2.0) * (w0 - b), atol=1e-6)


def test_on_a_repeated_text_dynamic_evaluation_lowers_the_loss():
    model = tiny_model(scale=None)  # predicts about 1/7 for every id: about ln 7 = 1.95 nats
    ids = np.tile(np.array([0, 0, 3, 0, 0, 5, 0], np.int32), 20)  # one phrase, 20 times, mostly 0s
    reader = dynamic_eval.DynamicEvaluation(model, chunk=7, learning_rate=1.0, decay=0.01)
    static, dynamic = reader.run(ids, learn=False), reader.run(ids)
    assert static == pytest.approx(np.log(VOCAB), abs=0.05)
    assert dynamic < static - 0.7, (static, dynamic)  # 0.98 against 1.95 when this was written


def test_run_starts_again_from_the_trained_weights_and_leaves_the_model_alone():
    model, ids = tiny_model(), text(43)
    reader = dynamic_eval.DynamicEvaluation(model, chunk=5, learning_rate=0.5)
    first, again = reader.run(ids), reader.run(ids)
    assert first == pytest.approx(again, abs=1e-6)
    for w, w0 in zip(model.get_weights(), tiny_model().get_weights()):
        np.testing.assert_array_equal(w, w0)


def test_gradient_rms_is_the_root_mean_square_of_the_batch_gradients():
    model, ids = tiny_model(), text(80)
    rms = dynamic_eval.gradient_rms(model, ids, rows=2, steps=5, batches=3)
    reader = models.resized(model, 2, 5, stateful=True)
    xs = ids[:80].reshape(2, 40)
    squares = [np.zeros(w.shape) for w in model.trainable_weights]
    for k in range(3):
        x, y = xs[:, 5 * k : 5 * k + 5], xs[:, 5 * k + 1 : 5 * k + 6]
        with tf.GradientTape() as tape:
            logits = reader(x, training=False)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(y, logits))
        for s, g in zip(squares, tape.gradient(loss, reader.trainable_weights)):
            s += tf.convert_to_tensor(g).numpy() ** 2
    assert [r.shape for r in rms] == [tuple(w.shape) for w in model.trainable_weights]
    for r, s in zip(rms, squares):
        np.testing.assert_allclose(r, np.sqrt(s / 3), rtol=1e-5, atol=1e-8)


def test_mistakes_say_what_was_expected():
    model = tiny_model()
    with pytest.raises(ValueError, match="one array per trainable weight"):
        dynamic_eval.DynamicEvaluation(model, rms=[np.ones(3)])
    with pytest.raises(ValueError, match="chunk must be at least 1"):
        dynamic_eval.DynamicEvaluation(model, chunk=0)
    reader = dynamic_eval.DynamicEvaluation(model)
    with pytest.raises(ValueError, match="decay in"):
        reader.set(0.1, 2.0)
    with pytest.raises(ValueError, match="at least 2 token ids"):
        reader.run([3])
