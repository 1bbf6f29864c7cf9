"""helpers.trained: the shipped runs of notebooks 04 and 06, and how a finished run becomes one."""

import dataclasses
import math

import h5py
import numpy as np
import pytest

from helpers import data, models, ptb, trained, training
from helpers.config import set_seed
from helpers.vocab import Vocabulary

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
    training.fit_language_model(
        model, IDS[:-100], IDS[-100:], epochs=2, run_dir=run_dir, progress=False, tensorboard=False
    )
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


# The float16 weights move a figure by at most this many nats per token (tools/ship_run.py's MAX_NATS).
SHIPPED_NATS = 0.002


def test_shipped_shakespeare_run_measures_what_its_log_says(capsys):
    model, texts, steps = trained.model_and_texts("shakespeare")  # built as notebook 04 builds it
    log = trained.load(model, "shakespeare")
    out = capsys.readouterr().out
    assert f"{len(log['epoch'])} epochs" in out and "TRAIN = True" in out and "train_shakespeare.py" in out
    # the whole validation text, read in order from a zeroed state, as the log's last epoch measured it
    nats = trained.evaluate(model, texts, steps)["val"]
    assert math.isclose(nats, log["val_nats"][-1], abs_tol=SHIPPED_NATS) and nats < math.log(65)


def test_shipped_ptb_tied_run_measures_what_its_log_says():
    model, texts, steps = trained.model_and_texts("ptb-tied")
    log = trained.load(model, "ptb-tied", verbose=False)
    nats = trained.evaluate(model, {"test": texts["test"]}, steps)["test"]  # per word, the whole test text
    assert math.isclose(nats, log["test_nats"][-1], abs_tol=SHIPPED_NATS)
    assert len(log["epoch"]) == ptb.CONFIGS["tied"]["epochs"]


def test_every_run_file_is_registered_with_the_data_sets():
    assert {f.name for f in trained.FILES} == {
        key for name in trained.RUNS for key in (trained.weights_name(name), trained.log_name(name))
    }
    assert all(data.REGISTRY[f.name] is f for f in trained.FILES)
    with pytest.raises(ValueError, match="already registered"):
        data.register(dataclasses.replace(trained.FILES[0], sha256="0" * 64))


def test_model_and_texts_knows_only_the_shipped_runs():
    with pytest.raises(KeyError, match="shakespeare, ptb-small"):
        trained.model_and_texts("ptb-large")
