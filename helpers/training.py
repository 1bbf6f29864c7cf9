"""Training a stateful language model with Keras' `fit`: state resets, loss in nats, bits and perplexity, resume.

Used by ``04_char_shakespeare`` (and the PTB notebook after it) and by
``benchmarks/train_shakespeare.py``. Everything is a Keras callback, so a
plain ``model.fit`` does the work:

- `ResetStates` zeroes the carried state at the start of each epoch and
  around each validation pass (validation must not start from, nor leave
  behind, the state of the training text);
- `LanguageModelLogs` adds bits per token, perplexity, the learning rate and
  the wall time to the epoch logs, and prints one line per epoch;
- `fit_language_model` runs ``model.fit`` with those, a progress bar
  (`progress_bar`, tqdm's Keras callback), a
  CSV log, TensorBoard logs, a ``.keras`` checkpoint of the latest epoch and
  Keras' `BackupAndRestore`, so an interrupted run resumes from its last
  finished epoch when the same call is made again. `fit_run` is that run for
  any pair of datasets (notebook 08's models train on random windows with it).

`fit_run` is the course's one resumable fit path: `fit_language_model` (a
stateful model on a stream), `helpers.ptb.train` (that, with the tutorial's
schedule) and `helpers.transformer.fit_windows` (random windows) all call it.
`helpers.nextword.train` does not: notebook 05 trains full-batch until a
ceiling of words right is reached, for seconds, with no run folder to resume.
"""

from __future__ import annotations

import time
from pathlib import Path

import keras

from .batching import batch_dataset, distributed_dataset, epoch_size
from .logs import BACKUP, LATEST, LOG, PREFIXES, TENSORBOARD, bits, epoch_line, perplexity, read_log
from .models import reset_states


class ResetStates(keras.callbacks.Callback):
    """Zero the model's carried state at each epoch start and before and after each validation pass."""

    def on_epoch_begin(self, epoch, logs=None):
        reset_states(self.model)

    def on_test_begin(self, logs=None):
        reset_states(self.model)

    def on_test_end(self, logs=None):
        reset_states(self.model)


class LanguageModelLogs(keras.callbacks.Callback):
    """Add ``nats``, ``bits``, ``perplexity`` (and their ``val_`` / ``test_`` twins), ``learning_rate`` and
    ``seconds`` to each epoch's logs.

    ``nats`` is the loss per token: the loss itself, or the loss divided by
    `summed_over` when it is summed over that many steps (the PTB tutorial's
    loss, `helpers.ptb.SummedCrossEntropy`). ``seconds`` is the wall time
    since training started, counting the time of the epochs before a resume
    (`offset`). With ``verbose=True`` it prints a line per epoch, e.g.
    ``epoch  3/10  12.1 min  train 1.52 nats/char ...``.
    """

    def __init__(
        self, unit: str = "token", offset: float = 0.0, verbose: bool = True, write=print, summed_over: int = 1
    ):
        super().__init__()
        self.unit, self.offset, self.verbose, self.write = unit, offset, verbose, write
        self.summed_over = summed_over

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter() - self.offset

    def on_epoch_end(self, epoch, logs=None):
        if logs is None:
            return
        logs["seconds"] = time.perf_counter() - self.start
        logs["learning_rate"] = float(keras.ops.convert_to_numpy(self.model.optimizer.learning_rate))
        for prefix, _ in PREFIXES:
            if prefix + "loss" in logs:
                nats = float(logs[prefix + "loss"]) / self.summed_over
                logs[prefix + "nats"] = nats
                logs[prefix + "bits"] = bits(nats)
                logs[prefix + "perplexity"] = perplexity(nats)
        if self.verbose:
            self.write(epoch_line(epoch, self.params.get("epochs", "?"), logs, self.unit))


class EvaluateEachEpoch(keras.callbacks.Callback):
    """After each epoch, evaluate on one more dataset (the test set, say) from a zeroed state: ``test_loss`` in the logs."""

    def __init__(self, dataset, prefix: str = "test_"):
        super().__init__()
        self.dataset, self.prefix = dataset, prefix

    def on_epoch_end(self, epoch, logs=None):
        result = evaluate(self.model, self.dataset, return_dict=True)
        if logs is not None:
            logs.update({self.prefix + key: value for key, value in result.items()})


