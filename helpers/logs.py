"""What a training run logs, read and printed without TensorFlow: nats, bits, perplexity, the run folder's files.

`helpers.training` writes these logs (its callbacks, `fit_run`); this module
reads them back (`read_log`) and formats a line per epoch (`epoch_line`), so
that `helpers.trained`, ``tools/results.py`` and ``tools/ship_run.py`` can
read the shipped runs' logs without loading TensorFlow.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

# The files of a run folder (`helpers.training.fit_run`).
LOG = "log.csv"
BACKUP = "backup"
TENSORBOARD = "tensorboard"
LATEST = "latest.keras"

# Each split's prefix in the logs (Keras' own: loss, val_loss; test_ from `EvaluateEachEpoch`), its name.
PREFIXES = (("", "train"), ("val_", "valid"), ("test_", "test"))


def bits(nats: float) -> float:
    """A cross-entropy in nats (natural log, what Keras' loss gives) expressed in bits: divide by ln 2."""
    return nats / math.log(2)


def perplexity(nats: float) -> float:
    """The perplexity of a mean cross-entropy in nats: ``exp(loss)``, the effective number of equally likely choices."""
    return math.exp(nats)


def epoch_line(epoch: int, epochs, logs: dict, unit: str = "token") -> str:
    """One epoch's figures in one line: ``epoch  3/10  12.1 min  train 1.520 nats/char (2.193 bits, ...)``.

    Per token: ``nats`` where the logs have it, else ``loss`` (a per-token mean).
    """
    line = f"epoch {epoch + 1:>3}/{epochs}  {logs['seconds'] / 60:5.1f} min"
    for prefix, name in PREFIXES:
        if prefix + "loss" in logs:
            nats = float(logs.get(prefix + "nats", logs[prefix + "loss"]))
            line += f"  {name} {nats:.3f} nats/{unit} ({bits(nats):.3f} bits, perplexity {perplexity(nats):.2f})"
    return line


def read_log(path: str | Path) -> dict[str, list[float]]:
    """The per-epoch figures of a CSV log (`keras.callbacks.CSVLogger`), as lists by column; empty if none."""
    path = Path(path)
    if not path.exists():
        return {}
    with path.open(newline="") as f:
        rows = list(csv.DictReader(f))
    columns: dict[str, list[float]] = {}
    for row in rows:
        for key, value in row.items():
            columns.setdefault(key, []).append(int(value) if key == "epoch" else float(value))
    return columns
