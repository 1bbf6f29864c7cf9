"""helpers.exercises.seq2seq_attention: notebook 07's checks accept the right answer and name the usual slips."""

import numpy as np

from helpers import checks, seq2seq
from helpers.exercises import seq2seq_attention as ex


def verdict(check, answer, capsys) -> tuple[bool, str]:
    checks.results.clear()
    assert check(answer) is None
    (passed,) = checks.results.values()
    return passed, capsys.readouterr().out


def softmax(s):
    e = np.exp(s - s.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def attention(mask_where="before", scale=1.0):
    def masked_attention(query, keys, mask):
        scores = query @ keys.transpose(0, 2, 1) * scale
        if mask_where == "before":
            scores = np.where(mask[:, None, :], scores, -np.inf)
        weights = softmax(scores)
        if mask_where == "after":
            weights = weights * mask[:, None, :]
        return weights @ keys, weights

    return masked_attention


def test_check_masked_attention(capsys):
    assert verdict(ex.check_masked_attention, attention(), capsys)[0]
    passed, out = verdict(ex.check_masked_attention, attention("after"), capsys)
    assert not passed and "after the softmax" in out and "sum to" in out
    passed, out = verdict(ex.check_masked_attention, attention("none"), capsys)
    assert not passed and "padded positions get weight" in out
    passed, out = verdict(ex.check_masked_attention, attention(scale=0.5), capsys)
    assert not passed and "no scale" in out
    passed, out = verdict(ex.check_masked_attention, lambda q, k, m: attention()(q, k, m)[1], capsys)
    assert not passed and "a pair (context, weights)" in out


def test_check_shift_right(capsys):
    good = lambda y, s: np.concatenate([np.full((len(y), 1), s), y[:, :-1]], 1)  # noqa: E731
    assert verdict(ex.check_shift_right, good, capsys)[0]
    passed, out = verdict(ex.check_shift_right, lambda y, s: y, capsys)
    assert not passed and "the very character it must predict" in out
    passed, out = verdict(
        ex.check_shift_right, lambda y, s: np.concatenate([y[:, 1:], np.full((len(y), 1), s)], 1), capsys
    )
    assert not passed and "the wrong way" in out
    passed, out = verdict(
        ex.check_shift_right, lambda y, s: np.concatenate([np.zeros((len(y), 1)), y[:, :-1]], 1), capsys
    )
    assert not passed and "first column" in out


def test_check_beam_step(capsys):
    assert verdict(ex.check_beam_step, seq2seq.beam_step, capsys)[0]

    def per_beam(scores, log_probs, width):  # each beam keeps its own best symbol
        total = scores[:, :, None] + log_probs
        symbols = total.argmax(-1)[:, :width]
        return (
            np.take_along_axis(total.max(-1), np.arange(width)[None].repeat(len(scores), 0), 1),
            np.broadcast_to(np.arange(width), symbols.shape),
            symbols,
        )

    passed, out = verdict(ex.check_beam_step, per_beam, capsys)
    assert not passed and "Each beam kept its own best symbol" in out
    passed, out = verdict(ex.check_beam_step, lambda s, lp, w: seq2seq.beam_step(np.zeros_like(s), lp, w), capsys)
    assert not passed and "ignore the beams' scores" in out
    passed, out = verdict(
        ex.check_beam_step, lambda s, lp, w: tuple(a[:, ::-1] for a in seq2seq.beam_step(s, lp, w)), capsys
    )
    assert not passed and "best (highest score) first" in out
