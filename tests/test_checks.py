"""helpers.checks: compare, and each exercise check accepts the right answer and explains wrong ones."""

import numpy as np
import pytest
import tensorflow as tf

from helpers import checks
from helpers.exercises import lstm_from_scratch, rnn_basics, sign_sum, word_ptb


def verdict(check, answer, capsys) -> tuple[bool, str]:
    """Run a check; return whether it passed (as recorded in checks.results) and what it printed."""
    checks.results.clear()
    assert check(answer) is None  # nothing but the printed line shows in the notebook
    (passed,) = checks.results.values()
    return passed, capsys.readouterr().out


def test_compare(capsys):
    assert checks.compare("same", np.ones(3), np.ones(3))
    assert "exact: True" in capsys.readouterr().out
    assert checks.compare("close", np.ones(3), np.ones(3) + 1e-8)
    assert "exact: False | approximate: True" in capsys.readouterr().out
    assert not checks.compare("far", np.ones(3), np.ones(3) + 1e-3)
    assert not checks.compare("shape", np.ones(3), np.ones((3, 1)))
    assert "shapes differ" in capsys.readouterr().out


def good_many_to_many(X, W, U, b, W_y, b_y):
    h = np.zeros((X.shape[0], U.shape[0]))
    ys = []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ W + h @ U + b)
        ys.append(h @ W_y + b_y)
    return np.stack(ys, axis=1)


def todo(*args):
    raise NotImplementedError()


def test_check_many_to_many(capsys):
    assert verdict(rnn_basics.check_many_to_many, good_many_to_many, capsys) == (
        True,
        "✓ Exercise 1 (many_to_many): correct.\n",
    )
    cases = {
        "many-to-one": lambda *a: good_many_to_many(*a)[:, -1],
        "time-major": lambda *a: good_many_to_many(*a).transpose(1, 0, 2),
        "read-out bias b_y is missing": lambda X, Wx, Wh, b, Wy, by: good_many_to_many(X, Wx, Wh, b, Wy, 0 * by),
        "not carried": lambda X, Wx, Wh, b, Wy, by: good_many_to_many(X, Wx, 0 * Wh, b, Wy, by),
        "expected": lambda *a: good_many_to_many(*a) * 1.01,
        "raised ValueError": lambda X, *rest: np.tanh(rest[0] @ X),
        "not done yet": todo,
    }
    for message, answer in cases.items():
        passed, out = verdict(rnn_basics.check_many_to_many, answer, capsys)
        assert not passed and message in out and out.startswith(("✗", "…")), (message, out)
    assert verdict(rnn_basics.check_many_to_many, None, capsys)[0] is False


def good_clip(grads, max_norm):
    clipped, norm = tf.clip_by_global_norm([tf.constant(g) for g in grads], max_norm)
    return [c.numpy() for c in clipped], float(norm)


def test_check_clip_by_global_norm(capsys):
    check = rnn_basics.check_clip_by_global_norm
    assert verdict(check, good_clip, capsys)[0]
    # Clipping each gradient on its own is the classic mistake.
    per_tensor = lambda grads, m: (
        [g * min(1, m / np.linalg.norm(g)) for g in grads],
        np.sqrt(sum((g**2).sum() for g in grads)),
    )
    passed, out = verdict(check, per_tensor, capsys)
    assert not passed and "scaled by max_norm / global_norm" in out
    always_scale = lambda grads, m: (
        [g * m / np.sqrt(sum((h**2).sum() for h in grads)) for g in grads],
        np.sqrt(sum((h**2).sum() for h in grads)),
    )
    passed, out = verdict(check, always_scale, capsys)
    assert not passed and "be left unchanged" in out
    passed, out = verdict(check, todo, capsys)
    assert not passed and "not done yet" in out


def test_check_steps_to_vanish(capsys):
    import math

    right = lambda rho, threshold: math.floor(math.log(threshold) / math.log(rho)) + 1
    assert verdict(rnn_basics.check_steps_to_vanish, right, capsys) == (
        True,
        "✓ Exercise 3 (steps_to_vanish): correct. 0.9**66 = 9.55e-04 < 0.001.\n",
    )
    passed, out = verdict(
        rnn_basics.check_steps_to_vanish, lambda r, t: math.ceil(math.log(t) / math.log(r)) - 1, capsys
    )
    assert not passed and "expected k = 66" in out and "off by one" in out
    passed, out = verdict(rnn_basics.check_steps_to_vanish, lambda r, t: 66, capsys)  # right for 0.9 only
    assert not passed and "rho=0.5" in out
    passed, out = verdict(rnn_basics.check_steps_to_vanish, todo, capsys)
    assert not passed and "not done yet" in out


