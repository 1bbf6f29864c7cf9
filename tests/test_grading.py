"""Grading with the real nbgrader: three submissions of each notebook, autograded in fast mode.

For each notebook in `GRADED`, `tools/nbgrader_course.py grade` (what `make
grade` runs) autogrades three submissions made from nbgrader's own release:

- ``solved``: every solution cell filled in with the source notebook's solution: full points;
- ``untouched``: the release as handed out, except that exercise 1's locked check cell was
  edited to ``pass``: nbgrader must restore it from the gradebook, so 0 points;
- ``slip``: exercise 1 solved, exercise 2 answered with a typical slip (in `SLIPS`): exactly
  exercise 1's points, and the feedback shows the hint that exercise 2's check gives.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import nbgrader_course  # noqa: E402

# Exercise 2 of each notebook with one typical slip: (text of the solution, what replaces it,
# the hint the check prints for that slip).
SLIPS = {
    "01_rnn_basics": ("max(global_norm, max_norm)", "global_norm", "should be left unchanged"),
    "02_lstm_from_scratch": ("o = sigmoid(z_o + p_o * c)", "o = sigmoid(z_o + p_o * c_prev)",
                             "The output gate should look at the new cell state"),
    "03_sign_sum": ("np.abs(kernel).sum()", "kernel.sum()", "every weight counts as |w|"),
    "04_char_shakespeare": ("stateful=True", "stateful=False", "The GRU layers must be stateful"),
    "05_word_aesop": ("p = np.exp(logits - logits.max())\n    p /= p.sum()", "p = logits",
                      "Those are the logits: apply the softmax."),
    "06_word_ptb": ("vocab_size if tied", "vocab_size * units + vocab_size if tied",
                    "the table is counted once"),
    "07_after_the_lstm": ('np.where(chars == "I", -1.0, 1.0)', 'np.where(chars == "I", 0.0, 1.0)', "wipes the count"),
}
GRADED = sorted(SLIPS)


def exercise_cells(nb) -> tuple[list[int], list[int]]:
    """Indices of the solution cells and of the graded check cells, in order."""
    kind = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    return ([i for i, m in enumerate(kind) if m.get("solution")],
            [i for i, m in enumerate(kind) if m.get("grade")])


def submissions(stem: str, release: Path, source: Path) -> dict[str, nbformat.NotebookNode]:
    """The three submissions of one notebook, made from nbgrader's release of it."""
    handed_out, key = nbformat.read(release, as_version=4), nbformat.read(source, as_version=4)
    solutions, checks = exercise_cells(key)
    assert exercise_cells(handed_out) == (solutions, checks)
    answer = {i: nbgrader_course.answer(key.cells[i].source) for i in solutions}
    solved = nbgrader_course.solved(release, source)
    untouched, slip = (nbformat.from_dict(handed_out) for _ in range(2))
    untouched.cells[checks[0]].source = "pass  # the check, edited away"
    old, new, _ = SLIPS[stem]
    assert old in answer[solutions[1]], f"the slip of {stem} no longer fits its solution"
    slip.cells[solutions[0]].source = answer[solutions[0]]
    slip.cells[solutions[1]].source = answer[solutions[1]].replace(old, new)
    return {"solved": solved, "untouched": untouched, "slip": slip}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Grade every submission; return the course folder, the grades CSV and each check's points."""
    course = tmp_path_factory.mktemp("course")
    sources = [ROOT / "notebooks" / f"{stem}.ipynb" for stem in GRADED]
    nbgrader_course.setup(course, sources)
    nbgrader_course.generate(course, GRADED)
    inbox = tmp_path_factory.mktemp("submitted")
    points = {}
    for path in sources:
        key = nbformat.read(path, as_version=4)
        points[path.stem] = [key.cells[i].metadata["nbgrader"]["points"] for i in exercise_cells(key)[1]]
        for student, nb in submissions(path.stem, course / "release" / path.stem / path.name, path).items():
            (inbox / student / path.stem).mkdir(parents=True)
            nbformat.write(nb, inbox / student / path.stem / path.name)
    grades = nbgrader_course.grade(inbox, course)
    return course, grades, points


def scores(graded) -> dict[tuple[str, str], float]:
    _, grades, _ = graded
    with open(grades) as f:
        return {(row["student_id"], row["assignment"]): float(row["score"]) for row in csv.DictReader(f)}


@pytest.mark.parametrize("stem", GRADED)
def test_solved_submission_gets_every_point(graded, stem):
    assert scores(graded)[("solved", stem)] == sum(graded[2][stem]) > 0
    autograded = nbformat.read(graded[0] / "autograded" / "solved" / stem / f"{stem}.ipynb", as_version=4)
    assert not [o for c in autograded.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]


@pytest.mark.parametrize("stem", GRADED)
def test_untouched_release_gets_nothing_even_with_a_check_edited_away(graded, stem):
    course = graded[0]
    assert scores(graded)[("untouched", stem)] == 0
    autograded = nbformat.read(course / "autograded" / "untouched" / stem / f"{stem}.ipynb", as_version=4)
    first_check = autograded.cells[exercise_cells(autograded)[1][0]]
    assert "pass  # the check, edited away" not in first_check.source  # restored from the gradebook
    printed = "".join(o.get("text", "") for o in first_check.outputs)
    assert "not done yet" in printed and any(o.output_type == "error" for o in first_check.outputs)
    # As handed out, the notebook runs to the end: only the graded checks fail, each saying "not done yet".
    checks = exercise_cells(autograded)[1]
    failed = [i for i, c in enumerate(autograded.cells) if c.cell_type == "code"
              and any(o.output_type == "error" for o in c.outputs)]
    assert failed == checks
    assert all("not done yet" in "".join(o.get("text", "") for o in autograded.cells[i].outputs) for i in checks)


@pytest.mark.parametrize("stem", GRADED)
def test_slip_in_exercise_2_costs_its_points_and_the_feedback_gives_the_hint(graded, stem):
    course, _, points = graded
    assert scores(graded)[("slip", stem)] == points[stem][0]
    feedback = (course / "feedback" / "slip" / stem / f"{stem}.html").read_text()
    assert SLIPS[stem][2] in feedback


def test_grade_refuses_an_unknown_assignment(tmp_path):
    (tmp_path / "someone" / "99_nothing").mkdir(parents=True)
    shutil.copyfile(ROOT / "notebooks" / "01_rnn_basics.ipynb", tmp_path / "someone" / "99_nothing" / "x.ipynb")
    with pytest.raises(SystemExit, match="unknown assignment"):
        nbgrader_course.grade(tmp_path, tmp_path / "course")
