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
import re
import secrets
import shutil
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = ROOT / "data" / "screenshots"
# Flags for a closed network: no background connections, no sandbox when running as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="Chromium is not installed (on Debian: `make chromium`, "
        "i.e. apt-get install chromium); the browser check needs it",
    ),
    pytest.mark.skipif(
        not (ROOT / ".venv" / ".installed").exists(),
        reason="`make lab` needs the course installed in .venv (`make install`)",
    ),
]


def served_url(server: subprocess.Popen, timeout: float) -> str:
    """The http://127.0.0.1:PORT address that `server` (JupyterLab started on port 0) prints once it listens.

    Port 0 lets the system pick a free port as the server binds it: no other
    program can take it between the choice and the bind.
    """
    found: list[str] = []
    log: list[str] = []

    def read():
        for line in server.stdout:
            log.append(line)
            match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if match and match.group(1) != "0" and not found:
                found.append(f"http://127.0.0.1:{match.group(1)}")

    threading.Thread(target=read, daemon=True).start()
    deadline = time.time() + timeout
    while not found:
        if server.poll() is not None or time.time() > deadline:
            raise RuntimeError("`make lab` did not say where it serves:\n" + "".join(log))
        time.sleep(0.5)
    return found[0]


@pytest.fixture
def lab():
    """`make lab` on a port the system picks, with a known token; yields the base URL, stops the server afterwards."""
    token = secrets.token_hex(16)
    args = f"--port=0 --ServerApp.ip=127.0.0.1 --IdentityProvider.token={token} --ServerApp.open_browser=False"
    env = {**os.environ, "LAB_ARGS": args}
    env.pop("DISPLAY", None)
    server = subprocess.Popen(
        ["make", "--no-print-directory", "lab"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = served_url(server, timeout=120)
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"`make lab` did not answer at {base}")
            time.sleep(0.5)
        yield base, token
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def test_notebook_01_opens_on_the_course_kernel_and_runs_its_first_cell(lab):
    playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed (`make install-test`)")
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
            kernel = page.locator(
                ".jp-NotebookPanel-toolbar .jp-KernelName, .jp-NotebookPanel-toolbar [data-jp-item-name='kernelName']"
            ).first
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
