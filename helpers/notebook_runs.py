"""Running notebooks top to bottom, and cleaning their outputs as they are committed.

`execute` runs a notebook in this Python's own kernel (full mode unless
RNN_COURSE_FAST=1 is set); `tools/run_notebooks.py` (`make notebooks`) runs
and saves them, `benchmarks/notebook_times.py` times them.

Before saving, `clean_outputs` tidies what the run printed (CONTRIBUTING.md: a
progress bar's final line only, paths relative to the repository, no
execution timestamps). ``--clean-only`` applies it to notebooks that were
already executed, without running them again.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from .data import REPO_DIR as ROOT

KERNELSPEC = {"name": "rnn-course", "display_name": "Python (RNN course)", "language": "python"}

_START, _END = r"(?<![\w./-])", r"(?![\w.-])"  # a path begins and ends here, not inside another one
# TensorFlow's C++ start-up notes that TF_CPP_MIN_LOG_LEVEL cannot silence (they are written before its
# logging starts): on CPUs where TensorFlow turns oneDNN on, every import prints these, with a timestamp.
STARTUP_NOISE = re.compile(
    r"WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|I\d{4} [\d:.]+ +\d+ port\.cc:\d+\] oneDNN custom operations are on\..*"
)


def execute(path: Path) -> tuple[nbformat.NotebookNode, float]:
    """Run the notebook at `path` in this Python's kernel; return it with its outputs, and the seconds taken."""
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=None,
        record_timing=False,  # no timestamps in the commit
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    nb.metadata["kernelspec"] = KERNELSPEC  # the course kernel that `make lab` registers
    return nb, time.perf_counter() - start


def final_frames(text: str) -> str:
    """What a terminal shows once `text` has been printed: each line as its last carriage-return frame.

    A progress bar redraws itself by writing ``\\r`` and the new frame; only
    the text after the last ``\\r`` of a line (the last non-empty frame, and
    with backspaces applied) stays. A line whose final frame is blank (a bar
    that cleared itself) is dropped; a blank line printed on purpose is kept.
    TensorFlow's timestamped start-up notes (`STARTUP_NOISE`) are dropped too.
    """
    lines = text.split("\n")
    kept = []
    for k, line in enumerate(lines):
        if STARTUP_NOISE.fullmatch(line):
            continue
        if "\r" in line or "\b" in line:
            frames = [frame for frame in line.split("\r") if frame]
            line = _apply_backspaces(frames[-1]) if frames else ""
            if not line.strip():
                if k == len(lines) - 1:
                    kept.append("")  # an unfinished last line: drop it, keep the newline before it
                continue
        kept.append(line)
    return "\n".join(kept)


def _apply_backspaces(text: str) -> str:
    kept: list[str] = []
    for ch in text:
        if ch == "\b":
            if kept:
                kept.pop()
        else:
            kept.append(ch)
    return "".join(kept)


def path_replacements(repo_root: Path) -> list[tuple[re.Pattern, str]]:
    """(pattern, replacement) pairs that make absolute paths relative or neutral, most specific first.

    The repository, under each of its spellings (as given, resolved), becomes
    a path relative to it (``/work/main/data/x`` -> ``data/x``; the root
    alone -> ``.``); then the temporary folder becomes ``$TMPDIR`` and the
    home folder ``~``.
    """
    roots = {str(Path(repo_root).absolute()), str(Path(repo_root).resolve())}
    rules = []
    for root in sorted(roots, key=len, reverse=True):
        if root != os.sep:
            rules.append((re.compile(_START + re.escape(root.rstrip(os.sep) + os.sep)), ""))
            rules.append((re.compile(_START + re.escape(root) + _END), "."))
    for folder, name in ((tempfile.gettempdir(), "$TMPDIR"), (str(Path.home()), "~")):
        for spelling in sorted({folder, os.path.realpath(folder)}, key=len, reverse=True):
            if spelling not in (os.sep, ""):
                rules.append((re.compile(_START + re.escape(spelling) + _END), name))
    return rules


def relative_paths(text: str, rules: list[tuple[re.Pattern, str]]) -> str:
    for pattern, replacement in rules:
        text = pattern.sub(lambda _, replacement=replacement: replacement, text)
    return text


def _joined(outputs: list, stream) -> bool:
    """Append `stream`'s text to the last of `outputs` if that is a stream of the same name; say whether it was."""
    last = outputs[-1] if outputs else None
    if last is not None and last.output_type == "stream" and last.name == stream.name:
        last.text += stream.text
        return True
    return False


def clean_outputs(nb: nbformat.NotebookNode, repo_root: Path = ROOT) -> dict[str, int]:
    """Tidy every code cell's outputs in place, as CONTRIBUTING.md asks of committed notebooks; return counts.

    - consecutive stream outputs of the same name (stdout, stderr) become one;
    - their text keeps each line's final frame (`final_frames`): a progress
      bar ends as its last line, and TensorFlow's start-up notes go; a blank
      stderr output (a bar's closing newline, which the kernel may flush after
      the next print) goes too;
    - absolute paths of the repository become relative to it, and the
      temporary and home folders are written ``$TMPDIR`` and ``~``
      (`path_replacements`), in streams, text outputs and tracebacks;
    - execution timestamps (``metadata.execution``) are removed.

    Works on a freshly executed notebook and on one read from disk, and
    cleaning twice changes nothing. The counts say how many stream outputs
    there were before and after, and how many texts had a path replaced.
    """
    rules = path_replacements(repo_root)
    counts = {"streams before": 0, "streams after": 0, "texts with paths": 0}

    def fix_paths(text: str) -> str:
        fixed = relative_paths(text, rules)
        counts["texts with paths"] += fixed != text
        return fixed

    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        outputs = []
        for output in cell.outputs:
            if output.output_type == "stream":
                counts["streams before"] += 1
                output.text = output.text if isinstance(output.text, str) else "".join(output.text)
                if _joined(outputs, output):
                    continue
            outputs.append(output)
        cleaned = []
        for output in outputs:
            if output.output_type == "stream":
                output.text = fix_paths(final_frames(output.text))
                blank_stderr = (
                    output.name == "stderr" and not output.text.strip()
                )  # a bar's closing newline, flushed late
                if not output.text or blank_stderr or _joined(cleaned, output):  # empty now, or what stood between went
                    continue
                counts["streams after"] += 1
            elif output.output_type == "error":
                output.traceback = [fix_paths(line) for line in output.traceback]
                output.evalue = fix_paths(output.evalue)
            else:
                for mime, value in output.get("data", {}).items():
                    if mime.startswith("text/"):
                        output.data[mime] = fix_paths(value if isinstance(value, str) else "".join(value))
            cleaned.append(output)
        cell.outputs = cleaned
    return counts
