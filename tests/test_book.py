"""The course as a book (`make book`): built from the committed notebooks, then every page opened in Chromium.

Builds the site with `tools/build_book.py` (what `make book` runs) into a
temporary folder, serves it on a local port, and opens every HTML page in
one headless Chromium session (the set-up of tests/test_browser.py: the
system Chromium driven by Playwright, nothing downloaded). Any request to
another host is refused and counted: the site must need no network. Each
page is checked for console errors, its title heading, its images loaded,
its math typeset by the bundled MathJax, its links and anchors, the
previous / next links and the licence footer; the search page is asked for
a word that only one notebook contains. Screenshots of the landing page
and of notebook 04 go to data/screenshots/, beside the JupyterLab one.
How `helpers.book` stages the sources (the README split into pages, the links
rewritten) is unit-tested in tests/test_book_staging.py, without a browser.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MISSING = [m for m in ("sphinx", "myst_nb", "sphinx_book_theme", "mathjax") if importlib.util.find_spec(m) is None]
BUILD_SECONDS, SITE_BYTES = 120, 50_000_000  # the goals: built in 2 minutes at most, 50 MB at most

# The browser tests: integration (the build and Chromium); the staging's tests below them are unit tests.
BROWSER_MARKS = [
    pytest.mark.integration,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Chromium is not installed (on Debian: `make chromium`, i.e. apt-get install chromium)",
    ),
    pytest.mark.skipif(
        bool(MISSING), reason=f"the book's tools are not installed ({', '.join(MISSING)}): pip install -e '.[book]'"
    ),
]


def in_browser(test):
    for mark in BROWSER_MARKS:
        test = mark(test)
    return test


def first_heading(path: Path) -> str:
    return "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"]).splitlines()[0].lstrip("# ")


# The reading order (previous / next) and each page's title heading.
ORDER = ["index.html"] + [f"notebooks/{p.stem}.html" for p in NOTEBOOKS] + ["instructors.html", "results.html"]
TITLES = {
    "index.html": "Recurrent neural networks, hands on",
    **{f"notebooks/{p.stem}.html": first_heading(p) for p in NOTEBOOKS},
    "instructors.html": "For instructors",
    "results.html": "Results",
    "search.html": "Search",
    "genindex.html": "Index",
}


def prose(path: Path) -> str:
    """A notebook's Markdown cells, without the links' targets."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return re.sub(r"\]\([^)]*\)", "]", text)


# The pages whose text has LaTeX (`$...$`): the README's and those of the notebooks that have some.
MATH_PAGES = ["index.html", "results.html"] + [
    f"notebooks/{p.stem}.html" for p in NOTEBOOKS if re.search(r"\$[^$\s]", prose(p))
]

PAGE_FACTS = """async () => {
  for (const img of document.images) img.loading = 'eager';
  await Promise.all(Array.from(document.images).map(img => img.complete ? null :
    new Promise(done => { img.onload = img.onerror = done; })));
  if (document.querySelector('.math') && window.MathJax) await MathJax.startup.promise;
  const heading = Array.from(document.querySelectorAll('article h1, main h1')).find(h => h.textContent.trim());
  // text outside code and outputs, where a raw $$ would mean math left untypeset
  const prose = document.querySelector('article') || document.body;
  const clone = prose.cloneNode(true);
  clone.querySelectorAll('pre, code, .output, mjx-container, script').forEach(e => e.remove());
  return {
    heading: heading ? heading.textContent.replace(/[#¶]/g, '').trim() : null,
    images: Array.from(document.images).map(i => [i.getAttribute('src'), i.naturalWidth]),
    math: document.querySelectorAll('article .math').length,
    typeset: document.querySelectorAll('article .math mjx-container').length,
    mathErrors: document.querySelectorAll('mjx-merror').length,
    rawDollars: (clone.textContent.match(/\\$\\$/g) || []).length,
    links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
    ids: Array.from(document.querySelectorAll('[id], a[name]')).map(e => e.id || e.getAttribute('name')),
    prev: document.querySelector('.prev-next-area a.left-prev')?.href ?? null,
    next: document.querySelector('.prev-next-area a.right-next')?.href ?? null,
    footer: Array.from(document.querySelectorAll('footer')).map(f => f.textContent).join(' '),
  };
}"""


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The book built by the command `make book` runs, into a temporary folder: (html folder, seconds, bytes)."""
    out = tmp_path_factory.mktemp("book")
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "tools/build_book.py", "--out", str(out)], cwd=ROOT, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    assert result.returncode == 0, result.stdout + result.stderr
    html = out / "html"
    size = sum(f.stat().st_size for f in html.rglob("*") if f.is_file())
    return html, seconds, size


@pytest.fixture(scope="module")
def served(site):
    """The built site on a local port the system picks; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(site[0]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser_page(served):
    """One Chromium page for the whole module, with every request outside the local server refused and recorded."""
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (`make install-test`)")
    problems: list[str] = []
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})

            def route(r):
                if r.request.url.startswith(served):
                    r.continue_()
                else:
                    problems.append(f"request outside the site: {r.request.url}")
                    r.abort()

            page.route("**/*", route)
            page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("response", lambda r: r.status >= 400 and problems.append(f"HTTP {r.status}: {r.url}"))
            yield page, problems
        finally:
            browser.close()


