"""Does rounding the products to bfloat16 cost a model quality? Same start, same batches, same updates.

    .venv/bin/python benchmarks/bfloat16_quality.py             # notebook 04's model, 2 epochs each
    .venv/bin/python benchmarks/bfloat16_quality.py --model ptb-tied   # notebook 06's tied model (or ptb-small)
    .venv/bin/python benchmarks/bfloat16_quality.py --epochs 1 --fast

Trains one of the course's models for `--epochs` epochs twice, from the same
initial weights on the same batches: once with its products in float32 (the
course's reference), once with ``precision="bfloat16"``
(`helpers.models.language_model`: the operands of every matrix product
rounded to bfloat16, weights, states and gates in float32). `--model`:
``shakespeare``, notebook 04's character model (`helpers.shakespeare`,
with the learning-rate schedule of the recipe's whole run), or
``ptb-small`` / ``ptb-tied``, notebook 06's word models (`helpers.ptb.build`
with the course's LSTM, and its per-epoch schedule). Prints, per epoch, the
validation loss (nats/char) or perplexity and the wall time of each. On a CPU
without bfloat16 instructions (`helpers.config.bfloat16_instructions`) it
still runs, and says that bfloat16 is emulated there, so slower.
"""

from __future__ import annotations

import argparse
import functools
import tempfile

import helpers.config  # (before TensorFlow: quiets its start-up logs)
from helpers import fast_lstm, ptb, shakespeare, training

# model: (the log's validation measure, its name, its format)
MEASURES = {
    "shakespeare": ("val_loss", "valid nats/char", "{:.4f}"),
    "ptb-small": ("val_perplexity", "valid perplexity", "{:.2f}"),
    "ptb-tied": ("val_perplexity", "valid perplexity", "{:.2f}"),
}


def trained(name: str, precision: str, epochs: int, fast: bool, start: list | None, run_dir: str):
    """Train model `name` in `precision` from the weights `start` (or its own, seeded); its log and starting weights."""
    helpers.config.set_seed(42)
    if name == "shakespeare":
        cfg = shakespeare.recipe(fast=fast)
        _, vocab, train_ids, valid_ids = shakespeare.split(cfg["train_chars"])
        model, updates = shakespeare.compiled(cfg, len(vocab), len(train_ids), precision=precision)
        fit = functools.partial(training.fit_language_model, model, train_ids, valid_ids, unit="char")
    else:
        cfg = ptb.config(name.removeprefix("ptb-"), fast=fast)
        vocab, train_ids, valid_ids, test_ids = ptb.split(fast=fast)
        model = ptb.build(cfg, len(vocab), lstm="course", precision=precision)
        updates = training.updates_per_epoch(len(train_ids), model)
        fit = functools.partial(ptb.train, model, cfg, train_ids, valid_ids, test_ids)
    start = start or model.get_weights()
    model.set_weights(start)
    print(
        f"\n{name} ({'fast' if fast else 'full'}): {cfg}\n{helpers.config.precision_note(precision)}: "
        f"{updates} updates per epoch",
        flush=True,
    )
    return fit(epochs=epochs, run_dir=run_dir, progress=False, tensorboard=False), start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="shakespeare", choices=sorted(MEASURES))
    parser.add_argument("--epochs", type=int, default=2, help="epochs in each precision (default 2)")
    parser.add_argument("--fast", action="store_true", help="the fast-mode recipe (a smoke test of this script)")
    args = parser.parse_args()
    logs, start = {}, None
    for precision in fast_lstm.PRECISIONS:
        with tempfile.TemporaryDirectory() as run_dir:
            logs[precision], start = trained(args.model, precision, args.epochs, args.fast, start, run_dir)

    names, (key, measure, form) = fast_lstm.PRECISIONS, MEASURES[args.model]
    print(
        f"\n{args.model}, {'fast' if args.fast else 'full'} mode\n\n| epoch | "
        + " | ".join(f"{measure}, {p}" for p in names)
        + " | "
        + " | ".join(f"minutes, {p}" for p in names)
        + " |\n|---|"
        + "---|" * 2 * len(names)
    )
    for e in range(args.epochs):
        print(
            f"| {e + 1} | "
            + " | ".join(form.format(logs[p][key][e]) for p in names)
            + " | "
            + " | ".join(f"{logs[p]['seconds'][e] / 60:.1f}" for p in names)
            + " |"
        )


if __name__ == "__main__":
    main()
