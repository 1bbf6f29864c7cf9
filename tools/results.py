"""Write the README's results table from what the committed notebooks printed and the shipped training logs.

    python tools/results.py                  # rewrite the table between the markers in README.md
    python tools/results.py --check          # exit 1, saying what differs, if README.md is not what it would write
    python tools/results.py --readme PATH    # the same on another copy of the README (the tests' temp copies)

Every figure in the table is read from where it is printed: the text output of
a committed notebook's code cell, found by a pattern in that text (never by
cell index: a cell moved or added does not break it), or a column of a shipped
run's log, ``data/trained/<name>.log.csv`` (`helpers.logs.read_log`). A
pattern that finds no cell, or more than one, is an error that names the
notebook and the pattern: the notebook changed, so the table must be looked at
again. Published figures the table compares with are read from where the
notebook cites them (its markdown, with the link), or from its printed output.
The only words of the table that are not read are the descriptions of the set-ups
and the course's goals (targets, not measurements).

The rows are one function per notebook, in tools/results_rows_01_04.py and
tools/results_rows_05_08.py; how a figure is read, in tools/results_sources.py.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script, from anywhere
from results_rows_01_04 import nb01, nb02, nb03, nb04  # noqa: E402
from results_rows_05_08 import nb05, nb06, nb07, nb08  # noqa: E402
from results_sources import NOTEBOOKS, ROOT, SourceError, match  # noqa: E402

README = ROOT / "README.md"
BEGIN = "<!-- results:begin (written by tools/results.py from the notebooks' outputs and data/trained/*.log.csv) -->"
END = "<!-- results:end -->"


def versions() -> str:
    found = set()
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        found.add(match(path.stem, r"^(TensorFlow \S+, Keras \S+, NumPy \S+); (\w+) mode$").groups())
    if len(found) != 1:
        raise SourceError(f"the notebooks' first outputs name different versions or modes: {sorted(found)}")
    ((stack, mode),) = found
    return f"Every notebook's first output: {stack}; {mode} mode."


def table() -> str:
    rows = [row for part in (nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08) for row in part()]
    out = [versions(), "", "| notebook | measured | value |", "|---|---|---|"]
    out += [f"| {nb} | {what} | {value} |" for nb, what, value in rows]
    return "\n".join(out)


def rewritten(text: str, path: Path) -> str:
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise SourceError(f"{path}: needs one line {BEGIN!r} and, after it, one line {END!r}")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n" + table() + "\n" + text[end:]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the README is not what this would write")
    parser.add_argument("--readme", type=Path, default=README, help="the README to check or rewrite")
    args = parser.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    try:
        new = rewritten(text, args.readme)
    except SourceError as error:
        print(f"results: {error}", file=sys.stderr)
        return 2
    if args.check:
        if new != text:
            diff = difflib.unified_diff(
                text.splitlines(),
                new.splitlines(),
                f"{args.readme} (now)",
                f"{args.readme} (from the notebooks' outputs and the logs)",
                n=0,
                lineterm="",
            )
            print("results table out of date; run: python tools/results.py\n" + "\n".join(diff))
            return 1
        print("results table up to date")
        return 0
    if new != text:
        args.readme.write_text(new, encoding="utf-8")
        print(f"updated the results table in {args.readme}")
    else:
        print("results table already current")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
