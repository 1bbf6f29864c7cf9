"""Train notebook 08's character Transformer, or its minGRU twin, and print validation loss against wall time.

    .venv/bin/python benchmarks/train_after_lstm.py attention          # the shipped log says how long
    .venv/bin/python benchmarks/train_after_lstm.py mingru
    .venv/bin/python benchmarks/train_after_lstm.py attention --fast   # the fast-mode recipe, seconds
    .venv/bin/python benchmarks/train_after_lstm.py mingru --set context=128 --run-dir data/runs/mingru-128

Trains `helpers.transformer.block_model(mixer=...)` with the recipe
`helpers.recipes.AFTER_LSTM` on notebook 04's split, into
data/runs/shakespeare-<mixer> (resumes if interrupted) unless --run-dir says
otherwise. The runs notebook 08 loads were made by this script, from scratch
in one sitting, then shipped with `tools/ship_run.py shakespeare-<mixer>`.
--fast, --set (a setting of the recipe) and --run-dir are the four training
scripts' shared options (`helpers.cli`); --precision is refused: these models
have no course LSTM whose products it sets.
"""

from __future__ import annotations

from pathlib import Path

import helpers.config  # (before TensorFlow: quiets its start-up logs)
from helpers import cli, data, recipes


def main() -> None:
    args = cli.training_options(
        __doc__,
        arguments=lambda p: p.add_argument("mixer", choices=recipes.MIXERS),
        recipe=lambda a: recipes.get(recipes.AFTER_LSTM, fast=a.fast),
        no_precision="the Transformer and the minGRU stack have no course LSTM; they train in float32",
        default_run_dir=lambda a: data.data_dir() / "runs" / f"shakespeare-{a.mixer}{'-fast' * a.fast}",
    )
    from helpers import logs, shakespeare, transformer  # TensorFlow, once the options are known to be good

    run_dir = Path(args.run_dir)
    helpers.config.set_seed(42)
    model, cfg = transformer.from_recipe(args.mixer, cfg=args.recipe)
    _, _, train_ids, valid_ids = shakespeare.split(cfg["train_chars"])
    print(f"recipe ({'fast' if args.fast else 'full'}): {cfg}\nrun dir: {run_dir}\n{model.count_params():,} parameters")
    log = transformer.fit_windows(
        model,
        train_ids,
        valid_ids,
        updates=cfg["updates"],
        every=cfg["every"],
        batch_size=cfg["batch_size"],
        run_dir=run_dir,
    )
    print("\n| updates | minutes | train nats/char | valid nats/char |\n|---|---|---|---|")
    for e, s, lt, lv in zip(log["epoch"], log["seconds"], log["loss"], log["val_loss"]):
        print(f"| {(e + 1) * cfg['every']} | {s / 60:.1f} | {lt:.3f} | {lv:.3f} |")
    print(
        f"\nlast: validation {log['val_loss'][-1]:.4f} nats/char ({logs.bits(log['val_loss'][-1]):.3f} bits) "
        f"after {log['seconds'][-1] / 60:.1f} min"
    )


if __name__ == "__main__":
    main()
