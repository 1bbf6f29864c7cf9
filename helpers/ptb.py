"""The Penn Treebank set-up of Zaremba et al. (2014): data as the TensorFlow tutorial read it, the three
configurations, the loss at the tutorial's scale and its learning-rate schedule.

Groundwork for ``06_word_ptb`` (not written yet). `load` gives the
10,000-word vocabulary (frequency, ties alphabetical, as the tutorial's
reader) and the ids of the three files; `CONFIGS` holds small / medium /
large; `SummedCrossEntropy` is the tutorial's loss, summed over the time
steps and averaged over the batch, the scale its learning rate of 1.0 is for.
"""

from __future__ import annotations

import math

import keras

from .data import read_words
from .vocab import Vocabulary

# Zaremba, Sutskever & Vinyals (2014), as in the TensorFlow PTB tutorial's SmallConfig / MediumConfig /
# LargeConfig. `max_epoch`: epochs at the initial learning rate; after it, it is multiplied by
# `lr_decay` each epoch. `dropout` = 1 - keep_prob. Published test perplexity in `published`.
CONFIGS = {
    "small": dict(init_scale=0.1, learning_rate=1.0, max_grad_norm=5, layers=2, steps=20, units=200,
                  max_epoch=4, epochs=13, dropout=0.0, lr_decay=0.5, batch_size=20, published=115.9),
    "medium": dict(init_scale=0.05, learning_rate=1.0, max_grad_norm=5, layers=2, steps=35, units=650,
                   max_epoch=6, epochs=39, dropout=0.5, lr_decay=0.8, batch_size=20, published=82.1),
    "large": dict(init_scale=0.04, learning_rate=1.0, max_grad_norm=10, layers=2, steps=35, units=1500,
                  max_epoch=14, epochs=55, dropout=0.65, lr_decay=1 / 1.15, batch_size=20, published=78.3),
}
SIZES = {"train": 929_589, "valid": 73_760, "test": 82_430}


def load(vocab_size: int = 10_000):
    """``(vocab, train_ids, valid_ids, test_ids)``: `<eos>` at each line end, vocabulary built on the training file."""
    words = {part: read_words(f"ptb.{part}") for part in ("train", "valid", "test")}
    vocab = Vocabulary.from_tokens(words["train"], max_size=vocab_size, ties="alphabetical")
    return (vocab, *(vocab.encode(words[part]) for part in ("train", "valid", "test")))


@keras.saving.register_keras_serializable(package="rnn_course")
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


def learning_rate(config: dict, epoch: int) -> float:
    """The tutorial's learning rate for (0-based) `epoch`: constant for `max_epoch` epochs, then decayed each epoch."""
    return config["learning_rate"] * config["lr_decay"] ** max(epoch + 1 - config["max_epoch"], 0)


def perplexity(summed_loss: float, steps: int) -> float:
    """Perplexity from a summed-over-steps loss: ``exp(loss / steps)``."""
    return math.exp(summed_loss / steps)
