"""The README's results table (tools/results.py): what the committed notebooks printed and the shipped logs say."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- results:begin", "<!-- results:end -->"


def results(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "tools/results.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def test_readme_results_table_is_what_the_outputs_and_logs_say():
    result = results("--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_fails_on_one_figure_altered_and_the_rewrite_restores_it(tmp_path):
    copy = tmp_path / "README.md"
    shutil.copyfile(ROOT / "README.md", copy)
    text = copy.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END)
    block = text[start:end]
    assert "111.81" in block, "the small PTB model's measured test perplexity should be in the table"
    altered = block.replace("111.81", "111.18", 1)
    copy.write_text(text[:start] + altered + text[end:], encoding="utf-8")

    result = results("--check", "--readme", str(copy))
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^-.*111\.18", result.stdout, re.M) and re.search(r"^\+.*111\.81", result.stdout, re.M), (
        result.stdout
    )  # it says what differs: the README's line, and the one it would write

    assert results("--readme", str(copy)).returncode == 0
    assert copy.read_text(encoding="utf-8") == text  # only the block between the markers is rewritten
