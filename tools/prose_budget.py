"""The notebooks' prose budget: how long their markdown cells are, and how much prose per line of code.

    python tools/prose_budget.py              # one row per notebook, and the course's limits
    python tools/prose_budget.py --check      # exit 1 if a notebook is over a limit (the rows are printed too)
    python tools/prose_budget.py --rev REV    # the same for the notebooks as committed at REV (before / after)

The course's limits (issue 26): the median markdown cell of a notebook at
most `MEDIAN` words, none over `LONGEST`, and at most `PER_LINE` prose words
per line of code (Hands-On ML's chapter 16 has about 4).

A word is what a reader reads: the text of a link, not its address; an inline
formula or code span counts as one word; a heading's words count. A line of
code is a non-blank line of a code cell that is not only a comment.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
MEDIAN, LONGEST, PER_LINE = 80, 200, 8.0


def words(markdown: str) -> int:
    """Words a reader reads in `markdown`: links by their text, each `code` or $formula$ span as one word."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)  # [text](address) -> text
    text = re.sub(r"`[^`]*`|\$[^$]*\$", " x ", text)  # a span is one word
    text = re.sub(r"<[^>]+>", " ", text)  # html tags
    return len(re.findall(r"[\w'’.,;:()/%+−-]*\w[\w'’.,;:()/%+−-]*", text))


def code_lines(source: str) -> int:
    return sum(1 for line in source.splitlines() if line.strip() and not line.strip().startswith("#"))


def budget(nb: nbformat.NotebookNode) -> dict[str, float]:
    counts = [words(c.source) for c in nb.cells if c.cell_type == "markdown"]
    code = sum(code_lines(c.source) for c in nb.cells if c.cell_type == "code")
    return {
        "cells": len(counts),
        "median": statistics.median(counts) if counts else 0,
        "longest": max(counts, default=0),
        "over": sum(n > LONGEST for n in counts),
        "words": sum(counts),
        "code": code,
        "per_line": sum(counts) / code if code else float("inf"),
    }


def notebooks(rev: str | None) -> dict[str, nbformat.NotebookNode]:
    if rev is None:
        return {p.stem: nbformat.read(p, as_version=4) for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))}
    names = subprocess.run(
        ["git", "ls-tree", "--name-only", rev, "notebooks/"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    found = {}
    for name in sorted(n for n in names if re.fullmatch(r"notebooks/\d\d_.*\.ipynb", n)):
        text = subprocess.run(["git", "show", f"{rev}:{name}"], cwd=ROOT, capture_output=True, text=True, check=True)
        found[Path(name).stem] = nbformat.reads(text.stdout, as_version=4)
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a notebook is over a limit")
    parser.add_argument("--rev", help="measure the notebooks as committed at this git revision")
    args = parser.parse_args(argv)
    print(
        f"| notebook | markdown cells | median words | longest | over {LONGEST} | prose words | code lines | words per code line |"
    )
    print("|---|---|---|---|---|---|---|---|")
    failing = []
    for stem, nb in notebooks(args.rev).items():
        b = budget(nb)
        print(
            f"| {stem} | {b['cells']} | {b['median']:.0f} | {b['longest']} | {b['over']} | {b['words']:,} "
            f"| {b['code']:,} | {b['per_line']:.1f} |"
        )
        if b["median"] > MEDIAN or b["over"] or b["per_line"] > PER_LINE:
            failing.append(stem)
    if failing:
        limits = f"median <= {MEDIAN} words, none over {LONGEST}, <= {PER_LINE:g} words per code line"
        print(f"over the budget ({limits}): {', '.join(failing)}")
    return 1 if args.check and failing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
