"""How `helpers.book` stages the book's sources, without Sphinx or a browser: the README split, the links rewritten.

tests/test_book.py builds the site and opens its pages in Chromium.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers import book

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))

README = """# Title

Intro, see [the results](#results) and [the roof](#the-roof-how-close) and [CONTRIBUTING.md](CONTRIBUTING.md).

## Start

```bash
## not a heading: a comment in a code block
```

## For instructors

Give out [`student/`](student/), grade [here](#start).

## Results

A table.

### The roof: how close

## Tests

The end.
"""


def test_slug_is_githubs():
    assert book.slug("The roof: how close to what this CPU can do") == "the-roof-how-close-to-what-this-cpu-can-do"
    assert book.slug("4. The proof: equal to `keras.layers.LSTM`") == "4-the-proof-equal-to-keraslayerslstm"


def test_the_readme_is_split_into_its_pages():
    pages = book.split_readme(README)
    assert list(pages) == ["index", "instructors", "results"]
    assert "## Start" in pages["index"] and "## not a heading" in pages["index"] and "## Tests" in pages["index"]
    assert pages["instructors"].startswith("# For instructors\n")
    assert pages["results"].startswith("# Results\n") and "\n## The roof: how close\n" in pages["results"]
    assert "For instructors" not in pages["index"] and "A table." not in pages["index"]


def test_links_point_at_the_pages_that_hold_them():
    pages = book.split_readme(README)
    anchors = {book.slug(h): page for page, body in pages.items() for _, _, h in book._headings(body)}
    index = book.rewrite_links(pages["index"], "README.md", anchors)
    assert "[the results](results.md#results)" in index and "[the roof](results.md#the-roof-how-close)" in index
    assert "[CONTRIBUTING.md]" not in index and "CONTRIBUTING.md" in index  # not a page: its text, without a link
    instructors = book.rewrite_links(pages["instructors"], "README.md", anchors, page="instructors")
    assert "Give out `student/`, grade [here](index.md#start)." in instructors
    url = "https://example.org/course"
    assert f"[`student/`]({url}/tree/main/student/)" in book.rewrite_links(
        pages["instructors"], "README.md", anchors, url
    )
    cell = "[← 01](01_rnn_basics.ipynb) · [Course contents](../README.md#the-notebooks) · [roof](../README.md#the-roof-how-close)"
    assert book.rewrite_links(cell, "notebooks/02_x.ipynb", {**anchors, "the-notebooks": "index"}) == (
        "[← 01](01_rnn_basics.ipynb) · [Course contents](../index.md#the-notebooks) · [roof](../results.md#the-roof-how-close)"
    )


def test_staged_notebooks_keep_their_code_and_outputs(tmp_path):
    names = book.stage(tmp_path / "source", url="")
    assert names == ["index"] + [f"notebooks/{p.stem}" for p in NOTEBOOKS] + ["instructors", "results"]
    index = (tmp_path / "source" / "index.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert f"<notebooks/{path.stem}>" in index, f"{path.name} missing from the table of contents"
        committed = json.loads(path.read_text(encoding="utf-8"))["cells"]
        staged = json.loads((tmp_path / "source" / "notebooks" / path.name).read_text(encoding="utf-8"))["cells"]
        for before, after in zip(committed, staged, strict=True):
            if before["cell_type"] == "code":
                assert "".join(before["source"]) == "".join(after["source"])
                kept = [o for o in before["outputs"] if book.WIDGET not in o.get("data", {})]
                assert kept == [o for o in after["outputs"] if o.get("data", {}).get("text/plain") != book.WIDGET_NOTE]
    assert "exercise solutions included" in (tmp_path / "source" / "instructors.md").read_text(encoding="utf-8")
