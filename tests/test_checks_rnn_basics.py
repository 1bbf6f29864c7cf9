"""helpers.exercises.rnn_basics, exercise 4: the check of backpropagation through time accepts the right answer,
agrees with tf.GradientTape and with centred differences, and names each usual slip."""

import numpy as np
import pytest

from helpers import checks
from helpers.exercises import rnn_basics as ex


def verdict(answer, capsys) -> tuple[bool, str]:
    checks.results.clear()
    assert ex.check_rnn_backward(answer) is None
    (passed,) = checks.results.values()
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1, out
    return passed, out


def rnn_backward(X, h0, W, U, b, dH, carry=True, dtanh="h", dU_with="h_prev", dU_transposed=False, dh0="right"):
    """Written apart from the check's own reference, so that a slip in one does not hide in both."""
    states, pre = [h0], []
    for t in range(X.shape[1]):
        pre.append(X[:, t] @ W + states[-1] @ U + b)
        states.append(np.tanh(pre[-1]))
    dW, dU, db = np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)
    back = np.zeros_like(h0)
    for t in range(X.shape[1] - 1, -1, -1):
        g = dH[:, t] + back if carry else dH[:, t]
        slope = {"h": 1 - np.tanh(pre[t]) ** 2, "none": np.ones_like(g), "z": 1 - pre[t] ** 2}[dtanh]
        dz = g * slope
        dW = dW + np.einsum("bf,bu->fu", X[:, t], dz)
        h_used = states[t] if dU_with == "h_prev" else states[t + 1]
        dU = dU + (np.einsum("bu,bv->uv", dz, h_used) if dU_transposed else np.einsum("bv,bu->vu", h_used, dz))
        db = db + dz.sum(0)
        back = dz @ U.T
    return dW, dU, db, {"right": back, "zero": np.zeros_like(h0), "dz": dz}[dh0]


def case():
    rng = np.random.default_rng(0)
    return (
        rng.normal(size=(3, 7, 2)),
        rng.normal(size=(3, 4)),
        rng.normal(size=(2, 4)),
        rng.normal(size=(4, 4)) / 2,
        rng.normal(size=4),
        rng.normal(size=(3, 7, 4)),
    )


def test_the_references_agree_with_tf_gradient_tape_and_centred_differences():
    args = case()
    X, h0, W, U, b, dH = args
    tape = ex._tape_gradients(*args)
    for ours, hand, theirs in zip(ex._rnn_backward_reference(*args)[:4], rnn_backward(*args), tape):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(hand, theirs, rtol=1e-10, atol=1e-12)
    picks = [[(0, 1), (1, 3)], [(2, 0), (3, 3)], [(1,), (2,)], [(0, 0), (2, 3)]]
    numerical = ex._centred_differences(X, dH, [W, U, b, h0], picks)
    for grad, entries, values in zip(tape, picks, numerical):
        assert ex._relative_error([grad[i] for i in entries], values) < 1e-6
    wrong = ex._rnn_backward_reference(*args, carry=False)[0]
    assert ex._relative_error([wrong[i] for i in picks[0]], numerical[0]) > 1e-2  # the error tells a slip apart


def test_relative_error_is_cs231ns():
    assert ex._relative_error([1.0, 2.0], [1.0, 2.0]) == 0
    assert ex._relative_error([1.0], [3.0]) == pytest.approx(0.5)
    assert ex._relative_error([0.0], [0.0]) == 0  # no 0 / 0


def test_the_right_answer_passes_and_prints_the_gradient_check(capsys):
    passed, out = verdict(rnn_backward, capsys)
    assert passed and "equal tf.GradientTape's" in out
    assert "largest relative error 4e-08" in out  # eps = 1e-4: truncation, about eps**2, sets it
    inputs = []
    assert verdict(lambda *a: inputs.append([x.copy() for x in a]) or rnn_backward(*a), capsys)[0]
    for a in inputs[0]:  # the learner's function is given float64 arrays of distinct sizes
        assert a.dtype == np.float64
    assert len({a.shape for a in inputs[0]}) == 6


@pytest.mark.parametrize(
    "slip, says",
    [
        ({"carry": False}, "not carried back through time"),
        ({"dtanh": "none"}, "derivative is missing"),
        ({"dtanh": "z"}, "at the pre-activation"),
        ({"dU_with": "h_t"}, "dU is built with h_t"),
        ({"dU_transposed": True}, "dU is transposed"),
        ({"dh0": "zero"}, "dh0 is zero"),
        ({"dh0": "dz"}, "dh0 is dz_1"),
        ({"carry": False, "dtanh": "none"}, "not carried back through time (each step has only its own dH[:, t]"),
    ],
)
def test_each_usual_slip_is_named(slip, says, capsys):
    passed, out = verdict(lambda *a: rnn_backward(*a, **slip), capsys)
    assert not passed and says in out and "centred differences" in out, out
    if len(slip) == 2:
        assert "and the tanh's derivative is missing" in out


def test_a_wrong_answer_no_slip_explains_is_shown_where_it_is_wrong(capsys):
    passed, out = verdict(lambda *a: tuple(2 * g for g in rnn_backward(*a)), capsys)
    assert not passed and "dW, dU, db, dh0 differ from tf.GradientTape's: dW[" in out
    assert "dW 0.3, dU 0.3, db 0.3, dh0 0.3" in out  # |2g - g| / (|2g| + |g|) = 1/3


@pytest.mark.parametrize(
    "wrong, says",
    [
        (
            lambda *a: tuple(g.T for g in rnn_backward(*a)),
            "dW should have the shape of W, (3, 5), got (5, 3) (transposed",
        ),
        (lambda *a: (*rnn_backward(*a)[:2], np.tile(rnn_backward(*a)[2], (4, 1)), rnn_backward(*a)[3]), "sum over"),
        (lambda *a: (*rnn_backward(*a)[:3], rnn_backward(*a)[3].sum(0)), "dh0 should have the shape of h0"),
        (lambda *a: rnn_backward(*a)[:3], "returned a tuple of 3 items, expected a tuple (dW, dU, db, dh0)"),
        (lambda *a: (*rnn_backward(*a)[:3], None), "whose dh0 is None"),
        (lambda *a: np.zeros(4), "returned a NumPy array of shape (4,)"),
    ],
)
def test_wrong_shapes_and_types_get_one_line(wrong, says, capsys):
    passed, out = verdict(wrong, capsys)
    assert not passed and says in out, out
