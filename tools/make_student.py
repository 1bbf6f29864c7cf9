"""Student copies of the notebooks: each solution replaced by a stub, outputs cleared.

    python tools/make_student.py            # write student/NN_*.ipynb (what `make student` does)
    python tools/make_student.py --check    # exit 1 if the committed copies are out of date

Every exercise is a code cell whose solution lies between ``### BEGIN SOLUTION``
and ``### END SOLUTION`` (nbgrader's markers), inside a function body, and is
followed by a check cell. In the student copy the region becomes nbgrader's
``# YOUR CODE HERE`` / ``raise NotImplementedError()`` at the same indentation,
so the notebook still runs top to bottom and each check says "not done yet".
The source notebooks' solution and check cells carry nbgrader's cell metadata
(written here too), so an instructor using nbgrader can take them as they are.
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOURCE, STUDENT = ROOT / "notebooks", ROOT / "student"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
REGION = re.compile(rf"^([ \t]*){re.escape(BEGIN)}\n.*?^[ \t]*{re.escape(END)}[ \t]*$", re.M | re.S)
STUB = "{indent}# YOUR CODE HERE\n{indent}raise NotImplementedError()"


def source_notebooks() -> list[Path]:
    return sorted(SOURCE.glob("[0-9][0-9]_*.ipynb"))


def exercises(nb) -> list[tuple[int, int]]:
    """(solution cell index, check cell index) for each exercise, in order."""
    cells = nb.cells
    return [(i, i + 1) for i, c in enumerate(cells) if c.cell_type == "code" and BEGIN in c.source]


def mark(nb, stem: str) -> None:
    """Give the solution and check cells nbgrader's metadata (schema 3), in place."""
    for k, (solution, check) in enumerate(exercises(nb), start=1):
        for index, is_solution in ((solution, True), (check, False)):
            nb.cells[index].metadata["nbgrader"] = {
                "grade": False, "grade_id": f"{stem}-exercise-{k}{'' if is_solution else '-check'}",
                "locked": not is_solution, "schema_version": 3, "solution": is_solution, "task": False,
            }


def student_copy(nb):
    """The student version of `nb`: solutions stubbed, outputs and NBVAL markers removed."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        cell.source = REGION.sub(lambda m: STUB.format(indent=m.group(1)), cell.source)
        cell.source = "\n".join(line for line in cell.source.split("\n") if line.strip() != "# NBVAL_CHECK_OUTPUT")
    return nb


def build(write: bool) -> list[str]:
    """Mark the source notebooks and make the student copies.

    With `write`, save whatever changed and return the paths written; without,
    change nothing and return what is out of date (what `--check` reports).
    """
    changed = []
    for path in source_notebooks():
        nb = nbformat.read(path, as_version=4)
        before = nbformat.writes(nb)
        mark(nb, path.stem)
        if nbformat.writes(nb) != before:
            changed.append(f"{path.relative_to(ROOT)} (nbgrader metadata)")
            if write:
                nbformat.write(nb, path)
        target, student = STUDENT / path.name, student_copy(nb)
        if not target.exists() or nbformat.writes(nbformat.read(target, as_version=4)) != nbformat.writes(student):
            changed.append(str(target.relative_to(ROOT)))
            if write:
                target.parent.mkdir(exist_ok=True)
                nbformat.write(student, target)
    expected = {STUDENT / p.name for p in source_notebooks()}
    for extra in sorted(set(STUDENT.glob("*.ipynb")) - expected):
        changed.append(f"{extra.relative_to(ROOT)} (no such notebook)")
        if write:
            extra.unlink()
    return changed


if __name__ == "__main__":
    check = "--check" in sys.argv[1:]
    changed = build(write=not check)
    for item in changed:
        print(f"{'out of date' if check else 'wrote'}: {item}" + ("  (run `make student`)" if check else ""))
    sys.exit(1 if check and changed else 0)
