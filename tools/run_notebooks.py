"""Run notebooks top to bottom and save them with clean outputs (what is committed).

    python tools/run_notebooks.py notebooks/01_rnn_basics.ipynb [...]
    python tools/run_notebooks.py --clean-only notebooks/04_char_shakespeare.ipynb [...]

Full mode unless RNN_COURSE_FAST=1 is set. Uses this Python's own kernel, so
it runs in whatever environment calls it (`make notebooks` uses .venv).
Prints the wall time of each notebook. ``--clean-only`` applies the cleaning
(`helpers.notebook_runs.clean_outputs`) to notebooks already executed,
without running them again.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import nbformat

from helpers.notebook_runs import ROOT, clean_outputs, execute


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("notebooks", nargs="+", type=Path, help="the .ipynb files, run (or cleaned) in this order")
    parser.add_argument(
        "--clean-only", action="store_true", help="do not run: only clean the outputs already saved in the notebooks"
    )
    args = parser.parse_args(argv)
    for path in args.notebooks:
        print(f"{path}: ", end="", flush=True)
        if args.clean_only:
            nb, seconds = nbformat.read(path, as_version=4), None
        else:
            nb, seconds = execute(path)
        counts = clean_outputs(nb, ROOT)
        nbformat.write(nb, path)
        ran = "cleaned" if seconds is None else f"{seconds:.0f} s"
        print(
            f"{ran}; stream outputs {counts['streams before']} -> {counts['streams after']}, "
            f"texts with a path made relative: {counts['texts with paths']}"
        )


if __name__ == "__main__":
    main()
