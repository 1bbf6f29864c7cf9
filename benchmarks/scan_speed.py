"""Training speed of minGRU step by step and as a parallel scan, and of the course's LSTM, as the sequence grows.

    .venv/bin/python benchmarks/scan_speed.py                      # T = 50, 200, 1000, 4000, 8,192 tokens a batch
    .venv/bin/python benchmarks/scan_speed.py --lengths 50 1000    # other lengths

Notebook 08 makes the same measurement (`helpers.min_rnn`). Every length gets the same
number of tokens per batch (batch = tokens / T), so a layer whose cost is
only proportional to the tokens would show the same figure at every length;
what changes with T is how many sequential steps the loops take (T for the
loops, about 2 log2 T rounds for the scan). Prints tokens per second of one
forward and backward pass (`helpers.speed.training_throughput`: the layers
take turns, best of 3 rounds), on this machine's CPU; a GPU was not measured.
"""

from __future__ import annotations

import argparse

import helpers.config  # (before TensorFlow: quiets its start-up logs)
from helpers import fast_lstm, min_rnn, speed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lengths", type=int, nargs="+", default=[50, 200, 1000, 4000])
    parser.add_argument("--tokens", type=int, default=8192, help="tokens per batch (batch x length)")
    parser.add_argument("--units", type=int, default=128)
    parser.add_argument("--features", type=int, default=64)
    args = parser.parse_args()
    helpers.config.set_seed(0)
    print(
        f"{args.tokens:,} tokens a batch, {args.features} features in, {args.units} units; tokens per second of a "
        f"training step (forward + backward)\n"
    )
    names = ["minGRU, loop", "minGRU, scan", "fast_lstm.LSTM (loop)"]
    print(f"| T | batch | {' | '.join(names)} | scan / loop |")
    print("|---|---|" + "---|" * (len(names) + 1))
    for length in args.lengths:
        batch = max(args.tokens // length, 1)
        layers = {
            names[0]: min_rnn.MinGRU(args.units, mode="loop", return_sequences=True),
            names[1]: min_rnn.MinGRU(args.units, mode="scan", return_sequences=True),
            names[2]: fast_lstm.LSTM(args.units, return_sequences=True),
        }
        rate = speed.training_throughput(layers, batch=batch, steps=length, features=args.features, repeats=3, rounds=3)
        print(
            f"| {length} | {batch} | "
            + " | ".join(f"{rate[n]:,.0f}" for n in names)
            + f" | {rate[names[1]] / rate[names[0]]:.2f}x |",
            flush=True,
        )


if __name__ == "__main__":
    main()
