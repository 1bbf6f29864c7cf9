"""The course's trained runs, shipped with it: loaded in seconds instead of trained for most of an hour.

Notebooks ``04`` and ``06`` train for most of an hour on a 2-core CPU. The
runs the course trained with its ``benchmarks/`` scripts ship in
``data/trained/``: each is a Keras weights file (``<name>.weights.h5``: the
weights only, which any Keras 3 reads back, unlike a whole ``.keras`` file
whose config newer Keras versions extend) and the per-epoch log of its
training (``<name>.log.csv``), both listed in `FILES` with size and sha256
and registered with `helpers.data` (`helpers.data.register`), so that
`helpers.data.fetch` checks them like the data sets. `load` puts a run into
a model built the same way (`model_and_texts` builds it as its notebook
does); `export` makes the two files from a finished run folder, and
`evaluate` measures a model on its run's texts (what ``tools/ship_run.py``
does with them).
"""

from __future__ import annotations

import contextlib
import shutil
import warnings
from pathlib import Path

import keras
import numpy as np

from . import data
from .data import DataFile
from .logs import BACKUP, LATEST, LOG, epoch_line, read_log

# How each shipped run was trained, to say how to train it again.
RUNS = {
    "shakespeare": dict(command="benchmarks/train_shakespeare.py", unit="char"),
    "ptb-small": dict(command="benchmarks/train_ptb.py", unit="word"),
    "ptb-tied": dict(command="benchmarks/train_ptb.py --config tied", unit="word"),
    "shakespeare-attention": dict(
        command="benchmarks/train_after_lstm.py attention", unit="char", epochs="validations (one every 400 updates)"
    ),
    "shakespeare-mingru": dict(
        command="benchmarks/train_after_lstm.py mingru", unit="char", epochs="validations (one every 400 updates)"
    ),
}


# The shipped files of those runs, in data/trained/: weights (float16) and logs.
FILES = [
    DataFile(
        "trained.shakespeare",
        "trained/shakespeare.weights.h5",
        None,
        "03f701e11eae2b735719bbccb9f52328aebf52d4d7ec72d73f902984f05bc530",
        3_831_232,
        "notebook 04's 2 x 384 character model, trained by benchmarks/train_shakespeare.py (float16 weights)",
    ),
    DataFile(
        "trained.shakespeare.log",
        "trained/shakespeare.log.csv",
        None,
        "6fe7a37c1d7232e4099a520b76de2057f9dba24b676c7d28b5dd6ffe5c1af72b",
        2_595,
        "the per-epoch log of that training run",
    ),
    DataFile(
        "trained.ptb-small",
        "trained/ptb-small.weights.h5",
        None,
        "46c00a9a69546b36a9427494b444fa2700d88ceb3590c006c122bb8f52139ac1",
        9_327_784,
        "notebook 06's small configuration, trained by benchmarks/train_ptb.py (float16 weights)",
    ),
    DataFile(
        "trained.ptb-small.log",
        "trained/ptb-small.log.csv",
        None,
        "f42e32dfcc6dc6fd4ef2945812225d905bbe30abde30836859ff316971ae8385",
        3_340,
        "the per-epoch log of that training run",
    ),
    DataFile(
        "trained.ptb-tied",
        "trained/ptb-tied.weights.h5",
        None,
        "5797eae9de8763dfd7f75b4432b2eee11041e78eaa4f365541194f6d5464e131",
        5_330_904,
        "notebook 06's tied + dropout variant, trained by benchmarks/train_ptb.py --config tied (float16 weights)",
    ),
    DataFile(
        "trained.ptb-tied.log",
        "trained/ptb-tied.log.csv",
        None,
        "04084eb15765f56b0c2c59de72846ec6192f60031cfd3072a96328a37dd47cd5",
        6_895,
        "the per-epoch log of that training run",
    ),
    DataFile(
        "trained.shakespeare-attention",
        "trained/shakespeare-attention.weights.h5",
        None,
        "f5b172ab5ed583cca3129d1f5c2cb426990fc07851c5ef73abb60b0cf8112abe",
        1_784_576,
        "notebook 08's 4 x 128 causal Transformer, trained by benchmarks/train_after_lstm.py attention (float16)",
    ),
    DataFile(
        "trained.shakespeare-attention.log",
        "trained/shakespeare-attention.log.csv",
        None,
        "f9ad0c5789ae74a898625f924f549d217b921f4acb4144a4c6fd1a30e5e0000a",
        3_957,
        "the log of that training run, one row every 400 updates",
    ),
    DataFile(
        "trained.shakespeare-mingru",
        "trained/shakespeare-mingru.weights.h5",
        None,
        "d1a42fc68b52021638cd3d483e85ad96e6062b781b34fda7b2b03354d7461c36",
        1_446_696,
        "notebook 08's 4 x 128 minGRU stack, trained by benchmarks/train_after_lstm.py mingru (float16)",
    ),
    DataFile(
        "trained.shakespeare-mingru.log",
        "trained/shakespeare-mingru.log.csv",
        None,
        "10ccbd1949bdec00cce5caada489b34661ecc4f7da5d939e2838ad43b939c5a2",
        3_941,
        "the log of that training run, one row every 400 updates",
    ),
]
data.register(*FILES)


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
        print(
            f"Loaded the course's trained run {name!r} (data/{data.REGISTRY[weights_name(name)].path}, "
            f"{path.stat().st_size / 1e6:.1f} MB). Its training, {epochs} {rounds} in {minutes:.0f} min on a "
            f"2-core CPU, logged:"
        )
        for i, epoch in enumerate(log["epoch"]):
            print(epoch_line(epoch, epochs, {k: v[i] for k, v in log.items()}, run["unit"]))
        print(
            f"To train it yourself instead (about {minutes:.0f} min on a 2-core CPU): set TRAIN = True in the "
            f"parameters cell and rerun, or run `.venv/bin/python {run['command']}` in a terminal."
        )
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
    _run(name)
    run_dir, folder = Path(run_dir), Path(folder)
    if not (run_dir / LOG).exists() or (run_dir / BACKUP).exists():
        raise ValueError(f"{run_dir} holds no finished run (a log.csv and no backup/ of one still training)")
    folder.mkdir(parents=True, exist_ok=True)
    weights, log = folder / f"{name}.weights.h5", folder / f"{name}.log.csv"
    with _without_optimizer_state():
        save_weights(keras.models.load_model(run_dir / LATEST, compile=False), weights, dtype)
    shutil.copyfile(run_dir / LOG, log)
    return weights, log


