"""Word vectors and their neighbours: a learned table's rows against counts of the words around each word.

Used by ``06_word_ptb``'s section 8, on the tied model's table (one row of
200 numbers per word, used at the input and at the output):

- `nearest`: the `k` words whose rows have the highest cosine with a word's;
- `context_counts`: the classic count-based alternative, each word as the
  positive pointwise mutual information (`ppmi`) of the words just before and
  just after it in a text, over the `contexts` most frequent words
  (`context_columns`); exercise 5 widens its window;
- `class_precision`: for a set of words that belong together (the weekdays,
  say), the share of each one's `k` nearest that are in the set;
- `pca`: a 2-D projection of rows, and the share of the variance it keeps.
"""

from __future__ import annotations

import numpy as np


def unit_rows(table) -> np.ndarray:
    """`table`'s rows scaled to length 1 (an all-zero row stays zero): cosines are then dot products."""
    table = np.asarray(table, dtype=np.float32)
    return table / np.maximum(np.linalg.norm(table, axis=1, keepdims=True), 1e-12)


def nearest(table, ids, k: int = 8) -> np.ndarray:
    """For each id of `ids`, the ids of the `k` rows of `table` with the highest cosine to its row (itself left out).

    Returns an int array ``(len(ids), k)``, the nearest first.
    """
    ids = np.atleast_1d(np.asarray(ids))
    rows = unit_rows(table)
    cosines = rows[ids] @ rows.T
    cosines[np.arange(len(ids)), ids] = -np.inf
    return np.argsort(-cosines, axis=1, kind="stable")[:, :k]


def context_columns(ids, vocab_size: int, contexts: int = 1000) -> np.ndarray:
    """For each of the `vocab_size` ids, its rank among the most frequent words of `ids` (0 the most frequent), or -1.

    Only the `contexts` most frequent words are contexts; ties keep the lower
    id first. Returns an int array ``(vocab_size,)``.
    """
    frequent = np.argsort(-np.bincount(np.asarray(ids), minlength=vocab_size), kind="stable")[:contexts]
    column = np.full(vocab_size, -1)
    column[frequent] = np.arange(len(frequent))
    return column


def ppmi(counts) -> np.ndarray:
    """Counts of (word, context) pairs, one row per word, as positive pointwise mutual information (float32).

    Each ``n(w, c)`` becomes ``max(0, log(n(w, c) N / (n(w) n(c))))`` with
    the row and column totals and the grand total N; 0 where a pair never occurs.
    """
    counts = np.asarray(counts, dtype=np.float64)
    expected = counts.sum(1, keepdims=True) * counts.sum(0, keepdims=True) / counts.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(counts / expected)
    return np.where(counts > 0, np.maximum(pmi, 0), 0).astype(np.float32)


def context_counts(ids, vocab_size: int, contexts: int = 1000) -> np.ndarray:
    """Each word of a text as the PPMI of its neighbours: ``(vocab_size, 2 * contexts)``.

    Column ``j`` counts how often the ``j``-th most frequent word of `ids`
    (`context_columns`) comes just before the row's word, column
    ``contexts + j`` just after it; the counts become `ppmi`.
    """
    ids = np.asarray(ids)
    column = context_columns(ids, vocab_size, contexts)
    counts = np.zeros((vocab_size, 2 * contexts), dtype=np.float64)
    before, after = ids[:-1], ids[1:]
    kept = column[before] >= 0
    np.add.at(counts, (after[kept], column[before[kept]]), 1)
    kept = column[after] >= 0
    np.add.at(counts, (before[kept], contexts + column[after[kept]]), 1)
    return ppmi(counts)


def class_precision(table, ids, k: int = 5) -> float:
    """The share of the `k` nearest words (by `nearest`) of each of `ids` that are themselves among `ids`."""
    ids = np.asarray(ids)
    return float(np.isin(nearest(table, ids, k), ids).mean())


def pca(rows, components: int = 2) -> tuple[np.ndarray, float]:
    """`rows` projected on their first `components` principal axes, and the share of the variance those keep.

    The rows are centred, then projected on the leading right singular
    vectors (``np.linalg.svd``).
    """
    centred = np.asarray(rows, dtype=np.float64) - np.mean(rows, axis=0)
    _, singular, axes = np.linalg.svd(centred, full_matrices=False)
    kept = float((singular[:components] ** 2).sum() / (singular**2).sum())
    return centred @ axes[:components].T, kept
