"""The notebooks keep the course's conventions (CONTRIBUTING.md); nbval then runs them.

Checked on the committed files: a `parameters` cell, outputs of a full run
with no errors in them, the course kernel, and exercises whose solution cell
is followed by a check cell whose output nbval compares. Checked on them and
on the student copies: clean outputs (no absolute paths, no progress-bar
frames, no cell with dozens of stream outputs, no timestamps), which
`tools/notebook_runs.py` leaves; its cleaning is unit-tested here too.
"""

import copy
import re
import tempfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from helpers import notebook_runs

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
COMMITTED = NOTEBOOKS + sorted((ROOT / "student").glob("*.ipynb"))  # what a learner opens
MAX_STREAMS = 30  # stream outputs in one code cell; a progress bar saved frame by frame makes hundreds


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
    """Committed notebooks carry no timestamps (`tools/notebook_runs.py` runs with record_timing=False)."""
    stamped = [
        f"{path.name} cell {i}"
        for path in sorted((NOTEBOOKS[0].parent.parent / folder).glob("*.ipynb"))
        for i, c in enumerate(nbformat.read(path, as_version=4).cells)
        if "execution" in c.metadata
    ]
    assert not stamped, stamped


@pytest.fixture(params=COMMITTED, ids=lambda p: f"{p.parent.name}/{p.name}")
def committed(request):
    return nbformat.read(request.param, as_version=4)


def output_texts(nb):
    """(cell index, text) of every text a code cell's outputs show: streams, text/* data, tracebacks."""
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                yield i, output.text
            elif output.output_type == "error":
                yield i, "\n".join(output.traceback + [output.evalue])
            else:
                for mime, value in output.get("data", {}).items():
                    if mime.startswith("text/"):
                        yield i, value if isinstance(value, str) else "".join(value)


# The repository's own place, and the usual homes of a working tree or a temporary file on Linux, macOS, Windows.
ABSOLUTE_PATH = re.compile("|".join([re.escape(str(ROOT)), "/home/", "/Users/", "/tmp/", "/work/", r"\b[A-Za-z]:\\"]))


def test_no_absolute_paths_in_outputs(committed):
    """Outputs print paths relative to the repository (`tools/notebook_runs.py` rewrites them)."""
    found = [
        f"cell {i}: ...{text[max(0, m.start() - 30) : m.end() + 30]!r}..."
        for i, text in output_texts(committed)
        for m in ABSOLUTE_PATH.finditer(text)
    ]
    assert not found, found


def test_no_cell_with_dozens_of_stream_outputs(committed):
    """Stream outputs are merged, so a cell shows one block of text, not one output per progress-bar frame."""
    crowded = {
        i: n
        for i, cell in enumerate(committed.cells)
        if (n := sum(o.output_type == "stream" for o in cell.get("outputs", []))) > MAX_STREAMS
    }
    assert not crowded, f"stream outputs per cell (at most {MAX_STREAMS}): {crowded}"


def test_progress_bars_keep_their_final_line_only(committed):
    framed = sorted({i for i, text in output_texts(committed) if "\r" in text or "\b" in text})
    assert not framed, f"cells whose outputs still hold progress-bar frames (\\r or \\b): {framed}"


STARTUP_NOTES = (
    "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
    "I0000 00:00:1795444701.672490    1964 port.cc:153] oneDNN custom operations are on. You may see "
    "slightly different numerical results due to floating-point round-off errors from different "
    "computation orders. To turn them off, set the environment variable `TF_ENABLE_ONEDNN_OPTS=0`.\n"
)


def test_clean_outputs_merges_streams_keeps_final_frames_and_makes_paths_relative(tmp_path):
    repo = tmp_path / "course"
    temp, home = tempfile.gettempdir(), str(Path.home())
    bar = ["\r  0%|          | 0/3", "\r 33%|###       | 1/3", "\r100%|##########| 3/3", "\n"]
    nb = new_notebook(
        cells=[
            new_code_cell(
                "train()",
                outputs=[
                    new_output("stream", name="stderr", text=STARTUP_NOTES),
                    new_output("stream", name="stdout", text="epoch 1\n"),
                    new_output("stream", name="stderr", text=STARTUP_NOTES),  # dropped, so the two stdout outputs meet
                    new_output("stream", name="stdout", text="epoch 2\n\n"),  # the blank line is printed on purpose
                    *[new_output("stream", name="stderr", text=frame) for frame in bar],
                    new_output(
                        "stream", name="stderr", text="\r 50%|#####     |\r                \r"
                    ),  # a bar that cleared itself
                    new_output("stream", name="stdout", text=f"saved to {repo}/data/runs/x.h5 in {repo}\n"),
                    new_output("stream", name="stdout", text="loss 1.5\b\b\b2.0\n"),  # a Keras-style redraw
                    new_output("stream", name="stderr", text="\r100%|##########| 2/2"),
                    new_output("stream", name="stdout", text="held out: 3 wrong\n"),
                    new_output(
                        "stream", name="stderr", text="\n"
                    ),  # that bar's closing newline, flushed after the print
                ],
            ),
            new_code_cell(
                "where()",
                outputs=[
                    new_output(
                        "execute_result",
                        data={"text/plain": f"PosixPath('{repo.resolve()}/notebooks')"},
                        execution_count=1,
                    ),
                    new_output("display_data", data={"text/plain": f"{temp}/tmpab12/log {home}/.keras {temp}x/y"}),
                ],
            ),
        ]
    )
    nb.cells[0].metadata["execution"] = {"iopub.execute_input": "2025-01-01T00:00:00Z"}

    counts = notebook_runs.clean_outputs(nb, repo)

    assert [(o.name, o.text) for o in nb.cells[0].outputs] == [
        ("stdout", "epoch 1\nepoch 2\n\n"),
        ("stderr", "100%|##########| 3/3\n"),
        ("stdout", "saved to data/runs/x.h5 in .\nloss 2.0\n"),
        ("stderr", "100%|##########| 2/2"),
        ("stdout", "held out: 3 wrong\n"),
    ]
    where, other = nb.cells[1].outputs
    assert where.data["text/plain"] == "PosixPath('notebooks')"
    assert other.data["text/plain"] == f"$TMPDIR/tmpab12/log ~/.keras {temp}x/y"  # /tmpx is another folder
    assert "execution" not in nb.cells[0].metadata
    assert counts == {"streams before": 14, "streams after": 5, "texts with paths": 3}

    cleaned = copy.deepcopy(nb)
    notebook_runs.clean_outputs(nb, repo)
    assert nb == cleaned, "cleaning a clean notebook changes nothing"
