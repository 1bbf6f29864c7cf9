"""helpers.seq2seq: notebook 07's encoder-decoder, its masking, its attention, and greedy and beam decoding."""

import keras
import numpy as np
import pytest

from helpers import dates, seq2seq


@pytest.fixture(scope="module")
def sources():
    pairs = dates.make_split(6, 1, 1, seed=0)["train"]
    return dates.encode_sources([w for w, _ in pairs])


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "attention"])
def model(request):
    keras.utils.set_random_seed(0)
    return seq2seq.Seq2Seq(units=8, embed=4, attention=request.param)


def test_padding_changes_nothing_the_model_computes(model, sources):
    """The mask at work: more padding at the end gives the same encoder outputs, states and logits."""
    longer = np.pad(sources, ((0, 0), (0, 7)))
    enc, h, c = model.encode(sources)
    enc2, h2, c2 = model.encode(longer)
    np.testing.assert_allclose(h, h2, atol=1e-6)
    np.testing.assert_allclose(c, c2, atol=1e-6)
    np.testing.assert_allclose(enc, enc2[:, : sources.shape[1]], atol=1e-6)
    targets = dates.encode_targets(["2001-02-03"] * len(sources))
    a = model.train_model.predict(seq2seq.batches(sources, targets, 8), verbose=0)
    b = model.train_model.predict(seq2seq.batches(longer, targets, 8), verbose=0)
    np.testing.assert_allclose(a, b, atol=1e-5)


def test_the_backward_half_is_a_forward_lstm_on_the_reversed_real_steps(sources):
    keras.utils.set_random_seed(1)
    m = seq2seq.Seq2Seq(units=8, embed=4)
    _, h, _ = m.encode(sources)
    forward = keras.layers.LSTM(8)
    forward.build((None, None, 4))
    forward.set_weights(m.bidirectional.backward_layer.get_weights())
    for i, row in enumerate(sources):
        real = row[row != 0][::-1][None]  # the real steps, last first
        got = keras.ops.convert_to_numpy(forward(m.source_embedding(real)))[0]
        np.testing.assert_allclose(h[i, 8:], got, atol=1e-5)


def test_the_attention_layer_is_the_masked_dot_product_softmax():
    rng = np.random.default_rng(0)
    q, k = rng.normal(size=(2, 3, 4)).astype("float32"), rng.normal(size=(2, 5, 4)).astype("float32")
    mask = np.array([[1, 1, 1, 1, 1], [1, 1, 0, 0, 0]], bool)
    context, weights = keras.layers.Attention()([q, k], mask=[None, mask], return_attention_scores=True)
    s = np.where(mask[:, None], q @ k.transpose(0, 2, 1), -np.inf)
    w = np.exp(s - s.max(-1, keepdims=True))
    w /= w.sum(-1, keepdims=True)
    np.testing.assert_allclose(weights, w, atol=1e-6)
    np.testing.assert_allclose(context, w @ k, atol=1e-5)
    assert np.all(keras.ops.convert_to_numpy(weights)[1, :, 2:] == 0)


def sequence_log_probability(model, sources, ids):
    """log p(ids | source) by teacher forcing, summed up to and including the first </s>."""
    logits = model.train_model.predict(seq2seq.batches(sources, ids, 64), verbose=0).astype(np.float64)
    logp = np.take_along_axis(seq2seq.log_softmax(logits), ids[:, :, None], -1)[:, :, 0]
    ended = np.cumsum(ids == dates.TARGET.symbol_to_id["</s>"], 1)
    return np.where((ended == 0) | ((ended == 1) & (ids == dates.TARGET.symbol_to_id["</s>"])), logp, 0).sum(1)


def test_beam_width_one_is_greedy_and_a_beam_scores_what_it_writes(model, sources):
    ids, logp, weights = seq2seq.greedy(model, sources)
    assert ids.shape == (len(sources), dates.TARGET_LENGTH)
    assert (weights is None) != model.attention
    if model.attention:
        assert weights.shape == (len(sources), dates.TARGET_LENGTH, sources.shape[1])
        np.testing.assert_allclose(weights.sum(-1), 1, atol=1e-5)
        assert np.all(weights[sources[:, None, :].repeat(dates.TARGET_LENGTH, 1) == 0] < 1e-6)  # none on padding
    beam_ids, beam_logp = seq2seq.beam_search(model, sources, width=1)
    np.testing.assert_array_equal(beam_ids, ids)
    np.testing.assert_allclose(beam_logp, logp, atol=1e-9)
    wide_ids, wide = seq2seq.beam_search(model, sources, width=4)
    np.testing.assert_allclose(wide, sequence_log_probability(model, sources, wide_ids), atol=1e-4)
    np.testing.assert_allclose(logp, sequence_log_probability(model, sources, ids), atol=1e-4)


def test_beam_step_keeps_the_best_extensions_over_all_beams():
    scores = np.log([[0.9, 0.1]])
    log_probs = np.log([[[0.5, 0.5, 0.0 + 1e-12], [0.98, 0.01, 0.01]]])
    new, parents, symbols = seq2seq.beam_step(scores, log_probs, 3)
    np.testing.assert_allclose(np.exp(new), [[0.45, 0.45, 0.098]])
    assert parents.tolist() == [[0, 0, 1]] and symbols.tolist() == [[0, 1, 0]]


def test_teacher_forcing_reads_the_target_shifted_right():
    y = dates.encode_targets(["2001-02-03"])
    x = seq2seq.decoder_inputs(y)
    assert x[0, 0] == dates.TARGET.symbol_to_id["<s>"] and (x[0, 1:] == y[0, :-1]).all()


def test_exact_counts_whole_sequences_only():
    y = dates.encode_targets(["2001-02-03", "1999-12-31"])
    wrong = y.copy()
    wrong[1, 3] = dates.TARGET.symbol_to_id["0"]
    assert seq2seq.exact(y, y) == 1.0 and seq2seq.exact(wrong, y) == 0.5
