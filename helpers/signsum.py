"""The sign-sum task of ``03_sign_sum``: sequences over ``+ - 0 I`` and their sums.

``+`` adds 1, ``-`` subtracts 1, ``0`` adds nothing, and ``I`` inverts the
meaning of every character after it (a second ``I`` inverts it back). So
``+++`` -> 3, ``I+`` -> -1, ``-I--`` -> 1. Each character is a 3-vector:
``0`` -> [0,0,0], ``+`` -> [1,0,0], ``-`` -> [0,1,0], ``I`` -> [0,0,1].
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence

import numpy as np

ALPHABET = "+-0I"
VECTORS = {"0": (0, 0, 0), "+": (1, 0, 0), "-": (0, 1, 0), "I": (0, 0, 1)}
_BY_VECTOR = {v: ch for ch, v in VECTORS.items()}


def validate(sequence: str) -> str:
    """Return `sequence` if it is a non-empty string over ``+ - 0 I``; otherwise raise a ValueError that says where."""
    if not isinstance(sequence, str):
        raise TypeError(f"A sign-sum sequence is a string over {ALPHABET!r}; got {type(sequence).__name__}")
    if not sequence:
        raise ValueError(f"A sign-sum sequence needs at least one character from {ALPHABET!r}; got an empty string")
    for position, ch in enumerate(sequence):
        if ch not in VECTORS:
            raise ValueError(f"{ch!r} at position {position} of {sequence!r} is not in the alphabet {ALPHABET!r}")
    return sequence


def running_sum(sequence: str) -> np.ndarray:
    """The sum after each character, shape ``(len(sequence),)``, int: ``running_sum("+I+-")`` is ``[1, 1, 0, 1]``."""
    sign, total, out = 1, 0, []
    for ch in validate(sequence):
        if ch == "I":
            sign = -sign
        elif ch == "+":
            total += sign
        elif ch == "-":
            total -= sign
        out.append(total)
    return np.asarray(out, dtype=np.int64)


def final_sum(sequence: str) -> int:
    """The answer for a whole sequence: ``final_sum("-I--") == 1``."""
    return int(running_sum(sequence)[-1])


def encode(sequences: str | Sequence[str]) -> np.ndarray:
    """One sequence to ``(time, 3)``, or a list of equal-length sequences to ``(batch, time, 3)``, float32."""
    if isinstance(sequences, str):
        return np.asarray([VECTORS[ch] for ch in validate(sequences)], dtype=np.float32)
    lengths = sorted({len(s) for s in sequences})
    if len(lengths) != 1:
        raise ValueError(f"A batch needs sequences of one length; got lengths {lengths}")
    return np.stack([encode(s) for s in sequences])


def decode(array) -> str | list[str]:
    """The inverse of `encode`: ``(time, 3)`` to a string, ``(batch, time, 3)`` to a list of strings."""
    array = np.asarray(array)
    if array.ndim == 3:
        return [decode(a) for a in array]
    if array.ndim != 2 or array.shape[-1] != 3:
        raise ValueError(f"Expected shape (time, 3) or (batch, time, 3); got {array.shape}")
    out = []
    for position, row in enumerate(array):
        key = tuple(int(v) for v in np.rint(row))
        if key not in _BY_VECTOR or not np.allclose(row, key):
            raise ValueError(f"Row {position} of the array, {row.tolist()}, is not the code of any of {ALPHABET!r}")
        out.append(_BY_VECTOR[key])
    return "".join(out)


def all_sequences(length: int, seed: int = 0) -> list[str]:
    """Every sequence of `length` characters (``4 ** length`` of them), in a fixed shuffled order."""
    if length < 1:
        raise ValueError(f"length must be at least 1; got {length}")
    every = ["".join(p) for p in itertools.product(ALPHABET, repeat=length)]
    order = np.random.default_rng(seed).permutation(len(every))
    return [every[i] for i in order]


def random_sequences(n: int, length: int, seed: int = 0) -> list[str]:
    """`n` sequences of `length` characters, each drawn uniformly from the alphabet."""
    rng = np.random.default_rng(seed)
    return ["".join(row) for row in rng.choice(list(ALPHABET), size=(n, length))]


def targets(sequences: Iterable[str], running: bool = False) -> np.ndarray:
    """The sums, float32: ``(batch, 1)`` final sums, or ``(batch, time, 1)`` running sums if `running`."""
    if running:
        return np.stack([running_sum(s) for s in sequences]).astype(np.float32)[..., None]
    return np.asarray([[final_sum(s)] for s in sequences], dtype=np.float32)
