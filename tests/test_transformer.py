"""helpers.transformer and batching.random_windows: notebook 08's window models, their data and their training."""

import math

import keras
import numpy as np
import pytest

from helpers import batching, recipes, trained, transformer


@pytest.fixture(params=transformer.MIXERS)
def mixer(request):
    return request.param


def small(mixer, **kwargs):
    keras.utils.set_random_seed(0)
    return transformer.block_model(11, mixer=mixer, **{**dict(layers=2, width=16, heads=2, context=8), **kwargs})


def test_logits_shape_and_causality(mixer):
    """Changing the token at position t changes no logit before t, and some at t (both mixers)."""
    model = small(mixer)
    ids = np.random.default_rng(0).integers(0, 11, size=(3, 8)).astype("int32")
    logits = model(ids).numpy()
    assert logits.shape == (3, 8, 11)
    changed = ids.copy()
    changed[:, 5] = (changed[:, 5] + 1) % 11
    after = model(changed).numpy()
    np.testing.assert_array_equal(after[:, :5], logits[:, :5])
    assert np.abs(after[:, 5:] - logits[:, 5:]).max() > 1e-4


def test_block_parameters_are_twelve_width_squared_plus_thirteen_width():
    for width, heads in ((16, 2), (24, 3)):
        model = transformer.block_model(11, layers=2, width=width, heads=heads, context=8)
        for i in range(2):
            block = sum(int(np.prod(v.shape)) for v in model.weights if v.path.startswith(f"block{i}_"))
            assert block == 12 * width**2 + 13 * width


def test_mingru_model_has_no_positions_and_attention_has():
    paths = lambda m: {v.path.split("/")[0] for v in m.weights}  # noqa: E731
    assert "positions" in paths(small("attention")) and "positions" not in paths(small("mingru"))
    assert "block0_mingru" in paths(small("mingru"))


def test_bad_arguments_say_what_is_expected():
    with pytest.raises(ValueError, match="mixer must be one of"):
        transformer.block_model(11, mixer="lstm")
    with pytest.raises(ValueError, match="does not split into heads=3"):
        transformer.block_model(11, width=16, heads=3)


def test_saved_and_loaded_whole(mixer, tmp_path):
    model = small(mixer)
    ids = np.arange(16, dtype="int32").reshape(2, 8) % 11
    model.save(tmp_path / "m.keras")
    again = keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_allclose(again(ids).numpy(), model(ids).numpy(), atol=1e-6)


def test_random_windows_are_slices_of_the_text_with_targets_one_later():
    ids = np.arange(100, dtype=np.int32) * 3
    batches = list(batching.random_windows(ids, 10, 4, seed=1).take(5))
    again = list(batching.random_windows(ids, 10, 4, seed=1).take(5))
    starts = set()
    for (x, y), (x2, _y2) in zip(batches, again):
        x, y = x.numpy(), y.numpy()
        assert x.shape == y.shape == (4, 10) and x.dtype == np.int32
        np.testing.assert_array_equal(x, x2.numpy())  # the seed fixes the draws
        for row, target in zip(x, y):
            start = row[0] // 3
            np.testing.assert_array_equal(row, ids[start : start + 10])
            np.testing.assert_array_equal(target, ids[start + 1 : start + 11])
            starts.add(int(start))
    assert len(starts) > 10 and max(starts) <= 89  # spread over the text, never past its end
    with pytest.raises(ValueError, match="too few"):
        batching.random_windows(ids[:10], 10, 4)


def test_window_loss_is_the_mean_cross_entropy_over_all_windows():
    model = small("attention")
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    ids = np.random.default_rng(1).integers(0, 11, size=300)
    x, y = batching.windows(ids, 8)
    logits = model(x).numpy().astype(np.float64)
    log_p = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    expected = -np.take_along_axis(log_p, y[..., None], -1).mean()
    assert math.isclose(transformer.window_loss(model, ids, batch_size=7), expected, rel_tol=1e-5)


def test_learning_rate_warms_up_then_decays_to_the_final_rate():
    schedule = transformer.learning_schedule(100, 1e-3, 1e-4, warmup=10)
    rates = [float(schedule(step)) for step in (0, 5, 10, 55, 100, 200)]
    assert rates[0] == 0 and math.isclose(rates[1], 5e-4, rel_tol=1e-5) and math.isclose(rates[2], 1e-3, rel_tol=1e-5)
    assert (
        1e-4 < rates[3] < 1e-3
        and math.isclose(rates[4], 1e-4, rel_tol=1e-4)
        and math.isclose(rates[5], 1e-4, rel_tol=1e-4)
    )


def test_fit_windows_trains_logs_and_loads_a_finished_run(tmp_path, capsys):
    keras.utils.set_random_seed(0)
    model, cfg = transformer.from_recipe("mingru", fast=True)
    ids = np.random.default_rng(2).integers(0, 65, size=3000)
    log = transformer.fit_windows(
        model, ids[:2500], ids[2500:], updates=6, every=3, batch_size=4, run_dir=tmp_path, progress=False
    )
    assert log["epoch"] == [0, 1] and log["seconds"][1] > log["seconds"][0] > 0
    assert math.isclose(log["val_loss"][-1], transformer.window_loss(model, ids[2500:]), rel_tol=1e-5)
    again, _ = transformer.from_recipe("mingru", fast=True)
    log2 = transformer.fit_windows(
        again, ids[:2500], ids[2500:], updates=6, every=3, batch_size=4, run_dir=tmp_path, progress=True
    )
    assert "holds a finished run of 2 epochs" in capsys.readouterr().out and log2 == log
    for ours, theirs in zip(again.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(ours, theirs)


def test_the_old_name_of_block_model_still_builds_it():
    assert transformer.language_model is transformer.block_model  # helpers/exercises/after_the_lstm.py calls it


def test_from_recipe_takes_a_changed_recipe():
    cfg = dict(recipes.get(recipes.AFTER_LSTM, fast=True), width=16, heads=2)
    model, got = transformer.from_recipe("attention", cfg=cfg)
    assert got is cfg and model.get_layer("embedding").output_dim == 16


def test_recipe_sizes_match_nanogpts_cpu_configuration():
    full = recipes.get(recipes.AFTER_LSTM, fast=False)
    assert (full["layers"], full["heads"], full["width"], full["context"]) == (4, 4, 128, 64)
    assert {"shakespeare-attention", "shakespeare-mingru"} <= set(trained.RUNS)


@pytest.mark.parametrize("mixer", transformer.MIXERS)
def test_shipped_run_loads_and_measures_what_its_log_says(mixer, capsys):
    from helpers import shakespeare

    model, _ = transformer.from_recipe(mixer, fast=False)
    log = trained.load(model, f"shakespeare-{mixer}")
    assert "20 validations (one every 400 updates)" in capsys.readouterr().out
    valid_ids = shakespeare.split()[3]
    assert math.isclose(transformer.window_loss(model, valid_ids), log["val_loss"][-1], abs_tol=1e-3)
    assert log["val_loss"][-1] < 1.55  # a trained model: an untrained one is near log(65) = 4.17
