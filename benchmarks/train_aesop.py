"""Notebook 05's measurements: accuracy and time to the ceiling on the Aesop fable, and the retelling.

    .venv/bin/python benchmarks/train_aesop.py              # full: a 2-minute limit per model
    .venv/bin/python benchmarks/train_aesop.py --seconds 20 # a quicker look
    .venv/bin/python benchmarks/train_aesop.py --fast       # a smoke test: 3 seconds per model

For each recipe (full-batch training on the 201 windows of 3 words, stopped
at the ceiling of 199 or at the time limit) prints the words right, the
updates and seconds taken, then how many of the 32 words generated from
"had a general" follow the fable, for 3, 4 and 5 words of context. Of the
four training scripts' shared options (`helpers.cli`) only --fast applies:
--precision, --set and --run-dir are refused, with the reason.
"""

from __future__ import annotations

import helpers.config  # (before TensorFlow: quiets its start-up logs)
from helpers import cli, data
from helpers.vocab import Vocabulary

RECIPES = {  # name: (model arguments, training arguments)
    "classic: raw ids, 1 x 512, RMSProp 1e-3": (dict(embedding=None), {}),
    "embedding 64, 1 x 512, RMSProp 1e-3": ({}, {}),
    "embedding 64, 1 x 512, Adam 1e-3": ({}, dict(optimizer="adam")),
    "embedding 64, 2 x 512, RMSProp 1e-3": (dict(layers=2), {}),
}
PROMPTS = {3: "had a general", 4: "mice had a general", 5: "the mice had a general"}


def main() -> None:
    args = cli.training_options(
        __doc__,
        arguments=lambda p: p.add_argument(
            "--seconds", type=float, default=None, help="time limit per model (default 120; --fast: 3)"
        ),
        no_precision="helpers.nextword.next_word_model has no precision option (its products are float32)",
        no_set="it compares the fixed recipes of its RECIPES table, not one recipe to change",
        no_run_dir="its runs take seconds and write nothing (no run folder, nothing to resume)",
    )
    from helpers import nextword  # TensorFlow, once the options are known to be good

    args.seconds = args.seconds if args.seconds is not None else 3.0 if args.fast else 120.0
    tokens = data.read_words("aesop", eos=None)
    vocab = Vocabulary.from_tokens(tokens)
    ids = vocab.encode(tokens)

    print("| recipe (n_input 3) | right of 201 | accuracy | updates | seconds | ceiling 199 reached after |")
    print("|---|---|---|---|---|---|")
    for name, (model_args, train_args) in RECIPES.items():
        helpers.config.set_seed(42)
        model = nextword.next_word_model(len(vocab), 3, **model_args)
        X, y = nextword.examples(ids, 3)
        log = nextword.train(model, X, y, target=nextword.ceiling(tokens, 3)[0], max_seconds=args.seconds, **train_args)
        right = nextword.correct(model, X, y)
        reached = f"{log['reached']:.0f} s" if log["reached"] else "not reached"
        print(
            f"| {name} | {right} | {right / len(X):.1%} | {len(log['epoch'])} | {log['seconds'][-1]:.0f} | {reached} |",
            flush=True,
        )

    print("\n| n_input | ceiling | accuracy | seconds | prompt | words following the fable (of 32) |")
    print("|---|---|---|---|---|---|")
    for n, prompt in PROMPTS.items():
        helpers.config.set_seed(42)
        model = nextword.next_word_model(len(vocab), n)
        X, y = nextword.examples(ids, n)
        best, total = nextword.ceiling(tokens, n)
        log = nextword.train(model, X, y, target=best, max_seconds=args.seconds)
        words = nextword.continue_text(model, vocab, prompt, 32)
        leading, _ = nextword.follows_text(tokens, prompt, words)
        print(
            f"| {n} | {best / total:.1%} | {nextword.correct(model, X, y) / len(X):.1%} | {log['seconds'][-1]:.0f} | "
            f"{prompt} | {leading} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
