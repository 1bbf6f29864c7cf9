"""Language models over tokens (characters or words), built from Keras layers or the course's LSTM.

`language_model` builds the stacked-LSTM model of notebooks ``04`` and ``06``:
token ids in, one logit per vocabulary entry out, at every step. With
``stateful=True`` and a fixed ``batch_size`` it carries its state from one
batch to the next (truncated backpropagation through time); `reset_states`
zeroes it. `resized` copies a trained model into one with another batch shape,
e.g. batch 1 for generating text. (Notebook 07's window models are
`helpers.transformer.block_model`; notebook 04's recipe of this model is
`helpers.shakespeare.build`, notebook 06's `helpers.ptb.build`.)
"""

from __future__ import annotations

import keras

from . import PACKAGE, fast_lstm


@keras.saving.register_keras_serializable(package=PACKAGE)
class OneHot(keras.layers.Layer):
    """Token ids ``(batch, time)`` to one-hot vectors ``(batch, time, depth)``: the classic input of char-rnn."""

    def __init__(self, depth: int, **kwargs):
        super().__init__(**kwargs)
        self.depth = int(depth)

    def call(self, ids):
        return keras.ops.one_hot(ids, self.depth)

    def compute_output_shape(self, input_shape):
        return (*input_shape, self.depth)

    def get_config(self) -> dict:
        return {**super().get_config(), "depth": self.depth}


@keras.saving.register_keras_serializable(package=PACKAGE)
class TiedEmbedding(keras.layers.Embedding):
    """An embedding whose table also gives the output logits: ``call(h, reverse=True)`` is ``h @ table.T + bias``.

    Tying the input and output embeddings (Press & Wolf 2017; Inan et al. 2017)
    halves the parameters of a word model's two largest matrices and makes
    each word's input vector and output vector one and the same.
    """

    def build(self, input_shape=None):
        super().build(input_shape)
        self.output_bias = self.add_weight(shape=(self.input_dim,), initializer="zeros", name="output_bias")

    def call(self, inputs, reverse: bool = False):
        if not reverse:
            return super().call(inputs)
        table, bias = (keras.ops.cast(w, self.compute_dtype) for w in (self.embeddings, self.output_bias))
        return keras.ops.matmul(keras.ops.cast(inputs, self.compute_dtype), keras.ops.transpose(table)) + bias

    # Keras' Embedding saves its table only; keep the output bias beside it.
    def save_own_variables(self, store):
        super().save_own_variables(store)
        if self.built:
            store["output_bias"] = self.output_bias

    def load_own_variables(self, store):
        super().load_own_variables(store)
        self.output_bias.assign(store["output_bias"])

    def compute_output_spec(self, inputs, reverse: bool = False):
        if reverse:
            return keras.KerasTensor((*inputs.shape[:-1], self.input_dim), dtype=self.compute_dtype)
        return super().compute_output_spec(inputs)


