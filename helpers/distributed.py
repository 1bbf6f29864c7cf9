"""The same training on several replicas as on one device: two places where Keras 3 needs help.

`helpers.ptb` trains under a ``tf.distribute`` strategy (`get_strategy`):
each replica computes the gradient of its rows' share of the loss, and the
optimiser sums those shares before updating the weights. Measured with
Keras 3.15 and TensorFlow 2.21 (`tests/test_ptb.py`), two things keep that
from being the single device's update:

- **Clipping comes before the sum.** ``global_clipnorm`` clips each
  replica's share to the norm (``_clip_gradients`` in Keras'
  ``optimizers/base_optimizer.py``, then the all-reduce in its TensorFlow
  ``_backend_update_step``), so two shares of norm 5 can add up to 10 where
  one device clips the whole gradient to 5. TensorFlow's maintainers call
  clipping before the sum "usually wrong" (tensorflow/tensorflow#33929).
  `SGD` measures the norm of the summed gradient instead and scales every
  share by the same factor, so the sum is clipped exactly as on one device;
  it costs one more all-reduce per update, and only with several replicas.
- **`fit` fails with several workers** (``MultiWorkerMirroredStrategy``;
  keras-team/keras#20585): before the first step it reduces a sample batch
  across the workers to learn its shapes, and after each step it averages
  the scalar logs along an axis they do not have. `allow_multiworker_fit`
  makes both use what every replica already has; `get_strategy` calls it.
"""

from __future__ import annotations

import keras

from . import PACKAGE

STRATEGIES = ("default", "mirrored", "multiworker")


def get_strategy(kind: str = "default", devices=None):
    """A ``tf.distribute`` strategy by name.

    - ``"default"``: one device (this CPU, or the one GPU TensorFlow picks);
    - ``"mirrored"``: ``MirroredStrategy``, one replica per GPU of this
      machine (or per CPU device it is given), gradients summed across them;
    - ``"multiworker"``: ``MultiWorkerMirroredStrategy``, one or more replicas
      on each of several machines; each machine runs the same script with its
      own ``TF_CONFIG`` (the cluster's addresses and its own index; see the
      README). Without ``TF_CONFIG`` it is one worker on this machine. Create
      it before any other TensorFlow call of the process (TensorFlow's rule);
      it lets `keras.Model.fit` run on several workers (`allow_multiworker_fit`).

    `devices` (mirrored only): the devices to mirror over, e.g.
    ``["/cpu:0", "/cpu:1"]`` for two logical CPUs (the course's test).
    """
    import tensorflow as tf

    if kind == "default":
        return tf.distribute.get_strategy()
    if kind == "mirrored":
        return tf.distribute.MirroredStrategy(devices)
    if kind == "multiworker":
        strategy = tf.distribute.MultiWorkerMirroredStrategy()
        allow_multiworker_fit()
        return strategy
    raise ValueError(f"strategy must be one of {STRATEGIES}; got {kind!r}")


@keras.saving.register_keras_serializable(package=PACKAGE)
class SGD(keras.optimizers.SGD):
    """`keras.optimizers.SGD` whose ``global_clipnorm`` clips the whole batch's gradient, on any number of replicas."""

    def _clip_gradients(self, grads):
        import tensorflow as tf

        context = tf.distribute.get_replica_context()
        if not (self.global_clipnorm and context is not None and context.num_replicas_in_sync > 1):
            return super()._clip_gradients(grads)
        whole = context.all_reduce(tf.distribute.ReduceOp.SUM, [g for g in grads if g is not None])
        # The norm and the scale as Keras' clip_by_global_norm computes them on one device, for the summed gradient
        # (an embedding's gradient, a tf.IndexedSlices, counted a row per token: here every replica's tokens' rows).
        norm = tf.linalg.global_norm(whole)
        scale = self.global_clipnorm * tf.minimum(1.0 / norm, 1.0 / self.global_clipnorm) + (norm - norm)
        return [None if g is None else g * scale for g in grads]


def allow_multiworker_fit() -> None:
    """Let `keras.Model.fit` run under ``MultiWorkerMirroredStrategy`` with several workers (see the module's text).

    Replaces two functions of Keras' TensorFlow trainer, for every model of
    this process; with one worker, or no strategy, they do what they did.
    """
    import tensorflow as tf
    from keras.src import tree
    from keras.src.backend.tensorflow import trainer

    if getattr(trainer.reduce_per_replica, "course_fix", False):
        return
    symbolic_build, reduce_per_replica = trainer.TensorFlowTrainer._maybe_symbolic_build, trainer.reduce_per_replica

    def first_replica(strategy, value):
        return (
            strategy.experimental_local_results(value)[0]
            if isinstance(value, tf.distribute.DistributedValues)
            else value
        )

    def _maybe_symbolic_build(self, iterator=None, data_batch=None):
        if iterator is None or not trainer._collective_all_reduce_multi_worker(self._distribute_strategy):
            return symbolic_build(self, iterator=iterator, data_batch=data_batch)
        for _, _, batches in iterator:  # the shapes of one replica's batch, taken as Keras' own code takes them
            data_batch = tree.map_structure(lambda v: first_replica(self._distribute_strategy, v), next(batches))
            break
        return symbolic_build(self, data_batch=data_batch)

    def several_workers_reduce(values, strategy, reduction="auto"):
        if trainer._collective_all_reduce_multi_worker(strategy) and reduction in ("auto", "mean"):
            return tree.map_structure(
                lambda v: (
                    strategy.reduce("MEAN", v, axis=None) if isinstance(v, tf.distribute.DistributedValues) else v
                ),
                values,
            )
        return reduce_per_replica(values, strategy, reduction)

    several_workers_reduce.course_fix = True
    trainer.TensorFlowTrainer._maybe_symbolic_build = _maybe_symbolic_build
    trainer.reduce_per_replica = several_workers_reduce
