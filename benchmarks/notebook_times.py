"""Wall time of each notebook, top to bottom, in fast and full mode (nothing is saved).

    .venv/bin/python benchmarks/notebook_times.py [--mode fast|full|both] [notebooks ...]

Prints one line per notebook and mode; the full-mode figures are the run
times in the README's notebook map. Each run starts a fresh kernel, so the
time includes importing TensorFlow (a few seconds).
"""

import argparse
import os
from pathlib import Path

from helpers.notebook_runs import execute


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", choices=["fast", "full", "both"], default="both")
    parser.add_argument("notebooks", nargs="*", type=Path)
    args = parser.parse_args()
    notebooks = args.notebooks or sorted(Path("notebooks").glob("[0-9]*.ipynb"))
    modes = ["fast", "full"] if args.mode == "both" else [args.mode]
    print(f"{'notebook':<40} {'mode':<5} {'seconds':>8}")
    for path in notebooks:
        for mode in modes:
            os.environ["RNN_COURSE_FAST"] = "1" if mode == "fast" else "0"
            _, seconds = execute(path)
            print(f"{path.name:<40} {mode:<5} {seconds:8.1f}", flush=True)


if __name__ == "__main__":
    main()