# -- 02_lstm_from_scratch -----------------------------------------------------------------


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def good_gru_step(x, h, kernel, recurrent_kernel, bias, swap=False):
    x_z, x_r, x_h = np.split(x @ kernel + bias[0], 3, axis=-1)
    u_z, u_r, u_h = np.split(h @ recurrent_kernel + bias[1], 3, axis=-1)
    z, r = sigmoid(x_z + u_z), sigmoid(x_r + u_r)
    candidate = np.tanh(x_h + r * u_h)
    return (1 - z) * h + z * candidate if swap else z * h + (1 - z) * candidate


def test_check_gru_step(capsys):
    assert verdict(lstm_from_scratch.check_gru_step, good_gru_step, capsys) == (
        True,
        "✓ Exercise 1 (gru_step): correct. It equals keras.layers.GRUCell.\n",
    )
    passed, out = verdict(lstm_from_scratch.check_gru_step, lambda *a: good_gru_step(*a, swap=True), capsys)
    assert not passed and "swapped" in out
    no_rec_bias = lambda x, h, k, r, b: good_gru_step(x, h, k, r, np.stack([b[0], 0 * b[1]]))
    passed, out = verdict(lstm_from_scratch.check_gru_step, no_rec_bias, capsys)
    assert not passed and "recurrent bias" in out
    passed, out = verdict(lstm_from_scratch.check_gru_step, todo, capsys)
    assert not passed and "not done yet" in out


def good_peephole_step(x, h, c, kernel, recurrent_kernel, bias, p_i, p_f, p_o, late_output=True):
    z_i, z_f, z_c, z_o = np.split(x @ kernel + h @ recurrent_kernel + bias, 4, axis=-1)
    i, f = sigmoid(z_i + p_i * c), sigmoid(z_f + p_f * c)
    c_new = f * c + i * np.tanh(z_c)
    o = sigmoid(z_o + p_o * (c_new if late_output else c))
    return o * np.tanh(c_new), c_new


def test_check_peephole_step(capsys):
    assert verdict(lstm_from_scratch.check_peephole_step, good_peephole_step, capsys)[0]
    passed, out = verdict(
        lstm_from_scratch.check_peephole_step, lambda *a: good_peephole_step(*a, late_output=False), capsys
    )
    assert not passed and "new cell state c_t" in out
    passed, out = verdict(lstm_from_scratch.check_peephole_step, lambda *a: good_peephole_step(*a)[::-1], capsys)
    assert not passed and "wrong order" in out
    no_forget_peephole = lambda x, h, c, k, r, b, pi, pf, po: good_peephole_step(x, h, c, k, r, b, pi, 0 * pf, po)
    passed, out = verdict(lstm_from_scratch.check_peephole_step, no_forget_peephole, capsys)
    assert not passed and "c_t is off" in out


def test_check_parameter_counts(capsys):
    right = lambda f, u: (4 * (f * u + u * u + u), 3 * (f * u + u * u + 2 * u))
    assert verdict(lstm_from_scratch.check_parameter_counts, right, capsys)[0]
    one_gru_bias = lambda f, u: (4 * (f * u + u * u + u), 3 * (f * u + u * u + u))
    passed, out = verdict(lstm_from_scratch.check_parameter_counts, one_gru_bias, capsys)
    assert not passed and "two biases" in out and "expected 2088" in out
    only_24_on_3 = lambda f, u: (2688, 2088)
    passed, out = verdict(lstm_from_scratch.check_parameter_counts, only_24_on_3, capsys)
    assert not passed and "128 units on 65 features" in out
    passed, out = verdict(lstm_from_scratch.check_parameter_counts, todo, capsys)
    assert not passed and "not done yet" in out


# -- 03_sign_sum --------------------------------------------------------------------------


