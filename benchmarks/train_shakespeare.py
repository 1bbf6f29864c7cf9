"""Train notebook 04's character model (the full recipe) and print validation loss against wall time.

    .venv/bin/python benchmarks/train_shakespeare.py            # full recipe (its log's `seconds` say how long)
    .venv/bin/python benchmarks/train_shakespeare.py --fast     # the fast-mode recipe, a minute
    .venv/bin/python benchmarks/train_shakespeare.py --precision bfloat16 --set batch_size=128 \
        --set learning_rate=4e-3 --run-dir data/runs/shakespeare-wide    # a variant of the recipe
    .venv/bin/python benchmarks/train_shakespeare.py --ema 0.999 --run-dir data/runs/shakespeare-snapshots
        # the recipe again, also scoring an average of its weights at the end

Trains into data/runs/shakespeare (the folder notebook 04 trains into with
TRAIN = True: a finished run there is loaded instead of trained again) unless
--run-dir says otherwise; an interrupted run resumes from its last epoch.
`--set key=value` changes one setting of the recipe (`helpers.recipes.SHAKESPEARE`)
for this run; give a variant its own --run-dir. Every run keeps the weights of
each epoch (``epochs/epoch-NN.weights.h5``, Keras' ``ModelCheckpoint``):
notebook 04's samples as the model learns come from those of epochs 1, 3
and 6 (shipped with ``tools/ship_run.py shakespeare --epochs 1 3 6``).
``--ema M`` also keeps Keras' exponential moving average of the weights
(the optimiser's ``use_ema``, momentum M; it does not change training) and
scores it on the validation text at the end, beside the last epoch's. The options are the four
training scripts' shared ones (`helpers.cli`); the model and its compilation
are notebook 04's, `helpers.shakespeare`. Prints one line per epoch,
then the table for the README. The run notebook 04
loads by default was made by this script, from scratch in one sitting, then
shipped with `tools/ship_run.py shakespeare`.
"""

from __future__ import annotations

import os
from pathlib import Path

import helpers.config  # (before TensorFlow: quiets its start-up logs)
from helpers import cli, data, shakespeare, training

# The plain Keras 3 model of issue 5 (embedding 64, 2 x 512 stateful LSTM, dropout 0.2, Adam 2e-3,
# batch 64 x 100), measured on a 2-core machine: (minutes, validation nats/char).
BASELINE = [(16, 1.729), (26, 1.562), (42, 1.485)]
GOAL, STRETCH = 1.45, 1.40


def main() -> None:
    import keras  # (after helpers.config)

    args = cli.training_options(
        __doc__,
        arguments=lambda p: p.add_argument(
            "--ema", type=float, default=None, metavar="M", help="also average the weights (momentum M, e.g. 0.999)"
        ),
        recipe=lambda a: shakespeare.recipe(fast=a.fast),
        default_run_dir=lambda a: data.data_dir() / "runs" / f"shakespeare{'-fast' * a.fast}",
    )
    cfg, run_dir = args.recipe, Path(args.run_dir)
    print(
        f"recipe ({'fast' if args.fast else 'full'}): {cfg}\nrun dir: {run_dir}\nthreads: {os.cpu_count()} CPUs\n"
        f"{helpers.config.precision_note(args.precision)}"
    )

    helpers.config.set_seed(42)
    _, vocab, train_ids, valid_ids = shakespeare.split(cfg["train_chars"])
    model, updates = shakespeare.compiled(cfg, len(vocab), len(train_ids), precision=args.precision)
    print(f"{model.count_params():,} parameters, {updates} updates per epoch")
    if args.ema is not None:  # set before the optimiser is built: it then keeps the average beside the weights
        model.optimizer.use_ema, model.optimizer.ema_momentum = True, args.ema
    each_epoch = keras.callbacks.ModelCheckpoint(
        str(run_dir / "epochs" / "epoch-{epoch:02d}.weights.h5"), save_weights_only=True
    )
    log = training.fit_language_model(
        model, train_ids, valid_ids, epochs=cfg["epochs"], run_dir=run_dir, unit="char", extra_callbacks=[each_epoch]
    )
    if args.ema is not None:  # fit ends by putting the average into the model (`finalize_variable_values`)
        average = float(training.evaluate(model, valid_ids))
        model.save_weights(run_dir / "ema.weights.h5")
        print(
            f"weights averaged (momentum {args.ema}): valid {average:.4f} nats/char; last epoch's: {log['val_loss'][-1]:.4f}"
        )

    print("\n| epoch | minutes | train nats/char | valid nats/char | valid bits/char | valid perplexity |")
    print("|---|---|---|---|---|---|")
    for e, s, lt, lv in zip(log["epoch"], log["seconds"], log["loss"], log["val_loss"]):
        print(
            f"| {e + 1} | {s / 60:.1f} | {lt:.3f} | {lv:.3f} | {training.bits(lv):.3f} | {training.perplexity(lv):.2f} |"
        )
    best = min(range(len(log["val_loss"])), key=log["val_loss"].__getitem__)
    print(
        f"\nbest validation loss {log['val_loss'][best]:.3f} nats/char at epoch {best + 1}, "
        f"{log['seconds'][best] / 60:.1f} min (goal <= {GOAL}, stretch <= {STRETCH})"
    )
    for goal in (GOAL, STRETCH):
        hit = next((s for s, v in zip(log["seconds"], log["val_loss"]) if v <= goal), None)
        print(f"  first <= {goal}: " + (f"{hit / 60:.1f} min" if hit is not None else "not reached"))
    print("plain Keras baseline (issue 5): " + ", ".join(f"{v} at {m} min" for m, v in BASELINE))


if __name__ == "__main__":
    main()