def evaluate(model: keras.Model, ids, return_dict: bool = False):
    """The compiled `model`'s loss over `ids` (token ids, or their batches), read in order from a zeroed state.

    Batched like training (`language_model_batches`), the state carried from
    each batch to the next and zeroed before and after: the figure an
    epoch's validation gives. With the mean cross-entropy it is nats per
    token; with the summed one (`helpers.ptb.SummedCrossEntropy`), divide by
    the steps.
    """
    batches = ids if hasattr(ids, "element_spec") else language_model_batches(ids, model)
    reset_states(model)
    result = model.evaluate(batches, verbose=0, return_dict=return_dict)
    reset_states(model)
    return result


def progress_bar(batches: bool = True, mininterval: float = 10.0, **tqdm_options) -> keras.callbacks.Callback:
    """tqdm's Keras callback, set as the course shows progress: a bar over the epochs and, with `batches`, one
    over each epoch's batches with the running loss (Keras' logs as the bar's postfix).

    Plain-text bars (``tqdm.std``) rather than tqdm's notebook widgets,
    redrawn at most every `mininterval` seconds: a saved notebook keeps their
    last line as text, where a widget would leave only its saved state.
    `tqdm_options` go to every bar (``bar_format``, say).
    """
    from tqdm.keras import TqdmCallback
    from tqdm.std import tqdm

    options = {"mininterval": mininterval, "bar_format": "{l_bar}{bar:20}{r_bar}", **tqdm_options}
    return TqdmCallback(verbose=1 if batches else 0, tqdm_class=tqdm, **options)


class TimeLimit(keras.callbacks.Callback):
    """Stop training after `seconds` of wall time (checked after each batch): comparisons at equal time.

    Written here because Keras 3 has no such callback (TensorFlow Addons'
    ``TimeStopping``, which checked only between epochs, went with Addons).
    """

    def __init__(self, seconds: float):
        super().__init__()
        self.seconds = seconds

    def on_train_begin(self, logs=None):
        self.start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        if time.perf_counter() - self.start >= self.seconds:
            self.model.stop_training = True


def compile_language_model(
    model: keras.Model,
    *,
    learning_rate: float,
    decay_steps: int,
    final_learning_rate: float = 0.0,
    clipnorm: float | None = 1.0,
) -> None:
    """Compile for next-token prediction: Adam, cosine decay of the learning rate, clipping by global norm.

    The loss is the cross-entropy of the logits against the next token,
    averaged over batch and time: nats per token.
    """
    schedule = keras.optimizers.schedules.CosineDecay(
        learning_rate, decay_steps=decay_steps, alpha=final_learning_rate / learning_rate
    )
    model.compile(
        optimizer=keras.optimizers.Adam(schedule, global_clipnorm=clipnorm),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )


def global_batch_shape(model: keras.Model) -> tuple[int, int]:
    """``(batch, steps)`` of one training batch: the model's batch shape times the replicas of its strategy.

    A model built under a ``tf.distribute`` strategy with N replicas is built
    for its share of a batch (one replica's rows); the batch is N times that.
    """
    batch_size, steps = model.input_shape
    if batch_size is None or steps is None:
        raise ValueError(f"a stateful language model needs a fixed batch shape; got {model.input_shape}")
    return batch_size * model.distribute_strategy.num_replicas_in_sync, steps


def language_model_batches(ids, model: keras.Model):
    """The batches of `ids` for `model`, in order: a ``tf.data.Dataset``, or spread over its strategy's replicas."""
    batch_size, steps = global_batch_shape(model)
    strategy = model.distribute_strategy
    if strategy.num_replicas_in_sync == 1:
        return batch_dataset(ids, batch_size, steps)
    return distributed_dataset(ids, batch_size, steps, strategy)