def test_check_doubled_sum(capsys):
    def doubled(sequence, kept=False, used_by_any=False, inverts=True):
        sign, weight, total, sums = 1, 1, 0, []
        for ch in sequence:
            if ch == "I" and inverts:
                sign = -sign
            elif ch == "D":
                weight *= 2
            elif ch in "+-":
                total += sign * weight * (1 if ch == "+" else -1)
                weight = weight if kept else 1
            if used_by_any and ch in "0I":
                weight = 1
            sums.append(total)
        return sums

    passed, out = verdict(sign_sum.check_doubled_sum, doubled, capsys)
    assert passed and "over + - 0 I D" in out
    passed, out = verdict(sign_sum.check_doubled_sum, lambda s: doubled(s, kept=True), capsys)
    assert not passed and "'D-+'" in out and "the next + or - only" in out
    passed, out = verdict(sign_sum.check_doubled_sum, lambda s: doubled(s, used_by_any=True), capsys)
    assert not passed and "A 0 or an I uses the doubling up" in out
    passed, out = verdict(sign_sum.check_doubled_sum, lambda s: doubled(s, inverts=False), capsys)
    assert not passed and "I is ignored" in out
    passed, out = verdict(
        sign_sum.check_doubled_sum, lambda s: [d for d, ch in zip(doubled(s), s) if ch in "+-0"], capsys
    )
    assert not passed and "one sum per character" in out
    passed, out = verdict(sign_sum.check_doubled_sum, lambda s: [v + 1 for v in doubled(s)], capsys)
    assert not passed and out.rstrip().endswith("got [1, 3].")  # wrong, and no slip named that it is not


def test_check_units_needed(capsys):
    def needed(kernel, bias, target, order=-1, weights=np.abs, start=True):
        reach = bias[0] * start + np.cumsum(np.sort(weights(kernel[:, 0]))[::order])
        return int(np.argmax(reach > target)) + 1

    assert verdict(sign_sum.check_units_needed, needed, capsys)[0]
    slips = {
        "largest |w| first": lambda k, b, t: needed(k, b, t, order=1),
        "The bias counts": lambda k, b, t: needed(k, b, t, start=False),
        "every weight counts as |w|": lambda k, b, t: needed(k, b, t, weights=lambda w: w),
        "Off by one": lambda k, b, t: needed(k, b, t) - 1,
    }
    for hint, answer in slips.items():
        passed, out = verdict(sign_sum.check_units_needed, answer, capsys)
        assert not passed and hint in out, (hint, out)
    passed, out = verdict(sign_sum.check_units_needed, lambda k, b, t: needed(k, b, t) + 3, capsys)
    assert not passed and out.rstrip().endswith("got 5.")


def test_check_zero_sum_count(capsys):
    from helpers import signsum

    right = lambda n: sum(signsum.final_sum(s) == 0 for s in signsum.all_sequences(n))
    passed, out = verdict(sign_sum.check_zero_sum_count, right, capsys)
    assert passed and "924 of 4096" in out
    passed, out = verdict(sign_sum.check_zero_sum_count, lambda n: right(n) + (n == 4), capsys)
    assert not passed and "For length 4: expected" in out
    passed, out = verdict(sign_sum.check_zero_sum_count, lambda n: right(n) / 4**n, capsys)
    assert not passed and "not the fraction" in out


def good_parameter_count(vocab_size, units, layers, tied):
    lstm = layers * 4 * (2 * units * units + units)
    return vocab_size * units + lstm + (vocab_size if tied else units * vocab_size + vocab_size)


def test_check_parameter_count(capsys):
    assert verdict(word_ptb.check_parameter_count, good_parameter_count, capsys)[0]
    no_bias = lambda v, u, n, tied: good_parameter_count(v, u, n, tied) - (v if tied else 0)  # noqa: E731
    passed, out = verdict(word_ptb.check_parameter_count, no_bias, capsys)
    assert not passed and "output bias" in out
    twice = lambda v, u, n, tied: good_parameter_count(v, u, n, tied) + (v * u if tied else 0)  # noqa: E731
    passed, out = verdict(word_ptb.check_parameter_count, twice, capsys)
    assert not passed and "counted once" in out
    no_lstm_bias = lambda v, u, n, tied: good_parameter_count(v, u, n, tied) - n * 4 * u  # noqa: E731
    passed, out = verdict(word_ptb.check_parameter_count, no_lstm_bias, capsys)
    assert not passed and "bias per gate unit" in out


