"""Student copies (`make student`, tools/make_student.py): current, free of solutions, and runnable.

A student copy must run top to bottom in fast mode with every exercise
reported as not done, and nbgrader's metadata must mark each solution and
check cell of the source notebooks.
"""

import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import make_student  # noqa: E402

SOURCES = make_student.source_notebooks()


def test_student_copies_are_current():
    assert make_student.build(write=False) == [], "run `make student` and commit student/"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_solution_left_and_metadata_marked(path):
    nb = nbformat.read(path, as_version=4)
    student = nbformat.read(make_student.STUDENT / path.name, as_version=4)
    assert len(student.cells) == len(nb.cells)
    assert not any(o for c in student.cells if c.cell_type == "code" for o in c.outputs)
    pairs = make_student.exercises(nb)
    assert pairs, f"{path.name} has no exercises"
    for solution, check in pairs:
        assert nb.cells[solution].metadata["nbgrader"]["solution"] is True
        assert nb.cells[check].metadata["nbgrader"]["locked"] is True
        stub = student.cells[solution].source
        assert "BEGIN SOLUTION" not in stub and "raise NotImplementedError()" in stub
        region = make_student.REGION.search(nb.cells[solution].source).group(0)
        for line in region.splitlines()[1:-1]:  # every line of the solution is gone from the copy
            assert line.strip() == "" or line not in stub, line
        assert student.cells[check].source.replace("# NBVAL_CHECK_OUTPUT\n", "") == \
            nb.cells[check].source.replace("# NBVAL_CHECK_OUTPUT\n", "")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_student_copy_runs_and_reports_exercises_not_done(path):
    student = nbformat.read(make_student.STUDENT / path.name, as_version=4)
    NotebookClient(student, kernel_name="python3", timeout=600,
                   resources={"metadata": {"path": str(make_student.STUDENT)}}).execute()  # raises if a cell fails
    checks = [c for c in student.cells if c.metadata.get("nbgrader", {}).get("locked")]
    assert checks
    for cell in checks:
        printed = "".join(o.get("text", "") for o in cell.outputs)
        assert "not done yet" in printed, (cell.source, printed)
