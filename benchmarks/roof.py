"""The roof: how fast this CPU multiplies matrices, and how close the course's LSTM models come to it.

    .venv/bin/python benchmarks/roof.py              # times every row: a quarter of an hour or so
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
3. The measured time per update of the notebook's own training step (its
   optimiser, loss and dropout: Adam with clipping and the cosine schedule
   for 04, `helpers.shakespeare.compiled`; SGD with global
   clipping and the summed loss for 06, `helpers.ptb.build`), with
   ``train_on_batch``, best of `--rounds`; within a round the variants of a
   model take turns, so the machine's drift falls on all of them alike.
   Side by side in the same run: ``keras.layers.LSTM`` and
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
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

from helpers import config, ptb, shakespeare, speed  # noqa: E402

tf.get_logger().setLevel("ERROR")  # each model traces its own step: not the retracing tf.function warns about

REPEATS = 50  # products per timed loop
WIDER = 4  # the widened batch: this many times the rows (the same steps)
SHAKESPEARE_VOCAB, SHAKESPEARE_TRAIN = (
    65,
    1_003_854,
)  # tiny Shakespeare's characters; its first 90% (the schedule's length)


def model_specs() -> dict[str, dict]:
    """The models of notebooks 04 and 06, from their recipes (`helpers.shakespeare.recipe`, `helpers.ptb.CONFIGS`)."""
    sh = shakespeare.recipe(fast=False)
    specs = {
        f"04 Shakespeare {sh['layers']} x {sh['units']}": dict(
            recipe="shakespeare",
            vocab=SHAKESPEARE_VOCAB,
            embedding=sh["embedding"],
            units=sh["units"],
            layers=sh["layers"],
            batch=sh["batch_size"],
            steps=sh["steps"],
        )
    }
    for name in ("small", "tied"):
        c = ptb.config(name, fast=False)
        specs[f"06 PTB {name} {c['layers']} x {c['units']}"] = dict(
            recipe=name,
            vocab=10_000,
            embedding=c["units"],
            units=c["units"],
            layers=c["layers"],
            batch=c["batch_size"],
            steps=c["steps"],
            tied=c["tied"],
        )
    return specs


# (label, LSTM layer, XLA, precision of the products, rows times the notebook's)
VARIANTS = [
    ("keras.layers.LSTM", "keras", False, "float32", 1),
    ("helpers.fast_lstm.LSTM", "course", False, "float32", 1),
    ("fast_lstm.LSTM, XLA", "course", True, "float32", 1),
    (f"fast_lstm.LSTM, {WIDER} x rows", "course", False, "float32", WIDER),
]
BFLOAT16_VARIANTS = [
    ("fast_lstm.LSTM, bfloat16 products", "course", False, "bfloat16", 1),
    (f"fast_lstm.LSTM, bfloat16 products, {WIDER} x rows", "course", False, "bfloat16", WIDER),
]


def widened(spec: dict, rows: int) -> dict:
    """`spec` with `rows` times its batch rows."""
    return dict(spec, batch=spec["batch"] * rows)


def products(spec: dict) -> list[tuple]:
    """``(name, (m, k, n), count)``: every matrix product of one training update of `spec`, as the module docstring counts.

    Tying changes no shape: the output layer multiplies by the embedding's table instead of a table of its own.
    """
    vocab, embedding, units, layers, batch, steps = (
        spec[k] for k in ("vocab", "embedding", "units", "layers", "batch", "steps")
    )
    n_tok, g = batch * steps, 4 * units
    found = []
    for layer in range(1, layers + 1):
        width = embedding if layer == 1 else units
        found += [
            (f"lstm {layer} input projection", (n_tok, width, g), 1),
            (f"lstm {layer} recurrent step (x T)", (batch, units, g), steps),
            (f"lstm {layer} backward step dz U^T (x T)", (batch, g, units), steps),
            (f"lstm {layer} dW = x^T dz", (width, n_tok, g), 1),
            (f"lstm {layer} dU = h^T dz", (units, n_tok, g), 1),
            (f"lstm {layer} dx = dz W^T", (n_tok, g, width), 1),
        ]
    found += [
        ("output logits", (n_tok, units, vocab), 1),
        ("output dh = dlogits W^T", (n_tok, vocab, units), 1),
        ("output dW = h^T dlogits", (units, n_tok, vocab), 1),
    ]
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


def compiled(spec: dict, lstm: str, xla: bool, precision: str):
    """The model of `spec` compiled as its notebook trains it, at `spec`'s batch; XLA compiles the whole step."""
    keras.utils.set_random_seed(0)
    if spec["recipe"] == "shakespeare":
        cfg = dict(shakespeare.recipe(fast=False), batch_size=spec["batch"])
        model, _ = shakespeare.compiled(cfg, spec["vocab"], SHAKESPEARE_TRAIN, lstm=lstm, precision=precision)
    else:
        cfg = dict(ptb.config(spec["recipe"], fast=False), batch_size=spec["batch"])
        model = ptb.build(cfg, spec["vocab"], lstm=lstm, precision=precision)
    if xla:
        model.compile(optimizer=model.optimizer, loss=model.loss, jit_compile=True)
    return model