def language_model(
    vocab_size: int,
    *,
    units: int = 512,
    layers: int = 2,
    embedding: int | None = 64,
    dropout: float = 0.0,
    batch_size: int | None = None,
    steps: int | None = None,
    stateful: bool = True,
    lstm: str = "course",
    name: str = "language_model",
    init_scale: float | None = None,
    tied: bool = False,
    precision: str = "float32",
    locked_dropout: bool = False,
    weight_drop: float = 0.0,
) -> keras.Model:
    """A stack of `layers` LSTMs of `units` over token ids, with a dense read-out to `vocab_size` logits.

    - ``embedding``: width of a learned embedding of each id, or None for a
      one-hot vector (the classic char-rnn input; the same thing as an
      embedding of width `vocab_size` folded into the first LSTM's kernel).
    - ``dropout``: applied to the input of each LSTM and to the last one's
      output (between layers, never on the recurrent connection, as in
      Zaremba et al. 2014). ``locked_dropout=True``: one mask per row for
      all the steps of a batch (variational or "locked" dropout, Gal and
      Ghahramani 2016) instead of a new mask at every step.
    - ``weight_drop``: the course LSTM's DropConnect on its recurrent kernel
      (`helpers.fast_lstm.LSTM`); needs ``lstm="course"``.
    - ``lstm``: ``"course"`` for `helpers.fast_lstm.LSTM` (notebook 02),
      ``"keras"`` for `keras.layers.LSTM`: the same weights and the same maths.
    - ``stateful``: carry the state across batches; then `batch_size` must be
      fixed, since each row of a batch continues the same row of the last one.
    - ``init_scale``: every weight drawn uniformly from ±init_scale (the
      Zaremba et al. set-up, notebook 06) instead of Keras' defaults.
    - ``tied``: the output logits use the embedding's table (`TiedEmbedding`);
      needs ``embedding == units``.
    - ``precision``: ``"bfloat16"`` rounds the operands of the matrix products
      to bfloat16, in the course's LSTM (`fast_lstm.rounded`) and in the
      output layer (Keras' ``mixed_bfloat16`` policy there, logits cast back
      to float32); weights, states and gates stay float32. Faster only on a
      CPU with bfloat16 instructions (`helpers.config.bfloat16_instructions`).

    Input ``(batch_size, steps)`` int32 ids; output ``(batch_size, steps, vocab_size)`` logits.
    """
    if lstm not in ("course", "keras"):
        raise ValueError(f"lstm must be 'course' (helpers.fast_lstm.LSTM) or 'keras' (keras.layers.LSTM); got {lstm!r}")
    if stateful and batch_size is None:
        raise ValueError("A stateful model needs a fixed batch_size: row b of each batch continues row b of the last.")
    if fast_lstm.check_precision(precision) != "float32" and lstm != "course":
        raise ValueError(
            f"precision={precision!r} needs the course's LSTM (lstm='course'); keras.layers.LSTM "
            f"takes a dtype policy instead"
        )
    if weight_drop and lstm != "course":
        raise ValueError(f"weight_drop={weight_drop!r} needs the course's LSTM (lstm='course')")
    if tied and embedding != units:
        raise ValueError(
            f"Tied embeddings need embedding == units (the last LSTM's output is read through the "
            f"embedding table); got embedding={embedding}, units={units}"
        )
    init = (
        {}
        if init_scale is None
        else dict(
            kernel_initializer=keras.initializers.RandomUniform(-init_scale, init_scale),
            recurrent_initializer=keras.initializers.RandomUniform(-init_scale, init_scale),
        )
    )
    ids = keras.Input(batch_shape=(batch_size, steps), dtype="int32", name="ids")
    table = None
    if embedding is None:
        x = OneHot(vocab_size, name="one_hot")(ids)
    else:
        kind = TiedEmbedding if tied else keras.layers.Embedding
        table = kind(
            vocab_size,
            embedding,
            name="embedding",
            dtype=_policy(precision) if tied else None,
            **({} if init_scale is None else {"embeddings_initializer": init["kernel_initializer"]}),
        )
        x = table(ids)
    mask = dict(noise_shape=(None, 1, None)) if locked_dropout else {}  # (batch, 1, features): the same for every step
    for i in range(1, layers + 1):
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}", **mask)(x)
        layer = fast_lstm.LSTM if lstm == "course" else keras.layers.LSTM
        options = dict(precision=precision, weight_drop=weight_drop) if lstm == "course" else {}
        x = layer(units, return_sequences=True, stateful=stateful, name=f"lstm_{i}", **options, **init)(x)
    if dropout:
        x = keras.layers.Dropout(dropout, name=f"dropout_{layers + 1}", **mask)(x)
    if tied:
        logits = table(x, reverse=True)
    else:
        logits = keras.layers.Dense(
            vocab_size,
            name="logits",
            dtype=_policy(precision),
            **({} if init_scale is None else {"kernel_initializer": init["kernel_initializer"]}),
        )(x)
    if precision != "float32":
        logits = keras.layers.Activation("linear", dtype="float32", name="logits_float32")(logits)
    return keras.Model(ids, logits, name=name)


def _policy(precision: str) -> str | None:
    """The Keras dtype policy of a layer whose products run in `precision` (None: the global one, float32)."""
    return "mixed_bfloat16" if precision == "bfloat16" else None


def stateful_layers(model: keras.Model) -> list[keras.layers.Layer]:
    """The layers of `model` that carry a state across calls."""
    return [layer for layer in model.layers if getattr(layer, "stateful", False)]


def reset_states(model: keras.Model) -> None:
    """Zero the carried state of every stateful layer of `model` (start of an epoch, of a new text)."""
    for layer in stateful_layers(model):
        layer.reset_state()


def resized(
    model: keras.Model, batch_size: int | None, steps: int | None = None, stateful: bool | None = None
) -> keras.Model:
    """A copy of the functional `model` whose input has batch shape ``(batch_size, steps)``, same weights.

    A stateful model is built for one batch size; to generate text one
    sequence at a time, copy it into a batch-1 model: ``resized(model, 1)``.
    ``stateful=True`` (or False) also switches its recurrent layers to
    carrying their state across calls (or not).
    """
    config = model.get_config()
    inputs = [layer for layer in config["layers"] if layer["class_name"] == "InputLayer"]
    if len(inputs) != 1:
        raise ValueError(f"resized() expects a functional model with one input; {model.name} has {len(inputs)}")
    inputs[0]["config"]["batch_shape"] = [batch_size, steps]
    for layer in config["layers"]:
        if stateful is not None and "stateful" in layer["config"]:
            layer["config"]["stateful"] = stateful
        layer.pop("build_config", None)  # else layers rebuild with the old shape (a stateful state of the old batch)
    copy = keras.Model.from_config(config)
    copy.set_weights(model.get_weights())
    return copy
