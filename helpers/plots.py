"""The course's figures with one look: training curves, and text samples side by side.

Used by notebooks 04-06 (training curves of language models) and by
`helpers.interactive`. `setup_notebook` (helpers.config) sets the shared
matplotlib style; these functions only draw.
"""

from __future__ import annotations

import html

import matplotlib.pyplot as plt

COLOURS = {"train": "tab:blue", "valid": "tab:orange", "test": "tab:green", "reference": "0.4", "goal": "tab:red"}


def training_curves(log: dict, *, ax=None, x: str = "minutes", metric: str = "loss", unit: str = "nats per token",
                    label: str = "", goal: float | None = None, references=(), title: str | None = None):
    """Plot train and validation `metric` from a per-epoch `log` (see `helpers.training.read_log`).

    ``x`` is ``"minutes"`` (wall time, from the log's ``seconds``) or
    ``"epoch"``. `goal` draws a horizontal line; `references` are
    ``(x, y, label)`` points from elsewhere (a published figure, a baseline).
    Returns the axes.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    xs = [s / 60 for s in log["seconds"]] if x == "minutes" else [e + 1 for e in log["epoch"]]
    prefix = f"{label} " if label else ""
    ax.plot(xs, log[metric], "o-", color=COLOURS["train"], label=f"{prefix}train", ms=4)
    if "val_" + metric in log:
        ax.plot(xs, log["val_" + metric], "o-", color=COLOURS["valid"], label=f"{prefix}validation", ms=4)
    for rx, ry, rlabel in references:
        ax.plot(rx, ry, "s--", color=COLOURS["reference"], label=rlabel, ms=5)
    if goal is not None:
        ax.axhline(goal, color=COLOURS["goal"], ls=":", lw=1.5, label=f"goal {goal}")
    ax.set_xlabel("wall time (minutes)" if x == "minutes" else "epoch")
    ax.set_ylabel(f"{metric} ({unit})" if metric == "loss" else metric)
    if title:
        ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    return ax


def side_by_side(texts: dict[str, str], width: str = "33%") -> str:
    """HTML for text samples in columns, one per title (e.g. one per temperature), monospaced, wrapped."""
    cells = "".join(
        f'<td style="vertical-align:top;width:{width};text-align:left">'
        f"<b>{html.escape(title)}</b>"
        f'<pre style="white-space:pre-wrap;font-size:0.85em">{html.escape(text)}</pre></td>'
        for title, text in texts.items()
    )
    return f"<table><tr>{cells}</tr></table>"
