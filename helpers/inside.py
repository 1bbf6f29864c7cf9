"""Looking inside a trained character model: its LSTMs' gates and states over a text, and what they follow (04).

Taught in ``04_char_shakespeare`` ("Looking inside"), after Karpathy, Johnson
and Fei-Fei (2015), "Visualizing and Understanding Recurrent Networks"
(https://arxiv.org/abs/1506.02078):

- `trace` reads a text with the state carried and returns, for each LSTM
  layer, every gate and the cell state at every character, recomputed in
  NumPy from the layer's weights and its outputs (and checked against them);
- `features` are simple facts about each position of the text (where in the
  line it is, whether the line is a speaker's name, ...);
- `best_units` finds, for each feature, the unit whose value follows it best
  (Pearson correlation), and how many units come close;
- `saturation` is the share of time each unit's gate spends below 0.1 or
  above 0.9 (the paper's figure 3);
- `reach` is the gradient of the loss at the last character of a window
  with respect to the input embedding k characters earlier, and
  `loss_by_context` the loss when the state is zeroed every n characters.
"""

from __future__ import annotations

import keras
import numpy as np
import tensorflow as tf

from .models import reset_states, resized


def lstm_layers(model: keras.Model) -> list[keras.layers.Layer]:
    """The model's LSTM layers (the course's or Keras'), first to last."""
    return [layer for layer in model.layers if "lstm" in type(layer).__name__.lower()]


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def trace(model: keras.Model, ids, rows: int = 16, chunk: int = 250) -> list[dict[str, np.ndarray]]:
    """Every LSTM layer's ``x, h, c, i, f, o`` (each (time, ...)) over `ids`, with the state carried.

    `ids` is cut into `rows` stretches of equal length, read side by side
    (one batch row each, from a zero state, `chunk` characters per call, the
    state carried between calls), and the results are put back in the
    text's order: the first ``rows * (len(ids) // rows)`` characters. The
    layers' inputs and outputs come from the model; the gates and the cell
    state are recomputed from them with the layer's weights, gate order
    i, f, c~, o as in `helpers.cells.lstm_gates`. ``h_error`` is the largest
    difference between ``o * tanh(c)`` and the layer's own output: the
    recomputation's proof.
    """
    length = len(ids) // rows
    ids = np.asarray(ids[: rows * length], dtype="int32").reshape(rows, length)
    many = resized(model, rows, None, stateful=True)
    layers = lstm_layers(many)
    probe = keras.Model(many.input, [t for layer in layers for t in (layer.input, layer.output)])
    reset_states(many)
    parts = [[keras.ops.convert_to_numpy(t) for t in probe(ids[:, s : s + chunk])] for s in range(0, length, chunk)]
    reset_states(many)
    out = []
    for k, layer in enumerate(layers):
        x, h = (np.concatenate([p[2 * k + j] for p in parts], axis=1) for j in (0, 1))  # (rows, length, ...)
        kernel, recurrent, bias = (keras.ops.convert_to_numpy(w) for w in layer.weights[:3])
        h_prev = np.concatenate([np.zeros_like(h[:, :1]), h[:, :-1]], axis=1)  # each row starts from zero
        z_i, z_f, z_c, z_o = np.split(x @ kernel + h_prev @ recurrent + bias, 4, axis=-1)
        i, f, g, o = _sigmoid(z_i), _sigmoid(z_f), np.tanh(z_c), _sigmoid(z_o)
        c = np.empty_like(h)
        state = np.zeros_like(h[:, 0])
        for t in range(length):
            state = f[:, t] * state + i[:, t] * g[:, t]
            c[:, t] = state
        flat = {name: v.reshape(rows * length, -1) for name, v in dict(x=x, h=h, c=c, i=i, f=f, o=o).items()}
        out.append(dict(flat, h_error=float(np.abs(o * np.tanh(c) - h).max())))
    return out


def features(text: str) -> dict[str, np.ndarray]:
    """Facts about each character of `text` (after reading it), as float arrays of ``len(text)``."""
    n = len(text)
    position, to_end, speaker, upper = (np.zeros(n) for _ in range(4))
    start = 0
    for line in text.split("\n"):
        end = start + len(line)  # the newline's index (or n)
        span = slice(start, min(end + 1, n))
        position[span] = np.arange(span.stop - start)
        to_end[span] = end - np.arange(start, span.stop)
        name = line.endswith(":") and line[:1].isupper() and len(line.split()) <= 4
        speaker[span] = float(name)
        start = end + 1
    chars = np.array(list(text))
    upper = np.char.isupper(chars).astype(float)
    space_or_newline = np.isin(chars, [" ", "\n"])
    since_space = np.zeros(n)
    for t in range(1, n):
        since_space[t] = 0 if space_or_newline[t] else since_space[t - 1] + 1
    return {
        "position in the line": position,
        "characters to the end of the line": to_end,
        "in a speaker's name line": speaker,
        "an upper-case letter": upper,
        "a newline": (chars == "\n").astype(float),
        "position in the word": since_space,
    }


