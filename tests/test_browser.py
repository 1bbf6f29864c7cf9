"""The main job, in a real browser: `make lab` serves the course, notebook 01 opens on the course kernel and runs.

Starts JupyterLab with `make lab` (as a learner would) on a free local port,
opens notebook 01 in headless Chromium driven by Playwright (the system
Chromium, `executable_path`; nothing is downloaded), waits for the notebook
to render with the kernel "Python (RNN course)" idle, runs the first code
cell, checks the output it prints on the page, and saves a screenshot to
data/screenshots/. Skipped, saying why, where Chromium or Playwright is
missing: `make chromium` installs Debian's Chromium.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = ROOT / "data" / "screenshots"
# Flags for a closed network: no background connections, no sandbox when running as root.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

pytestmark = [
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (on Debian: `make chromium`, "
                       "i.e. apt-get install chromium); the browser check needs it"),
    pytest.mark.skipif(not (ROOT / ".venv" / ".installed").exists(),
                       reason="`make lab` needs the course installed in .venv (`make install`)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab():
    """`make lab` on a free port with a known token; yields the base URL, stops the server afterwards."""
    port, token = free_port(), secrets.token_hex(16)
    args = f"--port={port} --ServerApp.ip=127.0.0.1 --IdentityProvider.token={token} --ServerApp.open_browser=False"
    env = {**os.environ, "LAB_ARGS": args}
    env.pop("DISPLAY", None)
    server = subprocess.Popen(["make", "--no-print-directory", "lab"], cwd=ROOT, env=env, start_new_session=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"`make lab` did not serve {base}:\n{server.stdout.read()}")
            time.sleep(0.5)
        yield base, token
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def test_notebook_01_opens_on_the_course_kernel_and_runs_its_first_cell(lab):
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (pip install -e .[dev])")
    base, token = lab
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    notebook = ROOT / "notebooks" / "01_rnn_basics.ipynb"
    committed = notebook.read_bytes()
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{base}/lab/tree/01_rnn_basics.ipynb?token={token}")
            # the notebook rendered: its title heading is on the page
            page.get_by_role("heading", name="01 · RNN basics").first.wait_for(timeout=90_000)
            # on the course's kernel, started and idle
            kernel = page.locator(".jp-NotebookPanel-toolbar .jp-KernelName, "
                                  ".jp-NotebookPanel-toolbar [data-jp-item-name='kernelName']").first
            # the toolbar first shows "No Kernel" until the session has started: wait for the name, not the element
            playwright.expect(kernel).to_contain_text("Python (RNN course)", timeout=90_000)
            idle = page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first
            idle.wait_for(timeout=90_000)
            # run the first code cell (the set-up: it prints the versions and the mode)
            first_code = page.locator(".jp-Notebook .jp-CodeCell").first
            first_code.locator(".jp-InputArea-editor").click()
            page.keyboard.press("Shift+Enter")
            output = first_code.locator(".jp-OutputArea-output")
            output.filter(has_text="TensorFlow").first.wait_for(timeout=180_000)
            text = output.first.inner_text()
            page.screenshot(path=str(SCREENSHOTS / "01_rnn_basics.png"))
        finally:
            browser.close()
    assert "Keras 3." in text and "mode" in text, text
    assert "Error" not in text
    assert (SCREENSHOTS / "01_rnn_basics.png").stat().st_size > 10_000
    assert notebook.read_bytes() == committed, "the browser session saved over the committed notebook"
