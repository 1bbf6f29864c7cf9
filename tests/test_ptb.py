"""helpers.ptb and notebook 06: the tutorial's data, sizes, loss scale and schedule; tied embeddings; training, tf.distribute."""

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

from helpers import batching, models, ptb, training
from helpers.config import set_seed
from helpers.data import fetch


@pytest.fixture(scope="module")
def data():
    return ptb.load()


def test_vocabulary_and_token_counts(data):
    vocab, train, valid, test = data
    assert len(vocab) == 10_000
    assert (len(train), len(valid), len(test)) == (ptb.SIZES["train"], ptb.SIZES["valid"], ptb.SIZES["test"])
    assert vocab.id_to_symbol[:4] == ["the", "<unk>", "<eos>", "N"]  # the tutorial's first ids
    assert "<unk>" in vocab and vocab.unk is None  # PTB has its own <unk> token; nothing else is unknown


def test_eos_ends_every_line(data):
    vocab, train, _, _ = data
    eos = vocab.symbol_to_id["<eos>"]
    with open(fetch("ptb.train"), encoding="utf-8") as f:
        lines = f.read().count("\n")
    assert int((train == eos).sum()) == lines


def test_epoch_size_of_the_small_configuration(data):
    _, train, _, _ = data
    small = ptb.CONFIGS["small"]
    assert batching.epoch_size(len(train), small["batch_size"], small["steps"]) == 2323


def test_uniform_model_has_the_vocabulary_size_as_perplexity():
    steps, vocab = 20, 10_000
    y = np.zeros((4, steps), dtype="int32")
    loss = float(ptb.SummedCrossEntropy()(y, np.zeros((4, steps, vocab), dtype="float32")))
    assert loss == pytest.approx(steps * math.log(vocab), rel=1e-5)
    assert training.perplexity(loss / steps) == pytest.approx(vocab, rel=1e-4)


def test_summed_loss_is_steps_times_the_mean():
    rng = np.random.default_rng(0)
    y, logits = rng.integers(0, 7, (3, 5)), rng.normal(size=(3, 5, 7)).astype("float32")
    mean = float(keras.losses.SparseCategoricalCrossentropy(from_logits=True)(y, logits))
    assert float(ptb.SummedCrossEntropy()(y, logits)) == pytest.approx(5 * mean, rel=1e-5)


def test_learning_rate_schedule_of_the_small_configuration():
    small = ptb.CONFIGS["small"]
    assert [ptb.learning_rate(small, e) for e in range(7)] == [1.0, 1.0, 1.0, 1.0, 0.5, 0.25, 0.125]


def test_tied_model_reads_its_logits_through_the_embedding():
    set_seed(0)
    model = models.language_model(50, units=8, embedding=8, batch_size=2, steps=3, tied=True, init_scale=0.1)
    names = [w.path for w in model.weights]
    assert not any("logits" in n for n in names)  # no separate output matrix
    table = model.get_layer("embedding")
    assert np.abs(keras.ops.convert_to_numpy(table.embeddings)).max() <= 0.1
    h = np.random.default_rng(0).normal(size=(2, 3, 8)).astype("float32")
    expected = h @ keras.ops.convert_to_numpy(table.embeddings).T + keras.ops.convert_to_numpy(table.output_bias)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(table(h, reverse=True)), expected, atol=1e-5)
    assert model(np.zeros((2, 3), "int32")).shape == (2, 3, 50)
    with pytest.raises(ValueError, match="embedding == units"):
        models.language_model(50, units=8, embedding=4, batch_size=2, tied=True)


def test_tied_model_saves_and_loads(tmp_path):
    set_seed(0)
    model = models.language_model(30, units=6, embedding=6, batch_size=2, steps=4, tied=True)
    x = np.arange(8, dtype="int32").reshape(2, 4)
    expected = keras.ops.convert_to_numpy(model(x))
    model.save(tmp_path / "tied.keras")
    loaded = keras.models.load_model(tmp_path / "tied.keras")
    np.testing.assert_allclose(keras.ops.convert_to_numpy(loaded(x)), expected, atol=1e-6)


