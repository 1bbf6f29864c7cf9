"""Every exercise check answers the commonest slips with one verdict line, never a traceback.

The slips: a function that forgets its `return` (returns None), one that
returns the wrong type (a str, a dict, a list where an array is expected),
one that returns the wrong shape, and one that raises. The checks are found
in `helpers.exercises` and their solutions in the notebooks' solution cells,
run as a learner would submit them; a new check needs only its wrong-shape
slip here (`WRONG_SHAPE`).
"""

from __future__ import annotations

import ast
import importlib
import math
import pkgutil
import re

import nbformat
import numpy as np
import pytest

import helpers.exercises
from helpers import batching, checks, grading


def _discover() -> dict[str, object]:
    found = {}
    for info in pkgutil.iter_modules(helpers.exercises.__path__):
        module = importlib.import_module(f"helpers.exercises.{info.name}")
        for attr, value in vars(module).items():
            if attr.startswith("check_") and callable(value) and value.__module__ == module.__name__:
                found[f"{info.name}.{attr}"] = value
    return found


CHECKS = _discover()


# -- the solutions: each notebook's own solution cells, run as a learner would submit them ----------


def _names(node) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _notebook_solutions() -> dict[str, object]:
    """check -> the function the notebook's solution cell defines (markers removed), found in the check cell after it.

    Each solution cell runs after the notebook's imports and those of its earlier functions it calls (a `sigmoid`
    written above, say), not the rest of the notebook (its training).
    """
    found = {}
    for path in grading.notebooks():
        imports, functions = [], {}
        nb = nbformat.read(path, as_version=4)
        for cell, after in zip(nb.cells, nb.cells[1:]):
            if cell.cell_type != "code":
                continue
            if not cell.metadata.get("nbgrader", {}).get("solution"):
                for node in ast.parse(cell.source).body:
                    if isinstance(node, (ast.Import, ast.ImportFrom)):
                        imports.append(node)
                    elif isinstance(node, ast.FunctionDef):
                        functions[node.name] = node
                continue
            solution = grading.answer(cell.source)
            needed, todo = set(), _names(ast.parse(solution)) & set(functions)
            while todo:  # and the functions those call
                needed |= todo
                todo = set().union(*(_names(functions[f]) for f in todo)) & set(functions) - needed
            namespace: dict = {}
            exec(
                compile(ast.Module(imports + [functions[f] for f in needed], type_ignores=[]), str(path), "exec"),
                namespace,
            )
            exec(solution, namespace)
            module = re.search(r"helpers\.exercises\.(\w+) import", after.source).group(1)
            check, name = re.search(r"(check_\w+)\((\w+)", after.source).groups()
            found[f"{module}.{check}"] = namespace[name]
    return found


SOLUTIONS = _notebook_solutions()


def _twice(solution):
    """A scalar answer given as an array of two: the wrong shape for one number."""
    return lambda *a: np.array([solution(*a)] * 2)


def _sliced(index):
    """An array answer cut to the wrong shape."""
    return lambda solution: lambda *a: solution(*a)[index]


