"""Train notebook 04's character model (the full recipe) and print validation loss against wall time.

    .venv/bin/python benchmarks/train_shakespeare.py            # full recipe, ~22 min on a 2-core CPU
    .venv/bin/python benchmarks/train_shakespeare.py --fast     # the fast-mode recipe, a minute
    .venv/bin/python benchmarks/train_shakespeare.py --precision bfloat16 --set batch_size=128 \
        --set learning_rate=4e-3 --run-dir data/runs/shakespeare-wide    # a variant of the recipe

Trains into data/runs/shakespeare (the folder notebook 04 trains into with
TRAIN = True: a finished run there is loaded instead of trained again) unless
--run-dir says otherwise; an interrupted run resumes from its last epoch.
`--set key=value` changes one setting of the recipe (`helpers.recipes.SHAKESPEARE`)
for this run; give a variant its own --run-dir. Prints one line per epoch,
then the table for the README. The run notebook 04
loads by default was made by this script, from scratch in one sitting, then
shipped with `tools/ship_run.py shakespeare`.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import helpers.config  # noqa: E402  (before TensorFlow: quiets its start-up logs)
from helpers import data, fast_lstm, models, recipes, training  # noqa: E402

# The plain Keras 3 model of issue 5 (embedding 64, 2 x 512 stateful LSTM, dropout 0.2, Adam 2e-3,
# batch 64 x 100), measured on a 2-core machine: (minutes, validation nats/char).
BASELINE = [(16, 1.729), (26, 1.562), (42, 1.485)]
GOAL, STRETCH = 1.45, 1.40


def compiled_model(cfg: dict, vocab_size: int, train_size: int, precision: str = "float32", lstm: str = "course"):
    """Notebook 04's model of the recipe `cfg`, compiled with its schedule over ``cfg["epochs"]``; and its updates per epoch.

    `lstm`: ``"course"`` (`helpers.fast_lstm.LSTM`, as notebook 04) or ``"keras"`` (`keras.layers.LSTM`, for comparison).
    """
    model = models.language_model(vocab_size, units=cfg["units"], layers=cfg["layers"], embedding=cfg["embedding"],
                                  dropout=cfg["dropout"], batch_size=cfg["batch_size"], steps=cfg["steps"],
                                  lstm=lstm, precision=precision)
    updates = training.updates_per_epoch(train_size, model)
    training.compile_language_model(model, learning_rate=cfg["learning_rate"], decay_steps=cfg["epochs"] * updates,
                                    final_learning_rate=cfg["final_learning_rate"], clipnorm=cfg["clipnorm"])
    return model, updates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fast", action="store_true", help="the fast-mode recipe (a smoke test of this script)")
    parser.add_argument("--precision", default="float32", choices=fast_lstm.PRECISIONS,
                        help="of the LSTMs' and the output layer's products (bfloat16: faster on a CPU that has it)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                        help="change one setting of the recipe, e.g. --set batch_size=64 (repeatable)")
    parser.add_argument("--run-dir", default=None, help="where to train (default data/runs/shakespeare[-fast])")
    args = parser.parse_args()
    cfg = recipes.get(recipes.SHAKESPEARE, fast=args.fast)
    for setting in args.set:
        key, _, value = setting.partition("=")
        if key not in cfg or not value:
            parser.error(f"--set takes KEY=VALUE with KEY one of {sorted(cfg)}; got {setting!r}")
        try:
            cfg[key] = type(cfg[key])(value) if cfg[key] is not None else int(value)
        except ValueError:
            parser.error(f"--set {key}= takes a {type(cfg[key]).__name__}; got {value!r}")
    run_dir = Path(args.run_dir or data.data_dir() / "runs" / ("shakespeare-fast" if args.fast else "shakespeare"))
    print(f"recipe ({'fast' if args.fast else 'full'}): {cfg}\nrun dir: {run_dir}\nthreads: {os.cpu_count()} CPUs\n"
          f"{helpers.config.precision_note(args.precision)}")

    helpers.config.set_seed(42)
    _, vocab, train_ids, valid_ids = data.shakespeare_split(cfg["train_chars"])
    model, updates = compiled_model(cfg, len(vocab), len(train_ids), args.precision)
    print(f"{model.count_params():,} parameters, {updates} updates per epoch")
    log = training.fit_language_model(model, train_ids, valid_ids, epochs=cfg["epochs"], run_dir=run_dir, unit="char")

    print("\n| epoch | minutes | train nats/char | valid nats/char | valid bits/char | valid perplexity |")
    print("|---|---|---|---|---|---|")
    for e, s, lt, lv in zip(log["epoch"], log["seconds"], log["loss"], log["val_loss"]):
        print(f"| {e + 1} | {s / 60:.1f} | {lt:.3f} | {lv:.3f} | {training.bits(lv):.3f} | {training.perplexity(lv):.2f} |")
    best = min(range(len(log["val_loss"])), key=log["val_loss"].__getitem__)
    print(f"\nbest validation loss {log['val_loss'][best]:.3f} nats/char at epoch {best + 1}, "
          f"{log['seconds'][best] / 60:.1f} min (goal <= {GOAL}, stretch <= {STRETCH})")
    for goal in (GOAL, STRETCH):
        hit = next((s for s, v in zip(log["seconds"], log["val_loss"]) if v <= goal), None)
        print(f"  first <= {goal}: " + (f"{hit / 60:.1f} min" if hit is not None else "not reached"))
    print("plain Keras baseline (issue 5): " + ", ".join(f"{v} at {m} min" for m, v in BASELINE))


if __name__ == "__main__":
    main()