# One training step on two replicas must be the same step as on one device: run in a fresh process, since
# TensorFlow splits the CPU into two logical devices only before it first uses it.
MIRRORED_STEP = r"""
import json, sys
import tensorflow as tf
cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import numpy as np
from helpers import distributed, models, ptb, training
from helpers.config import set_seed

config = dict(ptb.CONFIGS["small"], units=8, layers=2, steps=5, batch_size=4, max_grad_norm=0.05)  # clips every step
ids = np.random.default_rng(0).integers(0, 40, 600).astype("int32")
STEPS = int(sys.argv[1])

def run(strategy):
    set_seed(1)
    model = ptb.build(config, 40, strategy=strategy, lstm="course")
    model.fit(training.language_model_batches(ids, model), epochs=1, steps_per_epoch=STEPS, verbose=0)
    state = np.concatenate([np.asarray(v) for v in strategy.experimental_local_results(
        model.get_layer("lstm_2").states[0].value)])  # the carried h of every replica, rows in order
    return model, [w.tolist() for w in model.get_weights()], state.tolist()

one, w1, s1 = run(distributed.get_strategy())
two, w2, s2 = run(distributed.get_strategy("mirrored", devices=["/cpu:0", "/cpu:1"]))
print(json.dumps(dict(replicas=two.distribute_strategy.num_replicas_in_sync, model_batch=two.input_shape[0],
                      w1=w1, w2=w2, s1=s1, s2=s2)))
"""


def _mirrored_run(steps):
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "-c", MIRRORED_STEP, str(steps)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.integration  # a second TensorFlow process, with two logical devices
@pytest.mark.parametrize("steps", [1, 3])
def test_mirrored_step_matches_the_single_device_step(steps):
    # With Keras' own SGD each replica's half of the gradient is clipped before the halves are summed, and this test
    # fails (weights 5.6e-05 apart after one step, 6.5e-05 after three); helpers.distributed.SGD clips the sum.
    out = _mirrored_run(steps)
    assert out["replicas"] == 2 and out["model_batch"] == 2  # each replica takes 2 of the 4 rows
    assert len(out["w1"]) == len(out["w2"])
    for a, b in zip(out["w1"], out["w2"]):
        np.testing.assert_allclose(np.array(a), np.array(b), atol=1e-5)
    # The state each replica carries is that of its own rows: together, the single device's state.
    np.testing.assert_allclose(np.array(out["s1"]), np.array(out["s2"]), atol=1e-5)
    assert np.abs(np.array(out["s1"])).max() > 0.0


def test_brief_training_lowers_the_loss_and_logs_per_word_perplexity(data, tmp_path):
    _, train, valid, test = data
    config = dict(ptb.CONFIGS["small"], units=16, epochs=2, max_epoch=1)
    set_seed(0)
    model = ptb.build(config)
    log = ptb.train(
        model, config, train[:12_000], valid[:4_000], test[:4_000], run_dir=tmp_path, progress=False, tensorboard=False
    )
    assert log["learning_rate"] == [1.0, 0.5]  # the schedule: halved after max_epoch
    assert log["val_loss"][1] < log["val_loss"][0] < 20 * math.log(10_000)  # below a uniform guess, and falling
    for prefix in ("", "val_", "test_"):
        for loss, ppl in zip(log[prefix + "loss"], log[prefix + "perplexity"]):
            assert ppl == pytest.approx(training.perplexity(loss / config["steps"]), rel=1e-6)
    # The test figure is an evaluation of the test words from a zeroed state, with the final weights.
    model(next(iter(training.language_model_batches(train[:2_000], model)))[0])  # leave a state behind
    assert training.evaluate(model, test[:4_000]) == pytest.approx(log["test_loss"][-1], rel=1e-5)


