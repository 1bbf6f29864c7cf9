"""Grading with the real nbgrader: each notebook's submissions, autograded in fast mode.

For each notebook in `GRADED`, `helpers.grading.grade` (what `make grade`
runs) autogrades, in a course folder of that notebook's own, submissions made
from nbgrader's own release:

- ``flawed``: what the commonest submissions get wrong, at once: exercise 1 left as handed out
  with its locked check cell edited to ``pass`` (nbgrader must restore it from the gradebook,
  so exercise 1 earns nothing and says "not done yet"), exercise 2 answered with a typical
  slip (in `SLIPS`: no points, and the feedback shows the hint its check gives), and any
  later exercise solved: exactly the points of the exercises after the second. The
  notebook still runs to the end: only the graded checks of exercises 1 and 2 fail.
- ``solved``, every solution cell filled in with the source notebook's solution (full points,
  no cell fails), only for a notebook of two exercises, whose flawed submission solves none.
  Elsewhere the flawed submission shows solved exercises earning their points, and the
  source notebook's run under nbval (tests/conftest.py) runs every solution with the very
  check cells the release hands out (`test_the_release_hands_out_the_source_checks`): a
  solved submission's run, which a second grading would only repeat at the cost of one more
  fast-mode run of the notebook.

Each notebook's tests are a class of their own sharing one grading, so that `pytest -n 2
--dist loadscope` (`make test`) grades two notebooks at a time and never one twice.
"""

from __future__ import annotations

import csv
import shutil

import nbformat
import pytest

from helpers import grading

ROOT = grading.ROOT
EDITED = "pass  # the check, edited away"

# Exercise 2 of each notebook with one typical slip: (text of the solution, what replaces it,
# the hint the check prints for that slip).
SLIPS = {
    "01_rnn_basics": ("max(global_norm, max_norm)", "global_norm", "should be left unchanged"),
    "02_lstm_from_scratch": (
        "o = sigmoid(z_o + p_o * c)",
        "o = sigmoid(z_o + p_o * c_prev)",
        "The output gate should look at the new cell state",
    ),
    "03_sign_sum": (
        "np.sort(np.abs(kernel[:, 0]))[::-1]",
        "np.sort(np.abs(kernel[:, 0]))",
        "Take the units with the largest |w| first",
    ),
    "04_char_shakespeare": ("stateful=True", "stateful=False", "The GRU layers must be stateful"),
    "05_word_aesop": (
        "p = np.exp(logits - logits.max())\n    p /= p.sum()",
        "p = logits",
        "Those are the logits: apply the softmax.",
    ),
    "06_word_ptb": ("vocab_size if tied", "vocab_size * units + vocab_size if tied", "the table is counted once"),
    "07_seq2seq_attention": (
        "np.concatenate([start, targets[:, :-1]], axis=1)",
        "targets",
        "the very character it must predict",
    ),
    "08_after_the_lstm": ('np.where(chars == "I", -1.0, 1.0)', 'np.where(chars == "I", 0.0, 1.0)', "wipes the count"),
}
GRADED = sorted(SLIPS)


def exercise_cells(nb) -> tuple[list[int], list[int]]:
    """Indices of the solution cells and of the graded check cells, in order."""
    kind = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    return ([i for i, m in enumerate(kind) if m.get("solution")], [i for i, m in enumerate(kind) if m.get("grade")])


def submissions(stem: str, release, source) -> dict[str, nbformat.NotebookNode]:
    """The two submissions of one notebook, made from nbgrader's release of it."""
    handed_out, key = nbformat.read(release, as_version=4), nbformat.read(source, as_version=4)
    solutions, checks = exercise_cells(key)
    assert exercise_cells(handed_out) == (solutions, checks)
    answer = {i: grading.answer(key.cells[i].source) for i in solutions}
    flawed = nbformat.from_dict(handed_out)
    flawed.cells[checks[0]].source = EDITED
    old, new, _ = SLIPS[stem]
    assert old in answer[solutions[1]], f"the slip of {stem} no longer fits its solution"
    flawed.cells[solutions[1]].source = answer[solutions[1]].replace(old, new)
    for i in solutions[2:]:
        flawed.cells[i].source = answer[i]
    if not grades_a_solved_submission(stem):  # the flawed submission shows a solved exercise earning its points
        return {"flawed": flawed}
    return {"solved": grading.solved(release, source), "flawed": flawed}


def grades_a_solved_submission(stem: str) -> bool:
    """Whether `submissions` makes a solved submission of `stem`: if it has two exercises (none solved when flawed)."""
    return len(exercise_cells(nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4))[0]) <= 2


