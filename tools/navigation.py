"""Write the navigation between notebooks: each notebook's previous / contents / next line, and the README's map.

    python tools/navigation.py            # rewrite them (after adding or renaming a notebook)
    python tools/navigation.py --check    # exit 1 if any is out of date (CI: tests/test_navigation.py)

The course's order is the notebooks' file names (``NN_name.ipynb``), plus the
ones planned but not written yet (`PLANNED`). A notebook's title is its first
heading, ``# NN · Title: subtitle``, up to the colon. In each notebook the
navigation is the paragraph of its first cell that links to the contents;
in the README it is the second column of the table under "The notebooks".
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS, README = ROOT / "notebooks", ROOT / "README.md"
CONTENTS = "[Course contents](../README.md#the-notebooks)"
# Notebooks in the plan that do not exist yet: file name -> title.
PLANNED: dict[str, str] = {}
NOT_YET = "*(not written yet)*"


def course() -> list[tuple[str, str, bool]]:
    """``(file name, title, exists)`` for every notebook of the course, in order."""
    entries = {p.name: (title(p), True) for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")}
    for name, planned in PLANNED.items():
        entries.setdefault(name, (planned, False))
    return [(name, t, exists) for name, (t, exists) in sorted(entries.items())]


def title(path: Path) -> str:
    first = nbformat.read(path, as_version=4).cells[0].source.splitlines()[0]
    match = re.match(r"#\s*\d\d\s*·\s*([^:]+)", first)
    if not match:
        raise ValueError(f"{path.name}: the first line should read '# NN · Title: subtitle'; it reads {first!r}")
    return match.group(1).strip()


def label(name: str, t: str) -> str:
    return f"{name[:2]} · {t}"


def nav_line(index: int, entries) -> str:
    parts = []
    if index > 0:
        name, t, exists = entries[index - 1]
        parts.append(f"[← {label(name, t)}]({name})" if exists else f"← {label(name, t)} {NOT_YET}")
    parts.append(CONTENTS)
    if index + 1 < len(entries):
        name, t, exists = entries[index + 1]
        parts.append(f"Next: [{label(name, t)} →]({name})" if exists else f"Next: {label(name, t)} {NOT_YET}")
    return " · ".join(parts)


def updated_notebooks() -> dict[Path, nbformat.NotebookNode]:
    """The notebooks whose navigation line differs from what it should be, with it corrected."""
    entries, changed = course(), {}
    for i, (name, _, exists) in enumerate(entries):
        if not exists:
            continue
        path = NOTEBOOKS / name
        nb = nbformat.read(path, as_version=4)
        paragraphs = nb.cells[0].source.split("\n\n")
        where = [k for k, p in enumerate(paragraphs) if CONTENTS in p]
        if len(where) != 1:
            raise ValueError(f"{name}: its first cell needs one paragraph with the link {CONTENTS}")
        line = nav_line(i, entries)
        if paragraphs[where[0]] != line:
            paragraphs[where[0]] = line
            nb.cells[0].source = "\n\n".join(paragraphs)
            changed[path] = nb
    return changed


def updated_readme() -> str:
    """The README with its notebook map's second column rewritten."""
    text = README.read_text(encoding="utf-8")
    entries = {name[:2]: (name, t, exists) for name, t, exists in course()}

    def row(match: re.Match) -> str:
        number = match.group(1)
        if number not in entries:
            return match.group(0)
        name, t, exists = entries[number]
        cell = f"[{t}](notebooks/{name})" if exists else f"{t} {NOT_YET}"
        return f"| {number} | {cell} |"

    start = text.index("## The notebooks")
    end = text.index("\n## ", start + 1)
    section = re.sub(r"^\| (\d\d) \| [^|]*\|", row, text[start:end], flags=re.M)
    return text[:start] + section + text[end:]


def main(argv: list[str]) -> int:
    check = "--check" in argv
    notebooks, readme = updated_notebooks(), updated_readme()
    readme_changed = readme != README.read_text(encoding="utf-8")
    stale = [p.name for p in notebooks] + (["README.md"] if readme_changed else [])
    if check:
        if stale:
            print("navigation out of date in: " + ", ".join(stale) + "; run: python tools/navigation.py")
            return 1
        print("navigation up to date")
        return 0
    for path, nb in notebooks.items():
        nbformat.write(nb, path)
    if readme_changed:
        README.write_text(readme, encoding="utf-8")
    print("updated: " + (", ".join(stale) if stale else "nothing (already current)"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
