"""`batch_producer`: a long token stream cut into batches for truncated backpropagation.

The stream is split into `batch_size` rows of equal length, and each batch
takes the next `num_steps` columns, with the targets shifted one step ahead.
Row b of batch k+1 therefore continues row b of batch k, which is what lets a
stateful model carry its state from one batch to the next (``04`` and ``06``).
This is the layout of the classic TensorFlow PTB tutorial's ``ptb_producer``.

`windows` is the other way to cut a stream: separate windows, each an
example of its own (the classic char-rnn recipe of ``04``, and with a step
of 1 the next-word examples of ``05``); `random_windows` draws them at
random places, batch after batch (the Transformer's diet in ``07``).
"""

from __future__ import annotations

import numpy as np


def epoch_size(num_ids: int, batch_size: int, num_steps: int) -> int:
    """How many batches one pass over `num_ids` tokens gives: ``(batch_len - 1) // num_steps``."""
    return (num_ids // batch_size - 1) // num_steps


def batch_producer(ids, batch_size: int, num_steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut the 1-D token stream `ids` into PTB-style batches.

    Returns ``(x, y)``, both int32 of shape ``(epoch_size, batch_size, num_steps)``:
    ``x[k]`` is batch k and ``y[k]`` its targets, ``x[k]`` shifted by one
    token. With ids 1..18, batch 3 and 2 steps, the rows are 1..6, 7..12 and
    13..18; ``x[0]`` is ``[[1, 2], [7, 8], [13, 14]]`` and ``y[0]`` is
    ``[[2, 3], [8, 9], [14, 15]]``. The tail that does not fill a row is dropped.
    """
    ids = np.asarray(ids)
    if ids.ndim != 1 or not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"ids must be a 1-D sequence of integers; got shape {ids.shape}, dtype {ids.dtype}")
    if batch_size < 1 or num_steps < 1:
        raise ValueError(f"batch_size and num_steps must be at least 1; got {batch_size} and {num_steps}")
    n_batches = epoch_size(len(ids), batch_size, num_steps)
    if n_batches < 1:
        raise ValueError(
            f"Too little data for one batch: {len(ids)} ids, but batch_size={batch_size} rows of "
            f"num_steps={num_steps} steps (plus 1 for the shifted targets) need at least "
            f"{batch_size * (num_steps + 1)}."
        )
    batch_len = len(ids) // batch_size
    rows = ids[: batch_size * batch_len].reshape(batch_size, batch_len).astype(np.int32)
    width = n_batches * num_steps

    def windows(a: np.ndarray) -> np.ndarray:  # (batch, width) -> (epoch, batch, num_steps)
        return a.reshape(batch_size, n_batches, num_steps).transpose(1, 0, 2)

    return windows(rows[:, :width]), windows(rows[:, 1 : width + 1])


def batch_dataset(ids, batch_size: int, num_steps: int):
    """The batches of `batch_producer` as a ``tf.data.Dataset`` of ``(x, y)``, in order.

    Each element is one batch, ``(batch_size, num_steps)`` int32. Keep the
    order (no shuffling) when training a stateful model.
    """
    import tensorflow as tf

    return tf.data.Dataset.from_tensor_slices(batch_producer(ids, batch_size, num_steps))


def distributed_dataset(ids, batch_size: int, num_steps: int, strategy):
    """The batches of `batch_producer` spread over the replicas of a ``tf.distribute`` `strategy`, rows kept in place.

    `batch_size` is the global batch. Replica r always gets the same
    ``batch_size / replicas`` rows of every batch, so its share of a stateful
    model's state keeps following its own rows from one batch to the next:
    on 2 replicas with 20 rows, replica 0 trains rows 0-9 of every batch and
    replica 1 rows 10-19. Each input pipeline (one per worker under
    ``MultiWorkerMirroredStrategy``) builds only its own rows' batches, in
    the order tf.distribute deals them to its replicas (one to each in turn).
    """
    import tensorflow as tf

    replicas = strategy.num_replicas_in_sync
    if batch_size % replicas:
        raise ValueError(f"batch_size={batch_size} does not split evenly over {replicas} replicas")
    x, y = batch_producer(ids, batch_size, num_steps)

    def pipeline(context):
        per_pipeline = batch_size // context.num_input_pipelines
        rows = slice(context.input_pipeline_id * per_pipeline, (context.input_pipeline_id + 1) * per_pipeline)
        local = replicas // context.num_input_pipelines
        # (epoch, rows of this pipeline, steps) -> one element per (batch, local replica), batch-major.
        deal = lambda a: a[:, rows].reshape(len(a) * local, per_pipeline // local, num_steps)  # noqa: E731
        return tf.data.Dataset.from_tensor_slices((deal(x), deal(y)))

    return strategy.distribute_datasets_from_function(pipeline)


def windows(ids, length: int, step: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Windows of `length` ids, `step` apart, each with its targets: the same window one position later.

    Returns ``(x, y)``, int32 of shape ``(n, length)``: ``x[i] = ids[i*step :
    i*step + length]`` and ``y[i] = ids[i*step + 1 : i*step + length + 1]``.
    With ``step = length`` (the default) the windows do not overlap: the
    classic recipe's training pairs, ``n = (len(ids) - 1) // length``. With
    ``step=1`` they slide one id at a time, and ``y[:, -1]`` is the id that
    follows each window: the next-word examples, ``n = len(ids) - length``.
    Each window is a separate example, trained from a zero state.
    """
    ids = np.asarray(ids, dtype=np.int32)
    step = length if step is None else step
    if length < 1 or step < 1:
        raise ValueError(f"length and step must be at least 1; got {length} and {step}")
    if len(ids) < length + 1:
        raise ValueError(f"{len(ids)} ids are too few for one window of {length} plus its shifted target")
    both = np.lib.stride_tricks.sliding_window_view(ids, length + 1)[::step]
    return both[:, :-1].copy(), both[:, 1:].copy()


def random_windows(ids, length: int, batch_size: int, seed: int = 0):
    """An endless ``tf.data.Dataset`` of batches of `windows` at random places: ``(batch_size, length)`` int32 twice.

    Each batch draws `batch_size` start positions uniformly (with seed `seed`)
    and takes `length` ids from each, targets one position later: the
    Transformer's way to see a text (``07``), where no state runs from one
    batch to the next.
    """
    import tensorflow as tf

    ids = np.asarray(ids, dtype=np.int32)
    if len(ids) < length + 1:
        raise ValueError(f"{len(ids)} ids are too few for one window of {length} plus its shifted target")
    stream = tf.constant(ids)
    offsets = np.arange(length + 1)

    def batch(starts):
        both = tf.gather(stream, starts[:, None] + offsets)
        return both[:, :-1], both[:, 1:]

    starts = tf.data.Dataset.random(seed=seed).map(lambda r: r % (len(ids) - length))
    return starts.batch(batch_size).map(batch).prefetch(2)