def save_weights(model: keras.Model, target: str | Path, dtype: str = "float16") -> None:
    """`model.save_weights(target)` with its float32 arrays stored as `dtype` (through a float32 file beside it)."""
    target = Path(target)
    full = target.with_name(f".float32.{target.name}")  # Keras wants the name to end in .weights.h5
    model.save_weights(full)
    cast_weights(full, target, dtype)
    full.unlink()


def cast_weights(source: str | Path, target: str | Path, dtype: str = "float16") -> None:
    """Copy the Keras weights file `source` to `target` with its float32 arrays stored as `dtype`."""
    import h5py

    with h5py.File(source, "r") as full, h5py.File(target, "w") as out:  # a new file: h5py never shrinks one
        out.attrs.update(full.attrs)

        def copy(key, item):
            if isinstance(item, h5py.Group):
                out.require_group(key).attrs.update(item.attrs)
                return
            values = item[()]
            stored = values.astype(dtype) if values.dtype == np.float32 else values
            out.create_dataset(key, data=stored).attrs.update(item.attrs)

        full.visititems(copy)


def model_and_texts(name: str):
    """Run `name`'s model, as its notebook builds it; the texts to measure ``{"val": ids, ...}``; the loss's steps.

    ``shakespeare``: notebook 04's model (`helpers.shakespeare.build`, the
    full recipe), measured on the validation text; ``ptb-<config>``: notebook
    06's (`helpers.ptb.build`), on the validation and test texts, its loss
    summed over the configuration's steps; ``shakespeare-<mixer>``: notebook
    07's window models (`helpers.transformer.from_recipe`), measured on
    windows: steps None.
    """
    from . import ptb, shakespeare, transformer

    _run(name)
    if name.startswith("shakespeare-"):
        model, _ = transformer.from_recipe(name.removeprefix("shakespeare-"), fast=False)
        return model, {"val": shakespeare.split()[3]}, None
    if name == "shakespeare":
        cfg = shakespeare.recipe(fast=False)
        _, vocab, train_ids, valid_ids = shakespeare.split()
        model, _ = shakespeare.compiled(cfg, len(vocab), len(train_ids))
        return model, {"val": valid_ids}, 1
    config = ptb.config(name.removeprefix("ptb-"), fast=False)
    _, _, valid_ids, test_ids = ptb.split(fast=False)
    return ptb.build(config), {"val": valid_ids, "test": test_ids}, config["steps"]


def evaluate(model: keras.Model, texts: dict, summed_over: int | None) -> dict[str, float]:
    """Nats per token on each text of `model_and_texts`, from a zeroed state (on its windows, if `summed_over` is None).

    These are the figures a run's log holds for its last epoch (``val_nats``, ``test_nats``).
    """
    from . import training, transformer

    if summed_over is None:
        return {part: transformer.window_loss(model, ids) for part, ids in texts.items()}
    return {part: float(training.evaluate(model, ids)) / summed_over for part, ids in texts.items()}