def test_build_takes_a_configuration_or_its_name():
    assert ptb.build("tied").count_params() == ptb.build(ptb.CONFIGS["tied"]).count_params() == 2_651_600
    with pytest.raises(ValueError, match="No PTB configuration named 'tiny'; known: small, medium, large, tied"):
        ptb.build("tiny")
    with pytest.raises(TypeError, match="a name .* or a dict"):
        ptb.build(200)
    with pytest.raises(ValueError, match="lacks units"):
        ptb.build({k: v for k, v in ptb.CONFIGS["small"].items() if k != "units"})
    assert ptb.learning_rate("small", 5) == ptb.learning_rate(ptb.CONFIGS["small"], 5) == 0.25


def test_each_configuration_builds_its_layer():
    from helpers import fast_lstm

    tied, small = ptb.build("tied"), ptb.build("small")
    assert all(isinstance(tied.get_layer(f"lstm_{i}"), fast_lstm.LSTM) for i in (1, 2))
    assert all(isinstance(small.get_layer(f"lstm_{i}"), keras.layers.LSTM) for i in (1, 2))
    assert tied.input_shape == (20, 35)
    # the loss summed over 35 steps: the per-word learning rate 20 and clipping 0.25 of pytorch/examples
    assert ptb.CONFIGS["tied"]["learning_rate"] * 35 == pytest.approx(20)
    assert ptb.CONFIGS["tied"]["max_grad_norm"] / 35 == pytest.approx(0.25)


def test_build_passes_the_precision_to_the_course_lstm():
    tied = ptb.build("tied", precision="bfloat16")
    assert {tied.get_layer(f"lstm_{i}").precision for i in (1, 2)} == {"bfloat16"}
    assert tied.output.dtype == "float32"
    with pytest.raises(ValueError, match="needs the course's LSTM"):
        ptb.build("small", precision="bfloat16")  # Keras' LSTM on one device


def test_recipes_get_names_what_it_takes():
    from helpers import recipes

    with pytest.raises(TypeError, match="recipes.SHAKESPEARE"):
        recipes.get("shakespeare")


def test_strategy_names():
    from helpers import distributed

    assert distributed.get_strategy().num_replicas_in_sync == 1
    with pytest.raises(ValueError, match="mirrored"):
        distributed.get_strategy("mirror")


def test_config_is_a_copy_with_the_modes_overrides():
    from helpers import recipes

    fast, full = ptb.config("small", fast=True), ptb.config("small", fast=False)
    assert full == ptb.CONFIGS["small"] and full is not ptb.CONFIGS["small"]
    assert fast == dict(ptb.CONFIGS["small"], **recipes.PTB["fast"]["overrides"]) and fast["units"] == 32
    assert list(fast) == list(ptb.CONFIGS["small"])  # the same keys in the same order (notebook 06 prints them)
    full["units"] = 1
    ptb.config("tied")["epochs"] = 1
    assert ptb.CONFIGS["small"]["units"] == 200 and ptb.CONFIGS["tied"]["epochs"] == 26
    given = dict(ptb.CONFIGS["small"], units=16)
    assert ptb.config(given, fast=True) == given and ptb.config(given) is not given  # a dict: checked, copied
    with pytest.raises(ValueError, match="known: small, medium, large, tied"):
        ptb.config("tiny")


def test_recipes_imports_no_module_that_uses_it():
    import ast

    from helpers import recipes

    tree = ast.parse(Path(recipes.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
    assert imported <= {"annotations", "config"}


@pytest.mark.integration  # two more TensorFlow processes talking over the loopback
def test_two_workers_train_as_one_process():
    """The README's multi-worker set-up, for real: two processes with a TF_CONFIG each, over the loopback address."""
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(
        [sys.executable, "benchmarks/two_workers.py", "--json", "--steps", "4"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )  # each process has a 300 s limit of its own
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["replicas"] == [1, 2, 2]
    assert out["workers_differ_by"] == 0.0  # the same summed gradient applied on both
    assert out["worker_vs_single"] <= 1e-5
    assert out["moved"] > 0.1  # and the steps did train (clipped from the third update on)
