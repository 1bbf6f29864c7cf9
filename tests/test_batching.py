"""helpers.batching: the PTB tutorial's worked example, the dataset form, the errors."""

import numpy as np
import pytest

from helpers import batching
from helpers.batching import batch_dataset, batch_producer, epoch_size


def test_classic_worked_example():
    x, y = batch_producer(np.arange(1, 19), batch_size=3, num_steps=2)
    assert x.shape == y.shape == (2, 3, 2)  # epoch size (6 - 1) // 2 = 2
    assert x[0].tolist() == [[1, 2], [7, 8], [13, 14]]
    assert y[0].tolist() == [[2, 3], [8, 9], [14, 15]]
    assert x[1].tolist() == [[3, 4], [9, 10], [15, 16]]
    assert y[1].tolist() == [[4, 5], [10, 11], [16, 17]]


def test_rows_continue_from_batch_to_batch():
    ids = np.arange(1000)
    x, y = batch_producer(ids, batch_size=4, num_steps=7)
    assert len(x) == epoch_size(1000, 4, 7) == (250 - 1) // 7
    row = np.concatenate(list(x[:, 2]))  # row 2 across all batches
    assert np.array_equal(row, np.arange(500, 500 + len(row)))
    assert np.array_equal(y, x + 1)


def test_dataset_gives_the_same_batches_in_order():
    ids = np.arange(1, 19)
    x, y = batch_producer(ids, 3, 2)
    batches = list(batch_dataset(ids, 3, 2).as_numpy_iterator())
    assert len(batches) == 2
    for k, (bx, by) in enumerate(batches):
        assert np.array_equal(bx, x[k]) and np.array_equal(by, y[k])


def test_too_little_data_gives_the_numbers():
    with pytest.raises(ValueError, match=r"10 ids.*batch_size=3.*num_steps=4.*at least 15"):
        batch_producer(np.arange(10), batch_size=3, num_steps=4)


def test_non_integer_or_nested_ids_are_refused():
    with pytest.raises(ValueError, match="1-D sequence of integers"):
        batch_producer(np.zeros((4, 5), dtype=int), 2, 2)
    with pytest.raises(ValueError, match="1-D sequence of integers"):
        batch_producer(np.linspace(0, 1, 50), 2, 2)


def test_distributed_dataset_on_one_replica_is_the_plain_batches():
    import tensorflow as tf

    ids = np.arange(1, 100)
    x, y = batching.batch_producer(ids, 4, 3)
    got = list(batching.distributed_dataset(ids, 4, 3, tf.distribute.get_strategy()))
    assert len(got) == len(x)
    for k, (bx, by) in enumerate(got):
        np.testing.assert_array_equal(bx, x[k])
        np.testing.assert_array_equal(by, y[k])


def test_distributed_dataset_needs_a_batch_that_splits_over_the_replicas():
    class TwoReplicas:
        num_replicas_in_sync = 2

    with pytest.raises(ValueError, match="does not split evenly over 2 replicas"):
        batching.distributed_dataset(np.arange(100), 5, 3, TwoReplicas())


def test_windows_of_the_classic_recipe_do_not_overlap():
    x, y = batching.windows(np.arange(103), 10)
    assert x.shape == y.shape == (10, 10) and x.dtype == np.int32
    np.testing.assert_array_equal(x[1], np.arange(10, 20))
    np.testing.assert_array_equal(y[1], np.arange(11, 21))
    np.testing.assert_array_equal(x.ravel(), np.arange(100))  # every id once, in order
    with pytest.raises(ValueError, match="too few"):
        batching.windows(np.arange(10), 10)


def test_windows_with_step_1_slide_and_end_on_the_next_id():
    x, y = batching.windows(np.arange(20, 30), 3, step=1)
    assert x.shape == y.shape == (7, 3)
    np.testing.assert_array_equal(x[0], [20, 21, 22])
    np.testing.assert_array_equal(x[1], [21, 22, 23])
    np.testing.assert_array_equal(y[:, -1], np.arange(23, 30))  # the id after each window
    x, _ = batching.windows(np.arange(20), 5, step=3)
    np.testing.assert_array_equal(x[:, 0], [0, 3, 6, 9, 12])  # (20 - 1 - 5) // 3 + 1 = 5 windows
    for bad in (dict(length=0), dict(length=3, step=0)):
        with pytest.raises(ValueError, match="at least 1"):
            batching.windows(np.arange(20), **bad)
