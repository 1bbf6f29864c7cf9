"""tools/prose_budget.py: words as a reader reads them, and the limits it reports."""

import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import prose_budget  # noqa: E402


def test_a_link_counts_its_text_and_a_span_counts_once():
    assert prose_budget.words("See [notebook 04](04_char_shakespeare.ipynb#section-3), twice.") == 4
    assert prose_budget.words("The gate $f_t = \\sigma(W x + b)$ and `keras.layers.LSTM(units=64)` here") == 6
    assert prose_budget.words("## 3. A heading\n\n- one, two;\n- 1.6× faster") == 7


def test_code_lines_leave_out_blanks_and_comments():
    assert prose_budget.code_lines("# extra code\nx = 1\n\n    # note\ny = x  # same line\n") == 2


def test_a_notebook_over_a_limit_is_named_and_check_fails(monkeypatch, capsys):
    long = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("word " * 201), nbformat.v4.new_code_cell("x = 1\ny = 2")]
    )
    short = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("word " * 8), nbformat.v4.new_code_cell("x = 1\ny = 2")]
    )
    b = prose_budget.budget(long)
    assert (b["median"], b["longest"], b["over"], b["per_line"]) == (201, 201, 1, 100.5)
    monkeypatch.setattr(prose_budget, "notebooks", lambda rev: {"01_long": long, "02_short": short})
    assert prose_budget.main(["--check"]) == 1
    assert prose_budget.main([]) == 0
    out = capsys.readouterr().out
    assert "| 02_short | 1 | 8 | 8 | 0 | 8 | 2 | 4.0 |" in out and out.rstrip().endswith("01_long")