@pytest.fixture(scope="class")
def graded(request, tmp_path_factory):
    """Grade one notebook's submissions; return its name, course folder, the scores and each check's points."""
    stem = request.cls.stem
    path = ROOT / "notebooks" / f"{stem}.ipynb"
    course = tmp_path_factory.mktemp(f"course-{stem}")
    grading.setup(course, [path])
    grading.generate(course, [stem])
    inbox = tmp_path_factory.mktemp(f"submitted-{stem}")
    key = nbformat.read(path, as_version=4)
    points = [key.cells[i].metadata["nbgrader"]["points"] for i in exercise_cells(key)[1]]
    for student, nb in submissions(stem, course / "release" / stem / path.name, path).items():
        (inbox / student / stem).mkdir(parents=True)
        nbformat.write(nb, inbox / student / stem / path.name)
    with open(grading.grade(inbox, course, release=False)) as f:
        scores = {row["student_id"]: float(row["score"]) for row in csv.DictReader(f)}
    return stem, course, scores, points


def autograded(graded, student: str):
    stem, course = graded[:2]
    return nbformat.read(course / "autograded" / student / stem / f"{stem}.ipynb", as_version=4)


def failed_cells(nb) -> list[int]:
    return [
        i for i, c in enumerate(nb.cells) if c.cell_type == "code" and any(o.output_type == "error" for o in c.outputs)
    ]


def printed(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs)


@pytest.mark.integration
class GradedNotebook:
    """The tests of one notebook's grading; `stem` names it (a subclass per notebook follows)."""

    stem: str

    def test_the_release_hands_out_the_source_checks(self, graded):
        """A solved submission is the source notebook less its solution markers (comments): what nbval runs."""
        stem, course = graded[:2]
        source, release = ROOT / "notebooks" / f"{stem}.ipynb", course / "release" / stem / f"{stem}.ipynb"
        key, handed_out = nbformat.read(source, as_version=4), nbformat.read(release, as_version=4)
        checks = exercise_cells(key)[1]
        assert [handed_out.cells[i].source for i in checks] == [key.cells[i].source for i in checks]
        assert [c.source for c in grading.solved(release, source).cells] == [
            grading.answer(c.source) for c in key.cells
        ]

    def test_check_edited_away_is_restored_and_the_exercise_left_undone_earns_nothing(self, graded):
        nb = autograded(graded, "flawed")
        checks = exercise_cells(nb)[1]
        first_check = nb.cells[checks[0]]
        assert EDITED not in first_check.source  # restored from the gradebook
        assert "not done yet" in printed(first_check)
        # The rest of the notebook runs with exercise 1 undone: only the checks of exercises 1 and 2 fail.
        assert failed_cells(nb) == checks[:2]

    def test_slip_in_exercise_2_costs_its_points_and_the_feedback_gives_the_hint(self, graded):
        stem, course, scores, points = graded
        assert scores["flawed"] == sum(points[2:])  # exercises 1 and 2 earn nothing, the later ones theirs
        nb = autograded(graded, "flawed")
        assert SLIPS[stem][2] in printed(nb.cells[exercise_cells(nb)[1][1]])
        assert SLIPS[stem][2] in (course / "feedback" / "flawed" / stem / f"{stem}.html").read_text()


class GradedNotebookSolvedToo(GradedNotebook):
    """The tests of a notebook of two exercises, graded with a solved submission as well."""

    def test_solved_submission_gets_every_point(self, graded):
        _, _, scores, points = graded
        assert scores["solved"] == sum(points) > 0
        assert failed_cells(autograded(graded, "solved")) == []


for _stem in GRADED:  # TestGrading_01_rnn_basics, ...: a class, so a scope of loadscope, per notebook
    _base = GradedNotebookSolvedToo if grades_a_solved_submission(_stem) else GradedNotebook
    globals()[f"TestGrading_{_stem}"] = type(f"TestGrading_{_stem}", (_base,), {"stem": _stem})


def test_every_graded_notebook_has_a_slip():
    assert GRADED == [p.stem for p in grading.notebooks()]


def test_grade_refuses_an_unknown_assignment(tmp_path):
    (tmp_path / "someone" / "99_nothing").mkdir(parents=True)
    shutil.copyfile(ROOT / "notebooks" / "01_rnn_basics.ipynb", tmp_path / "someone" / "99_nothing" / "x.ipynb")
    with pytest.raises(SystemExit, match="unknown assignment"):
        grading.grade(tmp_path, tmp_path / "course")
