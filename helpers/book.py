"""The course as a book: a static HTML site of the committed notebooks, built offline (`make book`).

Nothing is executed: the notebooks appear with the outputs they were committed
with. The README is the landing page (with the notebook map); its sections
"For instructors" and "Results" become pages of their own. `stage` writes
those sources into a folder (the README split, its links and the notebooks'
links rewritten to point at pages of the site), and `build` runs Sphinx on it
with the configuration in ``book/conf.py``: myst-nb reads the notebooks,
sphinx-book-theme lays the pages out (table of contents, previous / next,
search from the built files), and MathJax is served from the site itself (the
copy that the `django-static-mathjax` package ships), so the site needs no
network to build or to read.

A link to a file of the repository that is not a page of the book (``student/``,
``data/README.md``, a script) points at the repository when
``BOOK_REPOSITORY_URL`` is set (the Pages workflow sets it), and is left as
its text otherwise, so every link of the site resolves.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF_DIR = ROOT / "book"
OUT = ROOT / "build" / "book"  # git-ignored (build/): the site is OUT / "html", its sources OUT / "source"

# README sections (level-2 headings) that get a page of their own: heading -> page name.
PAGES = {"For instructors": "instructors", "Results": "results"}
LANDING = "index"

STUDENT_NOTE = """:::{note}
This site shows the notebooks as the repository holds them, **exercise solutions included**
(the instructor's version). The assignment version is `student/` in the repository: the same
notebooks as nbgrader hands them out, each solution replaced by `# YOUR CODE HERE`. It is not
published here.
:::
"""

WIDGET = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = "[an interactive panel (ipywidgets): it works where the notebook runs, in JupyterLab]"

_FENCE = re.compile(r"^(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LINK = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """The anchor of a heading, as GitHub and MyST (``myst_heading_anchors``) make it.

    ``"The roof: how close to what this CPU can do"`` gives
    ``"the-roof-how-close-to-what-this-cpu-can-do"``: lower case, spaces as
    hyphens, punctuation (backticks, colons, dots) dropped.
    """
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading: its text
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _headings(text: str) -> list[tuple[int, int, str]]:
    """``(line number, level, text)`` of every Markdown heading outside code fences."""
    found, fenced = [], False
    for i, line in enumerate(text.splitlines()):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (m := _HEADING.match(line)):
            found.append((i, len(m.group(1)), m.group(2)))
    return found


def split_readme(text: str) -> dict[str, str]:
    """The README cut into the book's pages: ``{page name: Markdown}``, the landing page first.

    A level-2 section named in `PAGES` (with its subsections) goes to its own
    page, its headings raised one level; everything else stays on the landing page.
    """
    lines = text.splitlines()
    level2 = [(i, t) for i, level, t in _headings(text) if level == 2] + [(len(lines), None)]
    pages = {LANDING: lines[: level2[0][0]]}
    for (start, heading), (end, _) in zip(level2, level2[1:]):
        section = lines[start:end]
        page = PAGES.get(heading)
        if page is None:
            pages[LANDING] += section
            continue
        fenced, raised = False, []
        for line in section:
            if _FENCE.match(line):
                fenced = not fenced
            raised.append(line[1:] if not fenced and _HEADING.match(line) else line)
        pages[page] = raised
    return {name: "\n".join(body).rstrip() + "\n" for name, body in pages.items()}


def _repository_link(path: str, url: str | None) -> str | None:
    if not url:
        return None
    kind = "tree" if path.endswith("/") or (ROOT / path).is_dir() else "blob"
    return f"{url.rstrip('/')}/{kind}/{os.environ.get('BOOK_BRANCH', 'main')}/{path}"


def rewrite_links(
    text: str, where: str, anchors: dict[str, str], url: str | None = None, page: str | None = None
) -> str:
    """``text`` (Markdown of the repository file ``where``) with its links pointing at the book's pages.

    ``anchors`` maps each README heading's anchor to the page it is on, and
    ``page`` names the page this text of the README goes to (the landing page
    unless said otherwise). A link
    to ``README.md`` or to one of its anchors goes to the page that holds that
    section; a link to a notebook stays (the notebooks keep their paths); a
    link to any other file of the repository goes to the repository (``url``)
    or, without one, is left as its text.
    """
    page_dir = Path(where).parent
    here = (page or LANDING) if where == "README.md" else None  # a notebook's own anchors stay as they are

    def page_link(name: str, fragment: str) -> str:
        rel = os.path.relpath(name + ".md", page_dir.as_posix() or ".")
        return rel + (f"#{fragment}" if fragment else "")

    def fix(match: re.Match) -> str:
        label, target = match.groups()
        if re.match(r"^[a-z]+:", target):  # http:, https:, mailto:
            return match.group(0)
        path, _, fragment = target.partition("#")
        if not path:  # an anchor on this page
            there = anchors.get(fragment, here) if here else None
            if there == here or there is None:
                return match.group(0)
            return f"[{label}]({page_link(there, fragment)})"
        repo_path = os.path.normpath(page_dir / path).replace(os.sep, "/") + ("/" if path.endswith("/") else "")
        if repo_path == "README.md":
            there = anchors.get(fragment, LANDING) if fragment else LANDING
            return f"[{label}]({page_link(there, fragment)})"
        if repo_path.startswith("notebooks/") and repo_path.endswith(".ipynb"):
            return match.group(0)
        link = _repository_link(repo_path, url)
        return f"[{label}]({link})" if link else label

    return _LINK.sub(fix, text)


def notebook_title(path: Path) -> str:
    """A notebook's short title for the table of contents: its first heading up to the colon, "04 · Character-level Shakespeare"."""
    first = json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"]
    first = "".join(first).splitlines()[0]
    return first.lstrip("# ").split(":")[0].strip()


def stage(source: Path, root: Path = ROOT, url: str | None = None) -> list[str]:
    """Write the book's sources into ``source`` (emptied first); returns the pages' names in reading order.

    The landing page ``index.md`` (the README less the sections in `PAGES`,
    with the book's table of contents), a page per section in `PAGES`, and
    the committed notebooks under ``notebooks/`` with only their Markdown
    cells' links rewritten and a widget's output replaced by a line saying what it is (the
    other outputs as committed).
    """
    url = url if url is not None else os.environ.get("BOOK_REPOSITORY_URL") or None
    if source.exists():
        shutil.rmtree(source)
    (source / "notebooks").mkdir(parents=True)
    readme = (root / "README.md").read_text(encoding="utf-8")
    pages = split_readme(readme)
    anchors = {}
    for page, body in pages.items():
        for _, _, heading in _headings(body):
            anchors.setdefault(slug(heading), page)
    notebooks = sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    toc = ["", "```{toctree}", ":hidden:", ":caption: The notebooks", ""]
    toc += [f"{notebook_title(p)} <notebooks/{p.stem}>" for p in notebooks]
    toc += ["```", "", "```{toctree}", ":hidden:", ":caption: Teaching and results", ""]
    toc += [f"{heading} <{page}>" for heading, page in PAGES.items()] + ["```", ""]
    for page, body in pages.items():
        body = rewrite_links(body, "README.md", anchors, url, page=page)
        if page == PAGES["For instructors"]:
            first_break = body.index("\n\n") + 2
            body = body[:first_break] + STUDENT_NOTE + "\n" + body[first_break:]
        if page == LANDING:
            body += "\n".join(toc)
        (source / f"{page}.md").write_text(body, encoding="utf-8")
    for path in notebooks:
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                cell["source"] = rewrite_links(text, f"notebooks/{path.name}", anchors, url)
        # A widget (notebook 04's writing panel) needs a kernel, and its JavaScript would come from a CDN:
        # the book says what it is instead of showing its repr.
        nb["metadata"].pop("widgets", None)
        for cell in nb["cells"]:
            for output in cell.get("outputs", []):
                if WIDGET in output.get("data", {}):
                    output["data"] = {"text/plain": WIDGET_NOTE}
        (source / "notebooks" / path.name).write_text(json.dumps(nb, indent=1, ensure_ascii=False), encoding="utf-8")
    return [LANDING] + [f"notebooks/{p.stem}" for p in notebooks] + list(PAGES.values())


def build(out: Path = OUT, root: Path = ROOT, quiet: bool = True) -> Path:
    """Stage the sources into ``out/source`` and build the site into ``out/html``; returns the landing page.

    Sphinx runs with ``-W`` (a warning, such as a link that resolves nowhere, fails
    the build) and ``-E`` (every page read again), and prints the seconds it took
    and the site's size.
    """
    source, html = out / "source", out / "html"
    start = time.perf_counter()
    stage(source, root)
    if html.exists():
        shutil.rmtree(html)
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-E", "-j", "auto"]
    command += ["-c", str(root / "book"), "-d", str(out / "doctrees"), str(source), str(html)]
    subprocess.run(command + (["-q"] if quiet else []), check=True)
    size = sum(f.stat().st_size for f in html.rglob("*") if f.is_file())
    print(f"book: {html / 'index.html'} ({size / 1e6:.1f} MB) in {time.perf_counter() - start:.0f} s")
    return html / "index.html"
