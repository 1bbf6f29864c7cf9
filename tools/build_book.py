"""Build the course as a static HTML site from the committed notebooks, offline (`make book`).

    python tools/build_book.py                    # into build/book/html; open build/book/html/index.html
    python tools/build_book.py --out DIR          # into DIR/html (the test builds into a temporary folder)

Nothing is executed; see `helpers.book` for what the site holds and how.
Needs the book's tools: ``pip install -e '.[book]'`` (`make book` installs them).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from helpers import book


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=book.OUT, help=f"output folder (default {book.OUT})")
    parser.add_argument("--verbose", action="store_true", help="show Sphinx's progress")
    args = parser.parse_args()
    book.build(args.out.resolve(), quiet=not args.verbose)


if __name__ == "__main__":
    main()
