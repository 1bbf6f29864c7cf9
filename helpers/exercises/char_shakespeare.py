"""The checks of notebook 04_char_shakespeare's exercises: top-k sampling, a GRU language model, the classic
recipe's windows, the bug in a stateful fit, a fact of the text to find a unit for.

Each ``check_*`` takes the learner's answer, prints one verdict line with a
hint for the usual slips, and (under nbgrader) raises when the answer is not
right: see `helpers.checks` for the harness.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..checks import array, attempt, exercise, instance, items, number, one_line, verdict


@exercise("Exercise 1 (top_k_pick)")
def check_top_k_pick(name: str, top_k_pick: Callable) -> None:
    """Exercise 1 of 04_char_shakespeare: ``top_k_pick(logits, k, temperature, rng)``.

    Keep the `k` largest logits, divide by `temperature`, softmax, draw one
    index with ``rng``. Checked over many draws: only the top k ever come
    out, k=1 is the argmax, and with k = all the frequencies follow
    ``softmax(logits / temperature)``.
    """
    logits = np.array([2.0, -1.0, 0.5, 3.0, 1.0, -2.0, 2.5, 0.0])
    order = np.argsort(-logits)
    index = number("an index (an integer)")
    for k in (1, 3):
        rng = np.random.default_rng(0)
        got = {int(attempt(name, top_k_pick, logits.copy(), k, 1.0, rng, returns=index)) for _ in range(300)}
        allowed = set(order[:k].tolist())
        if not got <= allowed:
            extra = sorted(got - allowed)
            return verdict(
                name,
                False,
                f"With k={k} only indices {sorted(allowed)} (the {k} largest logits) may "
                f"come out; got also {extra}. Mask the others to -inf before the softmax.",
            )
        if k == 3 and got != allowed:
            return verdict(
                name,
                False,
                f"With k=3 each of {sorted(allowed)} should come out in 300 draws; "
                f"only {sorted(got)} did. Is it sampling, or always taking the argmax?",
            )
    rng = np.random.default_rng(1)
    n, t = 4000, 0.7
    draws = np.array(
        [int(attempt(name, top_k_pick, logits.copy(), len(logits), t, rng, returns=index)) for _ in range(n)]
    )
    freq = np.bincount(draws, minlength=len(logits)) / n
    p = np.exp(logits / t - (logits / t).max())
    p /= p.sum()
    p1 = np.exp(logits - logits.max())
    p1 /= p1.sum()
    if np.abs(freq - p).max() > 0.03:
        if np.abs(freq - p1).max() <= 0.03:
            return verdict(name, False, "The draws follow softmax(logits), not softmax(logits / temperature).")
        return verdict(
            name,
            False,
            f"With k = all 8 and temperature {t}, index {int(order[0])} should come out "
            f"{p[order[0]]:.0%} of the time; it came out {freq[order[0]]:.0%}.",
        )
    return verdict(name, True)


@exercise("Exercise 2 (gru_language_model)")
def check_gru_language_model(name: str, gru_language_model: Callable) -> None:
    """Exercise 2 of 04_char_shakespeare: ``gru_language_model(vocab_size, units, batch_size, steps)``.

    A stateful Keras model with GRU layers in place of the LSTMs: ids
    ``(batch_size, steps)`` in, logits ``(batch_size, steps, vocab_size)``
    out, the state carried from one call to the next until reset.
    """
    import keras

    from ..models import reset_states, stateful_layers

    model = attempt(name, gru_language_model, 30, 16, 3, 7, returns=instance(keras.Model, "a keras.Model"))
    grus = [layer for layer in model.layers if isinstance(layer, keras.layers.GRU)]
    if not grus:
        return verdict(name, False, "The model has no keras.layers.GRU layer.")
    x = np.random.default_rng(0).integers(0, 30, (3, 7)).astype("int32")
    try:
        first = keras.ops.convert_to_numpy(model(x))
        second = keras.ops.convert_to_numpy(model(x))
        reset_states(model)
        again = keras.ops.convert_to_numpy(model(x))
        problem = None
    except Exception as e:
        problem = f"Calling the model on ids of shape (3, 7) raised {type(e).__name__}: {one_line(e)}"
    if problem:  # outside the except block, so nbgrader's feedback shows one traceback
        return verdict(name, False, problem)
    if first.shape != (3, 7, 30):
        return verdict(name, False, f"Expected logits of shape (batch, steps, vocab) = (3, 7, 30), got {first.shape}.")
    if not all(layer in stateful_layers(model) for layer in grus):
        return verdict(
            name, False, "The GRU layers must be stateful (stateful=True, with keras.Input(batch_shape=...))."
        )
    if np.allclose(first, second):
        return verdict(
            name, False, "A second call on the same ids gave the same logits: the state is not carried over."
        )
    if not np.allclose(first, again, atol=1e-5):
        return verdict(name, False, "After reset_states the model should give the first call's logits again.")
    return verdict(name, True)


@exercise("Exercise 3 (windows)")
def check_windows(name: str, windows: Callable) -> None:
    """Exercise 3 of 04_char_shakespeare: ``windows(ids, length)``, the classic recipe's pairs.

    Must agree with `helpers.batching.windows`: ``(x, y)`` of shape
    ``(n, length)``, ``n = (len(ids) - 1) // length``, non-overlapping,
    ``y`` shifted one position ahead of ``x``.
    """
    from ..batching import windows as reference

    for n_ids, length in ((103, 10), (100, 10), (26, 25)):
        ids = np.arange(n_ids)
        expected = reference(ids, length)
        shapes = expected[0].shape
        x, y = (
            np.asarray(a)
            for a in attempt(
                name,
                windows,
                ids,
                length,
                returns=items(
                    f"a pair (x, y) of NumPy arrays of shape {shapes}",
                    *[array(shapes, check_shape=False)] * 2,
                    names=("x", "y"),
                ),
            )
        )
        if x.shape != expected[0].shape or y.shape != expected[1].shape:
            hint = (
                " The last window needs one more id for its target: n = (len(ids) - 1) // length."
                if x.shape[0] == n_ids // length != expected[0].shape[0]
                else ""
            )
            return verdict(
                name,
                False,
                f"For {n_ids} ids and length {length} expected x and y of shape "
                f"{expected[0].shape}; got {x.shape} and {y.shape}.{hint}",
            )
        if not np.array_equal(x, expected[0]):
            return verdict(name, False, f"x[1] should be ids {expected[0][1].tolist()}; got {x[1].tolist()}.")
        if not np.array_equal(y, expected[1]):
            return verdict(
                name,
                False,
                f"y should be x shifted one position ahead: y[0] = {expected[1][0].tolist()}; got {y[0].tolist()}.",
            )
    return verdict(name, True)


class _Recorder:
    """A stand-in for a stateful model that records what `fit` was given instead of training."""

    def __init__(self):
        self.calls = []

    def fit(self, x=None, y=None, **kwargs):
        import keras

        self.calls.append((x, y, kwargs))
        return keras.callbacks.History()


@exercise("Exercise 4 (fit_in_order)")
def check_fit_in_order(name: str, fit_in_order: Callable) -> None:
    """Exercise 4 of 04_char_shakespeare: ``fit_in_order(model, ids, epochs, batch_size, steps)``, the bug found.

    The set-up handed out calls ``model.fit(x, y, batch_size=...)`` on the
    stream's batches laid end to end, and Keras' ``fit`` shuffles the rows of
    ``x`` by default: row b of a batch no longer continues row b of the last.
    Checked on a recording stand-in for the model: ``fit`` must be called
    once, in order (``shuffle=False``), with `batch_size` rows of `steps` ids
    that continue each other batch after batch, targets one id ahead, and a
    callback that zeroes the state each epoch.
    """
    import keras

    from ..batching import batch_producer

    rows, steps, epochs = 4, 5, 2
    ids = np.arange(203)
    recorder = _Recorder()
    attempt(
        name,
        fit_in_order,
        recorder,
        ids,
        epochs,
        rows,
        steps,
        returns=instance(keras.callbacks.History, "what model.fit returns (return model.fit(...))"),
    )
    if len(recorder.calls) != 1:
        return verdict(
            name,
            False,
            f"model.fit should be called once (for all the epochs); it was called {len(recorder.calls)} times.",
        )
    x, y, options = recorder.calls[0]
    x, y = np.asarray(x), np.asarray(y)
    expected_x, expected_y = (a.reshape(-1, steps) for a in batch_producer(ids, rows, steps))
    if x.shape != expected_x.shape or y.shape != expected_y.shape:
        return verdict(
            name,
            False,
            f"fit was given x of shape {x.shape}; it cuts x along its first axis into batches of batch_size rows, "
            f"so x should be the batches laid end to end, of shape {expected_x.shape} (-1, steps).",
        )
    shuffle = options.get("shuffle", True)
    if shuffle:
        how = "by default (shuffle=True)" if "shuffle" not in options else f"with shuffle={shuffle!r}"
        return verdict(
            name,
            False,
            f"model.fit shuffles the rows of x {how}: row b of each batch no longer continues row b of the last, "
            "so the state the model carries comes from another place in the text. Pass shuffle=False.",
        )
    if options.get("batch_size") != rows:
        return verdict(
            name,
            False,
            f"fit was given batch_size={options.get('batch_size')!r} (Keras' default is 32); the stateful model's "
            f"batches have batch_size = {rows} rows here, the model's own.",
        )
    if not np.array_equal(x, expected_x) or not np.array_equal(y, expected_y):
        return verdict(
            name,
            False,
            "The batches fit sees do not continue each other: lay out batching.batch_producer's batches "
            "one after another, x.reshape(-1, steps), and the targets the same way.",
        )
    if options.get("epochs", 1) != epochs:
        return verdict(
            name, False, f"fit should train for the epochs asked ({epochs}); it was given {options.get('epochs', 1)}."
        )
    resets = [
        c
        for c in options.get("callbacks") or []
        if type(c).on_epoch_begin is not keras.callbacks.Callback.on_epoch_begin
    ]
    if not resets:
        return verdict(
            name,
            False,
            "No callback zeroes the state at the start of each epoch (training.ResetStates): "
            "the last batch's state would run into the first batch of the next epoch.",
        )
    return verdict(name, True, "fit keeps the order, so each row's state comes from the text just before it.")


def since_mark_reference(text: str, marks: str = ",.;:!?") -> np.ndarray:
    """Exercise 5's answer: at each character, how many characters since the last of `marks` (0 on a mark;
    before the first mark, counted as if one stood just before the text)."""
    out, last = np.zeros(len(text)), -1
    for i, ch in enumerate(text):
        last = i if ch in marks else last
        out[i] = i - last
    return out


@exercise("Exercise 5 (since_mark)")
def check_since_mark(name: str, since_mark: Callable) -> None:
    """Exercise 5 of 04_char_shakespeare: ``since_mark(text)``, a fact of the text for `helpers.inside.best_units`."""
    for text in ("Ay, sir; so.\nNay, GREMIO!\nWell", "no mark here", ",,a"):
        expected = since_mark_reference(text)
        got = attempt(name, since_mark, text, returns=array(expected.shape))
        got = np.asarray(got, dtype=float)
        if np.array_equal(got, expected):
            continue
        hints = {
            "counts the mark itself as 1": np.array_equal(got, expected + 1),
            "starts again at each newline too": np.array_equal(got, since_mark_reference(text, ",.;:!?\n")),
            "starts again at each space": np.array_equal(got, since_mark_reference(text, ",.;:!? ")),
        }
        slip = next((f" Yours {k}: only , . ; : ! ? start the count again, at 0." for k, v in hints.items() if v), "")
        return verdict(name, False, f"For {text!r} expected {expected.astype(int).tolist()}; got {got.tolist()}.{slip}")
    return verdict(name, True)
