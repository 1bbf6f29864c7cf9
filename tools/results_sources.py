"""How tools/results.py reads a figure: from a committed notebook's printed output, by a pattern, or a shipped log.

A pattern that finds no cell, or more than one, raises `SourceError`, naming
the notebook and the pattern (see tools/results.py).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NOTEBOOKS, TRAINED = ROOT / "notebooks", ROOT / "data" / "trained"


class SourceError(Exception):
    """A figure's source is not where the script looks for it."""


_notebooks: dict[str, list[tuple[str, str]]] = {}


def _cells(stem: str) -> list[tuple[str, str]]:
    """``(cell_type, text)`` of a notebook's cells: a code cell's text is its printed output, markdown its source."""
    if stem not in _notebooks:
        nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
        cells = []
        for cell in nb.cells:
            if cell.cell_type == "code":
                parts = []
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "stream":
                        parts.append(out.get("text", ""))
                    elif "text/plain" in out.get("data", {}):
                        parts.append(out["data"]["text/plain"] + "\n")
                # each output on its own lines (a progress bar's last line has no newline of its own)
                cells.append(("code", "".join(p if p.endswith("\n") else p + "\n" for p in parts)))
            elif cell.cell_type == "markdown":
                cells.append(("markdown", cell.source))
        _notebooks[stem] = cells
    return _notebooks[stem]


def _find(stem: str, pattern: str, kind: str, flags: int = 0) -> str:
    found = [text for t, text in _cells(stem) if t == kind and re.search(pattern, text, re.M | flags)]
    where = "printed output" if kind == "code" else "markdown"
    if len(found) != 1:
        raise SourceError(f"notebooks/{stem}.ipynb: {len(found)} cells' {where} match {pattern!r} (expected one)")
    return found[0]


def printed(stem: str, pattern: str) -> str:
    """The whole printed output of the one code cell of notebook `stem` whose output matches `pattern`."""
    return _find(stem, pattern, "code")


def match(stem: str, pattern: str, *, kind: str = "code", flags: int = 0) -> re.Match:
    """`pattern` searched in the one cell whose text matches it."""
    text = _find(stem, pattern, kind, flags)
    return re.search(pattern, text, re.M | flags)


def lines(text: str, pattern: str) -> list[re.Match]:
    found = list(re.finditer(pattern, text, re.M))
    if not found:
        raise SourceError(f"no line matches {pattern!r} in:\n{text}")
    return found


def log(name: str) -> dict[str, list[float]]:
    from helpers.logs import read_log

    path = TRAINED / f"{name}.log.csv"
    columns = read_log(path)
    if not columns:
        raise SourceError(f"{path.relative_to(ROOT)}: missing or empty")
    return columns


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f}"


def kilo(count: str) -> str:
    return f"{round(int(count.replace(',', '')) / 1000)}k"
