"""Every exercise check answers the commonest slips with one verdict line, never a traceback.

The slips: a function that forgets its `return` (returns None), one that
returns the wrong type (a str, a dict, a list where an array is expected),
one that returns the wrong shape, and one that raises. The checks are found
in `helpers.exercises`, so a new check must be given its solution here (the
notebooks' solution cells) before this passes.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
from collections import Counter, defaultdict

import numpy as np
import pytest

import helpers.exercises
from helpers import checks, signsum


def _discover() -> dict[str, object]:
    found = {}
    for info in pkgutil.iter_modules(helpers.exercises.__path__):
        module = importlib.import_module(f"helpers.exercises.{info.name}")
        for attr, value in vars(module).items():
            if attr.startswith("check_") and callable(value) and value.__module__ == module.__name__:
                found[f"{info.name}.{attr}"] = value
    return found


CHECKS = _discover()


# -- the solutions, as in the notebooks' solution cells ------------------------------------


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def many_to_many(X, W, U, b, W_y, b_y):
    h, outputs = np.zeros((X.shape[0], U.shape[0])), []
    for t in range(X.shape[1]):
        h = np.tanh(X[:, t] @ W + h @ U + b)
        outputs.append(h @ W_y + b_y)
    return np.stack(outputs, axis=1)


def clip(grads, max_norm):
    global_norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    scale = max_norm / max(global_norm, max_norm)
    return [g * scale for g in grads], global_norm


def steps_to_vanish(rho, threshold):
    return int(np.floor(np.log(threshold) / np.log(rho))) + 1


def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    x_z, x_r, x_h = np.split(x_t @ kernel + bias[0], 3, axis=-1)
    u_z, u_r, u_h = np.split(h_prev @ recurrent_kernel + bias[1], 3, axis=-1)
    z, r = _sigmoid(x_z + u_z), _sigmoid(x_r + u_r)
    return z * h_prev + (1 - z) * np.tanh(x_h + r * u_h)


def peephole_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, p_i, p_f, p_o):
    z_i, z_f, z_c, z_o = np.split(x_t @ kernel + h_prev @ recurrent_kernel + bias, 4, axis=-1)
    i, f = _sigmoid(z_i + p_i * c_prev), _sigmoid(z_f + p_f * c_prev)
    c = f * c_prev + i * np.tanh(z_c)
    return _sigmoid(z_o + p_o * c) * np.tanh(c), c


def parameter_counts(features, units):
    return 4 * (features * units + units * units + units), 3 * (features * units + units * units + 2 * units)


def running_sum(sequence):
    return signsum.running_sum(sequence).tolist()


def readout_bound(kernel, bias):
    return np.abs(kernel).sum() + bias[0]


def zero_sum_count(length):
    return sum(signsum.final_sum(s) == 0 for s in signsum.all_sequences(length))


def top_k_pick(logits, k, temperature, rng):
    logits = np.asarray(logits, dtype=np.float64)
    z = np.where(logits >= np.sort(logits)[-k], logits / temperature, -np.inf)
    p = np.exp(z - z.max())
    return int(rng.choice(len(p), p=p / p.sum()))


def gru_language_model(vocab_size, units, batch_size, steps, outputs=None):
    import keras

    ids = keras.Input(batch_shape=(batch_size, steps), dtype="int32")
    h = keras.layers.Embedding(vocab_size, 64)(ids)
    for _ in range(2):
        h = keras.layers.GRU(units, return_sequences=True, stateful=True)(h)
    return keras.Model(ids, keras.layers.Dense(outputs or vocab_size)(h))


def windows(ids, length):
    ids = np.asarray(ids)
    n = (len(ids) - 1) // length
    return ids[: n * length].reshape(n, length), ids[1 : n * length + 1].reshape(n, length)


def my_ceiling(tokens, n_input):
    followers = defaultdict(Counter)
    for i in range(len(tokens) - n_input):
        followers[tuple(tokens[i : i + n_input])][tokens[i + n_input]] += 1
    return sum(max(c.values()) for c in followers.values()), len(tokens) - n_input


def top_words(model, vocab, prompt, k):
    import keras

    logits = keras.ops.convert_to_numpy(model(vocab.encode(prompt.split())[None]))[0]
    p = np.exp(logits - logits.max())
    p /= p.sum()
    return [(vocab.id_to_symbol[i], float(p[i])) for i in np.argsort(-p)[:k]]


def perplexity(logits, targets):
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(-1, keepdims=True))
    return float(np.exp(-np.take_along_axis(log_p, np.asarray(targets)[..., None], -1).mean()))


def parameter_count(vocab_size, units, layers, tied):
    output = vocab_size if tied else (units + 1) * vocab_size
    return vocab_size * units + layers * 4 * (2 * units * units + units) + output


def learning_rate(epoch, config):
    return config["learning_rate"] * config["lr_decay"] ** max(epoch + 1 - config["max_epoch"], 0)


def my_combine(earlier, later):
    (a1, b1), (a2, b2) = earlier, later
    return a1 * a2, a2 * b1 + b2


def flip_coefficients(sequence):
    chars = np.array(list(sequence))
    return np.where(chars == "I", -1.0, 1.0), np.select([chars == "+", chars == "-"], [1.0, -1.0], 0.0)


def block_parameters(width):
    return 12 * width**2 + 13 * width


def _twice(solution):
    """A scalar answer given as an array of two: the wrong shape for one number."""
    return lambda *a: np.array([solution(*a)] * 2)


# check -> (its solution, a solution that gives the wrong shape, what the verdict then says)
SOLUTIONS = {
    "rnn_basics.check_many_to_many": (many_to_many, lambda *a: many_to_many(*a)[:, -1], "shape"),
    "rnn_basics.check_clip_by_global_norm": (
        clip,
        lambda g, m: ([c.reshape(-1) for c in clip(g, m)[0]], clip(g, m)[1]),
        "shape",
    ),
    "rnn_basics.check_steps_to_vanish": (steps_to_vanish, _twice(steps_to_vanish), "shape"),
    "lstm_from_scratch.check_gru_step": (gru_step, lambda *a: gru_step(*a)[:, :3], "shape"),
    "lstm_from_scratch.check_peephole_step": (peephole_step, lambda *a: tuple(v.T for v in peephole_step(*a)), "shape"),
    "lstm_from_scratch.check_parameter_counts": (
        parameter_counts,
        lambda f, u: np.array(parameter_counts(f, u)),
        "shape",
    ),
    "sign_sum.check_running_sum": (running_sum, lambda s: np.array([running_sum(s)]), "shape"),
    "sign_sum.check_readout_bound": (readout_bound, lambda k, b: np.abs(k) + b, "shape"),
    "sign_sum.check_zero_sum_count": (zero_sum_count, _twice(zero_sum_count), "shape"),
    "char_shakespeare.check_top_k_pick": (top_k_pick, lambda z, k, t, rng: np.full(len(z), 1 / len(z)), "shape"),
    "char_shakespeare.check_gru_language_model": (
        gru_language_model,
        lambda v, u, b, s: gru_language_model(v, u, b, s, outputs=v + 1),
        "shape",
    ),
    "char_shakespeare.check_windows": (windows, lambda ids, n: (np.asarray(ids)[:-1], np.asarray(ids)[1:]), "shape"),
    "word_aesop.check_ceiling": (my_ceiling, lambda t, n: np.array(my_ceiling(t, n)), "shape"),
    "word_aesop.check_top_words": (top_words, lambda m, v, p, k: np.full(k, 1 / k), "shape"),
    "word_ptb.check_perplexity": (perplexity, lambda z, t: np.full(t.shape, perplexity(z, t)), "shape"),
    "word_ptb.check_parameter_count": (parameter_count, _twice(parameter_count), "shape"),
    "word_ptb.check_learning_rate": (learning_rate, _twice(learning_rate), "shape"),
    "after_the_lstm.check_combine": (
        my_combine,
        lambda earlier, later: tuple(v[:, :2] for v in my_combine(earlier, later)),
        "shape",
    ),
    "after_the_lstm.check_flip_coefficients": (
        flip_coefficients,
        lambda s: tuple(v[None] for v in flip_coefficients(s)),
        "shape",
    ),
    "after_the_lstm.check_block_parameters": (block_parameters, _twice(block_parameters), "shape"),
}
ARRAY_ANSWERS = {"rnn_basics.check_many_to_many", "lstm_from_scratch.check_gru_step"}  # a list is the wrong type


def test_every_check_has_its_solution_and_slips_here():
    assert len(CHECKS) >= 20
    assert set(SOLUTIONS) == set(CHECKS), "give each new check its solution and wrong-shape slip in SOLUTIONS"


def returns_none(*args):
    pass


def broken(*args):
    raise ZeroDivisionError("division by zero in the learner's code")


def _slips(check: str) -> dict[str, tuple[object, tuple[str, ...]]]:
    """slip -> (the learner's function, what the verdict must name)."""
    _, wrong_shape, says = SOLUTIONS[check]
    slips = {
        "None": (returns_none, ("returned None", "forget `return`")),
        "str": (lambda *a: "42", ("returned a str", "expected")),
        "dict": (lambda *a: {"answer": 42}, ("returned a dict", "expected")),
        "shape": (wrong_shape, (says,)),
        "raising": (broken, ("raised ZeroDivisionError", "division by zero")),
    }
    if check in ARRAY_ANSWERS:
        slips["list"] = (lambda *a: list(SOLUTIONS[check][0](*a)), ("returned a list", "NumPy array"))
    return slips


CASES = [(check, slip) for check in sorted(CHECKS) for slip in _slips(check)]


def _run(check: str, answer, capsys) -> str:
    checks.results.clear()
    assert CHECKS[check](answer) is None
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1 and out.endswith("\n"), out  # exactly one verdict line
    return out.rstrip("\n")


@pytest.mark.parametrize("check, slip", CASES, ids=[f"{c.split('.')[1]}-{s}" for c, s in CASES])
def test_a_slip_gets_one_verdict_line_naming_it(check, slip, capsys, monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    answer, names = _slips(check)[slip]
    line = _run(check, answer, capsys)
    assert line.startswith(checks.WRONG) and all(n in line for n in names), line
    assert list(checks.results.values()) == [False]

    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError) as raised:
        CHECKS[check](answer)
    assert str(raised.value) == capsys.readouterr().out.rstrip("\n") == line
    assert raised.value.__context__ is None  # one traceback in the feedback, not a chain


@pytest.mark.parametrize("check", sorted(CHECKS), ids=[c.split(".")[1] for c in sorted(CHECKS)])
def test_the_solution_is_still_right_and_not_done_is_not_done(check, capsys, monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert _run(check, SOLUTIONS[check][0], capsys).startswith(f"{checks.OK} ")
    assert list(checks.results.values()) == [True]
    monkeypatch.delenv("NBGRADER_EXECUTION")

    def todo(*args):
        raise NotImplementedError

    for answer in (todo, None):
        assert _run(check, answer, capsys).startswith(f"{checks.TODO} ")
        assert list(checks.results.values()) == [False]


def test_an_error_over_many_lines_is_told_on_one(capsys):
    def verbose(*args):
        raise ValueError("first line\nsecond line\nthird line")

    line = _run("rnn_basics.check_many_to_many", verbose, capsys)
    assert line.endswith("Calling verbose raised ValueError: first line ...")


def test_a_value_in_place_of_the_function_is_a_verdict(capsys):
    line = _run("word_ptb.check_perplexity", 3.5, capsys)
    assert line.startswith(checks.WRONG) and "Pass the function itself" in line and "a float" in line


def test_the_learner_cannot_change_the_courses_configurations(capsys):
    from helpers import ptb

    before = {name: dict(config) for name, config in ptb.CONFIGS.items()}

    def meddles(epoch, config):
        rate = learning_rate(epoch, config)
        config["learning_rate"] = 0.0
        config.clear()
        return rate

    assert _run("word_ptb.check_learning_rate", meddles, capsys).startswith(checks.OK)
    assert ptb.CONFIGS == before


def test_an_error_in_checking_what_was_returned_is_a_verdict_naming_it(capsys, monkeypatch):
    @checks.exercise("Exercise 0 (harness)")
    def check_harness(name, function):
        got = checks.attempt(name, function, 3, returns=checks.number())
        math.sqrt(-got)  # a slip no check foresaw: a negative answer breaks the check's own arithmetic

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    check_harness(lambda x: x)
    line = capsys.readouterr().out.rstrip("\n")
    assert line == (
        "✗ Exercise 0 (harness): not yet right. Your function returned an int, which the check could not "
        "use (ValueError: math domain error)."
    )
    assert checks.results["Exercise 0 (harness)"] is False
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError) as raised:
        check_harness(lambda x: x)
    assert str(raised.value) == capsys.readouterr().out.rstrip("\n") and raised.value.__context__ is None


def test_what_a_spec_reports():
    assert checks.array((4, 3)).problem("x") == "a str"
    assert checks.array((4, 3)).problem(np.zeros((3, 4))) == "a NumPy array of shape (3, 4)"
    assert checks.array((4, 3)).problem(np.full((4, 3), np.nan)) == "a NumPy array of shape (4, 3) with NaN in it"
    assert checks.array((4, 3)).problem(np.zeros((4, 3))) is None
    assert checks.number().problem(np.float32(2.5)) is None and checks.number().problem(np.ones(1)) is None
    assert checks.number().problem(True) == "a bool" and checks.number().problem(float("nan")) == "nan"
    pair = checks.items("a pair", checks.number(), checks.number(), names=("a", "b"))
    assert pair.problem((1, "2")) == "a tuple of 2 items whose b is a str"
    assert checks.numbers().problem([1, None]) == "a list of 2 items whose item 1 is None"
