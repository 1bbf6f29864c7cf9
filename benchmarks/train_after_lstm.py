"""Train notebook 07's character Transformer, or its minGRU twin, and print validation loss against wall time.

    .venv/bin/python benchmarks/train_after_lstm.py attention          # ~22 min on a 2-core CPU
    .venv/bin/python benchmarks/train_after_lstm.py mingru             # ~22 min
    .venv/bin/python benchmarks/train_after_lstm.py attention --fast   # the fast-mode recipe, seconds

Trains `helpers.transformer.language_model(mixer=...)` with the recipe
`helpers.recipes.AFTER_LSTM` on notebook 04's split, into
data/runs/shakespeare-<mixer> (resumes if interrupted) unless --run-dir says
otherwise. The runs notebook 07 loads were made by this script, from scratch
in one sitting, then shipped with `tools/ship_run.py shakespeare-<mixer>`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import helpers.config  # noqa: E402  (before TensorFlow: quiets its start-up logs)
from helpers import data, training, transformer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mixer", choices=transformer.MIXERS)
    parser.add_argument("--fast", action="store_true", help="the fast-mode recipe (a smoke test of this script)")
    parser.add_argument("--run-dir", default=None, help="where to train (default data/runs/shakespeare-<mixer>)")
    args = parser.parse_args()
    name = f"shakespeare-{args.mixer}" + ("-fast" if args.fast else "")
    run_dir = Path(args.run_dir or data.data_dir() / "runs" / name)
    helpers.config.set_seed(42)
    model, cfg = transformer.from_recipe(args.mixer, args.fast)
    _, _, train_ids, valid_ids = data.shakespeare_split(cfg["train_chars"])
    print(f"recipe ({'fast' if args.fast else 'full'}): {cfg}\nrun dir: {run_dir}\n{model.count_params():,} parameters")
    log = transformer.fit_windows(model, train_ids, valid_ids, updates=cfg["updates"], every=cfg["every"],
                                  batch_size=cfg["batch_size"], run_dir=run_dir)
    print("\n| updates | minutes | train nats/char | valid nats/char |\n|---|---|---|---|")
    for e, s, lt, lv in zip(log["epoch"], log["seconds"], log["loss"], log["val_loss"]):
        print(f"| {(e + 1) * cfg['every']} | {s / 60:.1f} | {lt:.3f} | {lv:.3f} |")
    print(f"\nlast: validation {log['val_loss'][-1]:.4f} nats/char ({training.bits(log['val_loss'][-1]):.3f} bits) "
          f"after {log['seconds'][-1] / 60:.1f} min")


if __name__ == "__main__":
    main()
