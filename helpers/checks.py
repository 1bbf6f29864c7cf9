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

What a learner's function returned is vetted before a check uses it:
``attempt(name, function, *args, returns=spec)`` turns None ("did you forget
`return`?"), the wrong type, the wrong shape or NaN into the verdict, by
the specs `array`, `number`, `numbers`, `instance`, `items` and `each`. Any
other error met while checking an answer becomes a verdict naming what was
returned, so a check prints one line, never a traceback.
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
    global _printed
    results[exercise] = ok
    line = f"{OK if ok else WRONG} {exercise}: {'correct' if ok else 'not yet right'}." + (
        f" {message}" if message else ""
    )
    print(line)
    _printed = line
    if not ok and graded():
        raise AssertionError(line)


def not_done(exercise: str) -> None:
    """The verdict on an exercise whose solution cell still raises `NotImplementedError` (or gave None)."""
    global _printed
    results[exercise] = False
    line = f"{TODO} {exercise}: not done yet (the solution cell still raises NotImplementedError)."
    print(line)
    _printed = line
    if graded():
        raise AssertionError(line)


class _Verdict(Exception):
    """Raised once a check has printed its verdict, to leave it early."""


_printed = ""  # the last verdict line printed, to tell a graded verdict from any other AssertionError
_last: tuple[str, object] | None = None  # (function, what it returned) as last attempted: the slip to name


def one_line(text) -> str:
    """`text` on one line: its first line, at most 200 characters."""
    lines = str(text).strip().splitlines()
    first = lines[0] if lines else ""
    return first if len(first) <= 200 and len(lines) <= 1 else first[:200].rstrip() + " ..."


def exercise(name: str):
    """Make ``check(name, answer, ...)`` a check: ``None`` is "not done", it returns nothing.

    The answer is the learner's function. Outside nbgrader it never raises:
    an error met while checking what the function returned (a slip no check
    foresaw) becomes the verdict, naming what was returned. Under nbgrader
    an unmet check raises `AssertionError` after printing its verdict (see
    `verdict`).
    """

    def wrap(check):
        @functools.wraps(check)
        def run(answer, *args, **kwargs) -> None:
            global _last
            if answer is None:
                return not_done(name)
            if not callable(answer):
                return verdict(
                    name, False, f"Pass the function itself (its name, no parentheses); got {_kind(answer)}."
                )
            _last, problem = None, None
            try:
                check(name, answer, *args, **kwargs)
            except _Verdict:
                pass
            except Exception as e:  # the learner's answer broke the check: name the slip, not the traceback
                if isinstance(e, AssertionError) and str(e) == _printed:
                    raise  # a verdict under nbgrader, printed already
                what = (
                    f"{_last[0]} returned {_kind(_last[1])}, which the check could not use"
                    if _last
                    else "Checking it failed"
                )
                problem = f"{what} ({type(e).__name__}: {one_line(e)})."
            if problem is not None:  # outside the except blocks, so nbgrader's feedback shows one traceback
                verdict(name, False, problem)

        return run

    return wrap


def _called(function, start: bool = False) -> str:
    """The learner's function's name, for a verdict; a lambda is "your function"."""
    name = getattr(function, "__name__", "")
    return name if name.isidentifier() else "Your function" if start else "your function"


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _kind(value) -> str:
    """What `value` is, in a few words: "None", "a str", "a list of 3 items", "a NumPy array of shape (4, 2)"."""
    if value is None:
        return "None"
    if isinstance(value, (list, tuple)):
        return f"{_a(type(value).__name__)} of {len(value)} item{'s' if len(value) != 1 else ''}"
    shape = getattr(value, "shape", None)
    if isinstance(shape, tuple) or hasattr(shape, "as_list"):
        kind = "NumPy array" if isinstance(value, np.ndarray) else type(value).__name__
        return f"{_a(kind)} of shape {tuple(shape)}"
    return _a(type(value).__name__)


def _numeric(value) -> np.ndarray | None:
    """`value` as a NumPy array if it is an array, a tensor or a number of real numbers (not a list), else None."""
    if isinstance(value, (bool, np.bool_, str, bytes, list, tuple, dict, set)) or not (
        isinstance(value, (int, float, np.number, np.ndarray)) or hasattr(value, "__array__")
    ):
        return None
    try:
        a = np.asarray(value)
    except Exception:
        return None
    return a if a.dtype.kind in "iuf" else None


class Spec:
    """What a learner's function should return: `problem` says what is wrong with a value, `text` what was expected."""

    text = "something"

    def problem(self, value) -> str | None:
        raise NotImplementedError


class array(Spec):
    """A NumPy array (or tensor) of real numbers, of `shape` (None: any), without NaN.

    ``check_shape=False``: `shape` is only shown; the check explains a wrong shape itself.
    """

    def __init__(self, shape: tuple | None = None, check_shape: bool = True):
        self.shape, self.check_shape = shape, check_shape and shape is not None
        self.text = "a NumPy array" + (f" of shape {shape}" if shape is not None else "")

    def problem(self, value):
        a = _numeric(value)
        if a is None:
            return _kind(value) if not isinstance(value, np.ndarray) else f"a NumPy array of dtype {value.dtype}"
        if self.check_shape and a.shape != tuple(self.shape):
            return _kind(a)
        if np.isnan(a).any():
            return f"{_kind(a)} with NaN in it"
        return None


class number(Spec):
    """One real number (a NumPy scalar or an array of size 1 will do), not NaN; `text` names it, e.g. "an integer"."""

    def __init__(self, text: str = "a number"):
        self.text = text

    def problem(self, value):
        a = _numeric(value)
        if a is None or a.size != 1:
            return _kind(value)
        return "nan" if np.isnan(a).any() else None


class instance(Spec):
    """An instance of `cls`, described as `text`."""

    def __init__(self, cls: type, text: str):
        self.cls, self.text = cls, text

    def problem(self, value):
        return None if isinstance(value, self.cls) else _kind(value)


class items(Spec):
    """A tuple (or list) of ``len(specs)`` items, the i-th as ``specs[i]``; `text` says what, e.g. "a pair (a, b)"."""

    def __init__(self, text: str, *specs: Spec, names: tuple[str, ...] = ()):
        self.text, self.specs = text, specs
        self.names = names or tuple(f"item {i}" for i in range(len(specs)))

    def problem(self, value):
        if not isinstance(value, (list, tuple)) or len(value) != len(self.specs):
            return _kind(value)
        for label, spec, v in zip(self.names, self.specs, value):
            if (p := spec.problem(v)) is not None:
                return f"{_kind(value)} whose {label} is {p}"
        return None


class each(Spec):
    """A list or tuple (``arrays=True``: or a 1-D array) whose every item is as `spec`; the check judges its length."""

    def __init__(self, text: str, spec: Spec, arrays: bool = False):
        self.text, self.spec, self.arrays = text, spec, arrays

    def problem(self, value):
        a = _numeric(value) if self.arrays else None
        if not isinstance(value, (list, tuple)) and (a is None or a.ndim != 1):
            return _kind(value)
        for i, v in enumerate(value):
            if (p := self.spec.problem(v)) is not None:
                return f"{_kind(value)} whose item {i} is {p}"
        return None


def numbers(text: str = "a list of numbers") -> each:
    """A list (or 1-D array) of numbers, each as `number`; the check judges its length."""
    return each(text, number(), arrays=True)


def attempt(name: str, function: Callable, *args, returns: Spec | None = None):
    """The learner's function applied to `args`, if what it returns is as `returns` says.

    `NotImplementedError` means not done; any other error, a return value of
    None or one not as `returns` says (type, shape, NaN) is reported as the
    verdict. Either way the check ends there.
    """
    global _last
    try:
        got = function(*args)
    except NotImplementedError:
        problem = None
    except Exception as e:  # a learner's bug: say what it was
        problem = f"Calling {_called(function)} raised {type(e).__name__}: {one_line(e)}"
    else:
        _last = (_called(function, start=True), got)
        expected = f" Expected {returns.text}." if returns is not None else ""
        if got is None:
            problem = f"{_last[0]} returned None: did you forget `return`?{expected}"
        elif returns is not None and (what := returns.problem(got)) is not None:
            problem = f"{_last[0]} returned {what}, expected {returns.text}."
        else:
            return got
    if problem is None:  # outside the except blocks, so nbgrader's feedback shows one traceback, not two
        not_done(name)
    else:
        verdict(name, False, problem)
    raise _Verdict