@pytest.fixture(scope="module")
def visits(site, served, browser_page):
    """Every HTML page of the site opened once: {page: facts about it, and the problems met while loading it}."""
    page, problems = browser_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    found, start = {}, time.perf_counter()
    for path in sorted(p.relative_to(site[0]).as_posix() for p in site[0].rglob("*.html")):
        problems.clear()
        page.goto(served + path, wait_until="load")
        facts = page.evaluate(PAGE_FACTS)
        if path == "index.html":
            page.screenshot(path=str(SCREENSHOTS / "book_index.png"))
        if path == "notebooks/04_char_shakespeare.html":
            page.screenshot(path=str(SCREENSHOTS / "book_04_char_shakespeare.png"))
        found[path] = {**facts, "problems": list(problems)}
    print(f"{len(found)} pages opened in {time.perf_counter() - start:.1f} s")
    return found


@in_browser
def test_the_build_meets_its_goals(site):
    html, seconds, size = site
    print(f"book built in {seconds:.0f} s, {size / 1e6:.1f} MB")
    assert seconds <= BUILD_SECONDS, f"the book took {seconds:.0f} s to build (goal: {BUILD_SECONDS} s)"
    assert size <= SITE_BYTES, f"the site takes {size / 1e6:.1f} MB (goal: {SITE_BYTES / 1e6:.0f} MB)"
    assert not list(html.rglob("*student*")), "student copies are not published"


@in_browser
def test_every_page_is_there_and_opens_without_errors_or_network(visits):
    assert set(TITLES) <= set(visits), f"pages missing: {sorted(set(TITLES) - set(visits))}"
    failing = {page: facts["problems"] for page, facts in visits.items() if facts["problems"]}
    assert not failing, failing


@in_browser
def test_every_page_shows_its_title_heading(visits):
    for page, facts in visits.items():
        assert facts["heading"], f"{page}: no title heading"
        if page in TITLES:
            assert facts["heading"] == TITLES[page], (page, facts["heading"])


@in_browser
def test_every_image_is_loaded(visits):
    figures = 0
    for page, facts in visits.items():
        broken = [src for src, width in facts["images"] if width == 0]
        assert not broken, f"{page}: images not loaded: {broken}"
        figures += len(facts["images"])
    committed = sum(
        "image/png" in output.get("data", {})
        for path in NOTEBOOKS
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
        for output in cell.get("outputs", [])
    )
    assert figures >= committed > 0, f"{figures} images on the pages, {committed} figures in the notebooks"


@in_browser
def test_math_is_typeset_by_the_bundled_mathjax(visits):
    for page in MATH_PAGES:
        facts = visits[page]
        assert facts["math"] > 0, f"{page}: no math found"
        assert facts["typeset"] == facts["math"], f"{page}: {facts['typeset']} of {facts['math']} formulas typeset"
    for page, facts in visits.items():
        assert facts["mathErrors"] == 0, f"{page}: MathJax errors"
        assert facts["rawDollars"] == 0, f"{page}: raw $$ left in the text"


@in_browser
def test_every_internal_link_and_anchor_resolves(site, served, visits):
    html = site[0]
    broken, checked = [], 0
    for page, facts in visits.items():
        for link in facts["links"]:
            if not link.startswith(served):
                assert link.startswith(("https://", "http://", "mailto:")), f"{page}: odd link {link}"
                continue
            parts = urlsplit(link)
            target = unquote(parts.path[len(urlsplit(served).path) :]) or "index.html"
            if target.endswith("/"):
                target += "index.html"
            checked += 1
            if not (html / target).is_file():
                broken.append(f"{page} -> {link} (no file)")
            elif parts.fragment and target.endswith(".html"):
                if parts.fragment not in visits[target]["ids"]:
                    broken.append(f"{page} -> {link} (no anchor)")
    assert not broken, "\n".join(broken)
    assert checked > 100


@in_browser
def test_previous_and_next_follow_the_course(served, visits):
    for before, after in zip(ORDER, ORDER[1:]):
        assert visits[before]["next"] == served + after, (before, visits[before]["next"])
        assert visits[after]["prev"] == served + before, (after, visits[after]["prev"])


@in_browser
def test_every_page_states_the_licences(visits):
    for page, facts in visits.items():
        assert "MIT" in facts["footer"] and "CC BY 4.0" in facts["footer"], f"{page}: no licence in the footer"


@in_browser
def test_search_finds_the_notebook_for_a_word_only_it_contains(site, served, browser_page):
    page, problems = browser_page
    sources = {p: (site[0].parent / "source" / p).read_text(encoding="utf-8").lower() for p in _sources(site[0])}
    for notebook in NOTEBOOKS:
        own = f"notebooks/{notebook.name}"
        others = [text for path, text in sources.items() if path != own]
        # a word of its prose that no other page holds, even as a word's start (the search stems words)
        word = next(
            w for w in re.findall(r"\b[a-z]{8,}\b", prose(notebook).lower()) if not any(w[:6] in t for t in others)
        )
        problems.clear()
        page.goto(f"{served}search.html?q={word}")
        page.locator("#search-results .search-summary, #search-results p").first.wait_for(timeout=20_000)
        page.wait_for_function("() => !document.querySelector('#search-results').classList.contains('searching')")
        page.wait_for_function(
            "() => /found|did not match/i.test(document.querySelector('#search-results').textContent)"
        )
        hits = page.eval_on_selector_all("#search-results ul.search li > a", "as => as.map(a => a.href)")
        hits = [urlsplit(h).path.split("/", 1)[1] for h in hits]
        assert hits == [f"notebooks/{notebook.stem}.html"], f"search for {word!r} found {hits}"
        assert not problems, problems


def _sources(html: Path) -> list[str]:
    source = html.parent / "source"
    return [p.relative_to(source).as_posix() for p in source.rglob("*") if p.suffix in (".md", ".ipynb")]
