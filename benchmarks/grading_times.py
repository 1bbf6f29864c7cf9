"""How long nbgrader takes to grade one submission of each notebook (fast mode, as `make grade` runs it).

    .venv/bin/python benchmarks/grading_times.py [01_rnn_basics ...]

The submission is the student copy, solved with the source notebook's
solutions; the time is that of ``nbgrader autograde`` for it (sanitising,
running the notebook, scoring), then of ``generate_feedback``. Prints a table.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import nbformat

from helpers import grading

ROOT = Path(__file__).resolve().parent.parent


def main(stems: list[str]) -> None:
    paths = [p for p in grading.notebooks() if not stems or p.stem in stems]
    print(f"{'notebook':<24} {'autograde':>10} {'feedback':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        course = grading.setup(Path(tmp), paths)
        grading.generate(course, [p.stem for p in paths])
        for path in paths:
            folder = course / "submitted" / "learner" / path.stem
            folder.mkdir(parents=True)
            nbformat.write(grading.solved(course / "release" / path.stem / path.name, path), folder / path.name)
            start = time.perf_counter()
            grading.nbgrader(course, "autograde", path.stem, "--create")
            graded = time.perf_counter()
            grading.nbgrader(course, "generate_feedback", path.stem)
            print(f"{path.stem:<24} {graded - start:>9.0f}s {time.perf_counter() - graded:>8.0f}s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
