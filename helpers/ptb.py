"""The Penn Treebank set-up of Zaremba et al. (2014): data as the TensorFlow tutorial read it, the three
configurations, the loss at the tutorial's scale and its learning-rate schedule.

Used by ``06_word_ptb`` and ``benchmarks/train_ptb.py``. `load` gives the
10,000-word vocabulary (frequency, ties alphabetical, as the tutorial's
reader) and the ids of the three files; `CONFIGS` holds small / medium /
large and the course's tied variant of small; `SummedCrossEntropy` is the
tutorial's loss, summed over the time steps and averaged over the batch, the
scale its learning rate of 1.0 is for. `config` gives a configuration by
name with the current mode's overrides (`helpers.recipes.PTB`, data only).
`build` and `train` run a configuration on one device, on the GPUs of one
machine or on several machines (``tf.distribute``, under a strategy of
`helpers.distributed.get_strategy`).
"""

from __future__ import annotations

from pathlib import Path

import keras

from . import PACKAGE, distributed, models, recipes, training
from .data import read_words
from .vocab import Vocabulary

# Zaremba, Sutskever & Vinyals (2014), as in the TensorFlow PTB tutorial's SmallConfig / MediumConfig /
# LargeConfig. `max_epoch`: epochs at the initial learning rate; after it, it is multiplied by
# `lr_decay` each epoch. `dropout` = 1 - keep_prob. Published test perplexity in `published`.
CONFIGS = {
    "small": dict(
        init_scale=0.1,
        learning_rate=1.0,
        max_grad_norm=5,
        layers=2,
        steps=20,
        units=200,
        max_epoch=4,
        epochs=13,
        dropout=0.0,
        lr_decay=0.5,
        batch_size=20,
        published=115.9,
    ),
    "medium": dict(
        init_scale=0.05,
        learning_rate=1.0,
        max_grad_norm=5,
        layers=2,
        steps=35,
        units=650,
        max_epoch=6,
        epochs=39,
        dropout=0.5,
        lr_decay=0.8,
        batch_size=20,
        published=82.1,
    ),
    "large": dict(
        init_scale=0.04,
        learning_rate=1.0,
        max_grad_norm=10,
        layers=2,
        steps=35,
        units=1500,
        max_epoch=14,
        epochs=55,
        dropout=0.65,
        lr_decay=1 / 1.15,
        batch_size=20,
        published=78.3,
    ),
}
# Beyond the paper (Press & Wolf 2017; Inan et al. 2017): the small model with its input and
# output embeddings tied (one 10,000 x 200 table instead of two) and dropout between the layers. Set up as
# pytorch/examples' word_language_model trains its tied 2 x 200 model (35 steps, learning rate 20 and clipping 0.25
# on the per-word loss: 20 / 35 and 0.25 * 35 on the loss summed over 35 steps; it trains 40 epochs), 26 epochs to
# fit an hour on a 2-core CPU: 19 at the full rate, then 7 halvings; with the course's LSTM (faster than Keras' here:
# benchmarks/roof.py).
CONFIGS["tied"] = dict(
    CONFIGS["small"],
    tied=True,
    dropout=0.25,
    steps=35,
    learning_rate=20 / 35,
    max_grad_norm=0.25 * 35,
    epochs=26,
    max_epoch=19,
    lr_decay=0.5,
    lstm="course",
    published=None,
)
for _config in CONFIGS.values():
    _config.setdefault("tied", False)
    _config.setdefault("lstm", None)  # None: Keras' LSTM on one device, the course's on several (`build`)

SIZES = {"train": 929_589, "valid": 73_760, "test": 82_430}


def load(vocab_size: int = 10_000):
    """``(vocab, train_ids, valid_ids, test_ids)``: `<eos>` at each line end, vocabulary built on the training file."""
    words = {part: read_words(f"ptb.{part}") for part in ("train", "valid", "test")}
    vocab = Vocabulary.from_tokens(words["train"], max_size=vocab_size, ties="alphabetical")
    return (vocab, *(vocab.encode(words[part]) for part in ("train", "valid", "test")))


def split(fast: bool | None = None):
    """`load`, cut to the current mode's slice (`helpers.recipes.PTB`; all of it in full mode; or `fast`'s)."""
    cfg = recipes.get(recipes.PTB, fast)
    vocab, train, valid, test = load()
    if cfg["train_words"] is not None:
        train, valid, test = train[: cfg["train_words"]], valid[: cfg["eval_words"]], test[: cfg["eval_words"]]
    return vocab, train, valid, test


@keras.saving.register_keras_serializable(package=PACKAGE)
class SummedCrossEntropy(keras.losses.Loss):
    """Cross-entropy of logits ``(batch, steps, vocab)`` against ids ``(batch, steps)``, summed over the steps
    and averaged over the batch: the TensorFlow PTB tutorial's ``cost``.

    Its gradient is `steps` times that of the per-token mean, which is what
    the learning rate of 1.0 was tuned for. Divide by `steps` for nats per token.
    """

    def __init__(self, name: str = "summed_cross_entropy", **kwargs):
        super().__init__(name=name, **kwargs)

    def call(self, y_true, y_pred):
        per_token = keras.losses.sparse_categorical_crossentropy(y_true, y_pred, from_logits=True)
        return keras.ops.sum(per_token, axis=-1)  # (batch,): Keras then averages over the batch


