"""helpers.shakespeare: notebook 04's split, recipe, model and compilation, the one home the scripts share."""

import inspect

import pytest

from helpers import fast_lstm, recipes, shakespeare, training


def test_split_is_in_order_and_cut_for_fast_mode():
    text, vocab, train, valid = shakespeare.split()
    assert len(text) == 1_115_394 and len(vocab) == 65
    assert len(train) == int(len(text) * 0.9) and len(train) + len(valid) == len(text)
    assert vocab.decode_text(valid[:20]) == text[len(train) : len(train) + 20]  # the last 10%, in order
    _, _, small_train, small_valid = shakespeare.split(2_000)
    assert (len(small_train), len(small_valid)) == (2_000, 500) and (small_train == train[:2_000]).all()


def test_recipe_is_a_copy_of_the_modes():
    assert shakespeare.recipe(fast=False) == recipes.SHAKESPEARE["full"]
    assert shakespeare.recipe(fast=True) == recipes.SHAKESPEARE["fast"]
    shakespeare.recipe(fast=False)["units"] = 1
    assert recipes.SHAKESPEARE["full"]["units"] == 384


@pytest.mark.parametrize("lstm, layer", [("course", fast_lstm.LSTM), ("keras", None)])
def test_build_is_the_recipes_stateful_model(lstm, layer):
    cfg = shakespeare.recipe(fast=True)
    model = shakespeare.build(65, cfg, lstm=lstm)
    assert model.input_shape == (cfg["batch_size"], cfg["steps"]) and model.output_shape[-1] == 65
    assert model.name == "language_model"  # the name notebook 04's summary shows
    first = model.get_layer("lstm_1")
    assert first.stateful and first.units == cfg["units"] and (layer is None or isinstance(first, layer))
    assert model.get_layer("embedding").output_dim == cfg["embedding"]


def test_compiled_schedules_the_recipes_epochs():
    cfg = shakespeare.recipe(fast=True)
    model, updates = shakespeare.compiled(cfg, 65, 20_000)
    assert updates == training.updates_per_epoch(20_000, model) > 0
    schedule = model.optimizer._learning_rate  # the schedule itself (its .learning_rate is the current value)
    assert schedule.decay_steps == cfg["epochs"] * updates
    assert schedule.initial_learning_rate == pytest.approx(cfg["learning_rate"])
    assert model.optimizer.global_clipnorm == cfg["clipnorm"]


def test_notebook_04_builds_its_model_here():
    """The notebook's model and compile step come from this module (no copy of them in the notebook)."""
    import json

    from helpers.data import REPO_DIR

    cells = json.loads((REPO_DIR / "notebooks" / "04_char_shakespeare.ipynb").read_text())["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "shakespeare.build(" in code and "shakespeare.compile_recipe(" in code and "shakespeare.split(" in code
    assert "units=cfg[" not in code  # the recipe's model is not written out again there
    assert "models.language_model(" in inspect.getsource(shakespeare.build)
