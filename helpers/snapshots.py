"""A shipped run's weights after some of its epochs: notebook 04's samples as the model learns.

``benchmarks/train_shakespeare.py`` keeps the weights of every epoch
(``<run>/epochs/epoch-NN.weights.h5``, Keras' ``ModelCheckpoint``, the
optimiser's state included). The course ships those of the epochs in
`EPOCHS`, as float16 model weights only (``data/trained/<name>.epoch-NN.weights.h5``,
listed in `FILES` with size and sha256 and registered with `helpers.data`
like the runs of `helpers.trained`). `export` makes such a file from a run
folder (``tools/ship_run.py shakespeare --epochs 1 3 6``); `load` puts one
into a model built as the run's notebook builds it.

The shipped files come from a second run of the same recipe and seed
(13 epochs, validation 1.4307 nats/char at the end, against 1.4329 for the
run `helpers.trained` ships): the same recipe, not bit for bit the same run.
"""

from __future__ import annotations

from pathlib import Path

import keras

from . import data, trained
from .data import DataFile

# The epochs shipped for each run, and where their weights came from.
EPOCHS = {"shakespeare": (1, 3, 6)}

_SHIPPED = {  # (name, epoch): (sha256, bytes)
    ("shakespeare", 1): ("618988c54ed647b6f97cf722b91a6c1894c389117095709f16787a0c7a0b76d0", 3_831_232),
    ("shakespeare", 3): ("836b985fdba9c5a76d37864806cbd964adf8be71988713404d1c4fe5cd697574", 3_831_232),
    ("shakespeare", 6): ("7db969e8ea5d9778dbac77811ec09b12b0acaef5957cfd51c71df33850fe2850", 3_831_232),
}

FILES = [
    DataFile(
        f"trained.{name}.epoch-{epoch:02d}",
        f"trained/{name}.epoch-{epoch:02d}.weights.h5",
        None,
        sha256,
        size,
        f"notebook 04's 2 x 384 character model after epoch {epoch} of 13 (float16 weights), "
        "kept by benchmarks/train_shakespeare.py",
    )
    for (name, epoch), (sha256, size) in _SHIPPED.items()
]
data.register(*FILES)


def snapshot_name(name: str, epoch: int) -> str:
    """The `helpers.data` name of run `name`'s weights after `epoch` (one of `EPOCHS`)."""
    if epoch not in EPOCHS.get(name, ()):
        shipped = ", ".join(f"{n} after epochs {list(e)}" for n, e in EPOCHS.items())
        raise KeyError(f"No shipped weights of {name!r} after epoch {epoch}; the course ships: {shipped}")
    return f"trained.{name}.epoch-{epoch:02d}"


def load(model: keras.Model, name: str, epoch: int) -> None:
    """Load run `name`'s shipped weights after `epoch` into `model` (built as the run's notebook builds it)."""
    trained.load_weights(model, data.fetch(snapshot_name(name, epoch)))


def export(model: keras.Model, run_dir: str | Path, name: str, epoch: int, folder: str | Path) -> Path:
    """Write ``<name>.epoch-NN.weights.h5`` into `folder`: `model`'s weights (float16) as the run in `run_dir`
    left them after `epoch`, without the optimiser's state. `model`: built as the run's notebook builds it."""
    source = Path(run_dir) / "epochs" / f"epoch-{epoch:02d}.weights.h5"
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    trained.load_weights(model, source)
    target = folder / f"{name}.epoch-{epoch:02d}.weights.h5"
    trained.save_weights(
        keras.Model(model.inputs, model.outputs), target
    )  # a fresh functional copy: no optimiser state
    return target
