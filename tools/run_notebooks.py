"""Run notebooks top to bottom and save them with their outputs (what is committed).

    python tools/run_notebooks.py notebooks/01_rnn_basics.ipynb [...]

Full mode unless RNN_COURSE_FAST=1 is set. Uses this Python's own kernel, so
it runs in whatever environment calls it (`make notebooks` uses .venv).
Prints the wall time of each notebook: the run times in the README's map.
"""

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

KERNELSPEC = {"name": "rnn-course", "display_name": "Python (RNN course)", "language": "python"}


def execute(path: Path) -> tuple[nbformat.NotebookNode, float]:
    """Run the notebook at `path` in this Python's kernel; return it with its outputs, and the seconds taken."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(nb, kernel_name="python3", timeout=None, record_timing=False,  # no timestamps in the commit
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    nb.metadata["kernelspec"] = KERNELSPEC  # the course kernel that `make lab` registers
    return nb, time.perf_counter() - start


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]]
    if not paths:
        sys.exit(__doc__)
    for path in paths:
        print(f"{path}: ", end="", flush=True)
        nb, seconds = execute(path)
        nbformat.write(nb, path)
        print(f"{seconds:.0f} s")