def fit_language_model(
    model: keras.Model,
    train_ids,
    valid_ids,
    *,
    epochs: int,
    run_dir: str | Path,
    unit: str = "token",
    progress: bool = True,
    tensorboard: bool = True,
    extra_callbacks=(),
    test_ids=None,
    summed_over: int = 1,
) -> dict[str, list[float]]:
    """Train the compiled stateful `model` on `train_ids`, validating on `valid_ids` each epoch: `fit_run` on a stream.

    Batches follow `helpers.batching.batch_producer` with the model's own
    batch shape, in order (row b of each batch continues row b of the last);
    under a ``tf.distribute`` strategy each replica keeps its own rows
    (`language_model_batches`). With `test_ids`, the test loss is computed
    after each epoch too. `summed_over`: the loss is summed over that many
    steps (`helpers.ptb.SummedCrossEntropy`); the logs divide it back.
    Writes into `run_dir` and resumes as `fit_run` says. Returns the whole
    log (all epochs, also those before a resume).
    """
    global_batch_shape(model)  # a fixed batch shape, or a clear error now
    extra = [EvaluateEachEpoch(language_model_batches(test_ids, model))] if test_ids is not None else []
    return fit_run(
        model,
        language_model_batches(train_ids, model),
        language_model_batches(valid_ids, model),
        epochs=epochs,
        run_dir=run_dir,
        unit=unit,
        progress=progress,
        tensorboard=tensorboard,
        extra_callbacks=[*extra, *extra_callbacks],
        summed_over=summed_over,
    )


def fit_run(
    model: keras.Model,
    train,
    valid,
    *,
    epochs: int,
    run_dir: str | Path,
    unit: str = "token",
    progress: bool = True,
    tensorboard: bool = True,
    extra_callbacks=(),
    summed_over: int = 1,
    stateful: bool = True,
    steps_per_epoch: int | None = None,
) -> dict[str, list[float]]:
    """``model.fit(train, validation_data=valid)`` as a resumable run in `run_dir`; returns its whole log.

    The fit path every long training of the course goes through (see the module's text).

    Writes into `run_dir`: ``log.csv`` (one row per epoch), ``tensorboard/``,
    ``latest.keras`` (the model after the last finished epoch) and, while
    training, ``backup/``: call again with the same arguments after an
    interruption and training resumes from the last finished epoch; a
    finished run is loaded, not trained again. `stateful`: zero the carried
    state at each epoch and around validation (`ResetStates`).
    `extra_callbacks` run before the logs are written (they may add to them).
    """
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    done = read_log(run_dir / LOG)
    if done and not (run_dir / BACKUP).exists():  # a finished run: load it rather than train again
        finished = keras.models.load_model(run_dir / LATEST)
        model.set_weights(finished.get_weights())
        model.optimizer.build(model.trainable_variables)  # and the optimiser's state, so a save is complete
        for ours, saved in zip(model.optimizer.variables, finished.optimizer.variables):
            ours.assign(saved)
        if progress:
            print(
                f"{run_dir} holds a finished run of {len(done['epoch'])} epochs: its weights are loaded, "
                f"nothing is trained (delete the folder to train again). Its log:"
            )
            for i, epoch in enumerate(done["epoch"]):
                print(epoch_line(epoch, len(done["epoch"]), {k: v[i] for k, v in done.items()}, unit))
        return done
    offset = done["seconds"][-1] if done.get("seconds") else 0.0
    callbacks = [
        *([ResetStates()] if stateful else []),
        *([progress_bar()] if progress else []),  # before the logs: its postfix shows Keras' own figures only
        *extra_callbacks,
        LanguageModelLogs(unit=unit, offset=offset, verbose=progress, summed_over=summed_over),
        keras.callbacks.BackupAndRestore(str(run_dir / BACKUP)),
        keras.callbacks.CSVLogger(str(run_dir / LOG), append=True),
        keras.callbacks.ModelCheckpoint(str(run_dir / LATEST)),
        *([keras.callbacks.TensorBoard(str(run_dir / TENSORBOARD), update_freq="epoch")] if tensorboard else []),
    ]
    if progress and done:
        print(f"resuming: {len(done['epoch'])} of {epochs} epochs already done in {run_dir}")
    model.fit(
        train,
        validation_data=valid,
        epochs=epochs,
        steps_per_epoch=steps_per_epoch,
        shuffle=False,
        verbose=0,
        callbacks=callbacks,
    )
    return read_log(run_dir / LOG)


def updates_per_epoch(num_ids: int, model: keras.Model) -> int:
    """How many batches (updates) one epoch over `num_ids` tokens gives for `model`'s batch shape."""
    return epoch_size(num_ids, *global_batch_shape(model))