def update_seconds(built: list[tuple[keras.Model, dict]], rounds: int, n: int = 10) -> list[float]:
    """Best-of-`rounds` seconds of one training update of each ``(model, spec)``, the models taking turns each round."""

    def forever(spec):
        ids = np.random.default_rng(0).integers(0, spec["vocab"], (spec["batch"], spec["steps"] + 1)).astype("int32")
        return iter(lambda: (ids[:, :-1], ids[:, 1:]), None)

    batches = [forever(spec) for _, spec in built]
    best = [float("inf")] * len(built)
    for _ in range(rounds):
        for i, (model, _) in enumerate(built):
            best[i] = min(best[i], speed.seconds_per_update(model, batches[i], n=n)[0])
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="timings per figure; the best counts (default 5)")
    args = parser.parse_args()
    bf16 = config.bfloat16_instructions()
    print(
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}, {platform.machine()}, {os.cpu_count()} cores; "
        f"bfloat16 instructions: {', '.join(bf16) or 'none'}"
    )
    dtypes = ["float32"] + (["bfloat16"] if bf16 else [])

    print("\n## Matrix-multiply throughput (GFLOP/s), " + " / ".join(dtypes) + "\n")
    print("| product | m x k x n | " + " | ".join(dtypes) + " |\n|---|---|" + "---|" * len(dtypes))
    square = (2048, 2048, 2048)
    shapes = {square: "square"}
    variants = VARIANTS + (BFLOAT16_VARIANTS if bf16 else [])
    specs = model_specs()
    for name, spec in specs.items():
        for rows in sorted({v[-1] for v in variants}):
            for what, shape, _ in products(widened(spec, rows)):
                label = f"{' '.join(name.split()[:-3])} {what}" + (f", {rows} x rows" if rows > 1 else "")
                shapes.setdefault(shape, label)
    speeds = {}
    for shape, what in shapes.items():
        speeds[shape] = {d: matmul_gflops(shape, d, args.rounds) for d in dtypes}
        print(
            f"| {what} | {' x '.join(map(str, shape))} | "
            + " | ".join(f"{speeds[shape][d]:.0f}" for d in dtypes)
            + " |",
            flush=True,
        )

    print("\n## One training update: the bound from the products against the measured time\n")
    print(
        "| model | rows x steps | GFLOP per update | layer, compilation, precision | bound, ms | measured, ms "
        "| tokens/s | efficiency | vs keras.layers.LSTM | vs fast_lstm.LSTM |\n|---|---|---|---|---|---|---|---|---|---|"
    )
    for name, spec in specs.items():
        built = [
            (compiled(widened(spec, wider), lstm, xla, precision), widened(spec, wider))
            for _, lstm, xla, precision, wider in variants
        ]
        times = update_seconds(built, args.rounds)
        rows = []
        for (label, _, _, precision, _), (_, wide), seconds in zip(variants, built, times):
            found = products(wide)
            flops = sum(2 * m * k * n * count for _, (m, k, n), count in found)
            bound = sum(2 * m * k * n * count / (speeds[(m, k, n)][precision] * 1e9) for _, (m, k, n), count in found)
            rows.append((label, wide, flops, bound, seconds, wide["batch"] * wide["steps"] / seconds))
        keras_rate, ours_rate = rows[0][-1], rows[1][-1]
        for label, wide, flops, bound, seconds, rate in rows:
            print(
                f"| {name} | {wide['batch']} x {wide['steps']} | {flops / 1e9:.2f} | {label} | {bound * 1e3:.1f} "
                f"| {seconds * 1e3:.1f} | {rate:,.0f} | {bound / seconds:.0%} | {rate / keras_rate:.2f}x "
                f"| {rate / ours_rate:.2f}x |",
                flush=True,
            )


if __name__ == "__main__":
    main()
