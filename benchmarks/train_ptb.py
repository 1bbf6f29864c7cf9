"""Train a Penn Treebank configuration of notebook 06 and print its perplexities per epoch against wall time.

    .venv/bin/python benchmarks/train_ptb.py                   # small (Zaremba et al. 2014)
    .venv/bin/python benchmarks/train_ptb.py --config tied     # the course's tied + dropout variant
    .venv/bin/python benchmarks/train_ptb.py --fast            # the fast-mode slice, a minute
    .venv/bin/python benchmarks/train_ptb.py --strategy mirrored   # over this machine's GPUs

Trains into data/runs/ptb-<config> (the folder notebook 06 trains into with
TRAIN = True: a finished run there is loaded, not trained again) unless
--run-dir says otherwise; an interrupted run resumes from its last epoch. The
runs notebook 06 loads by default were made by this script, from scratch in
one sitting each, then shipped with `tools/ship_run.py ptb-small` / `ptb-tied`. Medium and large run the same
way, for a GPU. Under --strategy multiworker, start it on every machine
with its own TF_CONFIG (see the README). `--set key=value` changes one setting
of the configuration (`helpers.ptb.config`), e.g. --set epochs=2; give a
variant its own --run-dir. --fast, --precision, --set and --run-dir are the
four training scripts' shared options (`helpers.cli`).
"""

from __future__ import annotations

import os
from pathlib import Path

import helpers.config  # (before TensorFlow: quiets its start-up logs)
from helpers import cli, data, distributed, ptb

# A plain Keras 3 reimplementation of "small", measured on a 2-core machine (issue 7).
BASELINE = "plain Keras small: test 114.6 (valid 119.9) in 47 min; epoch 1 train 272 / valid 183, epoch 13 train 41.5"
GOALS = {"small": (115.9, 47), "tied": (88.0, 60)}  # (test perplexity, minutes)


def main() -> None:
    def arguments(parser):
        parser.add_argument("--config", default="small", choices=sorted(ptb.CONFIGS))
        parser.add_argument("--strategy", default="default", choices=distributed.STRATEGIES)

    args = cli.training_options(
        __doc__,
        arguments=arguments,
        recipe=lambda a: ptb.config(a.config, fast=a.fast),
        default_run_dir=lambda a: data.data_dir() / "runs" / f"ptb-{a.config}{'-fast' * a.fast}",
    )
    config, run_dir = args.recipe, Path(args.run_dir)
    print(
        f"config {args.config} ({'fast' if args.fast else 'full'}): {config}\nrun dir: {run_dir}\n"
        f"strategy: {args.strategy}, {os.cpu_count()} CPUs\n{helpers.config.precision_note(args.precision)}"
    )

    strategy = distributed.get_strategy(args.strategy)  # first: a multi-worker strategy precedes other TF calls
    helpers.config.set_seed(42)
    vocab, train, valid, test = ptb.split(fast=args.fast)
    model = ptb.build(config, len(vocab), strategy=strategy, precision=args.precision)
    print(f"{model.count_params():,} parameters")
    log = ptb.train(model, config, train, valid, test, run_dir=run_dir)

    print("\n| epoch | minutes | learning rate | train ppl | valid ppl | test ppl |")
    print("|---|---|---|---|---|---|")
    for i, epoch in enumerate(log["epoch"]):
        print(
            f"| {epoch + 1} | {log['seconds'][i] / 60:.1f} | {log['learning_rate'][i]:.4g} | "
            f"{log['perplexity'][i]:.1f} | {log['val_perplexity'][i]:.1f} | {log['test_perplexity'][i]:.1f} |"
        )
    print(
        f"\nafter {len(log['epoch'])} epochs, {log['seconds'][-1] / 60:.1f} min: test perplexity "
        f"{log['test_perplexity'][-1]:.1f} (published: {config['published'] or 'none, a variant of the course'})"
    )
    if args.config in GOALS and not args.fast:
        goal, minutes = GOALS[args.config]
        first = next((i for i, p in enumerate(log["test_perplexity"]) if p <= goal), None)
        print(
            f"goal: test <= {goal} within {minutes} min: first reached "
            + (f"after epoch {first + 1}, {log['seconds'][first] / 60:.1f} min" if first is not None else "never")
            + f"; the whole schedule ({len(log['epoch'])} epochs) "
            + ("ends within" if log["seconds"][-1] <= minutes * 60 else "takes longer than")
            + f" {minutes} min"
        )
    print(BASELINE)


if __name__ == "__main__":
    main()
