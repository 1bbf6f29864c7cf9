"""The checks of notebook 03_sign_sum's exercises: a running sum with a doubling sign, the units a read-out needs, zero sums.

Each ``check_*`` takes the learner's answer, prints one verdict line with a
hint for the usual slips, and (under nbgrader) raises when the answer is not
right: see `helpers.checks` for the harness.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import signsum
from ..checks import attempt, exercise, number, numbers, verdict


@exercise("Exercise 1 (doubled_sum)")
def check_doubled_sum(name: str, doubled_sum: Callable) -> None:
    """Exercise 1 of 03_sign_sum: ``doubled_sum(sequence)``, the running sum when ``D`` doubles the next sign.

    The rule of section 1 plus a fifth character: ``D`` adds nothing itself
    and doubles the weight of the next ``+`` or ``-`` (only that one; a ``0``
    or ``I`` in between does not use it up, a second ``D`` doubles it again).
    Compared with `_doubled_sum` on hand-picked sequences and on 204 random
    ones over ``+ - 0 I D`` of lengths 1 to 12; a wrong answer is compared
    with the usual misreadings of the rule to name the slip.
    """
    cases = ["D+", "D-+", "DI+", "D0+", "DD+", "+D", "ID-", "-I--", "D+I+D-"]
    rng = np.random.default_rng(3)
    cases += ["".join(rng.choice(list("+-0ID"), n)) for n in range(1, 13) for _ in range(17)]
    for sequence in cases:
        expected = _doubled_sum(sequence)
        got = [
            int(v)
            for v in attempt(name, doubled_sum, sequence, returns=numbers("a list of integers, one per character"))
        ]
        if got != expected:
            hint = ""
            if len(got) != len(expected):
                hint = f" Expected one sum per character ({len(expected)}), D and I included; got {len(got)}."
            else:
                for misreading, slip in _MISREADINGS.items():
                    if got == _doubled_sum(sequence, misreading):
                        hint = f" {slip}"
                        break
            return verdict(name, False, f"doubled_sum({sequence!r}): expected {expected}, got {got}.{hint}")
    return verdict(name, True, f"It agrees with the rule on {len(cases)} sequences over + - 0 I D.")


_MISREADINGS = {  # a misreading of the rule -> the hint that names it
    "kept": "The doubling is kept for every later sign: it should double the next + or - only.",
    "used up": "A 0 or an I uses the doubling up: only the next + or - should.",
    "no inversion": "It looks like I is ignored: it should invert every sign after it, doubled or not.",
    "added": "DD should double twice (x4); here a second D adds 1 to the weight instead.",
    "once": "DD should double twice (x4); here a second D does nothing more.",
}


def _doubled_sum(sequence: str, misreading: str | None = None) -> list[int]:
    """The running sum of `sequence` over ``+ - 0 I D`` by the rule of exercise 1, or by one of `_MISREADINGS`."""
    sign, weight, total, sums = 1, 1, 0, []
    for ch in sequence:
        if ch == "I" and misreading != "no inversion":
            sign = -sign
        elif ch == "D":
            weight = weight + 1 if misreading == "added" else 2 if misreading == "once" else 2 * weight
        elif ch in "+-":
            total += sign * weight * (1 if ch == "+" else -1)
            weight = weight if misreading == "kept" else 1
        if misreading == "used up" and ch in "0I":
            weight = 1
        sums.append(total)
    return sums


@exercise("Exercise 2 (units_needed)")
def check_units_needed(name: str, units_needed: Callable) -> None:
    """Exercise 2 of 03_sign_sum: ``units_needed(kernel, bias, target)``, the fewest inputs that let Dense(1) pass `target`.

    ``kernel`` (units, 1), ``bias`` (1,), every input in ``(-1, 1)``, ``target``
    above the bias and below the bound of section 4: the smallest ``k`` such
    that the bias plus the ``k`` largest ``|w|`` exceeds `target` (the other
    inputs at 0). Checked on random read-outs of 24 units.
    """
    rng = np.random.default_rng(4)
    for _ in range(6):
        kernel, bias = rng.normal(size=(24, 1)), rng.uniform(0.5, 1.5, size=1) * rng.choice([-1, 1])
        for share in (0.2, 0.5, 0.8):
            target = float(bias[0] + share * np.abs(kernel).sum())
            (expected,) = _units_needed(kernel, bias, target)
            got = attempt(name, units_needed, kernel, bias, target, returns=number("an integer"))
            got = float(np.asarray(got).squeeze())
            if got != expected:
                hint = ""
                if got in _units_needed(kernel, bias, target, largest_first=False):
                    hint = " Take the units with the largest |w| first: that needs the fewest."
                elif got in _units_needed(kernel, np.zeros(1), target):
                    hint = " The bias counts: the answer starts at b, so the units must add target - b."
                elif got in _units_needed(kernel, bias, target, signed=True):
                    hint = " Each input can take the sign of its weight, so every weight counts as |w|."
                elif abs(got - expected) == 1:
                    hint = " Off by one: k units are enough when b plus the k largest |w| is above the target."
                return verdict(
                    name,
                    False,
                    f"For target {target:.2f} (bias {bias[0]:.2f}): expected {expected}, got {got:g}.{hint}",
                )
    return verdict(name, True)


def _units_needed(kernel, bias, target: float, largest_first: bool = True, signed: bool = False) -> set[int]:
    """The smallest k whose k largest |w| plus the bias exceed `target`, or what a slip gives for it.

    ``largest_first=False`` sorts the other way, ``signed=True`` uses w, not
    |w|. The answer is a set: the first k past the target, and (where the
    reach is not increasing, or never passes) one more than the count of k not past it.
    """
    w = np.sort(kernel[:, 0] if signed else np.abs(kernel[:, 0]))
    reach = bias[0] + np.cumsum(w[::-1] if largest_first else w)
    past = reach > target
    return {int(np.argmax(past)) + 1 if past.any() else len(w) + 1, int(np.sum(~past)) + 1}


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
