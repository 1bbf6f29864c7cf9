"""helpers.word_vectors: cosine neighbours, PPMI counts of the words around each word, class precision, PCA."""

import math

import numpy as np

from helpers import word_vectors


def test_nearest_ranks_by_cosine_not_length_and_leaves_the_word_out():
    table = np.array([[1.0, 0.0], [10.0, 1.0], [0.0, 1.0], [-1.0, 0.0], [0.5, 0.5]])
    assert word_vectors.nearest(table, [0], k=4).tolist() == [[1, 4, 2, 3]]  # row 1 is long but nearly parallel
    # (0, 1): (0.5, 0.5) is 45 degrees away, (10, 1) 84; (-1, 0): (0, 1) is 90 degrees away, the rest more
    assert word_vectors.nearest(table, [2, 3], k=1).tolist() == [[4], [2]]


def test_context_counts_are_the_ppmi_of_the_words_before_and_after():
    ids = np.array([0, 1, 0, 1, 0, 2])  # 0 occurs 3 times, 1 twice, 2 once
    ppmi = word_vectors.context_counts(ids, vocab_size=3, contexts=3)
    assert ppmi.shape == (3, 6)
    # counts: rows are words, columns "before = 0, 1, 2" then "after = 0, 1, 2"
    counts = np.zeros((3, 6))
    for a, b in zip(ids[:-1], ids[1:]):
        counts[b, a] += 1
        counts[a, 3 + b] += 1
    total = counts.sum()
    word_1_after_0 = math.log(counts[1, 0] * total / (counts[1].sum() * counts[:, 0].sum()))
    assert ppmi[1, 0] == np.float32(max(0.0, word_1_after_0))
    assert (ppmi[counts == 0] == 0).all() and (ppmi >= 0).all()


def test_context_counts_keep_only_the_most_frequent_contexts():
    ids = np.array([0, 0, 0, 1, 0, 2])
    ppmi = word_vectors.context_counts(ids, vocab_size=3, contexts=1)  # only word 0 as a context
    assert ppmi.shape == (3, 2)
    assert ppmi[2, 1] == 0.0 and ppmi[2, 0] > 0  # 2 is never followed by anything, and comes after a 0


def test_class_precision_counts_neighbours_inside_the_set():
    table = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    assert word_vectors.class_precision(table, [0, 1], k=1) == 1.0
    assert word_vectors.class_precision(table, [0, 2], k=1) == 0.0
    assert word_vectors.class_precision(table, [0, 1], k=2) == 0.5


def test_pca_keeps_the_main_direction_and_says_how_much_it_keeps():
    rng = np.random.default_rng(0)
    rows = np.outer(rng.normal(size=200), [3.0, 4.0, 0.0]) + rng.normal(0, 0.01, (200, 3))
    projected, kept = word_vectors.pca(rows, components=1)
    assert projected.shape == (200, 1) and kept > 0.999
    centred = rows - rows.mean(0)
    assert np.allclose(np.abs(projected[:, 0]), np.abs(centred @ np.array([0.6, 0.8, 0.0])), atol=0.05)
    assert abs(word_vectors.pca(rows, components=3)[1] - 1) < 1e-12