def correlations(values: np.ndarray, feature: np.ndarray) -> np.ndarray:
    """Pearson correlation of each column of `values` (time, units) with `feature` (time,); 0 for a constant unit."""
    v = values - values.mean(0)
    f = feature - feature.mean()
    norm = np.sqrt((v**2).sum(0) * (f**2).sum())
    return np.divide(v.T @ f, norm, out=np.zeros(values.shape[1]), where=norm > 0)


def best_units(values: np.ndarray, named: dict[str, np.ndarray], close: float = 0.5) -> list[dict]:
    """For each feature: the best unit, its correlation r, the next best |r|, and how many units have |r| > `close`."""
    rows = []
    for name, feature in named.items():
        r = correlations(values, feature)
        order = np.argsort(-np.abs(r))
        rows.append(
            dict(
                feature=name,
                unit=int(order[0]),
                r=float(r[order[0]]),
                second=float(abs(r[order[1]])),
                above=int((np.abs(r) > close).sum()),
                median=float(np.median(np.abs(r))),
            )
        )
    return rows


def saturation(gate: np.ndarray, low: float = 0.1, high: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """Per unit, the share of time `gate` (time, units) is below `low` (left-saturated) and above `high` (right)."""
    return (gate < low).mean(0), (gate > high).mean(0)


def reach(model: keras.Model, ids, windows: int = 32, length: int = 300, seed: int = 0) -> np.ndarray:
    """Mean norm of d loss(last character) / d embedding(k characters earlier), k = 0 .. `length` - 1.

    Over `windows` random windows of `ids`, each read from a zero state, as
    in notebook 01's measurement. The model's first layer must be an embedding.
    """
    m = resized(model, windows, length, stateful=False)
    embedding, rest = m.layers[1], keras.Sequential(m.layers[2:])
    starts = np.random.default_rng(seed).integers(0, len(ids) - length - 1, windows)
    x = np.stack([ids[s : s + length] for s in starts]).astype("int32")
    y = np.array([ids[s + length] for s in starts])
    vectors = embedding(x)
    with tf.GradientTape() as tape:
        tape.watch(vectors)
        logits = rest(vectors)[:, -1]
        loss = keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True)
    grads = tape.gradient(loss, vectors).numpy()  # (windows, length, width)
    return np.linalg.norm(grads, axis=-1).mean(0)[::-1]  # index k: k characters before the last


def loss_by_context(model: keras.Model, ids, every: int, rows: int = 32) -> float:
    """Mean nats per character over `ids` when the state is zeroed every `every` characters (windows read apart)."""
    ids = np.asarray(ids)
    n = (len(ids) - 1) // every
    x = ids[: n * every].reshape(n, every)
    y = ids[1 : n * every + 1].reshape(n, every)
    m = resized(model, None, every, stateful=False)
    score = tf.function(lambda a, b: tf.reduce_sum(keras.losses.sparse_categorical_crossentropy(b, m(a), True)))
    total = sum(float(score(x[s : s + rows], y[s : s + rows])) for s in range(0, n, rows))
    return total / (n * every)


def coloured_text(ax, text: str, values: np.ndarray, width: int = 60, title: str = "") -> None:
    """Draw `text` on `ax`, each character on a background coloured by its value in (-1, 1) (blue < 0 < red)."""
    import matplotlib.pyplot as plt

    cmap = plt.get_cmap("coolwarm")
    row = col = 0
    for ch, v in zip(text, values):
        if ch == "\n" or col >= width:
            if ch == "\n":
                ax.add_patch(plt.Rectangle((col, -row - 1), 1, 1, color=cmap((v + 1) / 2)))
                ax.text(col + 0.5, -row - 0.5, "⏎", ha="center", va="center", fontsize=7, color="0.3")
            row, col = row + 1, 0
            if ch == "\n":
                continue
        ax.add_patch(plt.Rectangle((col, -row - 1), 1, 1, color=cmap((v + 1) / 2)))
        ax.text(col + 0.5, -row - 0.5, ch, ha="center", va="center", fontsize=8, family="monospace")
        col += 1
    ax.set(xlim=(0, width), ylim=(-row - 1, 0), title=title)
    ax.axis("off")
