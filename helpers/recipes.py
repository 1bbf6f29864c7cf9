"""The named training set-ups of the course, in one place, for the notebooks and `benchmarks/` alike.

Each recipe is a dict per mode: ``"full"`` is what the committed notebook
runs and what the README's results table reports; ``"fast"`` is the same
code on a slice of the data, for CI. `get` picks by `helpers.config.FAST`.
The data themselves are read by `helpers.shakespeare.split` and
`helpers.ptb.split`, which cut them to the mode's slice; `helpers.shakespeare.recipe`
and `helpers.ptb.config` give a recipe or a configuration for the mode.
This module holds data only (and `get`): it imports none of the modules that use it.
"""

from __future__ import annotations

from . import config

SHAKESPEARE = {
    # 04_char_shakespeare. Two 384-unit LSTMs over a 64-wide character embedding; batches of
    # 32 rows x 50 steps (627 updates per epoch: four times the 156 of the usual 64 x 100);
    # Adam, cosine decay over 13 epochs. 384 rather than 512 units: on a 2-core CPU the smaller
    # model is ahead at equal time (notebook 04 measures it; the README's results quote it).
    # locked_dropout / weight_drop (`helpers.models.language_model`): off in the shipped run; issue 28's
    # variants set them with `benchmarks/train_shakespeare.py --set`.
    "full": dict(
        units=384,
        layers=2,
        embedding=64,
        dropout=0.25,
        locked_dropout=False,
        weight_drop=0.0,
        batch_size=32,
        steps=50,
        epochs=13,
        learning_rate=2e-3,
        final_learning_rate=1e-4,
        clipnorm=1.0,
        train_chars=None,
        classic_window=25,
        classic_batch=64,
    ),
    "fast": dict(
        units=64,
        layers=2,
        embedding=16,
        dropout=0.25,
        locked_dropout=False,
        weight_drop=0.0,
        batch_size=8,
        steps=25,
        epochs=2,
        learning_rate=5e-3,
        final_learning_rate=1e-4,
        clipnorm=1.0,
        train_chars=20_000,
        classic_window=25,
        classic_batch=32,
    ),
}


PTB = {
    # 06_word_ptb: the Zaremba et al. configurations as they are (helpers.ptb.CONFIGS) on all the data; fast
    # mode shrinks the model and the data (the vocabulary stays the full 10,000 words). `helpers.ptb.config`
    # applies the overrides.
    "full": dict(train_words=None, eval_words=None, overrides={}),
    "fast": dict(train_words=12_000, eval_words=4_000, overrides=dict(units=32, epochs=2, max_epoch=1)),
}


def get(recipe: dict, fast: bool | None = None) -> dict:
    """The recipe's settings for the current mode (or for `fast` if given).

    `recipe`: one of this module's recipes, e.g. ``recipes.get(recipes.SHAKESPEARE)``.
    """
    if not (isinstance(recipe, dict) and {"full", "fast"} <= set(recipe)):
        raise TypeError(
            f"recipes.get takes a recipe of helpers.recipes (a dict with 'full' and 'fast'), such as "
            f"recipes.SHAKESPEARE; got {recipe!r}"
        )
    return dict(recipe["fast" if (config.FAST if fast is None else fast) else "full"])


# What mixes the positions in the blocks of 08_after_the_lstm (`helpers.transformer.block_model`).
MIXERS = ("attention", "mingru")

AFTER_LSTM = {
    # 08_after_the_lstm: nanoGPT's CPU configuration of its character Transformer (4 layers, 4 heads, width 128,
    # context 64), and the same blocks with a minGRU in place of attention, on notebook 04's split. Batches of
    # 64 windows; AdamW as nanoGPT's shakespeare_char (1e-3 after 100 warm-up updates, cosine to 1e-4, weight
    # decay 0.1), dropout 0.1. 8,000 updates, validated every 400: about
    # the wall time of notebook 04's shipped LSTM run on a 2-core CPU (the shipped logs' `seconds` say how long).
    "full": dict(
        layers=4,
        width=128,
        heads=4,
        context=64,
        batch_size=64,
        dropout=0.1,
        learning_rate=1e-3,
        final_learning_rate=1e-4,
        warmup=100,
        weight_decay=0.1,
        updates=8_000,
        every=400,
        train_chars=None,
    ),
    "fast": dict(
        layers=1,
        width=32,
        heads=2,
        context=32,
        batch_size=16,
        dropout=0.0,
        learning_rate=3e-3,
        final_learning_rate=1e-4,
        warmup=5,
        weight_decay=0.1,
        updates=40,
        every=20,
        train_chars=20_000,
    ),
}
