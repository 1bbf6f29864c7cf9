"""The course as an nbgrader course: the command line of `helpers.grading` (which says how it works).

    python tools/nbgrader_course.py setup COURSE             # an nbgrader course folder made from notebooks/
    python tools/nbgrader_course.py student [--check]        # student/ = nbgrader's release (`make student`)
    python tools/nbgrader_course.py grade SUBMITTED [COURSE] # autograde, feedback, grades (`make grade`)

SUBMITTED has nbgrader's layout, ``SUBMITTED/<student>/<assignment>/<notebook>.ipynb``;
grading runs the notebooks in fast mode.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from helpers.grading import ROOT, grade, setup, student


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    command = parser.add_subparsers(dest="command", required=True)
    command.add_parser("setup", help="make an nbgrader course folder").add_argument("course", type=Path)
    make = command.add_parser("student", help="write student/ with nbgrader generate_assignment")
    make.add_argument("--check", action="store_true", help="change nothing; exit 1 if student/ is out of date")
    marking = command.add_parser("grade", help="autograde a folder of submissions")
    marking.add_argument("submitted", type=Path, help="<student>/<assignment>/<notebook>.ipynb below it")
    marking.add_argument(
        "course",
        type=Path,
        nargs="?",
        default=ROOT / "grading",
        help="the nbgrader course folder to grade in (default: grading/)",
    )
    args = parser.parse_args(argv)
    if args.command == "setup":
        print(f"nbgrader course in {setup(args.course)}: cd there, then `nbgrader generate_assignment 01_rnn_basics`")
    elif args.command == "student":
        stale = student(check=args.check)
        for item in stale:
            print(
                f"{'out of date' if args.check else 'wrote'}: {item}" + ("  (run `make student`)" if args.check else "")
            )
        return 1 if args.check and stale else 0
    else:
        grades = grade(args.submitted, args.course)
        print(grades.read_text(), end="")
        print(f"grades: {grades}\nfeedback: {args.course / 'feedback'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
