"""Does rounding the products to bfloat16 cost notebook 04's model quality? Same start, same batches, same updates.

    .venv/bin/python benchmarks/bfloat16_quality.py             # 2 epochs in each precision, ~13 min on 2 cores
    .venv/bin/python benchmarks/bfloat16_quality.py --epochs 1 --fast

Trains notebook 04's character model (`helpers.recipes.SHAKESPEARE`, with the
learning-rate schedule of the recipe's whole run) for `--epochs` epochs
twice, from the same initial weights on the same batches: once with its
products in float32 (the course's reference), once with
``precision="bfloat16"`` (`helpers.models.language_model`: the operands of
every matrix product rounded to bfloat16, weights, states and gates in
float32). Prints, per epoch, the validation loss and the wall time of each.
On a CPU without bfloat16 instructions (`helpers.config.bfloat16_instructions`)
it still runs, and says that bfloat16 is emulated there, so slower.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import helpers.config  # noqa: E402  (before TensorFlow: quiets its start-up logs)
from helpers import data, fast_lstm, recipes, training  # noqa: E402
from train_shakespeare import compiled_model  # noqa: E402  (this folder: the model of its recipe, compiled)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=2, help="epochs in each precision (default 2)")
    parser.add_argument("--fast", action="store_true", help="the fast-mode recipe (a smoke test of this script)")
    args = parser.parse_args()
    cfg = recipes.get(recipes.SHAKESPEARE, fast=args.fast)
    print(f"recipe ({'fast' if args.fast else 'full'}): {cfg}")
    _, vocab, train_ids, valid_ids = data.shakespeare_split(cfg["train_chars"])
    logs, start = {}, None
    for precision in fast_lstm.PRECISIONS:
        helpers.config.set_seed(42)
        model, updates = compiled_model(cfg, len(vocab), len(train_ids), precision)
        start = start or model.get_weights()
        model.set_weights(start)
        print(f"\n{helpers.config.precision_note(precision)}: {updates} updates per epoch", flush=True)
        with tempfile.TemporaryDirectory() as run_dir:
            logs[precision] = training.fit_language_model(model, train_ids, valid_ids, epochs=args.epochs,
                                                          run_dir=run_dir, unit="char", progress=False,
                                                          tensorboard=False)

    names = fast_lstm.PRECISIONS
    print("\n| epoch | " + " | ".join(f"valid nats/char, {p}" for p in names) + " | "
          + " | ".join(f"minutes, {p}" for p in names) + " |\n|---|" + "---|" * 2 * len(names))
    for e in range(args.epochs):
        print(f"| {e + 1} | " + " | ".join(f"{logs[p]['val_loss'][e]:.4f}" for p in names) + " | "
              + " | ".join(f"{logs[p]['seconds'][e] / 60:.1f}" for p in names) + " |")


if __name__ == "__main__":
    main()
