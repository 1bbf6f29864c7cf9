"""The navigation links (tools/navigation.py): current in every notebook and in the README, pointing at files."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent


def test_navigation_is_current():
    result = subprocess.run(
        [sys.executable, "tools/navigation.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_navigation_link_points_at_a_notebook_that_exists():
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        first = nbformat.read(path, as_version=4).cells[0].source
        for target in re.findall(r"\]\(([0-9][0-9]_[^)]+\.ipynb)\)", first):
            assert (ROOT / "notebooks" / target).exists(), f"{path.name} links to missing {target}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for target in re.findall(r"\]\((notebooks/[^)]+\.ipynb)\)", readme):
        assert (ROOT / target).exists(), f"README links to missing {target}"
