"""helpers.snapshots: the shipped weights of 04's model after epochs 1, 3 and 6, and how they are made."""

import math

import numpy as np
import pytest

from helpers import data, shakespeare, snapshots, training


def test_every_shipped_epoch_is_registered_and_in_the_repository():
    assert [f.name for f in snapshots.FILES] == [
        snapshots.snapshot_name(name, e) for name, epochs in snapshots.EPOCHS.items() for e in epochs
    ]
    for f in snapshots.FILES:
        assert data.REGISTRY[f.name] is f
        assert (data.REPO_DIR / "data" / f.path).stat().st_size == f.size
        assert data.sha256sum(data.REPO_DIR / "data" / f.path) == f.sha256


def test_an_epoch_not_shipped_names_the_shipped_ones():
    with pytest.raises(KeyError, match=r"after epochs \[1, 3, 6\]"):
        snapshots.snapshot_name("shakespeare", 13)


def test_the_epochs_score_what_the_second_run_logged_and_improve():
    """Each file, read into 04's model, scores on a stretch of the validation text what it should: later is better,
    and epoch 1 measured on the whole text is its log's figure (in the module's text: 1.7793)."""
    cfg = shakespeare.recipe(fast=False)
    _, vocab, train_ids, valid_ids = shakespeare.split()
    model, _ = shakespeare.compiled(cfg, len(vocab), len(train_ids))
    losses = []
    for epoch in snapshots.EPOCHS["shakespeare"]:
        snapshots.load(model, "shakespeare", epoch)
        losses.append(float(training.evaluate(model, valid_ids[:20_000])))
    assert losses[0] > losses[1] > losses[2]
    snapshots.load(model, "shakespeare", 1)
    assert math.isclose(float(training.evaluate(model, valid_ids)), 1.7793, abs_tol=2e-4)


def test_export_writes_float16_model_weights_of_the_epoch_asked(tmp_path):
    cfg = shakespeare.recipe(fast=True)
    model = shakespeare.build(11, cfg)
    run = tmp_path / "run"
    (run / "epochs").mkdir(parents=True)
    saved = [np.random.default_rng(0).normal(size=w.shape).astype("float32") for w in model.get_weights()]
    model.set_weights(saved)
    model.save_weights(run / "epochs" / "epoch-02.weights.h5")
    model.set_weights([np.zeros_like(w) for w in saved])
    path = snapshots.export(model, run, "shakespeare", 2, tmp_path / "out")
    assert path.name == "shakespeare.epoch-02.weights.h5"
    fresh = shakespeare.build(11, cfg)
    fresh.load_weights(path)
    for ours, theirs in zip(fresh.get_weights(), saved):
        assert np.allclose(ours, theirs.astype("float16").astype("float32"))
