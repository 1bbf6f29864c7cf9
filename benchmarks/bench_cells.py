"""Training-step throughput of the hand-built LSTM against Keras' own, side by side.

    .venv/bin/python benchmarks/bench_cells.py [--repeats 5] [--rounds 3]

Forward and backward under tf.function, tokens/s (batch x time steps per
second), for four layers at three sizes (batch x steps x inputs x units):

- helpers.fast_lstm.LSTM                    the course's layer (input projection hoisted, TensorArray loop)
- RNN(helpers.cells.GateByGateLSTMCell)     eight matmuls per step, as the early tutorials
- keras.layers.LSTM                         the reference (on a CPU: Keras' generic RNN loop)
- keras.layers.RNN(keras.layers.LSTMCell)   Keras' cell inside Keras' generic RNN layer
- RNN(helpers.cells.LSTMCell)               our fused cell in the same generic loop: against the
                                            gate-by-gate row, it isolates what fusing the matmuls does

Prints each throughput and its ratio to keras.layers.LSTM.
"""

import argparse
import os
import platform

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.get_logger().setLevel("ERROR")  # one tf.function per layer: TF warns about "retracing"

from helpers import cells, fast_lstm  # noqa: E402
from helpers.speed import training_throughput  # noqa: E402

SIZES = [(64, 100, 65, 256), (32, 100, 65, 512), (20, 20, 200, 200)]


def layers_for(units: int) -> dict[str, keras.layers.Layer]:
    return {
        "helpers.fast_lstm.LSTM": fast_lstm.LSTM(units, return_sequences=True),
        "RNN(GateByGateLSTMCell)": keras.layers.RNN(cells.GateByGateLSTMCell(units), return_sequences=True),
        "keras.layers.LSTM": keras.layers.LSTM(units, return_sequences=True),
        "RNN(keras LSTMCell)": keras.layers.RNN(keras.layers.LSTMCell(units), return_sequences=True),
        "RNN(LSTMCell)": keras.layers.RNN(cells.LSTMCell(units), return_sequences=True),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5, help="training steps per timed round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per layer; the best counts")
    args = parser.parse_args()
    print(
        f"TensorFlow {tf.__version__}, Keras {keras.__version__}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs; best of {args.rounds} rounds of {args.repeats} steps"
    )
    for batch, steps, features, units in SIZES:
        keras.utils.set_random_seed(0)
        results = training_throughput(layers_for(units), batch, steps, features, args.repeats, args.rounds)
        reference = results["keras.layers.LSTM"]
        print(f"\nbatch {batch} x {steps} steps x {features} inputs x {units} units")
        for name, tokens_per_second in results.items():
            print(
                f"  {name:<26} {tokens_per_second:>10,.0f} tokens/s   {tokens_per_second / reference:5.2f}x Keras LSTM"
            )


if __name__ == "__main__":
    main()
