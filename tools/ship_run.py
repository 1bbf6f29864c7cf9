"""Make a finished training run a shipped one: its weights and log into data/trained/, float16 if that is harmless.

    .venv/bin/python tools/ship_run.py shakespeare      # from data/runs/shakespeare (benchmarks/train_shakespeare.py)
    .venv/bin/python tools/ship_run.py ptb-small        # from data/runs/ptb-small (benchmarks/train_ptb.py)
    .venv/bin/python tools/ship_run.py ptb-tied         # from data/runs/ptb-tied (... --config tied)
    .venv/bin/python tools/ship_run.py shakespeare-attention   # (benchmarks/train_after_lstm.py attention)
    .venv/bin/python tools/ship_run.py shakespeare-mingru      # (benchmarks/train_after_lstm.py mingru)

Writes the weights as float32 and as float16, evaluates the model from each
on the validation text (and for PTB the test text) the way the notebooks do,
and keeps float16 if no figure moves by more than 0.002 nats per token and
0.3 perplexity (else float32). Prints both evaluations, the last line of the
run's log, the bytes and the sha256 to register in `helpers.data.REGISTRY`.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import helpers.config  # noqa: E402  (before TensorFlow: quiets its start-up logs)
from helpers import data, models, ptb, recipes, trained, training, transformer  # noqa: E402

MAX_NATS, MAX_PERPLEXITY = 0.002, 0.3


def model_and_texts(name: str):
    """The run's model, built as its notebook builds it, its evaluation texts ``{"val": ids, ...}``, the loss's steps.

    Notebook 07's window models (``shakespeare-<mixer>``) are measured on windows: steps None.
    """
    if name.startswith("shakespeare-"):
        model, _ = transformer.from_recipe(name.removeprefix("shakespeare-"), fast=False)
        return model, {"val": data.shakespeare_split()[3]}, None
    if name == "shakespeare":
        cfg = recipes.get(recipes.SHAKESPEARE, fast=False)
        _, vocab, _, valid_ids = data.shakespeare_split()
        model = models.language_model(len(vocab), units=cfg["units"], layers=cfg["layers"],
                                      embedding=cfg["embedding"], dropout=cfg["dropout"],
                                      batch_size=cfg["batch_size"], steps=cfg["steps"], lstm="course")
        training.compile_language_model(model, learning_rate=cfg["learning_rate"], decay_steps=1)
        return model, {"val": valid_ids}, 1
    config = recipes.ptb_config(name.removeprefix("ptb-"), fast=False)
    _, _, valid_ids, test_ids = ptb.split(fast=False)
    return ptb.build(config), {"val": valid_ids, "test": test_ids}, config["steps"]


def figures(model, texts: dict, summed_over: int) -> dict[str, float]:
    """Nats per token on each text, from a zeroed state (or on its windows, if `summed_over` is None)."""
    if summed_over is None:
        return {part: transformer.window_loss(model, ids) for part, ids in texts.items()}
    return {part: float(training.evaluate(model, ids)) / summed_over for part, ids in texts.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", choices=sorted(trained.RUNS))
    parser.add_argument("--run-dir", default=None, help="the finished run (default data/runs/<name>)")
    args = parser.parse_args()
    run_dir = Path(args.run_dir or data.data_dir() / "runs" / args.name)
    model, texts, summed_over = model_and_texts(args.name)
    log = training.read_log(run_dir / training.LOG)
    scratch = Path(tempfile.mkdtemp())
    results = {}
    for dtype in ("float32", "float16"):
        weights, _ = trained.export(run_dir, args.name, scratch / dtype, dtype=dtype)
        trained.load_weights(model, weights)
        results[dtype] = figures(model, texts, summed_over)
        shown = ", ".join(f"{part} {nats:.4f} nats (perplexity {training.perplexity(nats):.2f})"
                          for part, nats in results[dtype].items())
        print(f"{dtype}: {weights.stat().st_size:,} bytes; {shown}")
    print("log, last epoch: " + ", ".join(
        f"{part} {log[part + '_nats'][-1]:.4f} nats (perplexity {log[part + '_perplexity'][-1]:.2f})" for part in texts))
    moves = {part: (abs(results["float16"][part] - results["float32"][part]),
                    abs(training.perplexity(results["float16"][part]) - training.perplexity(results["float32"][part]))) for part in texts}
    dtype = "float16" if all(n <= MAX_NATS and p <= MAX_PERPLEXITY for n, p in moves.values()) else "float32"
    print("float16 moves: " + ", ".join(f"{part} {n:.6f} nats, {p:.4f} perplexity" for part, (n, p) in moves.items())
          + f" -> shipping {dtype}")
    target = data.REPO_DIR / "data" / "trained"
    target.mkdir(parents=True, exist_ok=True)
    for path in (scratch / dtype).iterdir():
        shutil.copyfile(path, target / path.name)
        print(f"{path.name}: {path.stat().st_size:,} bytes, sha256 {data.sha256sum(path)}")
    shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
