"""Dynamic evaluation (Krause et al. 2018) of a shipped model: static against dynamic loss, tuned on training text.

    .venv/bin/python benchmarks/dynamic_eval.py                    # notebook 04's model on its validation text
    .venv/bin/python benchmarks/dynamic_eval.py --chars 5000       # a short run: 5,000 tokens of each text
    .venv/bin/python benchmarks/dynamic_eval.py --model ptb-tied   # notebook 06's tied model on the PTB test text
    .venv/bin/python benchmarks/dynamic_eval.py --update sgd --lr 0.03 0.1 0.3 --decay 0 0.01

Loads the course's trained run (`helpers.trained`) and prints, always
labelled: its static loss as the course measures it (`helpers.trained.evaluate`,
batches that continue each other, the state carried); the static loss of the
same model reading the whole text in order as one row (`helpers.dynamic_eval`
with no learning); the grid of step sizes and decays, each setting's loss on a
held-out tail of the TRAINING text (`--tail` tokens; tuning never sees the
evaluated text); then the best setting's dynamic loss on the evaluated text
(Shakespeare's validation text, the PTB test text), with the wall time of each
pass. `--update rms` (the default) is the paper's RMS update with a global
prior, its gradient statistics from `--rms-batches` batches of the training
text before the tail; ``sgd`` is plain SGD with the same decay. Wall times are
on whatever machine runs it: the course measured them on a 2-core CPU shared
with other jobs, so they are noisy.
"""

from __future__ import annotations

import argparse
import itertools
import math
import time

import helpers.config  # noqa: F401  (before TensorFlow: quiets its start-up logs)
from helpers import dynamic_eval, ptb, shakespeare, trained

# model: (the text evaluated, its name, the unit), and the grids of step size for each update.
TEXTS = {"shakespeare": ("val", "validation", "char"), "ptb-tied": ("test", "test", "word")}
TEXTS["ptb-small"] = TEXTS["ptb-tied"]
GRIDS = {"rms": ([3e-5, 1e-4, 2e-4, 4e-4], [0.0, 0.001, 0.01]), "sgd": ([0.03, 0.1, 0.3], [0.0, 0.001, 0.01])}
GOAL = {"shakespeare": 1.38}


def measure(value: float, unit: str) -> str:
    """A loss as the course prints it: nats per char, or perplexity for a word model."""
    return f"{value:.4f} nats/char" if unit == "char" else f"{value:.4f} nats/word, perplexity {math.exp(value):.2f}"


def timed(function, *args, **kwargs):
    """``(function(*args, **kwargs), wall minutes)``."""
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, (time.perf_counter() - start) / 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", choices=sorted(TEXTS), default="shakespeare", help="the shipped run to evaluate")
    parser.add_argument("--chars", type=int, default=None, help="a short run: the first N tokens of each text")
    parser.add_argument("--tail", type=int, default=20_000, help="tokens at the end of the training text to tune on")
    parser.add_argument("--chunk", type=int, default=None, help="tokens per chunk (default 50 chars, 35 words)")
    parser.add_argument("--update", choices=sorted(GRIDS), default="rms", help="RMS with a global prior, or SGD")
    parser.add_argument("--lr", type=float, nargs="+", default=None, help="the step sizes of the grid")
    parser.add_argument("--decay", type=float, nargs="+", default=None, help="the decays of the grid")
    parser.add_argument("--rms-batches", type=int, default=100, help="training batches for the gradient statistics")
    args = parser.parse_args()
    key, text_name, unit = TEXTS[args.model]
    chunk = args.chunk or (50 if unit == "char" else 35)
    lrs, decays = args.lr or GRIDS[args.update][0], args.decay or GRIDS[args.update][1]

    model, texts, summed_over = trained.model_and_texts(args.model)
    trained.load(model, args.model, verbose=False)
    train_ids = shakespeare.split()[2] if unit == "char" else ptb.split(fast=False)[1]
    tail, before = train_ids[-args.tail :], train_ids[: -args.tail]
    text = texts[key][: args.chars] if args.chars else texts[key]
    tail = tail[: args.chars] if args.chars else tail
    print(f"the run {args.model!r}, its {text_name} text: {len(text):,} {unit}s", flush=True)

    static, minutes = timed(trained.evaluate, model, {key: text}, summed_over)
    print(
        f"static {text_name} loss, as the course measures it (batches that continue each other): "
        f"{measure(static[key], unit)} ({minutes:.1f} min)",
        flush=True,
    )

    rms, rms_minutes = None, 0.0
    if args.update == "rms":
        rms, rms_minutes = timed(dynamic_eval.gradient_rms, model, before, batches=args.rms_batches)
        print(f"gradient statistics (RMS) from {args.rms_batches} training batches: {rms_minutes:.1f} min", flush=True)
    reader = dynamic_eval.DynamicEvaluation(model, rms=rms, chunk=chunk)
    one_row, one_row_minutes = timed(reader.run, text, learn=False)
    print(
        f"static {text_name} loss, read as one row in order (chunks of {chunk}): "
        f"{measure(one_row, unit)} ({one_row_minutes:.1f} min)",
        flush=True,
    )

    tail_static, _ = timed(reader.run, tail, learn=False)
    print(
        f"\ntuning on the last {len(tail):,} {unit}s of the TRAINING text ({args.update} update, chunks of "
        f"{chunk}); static there: {measure(tail_static, unit)}",
        flush=True,
    )
    grid, tuning_minutes = {}, 0.0
    for lr, decay in itertools.product(lrs, decays):
        reader.set(lr, decay)
        grid[lr, decay], minutes = timed(reader.run, tail)
        tuning_minutes += minutes
        print(
            f"  lr {lr:<8g} decay {decay:<6g} training-tail loss {measure(grid[lr, decay], unit)} ({minutes:.1f} min)",
            flush=True,
        )
    lr, decay = min(grid, key=grid.get)
    print(f"chosen: lr {lr:g}, decay {decay:g} (tuning: {tuning_minutes:.1f} min)", flush=True)

    reader.set(lr, decay)
    dynamic, dynamic_minutes = timed(reader.run, text, progress=False)
    print(f"\n{args.model}, {text_name} text ({len(text):,} {unit}s), one 2-core CPU shared with other jobs:")
    print(f"  static {text_name} loss (the course's figure):  {measure(static[key], unit)}")
    print(f"  static {text_name} loss (one row, in order):    {measure(one_row, unit)} ({one_row_minutes:.1f} min)")
    print(f"  dynamic-evaluation {text_name} loss:            {measure(dynamic, unit)} ({dynamic_minutes:.1f} min)")
    extra = dynamic_minutes - one_row_minutes
    print(
        f"  extra cost of dynamic evaluation: {extra:.1f} min over the static one-row pass, "
        f"plus {rms_minutes:.1f} min of gradient statistics and {tuning_minutes:.1f} min of tuning, once"
    )
    if args.model in GOAL and not args.chars:
        met = "met" if dynamic <= GOAL[args.model] else "not met"
        print(f"  goal: dynamic <= {GOAL[args.model]} nats/char: {met}")


if __name__ == "__main__":
    main()
