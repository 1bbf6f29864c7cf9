"""The roof: how fast this CPU multiplies matrices, and how close the course's LSTM models come to it.

    .venv/bin/python benchmarks/roof.py              # about 20 minutes on a 2-core CPU
    .venv/bin/python benchmarks/roof.py --rounds 2   # quicker, noisier

1. Matrix-multiply throughput (GFLOP/s) with ``tf.matmul`` in float32, and in
   bfloat16 where the CPU has bfloat16 instructions (``avx512_bf16`` or
   ``amx_bf16`` in /proc/cpuinfo; reported, never assumed), at 2048³ and at
   every product shape one training update of notebook 04's and 06's models
   makes. Each shape is timed as 50 products in one compiled loop (the
   throughput the hardware gives that shape, without Python's per-call
   overhead), best of `--rounds`.
2. For each model, the **bound**: the time its products alone would take at
   the measured float32 speeds, the sum over products of FLOPs / GFLOP/s of
   that shape. No update can be faster on this CPU without changing the
   products (their shapes, or the precision).
3. The measured time per update (``train_on_batch``, Adam, best of
   `--rounds`), side by side in the same run: ``keras.layers.LSTM`` and
   ``helpers.fast_lstm.LSTM`` as the notebooks run them, then the course's
   layer with the whole training step compiled by XLA (``jit_compile=True``),
   with `WIDER` times the rows per batch, and, where the CPU has bfloat16
   instructions, with ``precision="bfloat16"`` (`helpers.models.language_model`:
   the products' operands rounded to bfloat16, weights, states and gates in
   float32) at the notebook's batch and widened: tokens per second,
   efficiency = bound / measured time (against the bound of the row's
   precision and shapes), and the speed-up over ``keras.layers.LSTM`` and
   over ``helpers.fast_lstm.LSTM`` in float32 at the notebook's batch.

How FLOPs are counted: 2·m·k·n per product (m × k)·(k × n), matrix products
only (gate nonlinearities, softmax, optimiser and data movement are left out,
so the bound is below what is reachable). For an LSTM layer with input width
I, U units, batch B and T steps (N = B·T tokens): forward, the input
projection (N × I)·(I × 4U) and T recurrent steps (B × U)·(U × 4U); backward,
T steps dz·Uᵀ (B × 4U)·(4U × U), the weight gradients xᵀ·dz (I × N)·(N × 4U)
and hᵀ·dz (U × N)·(N × 4U), and the input gradient dz·Wᵀ (N × 4U)·(4U × I).
The output layer: (N × U)·(U × V) forward, dlogits·Wᵀ (N × V)·(V × U) and
hᵀ·dlogits (U × N)·(N × V) backward. The sequential products (marked "× T")
are the ones batching cannot widen. A shape that several products share is
listed once, under the first of their names.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from helpers import config, models, speed  # noqa: E402

REPEATS = 50  # products per timed loop
WIDER = 4  # the widened batch: this many times the rows (the same steps)
# The models of notebooks 04 and 06 (helpers.recipes.SHAKESPEARE["full"], helpers.ptb.CONFIGS["small"] and ["tied"]).
MODELS = {
    "04 Shakespeare 2 x 384": dict(vocab=65, embedding=64, units=384, layers=2, batch=32, steps=50),
    "06 PTB small 2 x 200": dict(vocab=10_000, embedding=200, units=200, layers=2, batch=20, steps=20),
    "06 PTB tied 2 x 200": dict(vocab=10_000, embedding=200, units=200, layers=2, batch=20, steps=35, tied=True),
}
# (label, LSTM layer, XLA, precision of the products, rows times the notebook's)
VARIANTS = [("keras.layers.LSTM", "keras", False, "float32", 1),
            ("helpers.fast_lstm.LSTM", "course", False, "float32", 1),
            ("fast_lstm.LSTM, XLA", "course", True, "float32", 1),
            (f"fast_lstm.LSTM, {WIDER} x rows", "course", False, "float32", WIDER)]
BFLOAT16_VARIANTS = [("fast_lstm.LSTM, bfloat16 products", "course", False, "bfloat16", 1),
                     (f"fast_lstm.LSTM, bfloat16 products, {WIDER} x rows", "course", False, "bfloat16", WIDER)]


def widened(spec: dict, rows: int) -> dict:
    """`spec` with `rows` times its batch rows."""
    return dict(spec, batch=spec["batch"] * rows)


def products(vocab: int, embedding: int, units: int, layers: int, batch: int, steps: int, tied: bool = False) -> list[tuple]:
    """``(name, (m, k, n), count)``: every matrix product of one training update, as the module docstring counts.

    `tied` changes no shape: the output layer multiplies by the embedding's table instead of a table of its own.
    """
    n_tok, g = batch * steps, 4 * units
    found = []
    for layer in range(1, layers + 1):
        width = embedding if layer == 1 else units
        found += [(f"lstm {layer} input projection", (n_tok, width, g), 1),
                  (f"lstm {layer} recurrent step (x T)", (batch, units, g), steps),
                  (f"lstm {layer} backward step dz U^T (x T)", (batch, g, units), steps),
                  (f"lstm {layer} dW = x^T dz", (width, n_tok, g), 1),
                  (f"lstm {layer} dU = h^T dz", (units, n_tok, g), 1),
                  (f"lstm {layer} dx = dz W^T", (n_tok, g, width), 1)]
    found += [("output logits", (n_tok, units, vocab), 1),
              ("output dh = dlogits W^T", (n_tok, vocab, units), 1),
              ("output dW = h^T dlogits", (units, n_tok, vocab), 1)]
    return found


def matmul_gflops(shape: tuple[int, int, int], dtype: str, rounds: int) -> float:
    """GFLOP/s of ``tf.matmul`` at (m, k) x (k, n): `REPEATS` products in one compiled loop, best of `rounds`."""
    m, k, n = shape
    a = tf.cast(tf.random.stateless_normal((m, k), seed=(1, 0)), dtype)
    b = tf.cast(tf.random.stateless_normal((k, n), seed=(2, 0)), dtype)

    @tf.function
    def loop(a, b):
        def body(i, total):  # the sum keeps every product alive; it adds m*n flops to 2*m*k*n
            return i + 1, total + tf.matmul(a, b)
        return tf.while_loop(lambda i, _: i < REPEATS, body, (0, tf.zeros((m, n), dtype)))[1]

    loop(a, b).numpy()  # trace and warm up
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        loop(a, b).numpy()
        best = min(best, time.perf_counter() - start)
    return 2 * m * k * n * REPEATS / best / 1e9


def update_seconds(spec: dict, lstm: str, rounds: int, xla: bool = False, precision: str = "float32") -> float:
    """Best-of-`rounds` seconds of one training update (Adam, cross-entropy) of the model `spec`, stateful."""
    keras.utils.set_random_seed(0)
    model = models.language_model(spec["vocab"], units=spec["units"], layers=spec["layers"], embedding=spec["embedding"],
                                  batch_size=spec["batch"], steps=spec["steps"], lstm=lstm, precision=precision,
                                  tied=spec.get("tied", False))
    model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), jit_compile=xla)
    ids = np.random.default_rng(0).integers(0, spec["vocab"], (spec["batch"], spec["steps"] + 1)).astype("int32")
    batch = (ids[:, :-1], ids[:, 1:])
    forever = iter(lambda: batch, None)
    return min(speed.seconds_per_update(model, forever, n=10)[0] for _ in range(rounds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timings per figure; the best counts (default 5)")
    args = parser.parse_args()
    bf16 = config.bfloat16_instructions()
    print(f"TensorFlow {tf.__version__}, Keras {keras.__version__}, {platform.machine()}, {os.cpu_count()} cores; "
          f"bfloat16 instructions: {', '.join(bf16) or 'none'}")
    dtypes = ["float32"] + (["bfloat16"] if bf16 else [])

    print("\n## Matrix-multiply throughput (GFLOP/s), " + " / ".join(dtypes) + "\n")
    print("| product | m x k x n | " + " | ".join(dtypes) + " |\n|---|---|" + "---|" * len(dtypes))
    square = (2048, 2048, 2048)
    shapes = {square: "square"}
    variants = VARIANTS + (BFLOAT16_VARIANTS if bf16 else [])
    for name, spec in MODELS.items():
        for rows in sorted({v[-1] for v in variants}):
            for what, shape, _ in products(**widened(spec, rows)):
                label = f"{' '.join(name.split()[:-3])} {what}" + (f", {rows} x rows" if rows > 1 else "")
                shapes.setdefault(shape, label)
    speeds = {}
    for shape, what in shapes.items():
        speeds[shape] = {d: matmul_gflops(shape, d, args.rounds) for d in dtypes}
        print(f"| {what} | {' x '.join(map(str, shape))} | "
              + " | ".join(f"{speeds[shape][d]:.0f}" for d in dtypes) + " |", flush=True)

    print("\n## One training update: the bound from the products against the measured time\n")
    print("| model | rows x steps | GFLOP per update | layer, compilation, precision | bound, ms | measured, ms "
          "| tokens/s | efficiency | vs keras.layers.LSTM | vs fast_lstm.LSTM |\n|---|---|---|---|---|---|---|---|---|---|")
    for name, spec in MODELS.items():
        rows = []
        for label, lstm, xla, precision, wider in variants:
            wide = widened(spec, wider)
            found = products(**wide)
            flops = sum(2 * m * k * n * count for _, (m, k, n), count in found)
            bound = sum(2 * m * k * n * count / (speeds[(m, k, n)][precision] * 1e9) for _, (m, k, n), count in found)
            seconds = update_seconds(wide, lstm, args.rounds, xla, precision)
            rows.append((label, wide, flops, bound, seconds, wide["batch"] * wide["steps"] / seconds))
        keras_rate, ours_rate = rows[0][-1], rows[1][-1]
        for label, wide, flops, bound, seconds, rate in rows:
            print(f"| {name} | {wide['batch']} x {wide['steps']} | {flops / 1e9:.2f} | {label} | {bound * 1e3:.1f} "
                  f"| {seconds * 1e3:.1f} | {rate:,.0f} | {bound / seconds:.0%} | {rate / keras_rate:.2f}x "
                  f"| {rate / ours_rate:.2f}x |", flush=True)

if __name__ == "__main__":
    main()