# -- under nbgrader ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["autograde", "validate"])
def test_under_nbgrader_an_unmet_check_prints_its_verdict_then_raises_it(monkeypatch, capsys, mode):
    monkeypatch.setenv("NBGRADER_EXECUTION", mode)
    check = rnn_basics.check_many_to_many
    assert check(good_many_to_many) is None  # a right answer neither raises nor prints more
    assert capsys.readouterr().out == "✓ Exercise 1 (many_to_many): correct.\n"
    wrong = {
        "Expected shape (batch, time, outputs)": lambda *a: good_many_to_many(*a)[:, -1],
        "not done yet": todo,
        "raised ValueError": lambda X, *rest: np.tanh(rest[0] @ X),
    }
    for message, answer in wrong.items():
        with pytest.raises(AssertionError) as raised:
            check(answer)
        printed = capsys.readouterr().out
        assert message in printed and str(raised.value) == printed.rstrip("\n")  # the same line, printed then raised
        assert raised.value.__context__ is None  # one traceback in the feedback, not a chain
    with pytest.raises(AssertionError, match="not done yet"):
        check(None)


def test_outside_nbgrader_an_unmet_check_never_raises(monkeypatch, capsys):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert not checks.graded()
    assert rnn_basics.check_many_to_many(todo) is None
    assert "not done yet" in capsys.readouterr().out
    monkeypatch.setenv("NBGRADER_EXECUTION", "something else")
    assert not checks.graded()


# -- 08_after_the_lstm --------------------------------------------------------------------


def _doubling_scan(a, b, combine, stop=1, swap=False):
    """Hillis and Steele's scan written with a list of offsets, independently of the check's reference."""
    offsets = [2**k for k in range(len(a).bit_length()) if 2**k * stop < len(a)]
    for d in offsets:
        earlier, later = (a[:-d], b[:-d]), (a[d:], b[d:])
        a[d:], b[d:] = combine(later, earlier) if swap else combine(earlier, later)
    return b


def test_check_prefix_scan(capsys):
    from helpers.exercises import after_the_lstm

    check = after_the_lstm.check_prefix_scan
    assert verdict(check, _doubling_scan, capsys)[0]

    def one_step_at_a_time(a, b, combine):
        steps = [(a[0], b[0])]
        for t in range(1, len(a)):
            steps.append(combine(steps[-1], (a[t], b[t])))
        return np.array([h for _, h in steps])

    passed, out = verdict(check, one_step_at_a_time, capsys)
    assert not passed and "Right values" in out and "once per round" in out
    passed, out = verdict(check, lambda a, b, c: _doubling_scan(a, b, c, swap=True), capsys)
    assert not passed and "earlier element first" in out
    passed, out = verdict(check, lambda a, b, c: _doubling_scan(a, b, c, stop=2), capsys)
    assert not passed and "a round early" in out
    passed, out = verdict(check, lambda a, b, c: _doubling_scan(a, b, c)[:-1], capsys)
    assert not passed and "shape" in out
    assert not verdict(check, todo, capsys)[0]


def flip(sequence, at_i=-1.0):
    chars = np.array(list(sequence))
    return np.where(chars == "I", at_i, 1.0), np.select([chars == "+", chars == "-"], [1.0, -1.0], 0.0)


def test_check_flip_coefficients(capsys):
    from helpers.exercises import after_the_lstm

    passed, out = verdict(after_the_lstm.check_flip_coefficients, flip, capsys)
    assert passed and "206 sequences" in out
    passed, out = verdict(after_the_lstm.check_flip_coefficients, lambda s: flip(s, at_i=0.0), capsys)
    assert not passed and "wipes the count" in out
    passed, out = verdict(after_the_lstm.check_flip_coefficients, lambda s: flip(s, at_i=0.5), capsys)
    assert not passed and "every a_t >= 0" in out
    passed, out = verdict(after_the_lstm.check_flip_coefficients, lambda s: (flip(s)[0][:-1], flip(s)[1]), capsys)
    assert not passed and "One a and one b per character" in out


def test_check_block_parameters(capsys):
    from helpers.exercises import after_the_lstm

    assert verdict(after_the_lstm.check_block_parameters, lambda w: 12 * w**2 + 13 * w, capsys)[0]
    passed, out = verdict(after_the_lstm.check_block_parameters, lambda w: 12 * w**2, capsys)
    assert not passed and "matrices only" in out
    passed, out = verdict(after_the_lstm.check_block_parameters, lambda w: 12 * w**2 + 9 * w, capsys)
    assert not passed and "scale and a shift each" in out
