"""Checking work: `compare` (is ours equal to the library's?) and the harness of the exercises' checks.

`compare` is the "build it, then prove it equals the real one" step of every
notebook that builds something by hand (``01_rnn_basics`` onwards).

Each notebook's exercise checks live in `helpers.exercises` (one module per
notebook) and are written with the harness below. A check takes the
learner's answer to one exercise and prints one line that says whether it is
right and, when it is not, what was expected and what was given. For a
learner it returns nothing and never raises, so a wrong answer does not stop
the rest of the notebook. When nbgrader runs the notebook (it sets
``NBGRADER_EXECUTION`` to ``autograde`` or ``validate`` in the kernel's
environment), a check that is not satisfied prints the same line and then
raises `AssertionError` with it, so the graded check cell loses its points
and the feedback shows the hint. Each verdict is also kept in `results`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable

import numpy as np

OK, WRONG, TODO = "✓", "✗", "…"

results: dict[str, bool] = {}  # exercise name -> passed, as last checked


def compare(name: str, ours, theirs, atol: float = 1e-6) -> bool:
    """Print whether `ours` equals `theirs` exactly, approximately (within `atol`), and the max difference.

    Returns whether they are approximately equal, so a notebook can
    ``assert compare(...)``. Shapes must match; a mismatch is reported as such.
    """
    a, b = np.asarray(ours), np.asarray(theirs)
    if a.shape != b.shape:
        print(f"{name:<28} shapes differ: {a.shape} vs {b.shape}")
        return False
    exact = bool(np.array_equal(a, b))
    diff = float(np.max(np.abs(a.astype(np.float64) - b.astype(np.float64)))) if a.size else 0.0
    approx = diff <= atol
    print(f"{name:<28} exact: {exact!s:<5} | approximate: {approx!s:<5} | max diff: {diff:.1e}")
    return approx


def graded() -> bool:
    """Whether nbgrader is running this notebook (autograde or validate): then an unmet check raises."""
    return os.environ.get("NBGRADER_EXECUTION") in ("autograde", "validate")


def verdict(exercise: str, ok: bool, message: str = "") -> None:
    """Record and print the verdict on `exercise`; under nbgrader a wrong one then raises `AssertionError`."""
    results[exercise] = ok
    line = f"{OK if ok else WRONG} {exercise}: {'correct' if ok else 'not yet right'}." + (f" {message}" if message else "")
    print(line)
    if not ok and graded():
        raise AssertionError(line)


def not_done(exercise: str) -> None:
    """The verdict on an exercise whose solution cell still raises `NotImplementedError` (or gave None)."""
    results[exercise] = False
    line = f"{TODO} {exercise}: not done yet (the solution cell still raises NotImplementedError)."
    print(line)
    if graded():
        raise AssertionError(line)


class _Verdict(Exception):
    """Raised once a check has printed its verdict, to leave it early."""


def exercise(name: str):
    """Make ``check(name, answer, ...)`` a check: ``None`` is "not done", it returns nothing.

    Outside nbgrader it never raises; under nbgrader an unmet check raises
    `AssertionError` after printing its verdict (see `verdict`).
    """

    def wrap(check):
        @functools.wraps(check)
        def run(answer, *args, **kwargs) -> None:
            if answer is None:
                return not_done(name)
            try:
                check(name, answer, *args, **kwargs)
            except _Verdict:
                pass

        return run

    return wrap


def attempt(name: str, function: Callable, *args):
    """The learner's function applied to `args`.

    `NotImplementedError` means not done, and any other error is reported as
    the verdict; either way the check ends there.
    """
    try:
        return function(*args)
    except NotImplementedError:
        problem = None
    except Exception as e:  # a learner's bug: say what it was
        problem = f"Calling {getattr(function, '__name__', 'it')} raised {type(e).__name__}: {e}"
    if problem is None:  # outside the except blocks, so nbgrader's feedback shows one traceback, not two
        not_done(name)
    else:
        verdict(name, False, problem)
    raise _Verdict
