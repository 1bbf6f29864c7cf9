"""The course as an nbgrader course: student copies made by nbgrader, and submissions graded by it.

`tools/nbgrader_course.py` is its command line (`make student`, `make grade`);
tests/test_grading.py and benchmarks/grading_times.py use these functions.

Each notebook is one assignment of the same name (``01_rnn_basics`` holds
``01_rnn_basics.ipynb``). Its solution cells and its graded, locked check
cells carry nbgrader's metadata in `notebooks/` itself, so the notebooks are
nbgrader's source as they are. Submissions have nbgrader's layout,
``SUBMITTED/<student>/<assignment>/<notebook>.ipynb`` (what ``nbgrader
zip_collect`` or ``collect`` leaves in a course's ``submitted/``).

Grading runs the notebooks in fast mode (``RNN_COURSE_FAST=1``, set by the
course's ``nbgrader_config.py``): a full-mode run would train for most of an
hour per student.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from .data import REPO_DIR as ROOT

SOURCE, STUDENT = ROOT / "notebooks", ROOT / "student"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"  # nbgrader's solution markers

CONFIG = """\
# nbgrader's configuration of the RNN course, written by helpers.grading (tools/nbgrader_course.py).
import os

c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "rnn-course"
# Grading runs each notebook in fast mode: the same code on small slices, about a
# minute a notebook instead of most of an hour. Every nbgrader command run in this
# folder reads this file, and the kernels it starts inherit the setting.
os.environ["RNN_COURSE_FAST"] = "1"
# A fast-mode training cell can take a minute on a slow laptop (nbgrader's default is 30 s).
c.Execute.timeout = 600
"""


def notebooks() -> list[Path]:
    """The course's notebooks, in order: each one an assignment named after it."""
    return sorted(SOURCE.glob("[0-9][0-9]_*.ipynb"))


def setup(course: Path, sources: list[Path] | None = None) -> Path:
    """Make (or refresh) an nbgrader course folder: its config and ``source/<assignment>/<notebook>``."""
    course.mkdir(parents=True, exist_ok=True)
    (course / "nbgrader_config.py").write_text(CONFIG)
    for path in sources or notebooks():
        (course / "source" / path.stem).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, course / "source" / path.stem / path.name)
    return course


def nbgrader(course: Path, *args: str) -> str:
    """Run ``nbgrader ARGS`` in `course` with this Python's nbgrader; return its log, raise with it on failure.

    nbgrader calls ``alembic`` by name, so this Python's scripts folder goes first on the PATH.
    """
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"nbgrader {' '.join(args)} failed in {course}:\n{done.stdout}{done.stderr}")
    return done.stdout + done.stderr


def generate(course: Path, assignments: list[str]) -> None:
    """``nbgrader generate_assignment`` for each assignment: ``release/`` and the gradebook's answer key."""
    for name in assignments:
        nbgrader(course, "generate_assignment", name, "--force")


def student(check: bool) -> list[str]:
    """Make the student copies with nbgrader; write them into student/, or (with `check`) list what is stale."""
    stale = []
    with tempfile.TemporaryDirectory() as tmp:
        course = setup(Path(tmp))
        generate(course, [p.stem for p in notebooks()])
        for path in notebooks():
            release, target = course / "release" / path.stem / path.name, STUDENT / path.name
            if not target.exists() or target.read_bytes() != release.read_bytes():
                stale.append(str(target.relative_to(ROOT)))
                if not check:
                    STUDENT.mkdir(exist_ok=True)
                    shutil.copyfile(release, target)
    for extra in sorted(set(STUDENT.glob("*.ipynb")) - {STUDENT / p.name for p in notebooks()}):
        stale.append(f"{extra.relative_to(ROOT)} (no such notebook)")
        if not check:
            extra.unlink()
    return stale


def answer(solution_cell: str) -> str:
    """A source solution cell's code as a learner would submit it: the solution markers' lines removed."""
    return "\n".join(line for line in solution_cell.split("\n") if line.strip() not in (BEGIN, END))


def solved(release: Path, source: Path):
    """A submission that answers every exercise: the `release` notebook with the `source` notebook's solutions."""
    nb, key = nbformat.read(release, as_version=4), nbformat.read(source, as_version=4)
    for cell, reference in zip(nb.cells, key.cells, strict=True):
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = answer(reference.source)
    return nb


def grade(submitted: Path, course: Path, *, release: bool = True) -> Path:
    """Autograde every submission in `submitted`, write each student's feedback, export the grades.

    Returns the path of the grades' CSV (``COURSE/grades.csv``); the feedback
    is in ``COURSE/feedback/<student>/<assignment>/<notebook>.html``.
    """
    submissions = sorted(p for p in submitted.glob("*/*/*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    if not submissions:
        raise SystemExit(f"no submissions in {submitted}: expected <student>/<assignment>/<notebook>.ipynb")
    known = {p.stem for p in notebooks()}
    assignments = sorted({p.parent.name for p in submissions})
    unknown = sorted(set(assignments) - known)
    if unknown:
        raise SystemExit(f"unknown assignment(s) {unknown} in {submitted}: the assignments are {sorted(known)}")
    if release:  # False: `course` holds these assignments' release and answer key already (`setup`, `generate`)
        setup(course)
        generate(course, assignments)
    if submitted.resolve() != (course / "submitted").resolve():
        shutil.copytree(submitted, course / "submitted", dirs_exist_ok=True)
    for name in assignments:
        nbgrader(course, "autograde", name, "--create", "--force")
        nbgrader(course, "generate_feedback", name, "--force")
    nbgrader(course, "export", "--to", "grades.csv")
    return course / "grades.csv"