def learning_rate(config: dict | str, epoch: int) -> float:
    """The tutorial's learning rate for (0-based) `epoch`: constant for `max_epoch` epochs, then decayed each epoch.

    `config`: a configuration dict, or the name of one of `CONFIGS` (taken as it is, whatever the mode).
    """
    config = _as_config(config)
    return config["learning_rate"] * config["lr_decay"] ** max(epoch + 1 - config["max_epoch"], 0)


def config(config: dict | str, fast: bool | None = None) -> dict:
    """A configuration as a new dict: `CONFIGS[config]` with the current mode's overrides, or `config` itself, checked.

    A name gives a copy of `CONFIGS` (the notebook's and the scripts'
    configuration): in fast mode with `helpers.recipes.PTB`'s overrides
    (fewer units and epochs), in full mode as published; `fast` picks the
    mode instead of `helpers.config.FAST`. A dict (e.g. a copy of
    ``CONFIGS["small"]`` with a change) is checked for every key and copied,
    without overrides. Editing the result never changes `CONFIGS`.
    """
    if isinstance(config, str):
        if config not in CONFIGS:
            raise ValueError(f"No PTB configuration named {config!r}; known: {', '.join(CONFIGS)}")
        return dict(CONFIGS[config], **recipes.get(recipes.PTB, fast)["overrides"])
    if not isinstance(config, dict):
        raise TypeError(
            f"config must be a name ({', '.join(CONFIGS)}) or a dict like ptb.CONFIGS['small']; "
            f"got {type(config).__name__}"
        )
    missing = [key for key in CONFIGS["small"] if key not in config and key != "published"]
    if missing:
        raise ValueError(f"config lacks {', '.join(missing)}: start from a copy of ptb.CONFIGS['small']")
    return dict(config)


def _as_config(given: dict | str) -> dict:
    """What `build`, `train` and `learning_rate` take: a configuration dict, or a name of `CONFIGS` as published."""
    return config(given, fast=False)


def build(
    config: dict | str, vocab_size: int = 10_000, *, strategy=None, lstm: str | None = None, precision: str = "float32"
) -> keras.Model:
    """The compiled model of `config` (a dict, or a name of `CONFIGS`: as published), under `strategy` (or one device).

    Stacked stateful LSTMs, weights uniform in ±init_scale, dropout between
    layers, optionally tied embeddings; SGD at the configuration's learning
    rate (set per epoch by `train`), gradients clipped to a global norm of
    ``max_grad_norm``, loss summed over the steps (`SummedCrossEntropy`).
    Under a strategy with N replicas, each replica's model takes batch_size / N
    rows (its own, batch after batch) and keeps their state, and the clipping
    applies to the summed gradient, as on one device (`helpers.distributed.SGD`).

    `lstm`: ``"keras"`` (`keras.layers.LSTM`) or ``"course"``
    (`helpers.fast_lstm.LSTM`); by default the configuration's, else Keras'
    on one replica (cuDNN on a GPU; on a 2-core CPU the two were within the
    machine's noise for the small model, see benchmarks/roof.py) and the
    course's on several, since its state is kept per replica. `precision`:
    of the products (`helpers.models.language_model`; bfloat16 needs the course's LSTM).
    """
    config = _as_config(config)
    strategy = strategy or distributed.get_strategy()
    replicas = strategy.num_replicas_in_sync
    lstm = lstm or config.get("lstm") or ("keras" if replicas == 1 else "course")
    if config["batch_size"] % replicas:
        raise ValueError(f"batch_size {config['batch_size']} does not split over {replicas} replicas")
    with strategy.scope():
        model = models.language_model(
            vocab_size,
            units=config["units"],
            layers=config["layers"],
            embedding=config["units"],
            dropout=config["dropout"],
            batch_size=config["batch_size"] // replicas,
            steps=config["steps"],
            lstm=lstm,
            init_scale=config["init_scale"],
            tied=config["tied"],
            precision=precision,
            name="ptb_" + str(config["units"]),
        )
        model.compile(
            optimizer=distributed.SGD(config["learning_rate"], global_clipnorm=config["max_grad_norm"]),
            loss=SummedCrossEntropy(),
        )
    return model


def train(
    model: keras.Model,
    config: dict,
    train_ids,
    valid_ids,
    test_ids,
    *,
    run_dir,
    epochs: int | None = None,
    progress: bool = True,
    tensorboard: bool = True,
    extra_callbacks=(),
) -> dict[str, list[float]]:
    """Train `model` (from `build`) as the tutorial does, with `helpers.training.fit_language_model`.

    Not a fit path of its own: `fit_language_model` (itself `helpers.training.fit_run`) with the
    tutorial's per-epoch learning-rate schedule, the test text and the loss summed over the steps.

    Each epoch: learning rate from `learning_rate`, state carried across the
    epoch's batches and reset at its start, then validation and test
    perplexity. Checkpoints, resume, CSV and TensorBoard logs in `run_dir`.
    Returns the log; its ``perplexity`` / ``val_perplexity`` /
    ``test_perplexity`` are per word.
    """
    config = _as_config(config)
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch, lr: learning_rate(config, epoch))
    return training.fit_language_model(
        model,
        train_ids,
        valid_ids,
        test_ids=test_ids,
        epochs=epochs or config["epochs"],
        run_dir=Path(run_dir),
        unit="word",
        summed_over=config["steps"],
        progress=progress,
        tensorboard=tensorboard,
        extra_callbacks=[schedule, *extra_callbacks],
    )
