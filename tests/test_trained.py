"""helpers.trained: the shipped runs of notebooks 04 and 06, and how a finished run becomes one."""

import math
import sys

import h5py
import numpy as np
import pytest

from helpers import data, models, ptb, trained, training
from helpers.config import set_seed
from helpers.vocab import Vocabulary

sys.path.insert(0, str(data.REPO_DIR / "tools"))
import ship_run  # noqa: E402  (builds each shipped run's model as its notebook does)

TEXT = "to be, or not to be, that is the question: whether 'tis nobler in the mind to suffer " * 6
VOCAB = Vocabulary.from_text(TEXT)
IDS = VOCAB.encode(TEXT)


def tiny():
    return models.language_model(len(VOCAB), units=12, embedding=6, batch_size=4, steps=10)


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    """A tiny model trained for two epochs into a run folder, as the benchmarks' scripts do."""
    run_dir = tmp_path_factory.mktemp("run")
    set_seed(0)
    model = tiny()
    training.compile_language_model(model, learning_rate=1e-2, decay_steps=100)
    training.fit_language_model(model, IDS[:-100], IDS[-100:], epochs=2, run_dir=run_dir, progress=False,
                                tensorboard=False)
    return model, run_dir


@pytest.mark.parametrize("dtype, atol", [("float32", 0.0), ("float16", 1e-3)])
def test_export_writes_the_weights_in_the_dtype_asked_and_the_log(finished_run, tmp_path, dtype, atol):
    model, run_dir = finished_run
    weights, log = trained.export(run_dir, "shakespeare", tmp_path, dtype=dtype)
    with h5py.File(weights) as f:
        stored = []
        f.visititems(lambda key, item: stored.append(item.dtype) if isinstance(item, h5py.Dataset) else None)
    assert stored and set(stored) == {np.dtype(dtype)}
    assert log.read_text() == (run_dir / "log.csv").read_text()
    again = tiny()
    again.load_weights(weights)  # a float16 file loads into float32 variables
    assert {w.dtype for w in again.weights} == {"float32"}
    for a, b in zip(model.get_weights(), again.get_weights()):
        np.testing.assert_allclose(a, b, atol=atol, rtol=atol)
    assert [f.name for f in tmp_path.iterdir()] and not list(tmp_path.glob(".*"))  # no scratch file left


def stored_bytes(path) -> int:
    with h5py.File(path) as f:
        sizes = []
        f.visititems(lambda key, item: sizes.append(item.nbytes) if isinstance(item, h5py.Dataset) else None)
    return sum(sizes)


def test_float16_file_stores_half_the_bytes(finished_run, tmp_path):
    _, run_dir = finished_run
    full, _ = trained.export(run_dir, "shakespeare", tmp_path / "32", dtype="float32")
    half, _ = trained.export(run_dir, "shakespeare", tmp_path / "16", dtype="float16")
    assert stored_bytes(full) == 2 * stored_bytes(half) == 4 * sum(w.size for w in tiny().get_weights())
    assert half.stat().st_size < full.stat().st_size


def test_export_refuses_a_run_still_training(tmp_path):
    (tmp_path / "backup").mkdir()
    (tmp_path / "log.csv").write_text("epoch,loss\n0,1.0\n")
    with pytest.raises(ValueError, match="no finished run"):
        trained.export(tmp_path, "shakespeare", tmp_path / "out")


def test_unknown_run_names_the_shipped_ones():
    with pytest.raises(KeyError, match="shakespeare, ptb-small, ptb-tied"):
        trained.load(tiny(), "shakespear")


@pytest.mark.parametrize("name", sorted(trained.RUNS))
def test_every_shipped_run_is_registered_and_in_the_repository(name):
    for key in (trained.weights_name(name), trained.log_name(name)):
        entry = data.REGISTRY[key]
        assert entry.url is None  # shipped, not downloaded
        path = data.REPO_DIR / "data" / entry.path
        assert path.stat().st_size == entry.size and data.sha256sum(path) == entry.sha256


def test_shipped_shakespeare_run_loads_and_writes_shakespeare(capsys):
    model, texts, _ = ship_run.model_and_texts("shakespeare")  # built as notebook 04 builds it
    log = trained.load(model, "shakespeare")
    out = capsys.readouterr().out
    assert f"{len(log['epoch'])} epochs" in out and "TRAIN = True" in out and "train_shakespeare.py" in out
    # trained weights: far better than a uniform guess (4.17 nats) on a slice of the validation text
    nats = float(training.evaluate(model, texts["val"][:20_000]))
    assert nats < 1.7 < math.log(65)


def test_shipped_ptb_tied_run_predicts_the_test_text():
    model, texts, steps = ship_run.model_and_texts("ptb-tied")
    log = trained.load(model, "ptb-tied", verbose=False)
    per_word = float(training.evaluate(model, texts["test"][:8_000])) / steps
    assert math.exp(per_word) < 150 and len(log["epoch"]) == ptb.CONFIGS["tied"]["epochs"]