# check -> its wrong-shape slip, made from the notebook's solution
WRONG_SHAPE = {
    "rnn_basics.check_many_to_many": _sliced((slice(None), -1)),
    "rnn_basics.check_clip_by_global_norm": lambda clip: (
        lambda g, m: (
            [c.reshape(-1) for c in clip(g, m)[0]],
            clip(g, m)[1],
        )
    ),
    "rnn_basics.check_steps_to_vanish": _twice,
    "rnn_basics.check_rnn_backward": lambda backward: lambda *a: tuple(g.T for g in backward(*a)),
    "lstm_from_scratch.check_gru_step": _sliced((slice(None), slice(3))),
    "lstm_from_scratch.check_peephole_step": lambda step: lambda *a: tuple(v.T for v in step(*a)),
    "lstm_from_scratch.check_parameter_counts": lambda counts: lambda f, u: np.array(counts(f, u)),
    "sign_sum.check_doubled_sum": lambda doubled_sum: lambda s: np.array([doubled_sum(s)]),
    "sign_sum.check_units_needed": _twice,
    "sign_sum.check_zero_sum_count": _twice,
    "char_shakespeare.check_top_k_pick": lambda _: lambda z, k, t, rng: np.full(len(z), 1 / len(z)),
    "char_shakespeare.check_gru_language_model": lambda build: lambda v, *rest: build(v + 1, *rest),
    "char_shakespeare.check_windows": lambda _: lambda ids, n: (np.asarray(ids)[:-1], np.asarray(ids)[1:]),
    "char_shakespeare.check_fit_in_order": lambda _: (
        lambda model, ids, epochs, rows, steps: model.fit(
            *batching.batch_producer(ids, rows, steps), batch_size=rows, epochs=epochs, shuffle=False
        )
    ),  # the batches not laid end to end: x of shape (batches, rows, steps)
    "char_shakespeare.check_since_mark": _sliced(slice(None, -1)),
    "word_aesop.check_loss_floor": _twice,
    "word_aesop.check_top_words": lambda _: lambda m, v, p, k: np.full(k, 1 / k),
    "word_ptb.check_unigram_perplexity": _twice,
    "word_ptb.check_parameter_count": _twice,
    "word_ptb.check_warmup_learning_rate": _twice,
    "word_ptb_tying.check_tying_ablation": lambda ablation: (
        lambda *a: (
            lambda r: (r[0], r[1], np.asarray(r[2])[:, None])  # the two perplexities as a column
        )(ablation(*a))
    ),
    "word_ptb_vectors.check_window_counts": _sliced((slice(None), slice(-1))),
    "after_the_lstm.check_prefix_scan": _sliced(slice(None, -1)),
    "after_the_lstm.check_flip_coefficients": lambda flips: lambda s: tuple(v[None] for v in flips(s)),
    "after_the_lstm.check_block_parameters": _twice,
    "seq2seq_attention.check_masked_attention": lambda attend: lambda q, k, m: tuple(v[0] for v in attend(q, k, m)),
    "seq2seq_attention.check_shift_right": _sliced((slice(None), slice(-1))),
    "seq2seq_attention.check_beam_step": lambda step: lambda s, lp, w: tuple(v[:, :1] for v in step(s, lp, w)),
}
ARRAY_ANSWERS = {"rnn_basics.check_many_to_many", "lstm_from_scratch.check_gru_step"}  # a list is the wrong type


def test_every_check_has_its_solution_and_slips_here():
    assert len(CHECKS) >= 20
    assert set(SOLUTIONS) == set(CHECKS), "a check no notebook calls, or a notebook's check not in helpers.exercises"
    assert set(WRONG_SHAPE) == set(CHECKS), "give each new check its wrong-shape slip in WRONG_SHAPE"


def returns_none(*args):
    pass


def broken(*args):
    raise ZeroDivisionError("division by zero in the learner's code")


def _slips(check: str) -> dict[str, tuple[object, tuple[str, ...]]]:
    """slip -> (the learner's function, what the verdict must name)."""
    wrong_shape, says = WRONG_SHAPE[check](SOLUTIONS[check]), "shape"
    slips = {
        "None": (returns_none, ("returned None", "forget `return`")),
        "str": (lambda *a: "42", ("returned a str", "expected")),
        "dict": (lambda *a: {"answer": 42}, ("returned a dict", "expected")),
        "shape": (wrong_shape, (says,)),
        "raising": (broken, ("raised ZeroDivisionError", "division by zero")),
    }
    if check in ARRAY_ANSWERS:
        slips["list"] = (lambda *a: list(SOLUTIONS[check](*a)), ("returned a list", "NumPy array"))
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
    assert _run(check, SOLUTIONS[check], capsys).startswith(f"{checks.OK} ")
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
    line = _run("word_ptb.check_unigram_perplexity", 3.5, capsys)
    assert line.startswith(checks.WRONG) and "Pass the function itself" in line and "a float" in line


def test_the_learner_cannot_change_the_courses_configurations(capsys):
    from helpers import ptb

    before = {name: dict(config) for name, config in ptb.CONFIGS.items()}

    def meddles(update, config, warmup, epoch_size):
        rate = SOLUTIONS["word_ptb.check_warmup_learning_rate"](update, config, warmup, epoch_size)
        config["learning_rate"] = 0.0
        config.clear()
        return rate

    assert _run("word_ptb.check_warmup_learning_rate", meddles, capsys).startswith(checks.OK)
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
