"""Running modes, seeding and notebook set-up, used at the top of every notebook.

Full mode (the default) runs the training that a notebook teaches. Fast mode,
``RNN_COURSE_FAST=1``, runs the same code on small data slices and few steps,
so that CI can run every notebook in minutes. Introduced in
``01_rnn_basics``; every notebook's ``parameters`` cell reads `FAST`.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

FAST_ENV = "RNN_COURSE_FAST"
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


def is_fast(environ: dict[str, str] | None = None) -> bool:
    """Whether fast mode is on: ``RNN_COURSE_FAST`` set to 1/true/yes/on.

    Unset, empty or 0/false/no/off mean full mode. Any other value is a
    mistake and raises ``ValueError`` naming it, rather than silently picking
    a mode that takes ten times longer than expected.
    """
    value = (os.environ if environ is None else environ).get(FAST_ENV, "")
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{FAST_ENV}={value!r} is not understood: use 1 for fast mode, 0 or unset for full mode.")


FAST: bool = is_fast()


def quiet_tensorflow() -> None:
    """Silence TensorFlow's C++ start-up chatter (oneDNN notes, CPU feature lines).

    Takes effect only before TensorFlow is first imported, so importing this
    module calls it: a notebook imports ``helpers.config`` before TensorFlow.
    Warnings and errors still show. One note escapes it: on CPUs where
    TensorFlow 2.21 turns oneDNN on, "oneDNN custom operations are on" is
    printed before TensorFlow's logging starts (`helpers.notebook_runs`
    leaves it out of committed outputs).
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


quiet_tensorflow()


def bfloat16_instructions(cpuinfo: str | Path = "/proc/cpuinfo") -> list[str]:
    """The CPU's bfloat16 instruction sets (``avx512_bf16``, ``amx_bf16``) that `cpuinfo` names; empty elsewhere.

    With them, products with ``precision="bfloat16"`` (`helpers.fast_lstm`,
    `helpers.models.language_model`) run faster than float32 (`benchmarks/roof.py`
    measures how much); without them TensorFlow still computes bfloat16, only
    more slowly, so the course never makes it a default.
    """
    try:
        flags = set(Path(cpuinfo).read_text().split())
    except OSError:  # no /proc/cpuinfo: not Linux
        return []
    return sorted(flags & {"avx512_bf16", "amx_bf16"})


def precision_note(precision: str) -> str:
    """One line for a training script's log: the precision of the products, and whether this CPU has it natively."""
    if precision == "float32":
        return "products in float32 (the course's reference)"
    found = bfloat16_instructions()
    return (
        f"products in {precision} (this CPU: {', '.join(found)})"
        if found
        else f"products in {precision}, emulated: this CPU has no bfloat16 instructions, so it is slower than float32"
    )


def set_seed(seed: int = 42) -> None:
    """Seed Python, NumPy, Keras and TensorFlow, and make TensorFlow's ops deterministic.

    ``keras.utils.set_random_seed`` seeds the generators, and
    ``tf.config.experimental.enable_op_determinism`` makes each op give the
    same result every time it runs on this machine (parallel reductions no
    longer change their order of additions from run to run). So a rerun on
    the same machine, with the same versions, gives the same numbers.

    It does not make numbers equal across machines: another CPU can make its
    math libraries (oneDNN, Eigen) pick other kernels, which add in another
    order, and a long training run amplifies those last-bit differences into
    visibly different figures (``03_sign_sum`` gives an example). Call it once
    at the top of a notebook, and again before a model whose result should
    not depend on what ran before it.
    """
    import keras
    import tensorflow as tf

    random.seed(seed)
    keras.utils.set_random_seed(seed)  # Python, NumPy, TensorFlow and Keras' own seed
    tf.config.experimental.enable_op_determinism()


def setup_notebook(seed: int = 42) -> None:
    """The shared opening of every notebook.

    Quiets TensorFlow's logs, sets the course's matplotlib look, seeds
    everything with `set_seed`, and prints the versions and the mode, so a
    committed output says what it was run with.
    """
    import keras
    import matplotlib as mpl
    import numpy as np
    import tensorflow as tf

    tf.get_logger().setLevel("ERROR")
    mpl.rcParams.update(
        {
            "figure.figsize": (7, 3.5),
            "figure.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "font.size": 11,
            "axes.titlesize": 12,
            "legend.frameon": False,
        }
    )
    np.set_printoptions(precision=4, suppress=True, linewidth=100)
    set_seed(seed)
    mode = "fast (RNN_COURSE_FAST=1)" if FAST else "full"
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, NumPy {np.__version__}; {mode} mode")
