"""The checks of notebook 03_sign_sum's exercises: the running sum by hand, the read-out's bound, sequences that sum to zero.

Each ``check_*`` takes the learner's answer, prints one verdict line with a
hint for the usual slips, and (under nbgrader) raises when the answer is not
right: see `helpers.checks` for the harness.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .. import signsum
from ..checks import attempt, exercise, number, numbers, verdict


@exercise("Exercise 1 (running_sum)")
def check_running_sum(name: str, running_sum: Callable) -> None:
    """Exercise 1 of 03_sign_sum: ``running_sum(sequence)``, the sum after each character, by hand.

    Compared with `helpers.signsum.running_sum` on the task's examples and on
    200 random sequences of lengths 1 to 12.
    """
    cases = ["+++", "-I--", "II+", "I", "0+I000", "I++000", "+I+I+I"] + [
        s for n in range(1, 13) for s in signsum.random_sequences(17, n, seed=n)
    ]
    for sequence in cases:
        expected = signsum.running_sum(sequence).tolist()
        got = [
            int(v)
            for v in attempt(name, running_sum, sequence, returns=numbers("a list of integers, one per character"))
        ]
        if got != expected:
            hint = ""
            if len(got) != len(expected):
                hint = f" Expected one sum per character ({len(expected)}), got {len(got)}."
            elif got[-1] == sum({"+": 1, "-": -1}.get(ch, 0) for ch in sequence):
                hint = " It looks like I is ignored: it should invert every character after it."
            return verdict(name, False, f"running_sum({sequence!r}): expected {expected}, got {got}.{hint}")
    return verdict(name, True, f"It agrees with helpers.signsum on {len(cases)} sequences.")


@exercise("Exercise 2 (readout_bound)")
def check_readout_bound(name: str, readout_bound: Callable) -> None:
    """Exercise 2 of 03_sign_sum: the largest output of ``Dense(1)`` on inputs in ``(-1, 1)``.

    ``readout_bound(kernel, bias)`` with ``kernel`` (units, 1) and ``bias``
    (1,) must return ``sum(|kernel|) + bias`` (the supremum, reached as every
    input goes to the sign of its weight).
    """
    rng = np.random.default_rng(4)
    for _ in range(5):
        kernel, bias = rng.normal(size=(24, 1)), rng.normal(size=1)
        expected = float(np.abs(kernel).sum() + bias[0])
        got = float(np.asarray(attempt(name, readout_bound, kernel, bias, returns=number())).squeeze())
        if not math.isclose(got, expected, rel_tol=1e-6):
            if math.isclose(got, float(np.abs(kernel).sum() + abs(bias[0])), rel_tol=1e-6):
                hint = " The bias is added as it is, with its sign, not as |b|."
            elif math.isclose(got, float(kernel.sum() + bias[0]), rel_tol=1e-6):
                hint = " Each input can take the sign of its weight, so every weight counts as |w|."
            else:
                hint = ""
            return verdict(name, False, f"Expected {expected:.4f}, got {got:.4f}.{hint}")
    return verdict(name, True)


@exercise("Exercise 3 (zero_sum_count)")
def check_zero_sum_count(name: str, zero_sum_count: Callable) -> None:
    """Exercise 3 of 03_sign_sum: ``zero_sum_count(length)``, how many sequences of `length` sum to 0.

    Checked for lengths 1 to 6 against a count over `helpers.signsum.all_sequences`.
    """
    for length in range(1, 7):
        every = signsum.all_sequences(length)
        expected = sum(signsum.final_sum(s) == 0 for s in every)
        got = attempt(name, zero_sum_count, length, returns=number("an integer"))
        if isinstance(got, float) and 0 < got < 1:
            return verdict(name, False, f"Give the number of sequences, not the fraction ({got:.4f}).")
        if got != expected:
            return verdict(name, False, f"For length {length}: expected {expected} of {len(every)}, got {got}.")
    return verdict(
        name,
        True,
        f"Length 6: {expected} of 4096, so a model that always answers 0 "
        f"would be right {expected / 4096:.1%} of the time.",
    )
