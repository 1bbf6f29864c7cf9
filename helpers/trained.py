"""The course's trained runs, shipped with it: loaded in seconds instead of trained for most of an hour.

Notebooks ``04`` and ``06`` train for 20 to 50 minutes on a 2-core CPU. The
runs the course trained with its ``benchmarks/`` scripts ship in
``data/trained/``: each is a Keras weights file (``<name>.weights.h5``: the
weights only, which any Keras 3 reads back, unlike a whole ``.keras`` file
whose config newer Keras versions extend) and the per-epoch log of its
training (``<name>.log.csv``), both registered in `helpers.data.REGISTRY`
with size and sha256 like the data sets. `load` puts a run into a model
built the same way; `export` makes the two files from a finished run folder
(what ``tools/ship_run.py`` does).
"""

from __future__ import annotations

import contextlib
import shutil
import warnings
from pathlib import Path

import keras
import numpy as np

from . import data
from .training import BACKUP, LATEST, LOG, epoch_line, read_log

# How each shipped run was trained, to say how to train it again.
RUNS = {
    "shakespeare": dict(command="benchmarks/train_shakespeare.py", unit="char"),
    "ptb-small": dict(command="benchmarks/train_ptb.py", unit="word"),
    "ptb-tied": dict(command="benchmarks/train_ptb.py --config tied", unit="word"),
    "shakespeare-attention": dict(command="benchmarks/train_after_lstm.py attention", unit="char",
                                  epochs="validations (one every 400 updates)"),
    "shakespeare-mingru": dict(command="benchmarks/train_after_lstm.py mingru", unit="char",
                               epochs="validations (one every 400 updates)"),
}


def _run(name: str) -> dict:
    if name not in RUNS:
        raise KeyError(f"No trained run named {name!r}; the course ships: {', '.join(RUNS)}")
    return RUNS[name]


def weights_name(name: str) -> str:
    """The `helpers.data` name of a run's weights file."""
    return f"trained.{name}"


def log_name(name: str) -> str:
    """The `helpers.data` name of a run's per-epoch log."""
    return f"trained.{name}.log"


def load(model: keras.Model, name: str, *, verbose: bool = True) -> dict[str, list[float]]:
    """Load the shipped run `name` into `model` (built as the run's notebook builds it) and return its log.

    The weights file and the log are fetched and checked like any data file;
    a compiled model's optimiser is built afresh (a shipped run holds no
    optimiser state), so that training can go on from it. With `verbose`,
    prints where the run comes from, its log one line per epoch, and how to
    train it instead.
    """
    run = _run(name)
    path = data.fetch(weights_name(name))
    load_weights(model, path)
    if getattr(model, "optimizer", None) is not None and not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)  # a fresh optimiser, so that `model.save` is whole
    log = read_log(data.fetch(log_name(name)))
    if verbose:
        epochs, minutes = len(log["epoch"]), log["seconds"][-1] / 60
        rounds = run.get("epochs", "epochs")  # what one row of the log is
        print(f"Loaded the course's trained run {name!r} (data/{data.REGISTRY[weights_name(name)].path}, "
              f"{path.stat().st_size / 1e6:.1f} MB). Its training, {epochs} {rounds} in {minutes:.0f} min on a "
              f"2-core CPU, logged:")
        for i, epoch in enumerate(log["epoch"]):
            print(epoch_line(epoch, epochs, {k: v[i] for k, v in log.items()}, run["unit"]))
        print(f"To train it yourself instead (about {minutes:.0f} min on a 2-core CPU): set TRAIN = True in the "
              f"parameters cell and rerun, or run `.venv/bin/python {run['command']}` in a terminal.")
    return log


@contextlib.contextmanager
def _without_optimizer_state():
    """Silence Keras' warning that an optimiser's saved and current variables differ.

    A shipped run holds no optimiser state by design (it is for using, and
    for training further from a fresh optimiser), so the mismatch is expected
    both when it is loaded and when a run's ``latest.keras`` is read to make it.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipping variable loading for optimizer")
        yield


def load_weights(model: keras.Model, path: str | Path) -> None:
    """`model.load_weights(path)` for a shipped weights file, which holds no optimiser state."""
    with _without_optimizer_state():
        model.load_weights(path)


def export(run_dir: str | Path, name: str, folder: str | Path, *, dtype: str = "float16") -> tuple[Path, Path]:
    """Write run `name`'s shippable files into `folder` from the finished run in `run_dir`.

    ``<name>.weights.h5`` holds the weights of ``run_dir/latest.keras`` (the
    optimiser's state is left out), stored as `dtype` ("float16" halves the
    bytes; `load` casts back to the model's float32); ``<name>.log.csv`` is
    the run's ``log.csv``. Returns the two paths.
    """
    import h5py

    _run(name)
    run_dir, folder = Path(run_dir), Path(folder)
    if not (run_dir / LOG).exists() or (run_dir / BACKUP).exists():
        raise ValueError(f"{run_dir} holds no finished run (a log.csv and no backup/ of one still training)")
    folder.mkdir(parents=True, exist_ok=True)
    weights, log = folder / f"{name}.weights.h5", folder / f"{name}.log.csv"
    full = folder / f".{name}.float32.weights.h5"
    with _without_optimizer_state():
        keras.models.load_model(run_dir / LATEST, compile=False).save_weights(full)
    with h5py.File(full, "r") as source, h5py.File(weights, "w") as out:  # a new file: h5py never shrinks one
        out.attrs.update(source.attrs)

        def copy(key, item):
            if isinstance(item, h5py.Group):
                out.require_group(key).attrs.update(item.attrs)
                return
            values = item[()]
            stored = values.astype(dtype) if values.dtype == np.float32 else values
            out.create_dataset(key, data=stored).attrs.update(item.attrs)

        source.visititems(copy)
    full.unlink()
    shutil.copyfile(run_dir / LOG, log)
    return weights, log
