"""Make a finished training run a shipped one: its weights and log into data/trained/, float16 if that is harmless.

    .venv/bin/python tools/ship_run.py shakespeare      # from data/runs/shakespeare (benchmarks/train_shakespeare.py)
    .venv/bin/python tools/ship_run.py ptb-small        # from data/runs/ptb-small (benchmarks/train_ptb.py)
    .venv/bin/python tools/ship_run.py ptb-tied         # from data/runs/ptb-tied (... --config tied)
    .venv/bin/python tools/ship_run.py shakespeare-attention   # (benchmarks/train_after_lstm.py attention)
    .venv/bin/python tools/ship_run.py shakespeare-mingru      # (benchmarks/train_after_lstm.py mingru)
    .venv/bin/python tools/ship_run.py shakespeare --epochs 1 3 6 --run-dir data/runs/shakespeare-snapshots
        # only the weights after those epochs (helpers.snapshots), float16

Writes the weights as float32 and as float16, evaluates the model from each
on the validation text (and for PTB the test text) the way the notebooks do,
and keeps float16 if no figure moves by more than 0.002 nats per token and
0.3 perplexity (else float32). Prints both evaluations, the last line of the
run's log, the bytes and the sha256 to enter in `helpers.trained.FILES`.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import helpers.config  # noqa: F401  (before TensorFlow: quiets its start-up logs)
from helpers import data, logs, trained

MAX_NATS, MAX_PERPLEXITY = 0.002, 0.3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", choices=sorted(trained.RUNS))
    parser.add_argument("--run-dir", default=None, help="the finished run (default data/runs/<name>)")
    parser.add_argument("--epochs", type=int, nargs="+", help="ship only the weights after these epochs")
    args = parser.parse_args()
    run_dir = Path(args.run_dir or data.data_dir() / "runs" / args.name)
    model, texts, summed_over = trained.model_and_texts(args.name)  # built as its notebook builds it
    if args.epochs:
        ship_epochs(model, texts, summed_over, run_dir, args.name, args.epochs)
        return
    log = logs.read_log(run_dir / logs.LOG)
    scratch = Path(tempfile.mkdtemp())
    results = {}
    for dtype in ("float32", "float16"):
        weights, _ = trained.export(run_dir, args.name, scratch / dtype, dtype=dtype)
        trained.load_weights(model, weights)
        results[dtype] = trained.evaluate(model, texts, summed_over)
        shown = ", ".join(
            f"{part} {nats:.4f} nats (perplexity {logs.perplexity(nats):.2f})" for part, nats in results[dtype].items()
        )
        print(f"{dtype}: {weights.stat().st_size:,} bytes; {shown}")
    print(
        "log, last epoch: "
        + ", ".join(
            f"{part} {log[part + '_nats'][-1]:.4f} nats (perplexity {log[part + '_perplexity'][-1]:.2f})"
            for part in texts
        )
    )
    moves = {
        part: (
            abs(results["float16"][part] - results["float32"][part]),
            abs(logs.perplexity(results["float16"][part]) - logs.perplexity(results["float32"][part])),
        )
        for part in texts
    }
    dtype = "float16" if all(n <= MAX_NATS and p <= MAX_PERPLEXITY for n, p in moves.values()) else "float32"
    print(
        "float16 moves: "
        + ", ".join(f"{part} {n:.6f} nats, {p:.4f} perplexity" for part, (n, p) in moves.items())
        + f" -> shipping {dtype}"
    )
    target = data.REPO_DIR / "data" / "trained"
    target.mkdir(parents=True, exist_ok=True)
    for path in (scratch / dtype).iterdir():
        shutil.copyfile(path, target / path.name)
        print(f"{path.name}: {path.stat().st_size:,} bytes, sha256 {data.sha256sum(path)}")
    shutil.rmtree(scratch)


def ship_epochs(model, texts, summed_over, run_dir: Path, name: str, epochs: list[int]) -> None:
    """Write the float16 weights after each of `epochs` into data/trained/, each measured as the run's log has it."""
    from helpers import snapshots

    log = logs.read_log(run_dir / logs.LOG)
    for epoch in epochs:
        path = snapshots.export(model, run_dir, name, epoch, data.REPO_DIR / "data" / "trained")
        trained.load_weights(model, path)
        shown = ", ".join(f"{part} {nats:.4f}" for part, nats in trained.evaluate(model, texts, summed_over).items())
        print(
            f"{path.name}: {path.stat().st_size:,} bytes, sha256 {data.sha256sum(path)}; float16 {shown} nats "
            f"(log: {log['val_nats'][epoch - 1]:.4f}); enter it in helpers.snapshots"
        )


if __name__ == "__main__":
    main()
