"""Student copies (`make student`): nbgrader's own release, current and free of solutions.

The source notebooks are nbgrader's source as they are: each solution cell is
an nbgrader solution cell and each check cell after it a graded, locked test
cell with points, whose points the README lists. That each copy runs top to
bottom as handed out, every check saying "not done yet", is shown by
tests/test_grading.py, which autogrades it (its "untouched" submission).
"""

import re
from pathlib import Path

import nbformat
import pytest

from helpers import grading

ROOT = Path(__file__).resolve().parent.parent

SOURCES = grading.notebooks()
BEGIN, END = grading.BEGIN, grading.END


def exercises(nb) -> list[tuple[int, int]]:
    """(solution cell, check cell) of each exercise, in order."""
    return [(i, i + 1) for i, c in enumerate(nb.cells) if c.cell_type == "code" and BEGIN in c.source]


@pytest.mark.integration  # runs nbgrader generate_assignment on every notebook
def test_student_copies_are_nbgraders_current_release():
    assert grading.student(check=True) == [], "run `make student` and commit student/"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_exercises_are_nbgrader_cells(path):
    nb = nbformat.read(path, as_version=4)
    pairs = exercises(nb)
    assert pairs, f"{path.name} has no exercises"
    marked = [i for i, c in enumerate(nb.cells) if "nbgrader" in c.metadata]
    assert marked == sorted(i for pair in pairs for i in pair), "nbgrader metadata outside the exercises"
    assert not [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and "SOLUTION" in c.source], (
        "a markdown cell names a solution marker: nbgrader generate_assignment would fail on it"
    )
    for k, (solution, check) in enumerate(pairs, start=1):
        assert nb.cells[solution].metadata["nbgrader"] == {
            "grade": False,
            "grade_id": f"{path.stem}-exercise-{k}",
            "locked": False,
            "schema_version": 3,
            "solution": True,
            "task": False,
        }
        test = nb.cells[check].metadata["nbgrader"]
        assert test.pop("points") in (1, 2, 3)
        assert test == {
            "grade": True,
            "grade_id": f"{path.stem}-exercise-{k}-check",
            "locked": True,
            "schema_version": 3,
            "solution": False,
            "task": False,
        }
        assert "check_" in nb.cells[check].source


def test_readme_lists_the_points_of_every_exercise():
    """The README's table "Points per exercise" says what the notebooks' metadata gives."""
    table = re.search(
        r"\| notebook \| exercise 1 \| exercise 2 \| exercise 3 \| exercise 4 \| exercise 5 \| total \|\n\|[-| ]+\|\n((?:\|.*\|\n)+)",
        (ROOT / "README.md").read_text(),
    )
    assert table, "README: no table of points per exercise"
    rows = {}
    for line in table.group(1).splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = [int(c) for c in cells[1:-1] if c not in ("", "–")] + [int(cells[-1])]
    for path in SOURCES:
        nb = nbformat.read(path, as_version=4)
        points = [nb.cells[check].metadata["nbgrader"]["points"] for _, check in exercises(nb)]
        assert rows[path.stem[:2]] == points + [sum(points)], path.name


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_solution_left(path):
    nb = nbformat.read(path, as_version=4)
    student = nbformat.read(grading.STUDENT / path.name, as_version=4)
    assert len(student.cells) == len(nb.cells)
    assert not any(c.outputs or c.execution_count for c in student.cells if c.cell_type == "code")
    for solution, check in exercises(nb):
        stub = student.cells[solution].source
        assert BEGIN not in stub and "raise NotImplementedError()" in stub
        region = nb.cells[solution].source.split(BEGIN)[1].split(END)[0]
        for line in region.splitlines()[1:-1]:  # every line of the solution is gone from the copy
            assert line.strip() == "" or line not in stub, line
        assert student.cells[check].source == nb.cells[check].source
