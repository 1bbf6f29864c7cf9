"""The check of notebook 06_word_ptb's exercise 5: the counts of section 8 over a wider window.

`check_window_counts` takes the learner's ``window_counts(ids, vocab_size,
window, contexts)`` and prints one verdict line with a hint for the usual
slips (see `helpers.checks` for the harness). It lives apart from
`helpers.exercises.word_ptb` (exercises 1-4) to keep each module short.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import word_vectors
from ..checks import array, attempt, exercise, verdict


def window_counts_reference(
    ids, vocab_size: int, window: int, contexts: int = 1000, *, offsets=None, swapped=False, raw=False
) -> np.ndarray:
    """The right answer (defaults), or one of the slips: other `offsets`, before and after `swapped`, `raw` counts."""
    ids = np.asarray(ids)
    column = word_vectors.context_columns(ids, vocab_size, contexts)
    counts = np.zeros((vocab_size, 2 * contexts))
    for d in range(1, window + 1) if offsets is None else offsets:
        word, other = (ids[d:], ids[: len(ids) - d]) if d else (ids, ids)  # `other` comes d words before `word`
        sides = (contexts, 0) if swapped else (0, contexts)
        kept = column[other] >= 0
        np.add.at(counts, (word[kept], sides[0] + column[other[kept]]), 1)
        kept = column[word] >= 0
        np.add.at(counts, (other[kept], sides[1] + column[word[kept]]), 1)
    return counts.astype(np.float32) if raw else word_vectors.ppmi(counts)


@exercise("Exercise 5 (window_counts)")
def check_window_counts(name: str, window_counts: Callable) -> None:
    """Exercise 5 of 06_word_ptb: ``window_counts(ids, vocab_size, window, contexts)`` -> PPMI ``(vocab_size, 2 contexts)``.

    Column ``j`` counts the ``j``-th most frequent word (`word_vectors.context_columns`)
    anywhere in the `window` words before the row's word, column ``contexts + j``
    anywhere in the `window` words after it; then `word_vectors.ppmi`. With
    ``window=1`` it is `word_vectors.context_counts`. Tried on two small texts.
    """
    rng = np.random.default_rng(6)
    cases = [(np.array([0, 1, 2, 0, 1, 3, 0, 2, 4, 1]), 5, 2, 3), (rng.zipf(1.4, 400) % 30, 30, 3, 8)]
    cases.append((cases[1][0], 30, 1, 8))
    for ids, vocab_size, window, contexts in cases:
        expected = window_counts_reference(ids, vocab_size, window, contexts)
        got = attempt(name, window_counts, ids, vocab_size, window, contexts, returns=array(expected.shape))
        got = np.asarray(got, dtype=np.float64)
        if np.allclose(got, expected, atol=1e-5):
            continue
        slips = {
            "counts only the words exactly `window` away, not every distance from 1 to `window`": dict(
                offsets=[window]
            ),
            "starts at distance 0 (each word counted as its own context) and stops one short": dict(
                offsets=range(window)
            ),
            "has before and after the other way round (columns 0 to contexts - 1 are the words before)": dict(
                swapped=True
            ),
            "returns the raw counts: pass them through word_vectors.ppmi": dict(raw=True),
        }
        slip = next(
            (
                f" Yours {k}."
                for k, v in slips.items()
                if np.allclose(got, window_counts_reference(ids, vocab_size, window, contexts, **v), atol=1e-5)
            ),
            "",
        )
        where = np.argwhere(~np.isclose(got, expected, atol=1e-5))[0]
        return verdict(
            name,
            False,
            f"On a text of {len(ids)} words with window={window}, contexts={contexts}: row {where[0]}, column "
            f"{where[1]} should be {expected[tuple(where)]:.4f}; yours is {got[tuple(where)]:.4f}.{slip}",
        )
    return verdict(name, True)
