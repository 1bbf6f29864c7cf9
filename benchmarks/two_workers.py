"""Two workers on this machine, talking over 127.0.0.1: do MultiWorkerMirroredStrategy's steps equal one process's?

    .venv/bin/python benchmarks/two_workers.py              # 5 steps: time per step and the largest differences
    .venv/bin/python benchmarks/two_workers.py --json       # the same figures as one JSON line (tests/test_ptb.py)

Trains the PTB small model of fast mode (`helpers.ptb.config`,
the course's LSTM, batch 20 x 20 steps) for a few steps three ways, each in
processes of its own:

- one process, one device, the whole batch of 20 rows;
- two worker processes started with a ``TF_CONFIG`` each (the README's
  ``--strategy multiworker`` set-up) on two free ports of the loopback
  address (on new ones if another program took them first): each trains its own 10 rows and the gradients are summed over
  the two by TensorFlow's collective ops.

Then compares the final weights: the two workers must hold the same ones,
equal to the single process's up to float32 rounding. Every process gets a
time limit (it is killed, and the script fails, if a worker waits for a
peer that is gone). The time per step excludes the first step (tracing).
On a 2-core machine two workers share the same two cores and add the
exchange of the gradients: they are not faster than one process; the
point is that a cluster's run is the same training as one machine's.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import helpers.config  # (quiets TensorFlow's start-up logs; imports no TensorFlow itself)

STEPS = 5
TIMEOUT = 300  # seconds for each process


def train(strategy_kind: str, steps: int, out: str) -> None:
    """One process's part: `steps` updates of PTB small (fast mode) under `strategy_kind`; weights and times to `out`."""
    from helpers import distributed, ptb, training

    strategy = distributed.get_strategy(strategy_kind)  # before any other TensorFlow call, as tf.distribute requires
    import keras
    import numpy as np

    helpers.config.set_seed(1)
    _, train_ids, _, _ = ptb.split(fast=True)
    model = ptb.build(ptb.config("small", fast=True), strategy=strategy, lstm="course")
    before = model.get_weights()
    ends = []
    clock = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: ends.append(time.perf_counter()))
    model.fit(
        training.language_model_batches(train_ids, model), epochs=1, steps_per_epoch=steps, verbose=0, callbacks=[clock]
    )
    per_step = (ends[-1] - ends[0]) / (len(ends) - 1)
    after = model.get_weights()
    moved = max(float(np.abs(a - b).max()) for a, b in zip(after, before))  # the steps did train
    np.savez(out, *after, per_step=per_step, replicas=strategy.num_replicas_in_sync, moved=moved)


def _free_ports(n: int) -> list[int]:
    """`n` loopback ports that were free a moment ago (the system's pick for a bind to port 0).

    TensorFlow's gRPC server binds the port itself and refuses to share it
    (no SO_REUSEPORT), so the port cannot be held for it: another program
    may take it in between. `compare` then starts the workers again on new
    ports (`PORT_TRIES` times), instead of failing on a race it did not lose.
    """
    sockets = [socket.socket() for _ in range(n)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


PORT_TRIES = 3
PORT_TAKEN = ("Could not start gRPC server", "Failed to add port")  # what a worker prints when its port was taken


def _start(strategy_kind: str, steps: int, out: Path, tf_config: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    env.pop("TF_CONFIG", None)
    if tf_config is not None:
        env["TF_CONFIG"] = json.dumps(tf_config)
    command = [sys.executable, __file__, "--train", strategy_kind, "--steps", str(steps), "--out", str(out)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait(processes: list[subprocess.Popen]) -> None:
    """Wait for all, within TIMEOUT; on a failure or a timeout kill the others and raise with the stderr."""
    deadline = time.monotonic() + TIMEOUT
    for i, process in enumerate(processes):
        try:
            _, err = process.communicate(timeout=max(deadline - time.monotonic(), 1))
        except subprocess.TimeoutExpired:
            err = f"no result within {TIMEOUT} s"
        if process.returncode != 0:
            for other in processes:
                other.kill()
            raise RuntimeError(f"process {i} of {len(processes)} failed: {err[-3000:]}")


def compare(steps: int = STEPS) -> dict:
    """Run the single process, then the two workers; the time per step of each and the largest weight differences."""
    import numpy as np

    with tempfile.TemporaryDirectory() as folder:
        single = Path(folder) / "single.npz"
        _wait([_start("default", steps, single)])
        outs = [Path(folder) / f"worker{i}.npz" for i in range(2)]
        for attempt in range(PORT_TRIES):
            cluster = {"worker": [f"127.0.0.1:{port}" for port in _free_ports(2)]}
            try:
                _wait(
                    [
                        _start("multiworker", steps, out, {"cluster": cluster, "task": {"type": "worker", "index": i}})
                        for i, out in enumerate(outs)
                    ]
                )
                break
            except RuntimeError as e:
                if attempt + 1 == PORT_TRIES or not any(sign in str(e) for sign in PORT_TAKEN):
                    raise
        runs = [np.load(path) for path in (single, *outs)]
        weights = [[run[f"arr_{k}"] for k in range(len(run.files) - 3)] for run in runs]

        def largest(a, b):
            return max(float(np.abs(x - y).max()) for x, y in zip(a, b))

        return dict(
            steps=steps,
            replicas=[int(run["replicas"]) for run in runs],
            seconds_per_step=[float(run["per_step"]) for run in runs],
            weights=len(weights[0]),
            workers_differ_by=largest(weights[1], weights[2]),
            worker_vs_single=largest(weights[1], weights[0]),
            moved=float(runs[0]["moved"]),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=STEPS, help=f"updates per run (default {STEPS})")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")
    parser.add_argument("--train", choices=("default", "multiworker"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.train:
        return train(args.train, args.steps, args.out)
    result = compare(args.steps)
    if args.json:
        print(json.dumps(result))
        return
    single, w0, w1 = result["seconds_per_step"]
    print(f"PTB small (fast mode), {result['steps']} updates of a 20-row batch, the course's LSTM")
    print(f"  one process, 1 replica:        {single * 1e3:7.1f} ms per update")
    print(f"  two workers, 2 replicas:       {w0 * 1e3:7.1f} / {w1 * 1e3:.1f} ms per update (worker 0 / 1)")
    print(f"  weights, worker 0 vs worker 1: largest difference {result['workers_differ_by']:.2e}")
    print(
        f"  weights, worker 0 vs single:   largest difference {result['worker_vs_single']:.2e} "
        f"(the steps moved them by up to {result['moved']:.2e})"
    )


if __name__ == "__main__":
    main()
