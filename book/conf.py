"""Sphinx configuration of the course's book: `make book` (helpers.book.build) stages the sources and uses this.

Offline by design: nothing is executed (the notebooks' committed outputs are
shown), nothing is loaded from a CDN (MathJax is copied into the site from the
`django-static-mathjax` package; helpers.book puts a line in place of a widget), and the
search runs on the index Sphinx writes beside the pages.
"""

import os
import shutil
from pathlib import Path

import mathjax  # django-static-mathjax: MathJax 3 as static files

project = "Recurrent neural networks, hands on"
author = "the RNN course's authors"
html_title = project
language = "en"

extensions = ["myst_nb", "sphinx.ext.mathjax"]
root_doc = "index"
exclude_patterns = ["_build", "**.ipynb_checkpoints"]

# The notebooks as committed: never run, outputs as they are.
nb_execution_mode = "off"
nb_ipywidgets_js = {}  # no RequireJS / widget manager from a CDN
nb_merge_streams = True

myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 4  # `[...](#the-notebooks)` and `[...](results.md#the-roof-...)` resolve as on GitHub

# MathJax from the site itself.
MATHJAX = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
MATHJAX_PARTS = ["tex-chtml.js", "output/chtml", "input/tex", "ui", "a11y", "adaptors", "sre"]
mathjax_path = "mathjax/tex-chtml.js"

REPOSITORY = os.environ.get("BOOK_REPOSITORY_URL", "")


def _in_repository(path: str, text: str) -> str:
    if not REPOSITORY:
        return text
    return f'<a href="{REPOSITORY.rstrip("/")}/blob/{os.environ.get("BOOK_BRANCH", "main")}/{path}">{text}</a>'


FOOTER = (
    '<p class="book-licence">Code: ' + _in_repository("LICENSE", "MIT licence") + ". "
    'Text and figures: <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>. '
    "Data sets keep their own licences (" + _in_repository("data/README.md", "data/README.md") + "); "
    "the Penn Treebank is downloaded, not redistributed.</p>"
)

html_theme = "sphinx_book_theme"
html_theme_options = {
    "extra_footer": FOOTER,
    "show_toc_level": 2,
    "home_page_in_toc": True,
    "use_download_button": True,
    "use_fullscreen_button": False,
}
if REPOSITORY:
    html_theme_options |= {"repository_url": REPOSITORY, "use_repository_button": True}
# pydata-sphinx-theme reads the colour mode from here; left empty, a first visit logs "invalid theme mode"
html_context = {"default_mode": "auto"}
html_show_copyright = False
html_show_sphinx = False
html_last_updated_fmt = None


def _finish(app, exception):
    """Copy MathJax into the site; drop the themes' template fragments that land in _static/ (not pages)."""
    if exception is not None or app.builder.format != "html":
        return
    for fragment in (Path(app.outdir) / "_static").glob("*.html"):
        fragment.unlink()
    target = Path(app.outdir) / "_static" / "mathjax"
    for part in MATHJAX_PARTS:
        source = MATHJAX / part
        if source.is_dir():
            shutil.copytree(source, target / part, dirs_exist_ok=True)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / part)


def setup(app):
    app.connect("build-finished", _finish)
