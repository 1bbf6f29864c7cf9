"""The notebooks keep the course's conventions (COURSE.md); nbval then runs them.

Checked on the committed files: a `parameters` cell, outputs of a full run
with no errors in them, the course kernel, and exercises whose solution cell
is followed by a check cell whose output nbval compares.
"""

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def source(cell) -> str:
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"
    assert NOTEBOOKS[0].name == "01_rnn_basics.ipynb"


@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def nb(request):
    return nbformat.read(request.param, as_version=4)


def test_one_parameters_cell_near_the_top(nb):
    tagged = [i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0] < 10, f"parameters cell(s) at {tagged}"
    assert "FAST" in source(nb.cells[tagged[0]])


def test_committed_with_outputs_of_a_full_run(nb):
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "some code cells were never run"
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"], "a committed output is an error"
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "full mode" in text and "fast (RNN_COURSE_FAST=1) mode" not in text


def test_course_kernel(nb):
    assert nb.metadata.kernelspec.name == "rnn-course"


def test_each_solution_is_followed_by_a_checked_check_cell(nb):
    cells = nb.cells
    solutions = [i for i, c in enumerate(cells) if c.cell_type == "code" and "### BEGIN SOLUTION" in source(c)]
    assert solutions, "no exercises"
    for i in solutions:
        assert "### END SOLUTION" in source(cells[i])
        check = cells[i + 1]
        assert check.cell_type == "code" and "nbval-check-output" in check.metadata.get("tags", [])
        assert "check_" in source(check) and "✓" in "".join(o.get("text", "") for o in check.outputs)


@pytest.mark.parametrize("folder", ["notebooks", "student"])
def test_no_execution_timestamps(folder):
    """Committed notebooks carry no timestamps (`tools/run_notebooks.py` runs with record_timing=False)."""
    stamped = [f"{path.name} cell {i}" for path in sorted((NOTEBOOKS[0].parent.parent / folder).glob("*.ipynb"))
               for i, c in enumerate(nbformat.read(path, as_version=4).cells) if "execution" in c.metadata]
    assert not stamped, stamped
