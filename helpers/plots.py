"""The course's figures with one look: gradients over time, state traces, training curves, samples side by side.

`decay_curves` draws the vanishing-gradient figures of 01 and 02,
`state_heatmap` and `mark_symbols` the cell-state trace of 03,
`training_curves` and `side_by_side` the language models of 04 onwards.
`setup_notebook` (helpers.config) sets the shared matplotlib style; these
functions only draw, and return the axes for more.
"""

from __future__ import annotations

import html

import matplotlib.pyplot as plt

COLOURS = {"train": "tab:blue", "valid": "tab:orange", "test": "tab:green", "reference": "0.4", "goal": "tab:red"}


def training_curves(
    log: dict,
    *,
    ax=None,
    x: str = "minutes",
    metric: str = "loss",
    unit: str = "nats per token",
    label: str = "",
    goal: float | None = None,
    references=(),
    title: str | None = None,
):
    """Plot train, validation (and test, if logged) `metric` from a per-epoch `log` (`helpers.logs.read_log`).

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
    if "test_" + metric in log:
        ax.plot(xs, log["test_" + metric], "o-", color=COLOURS["test"], label=f"{prefix}test", ms=4)
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


def decay_curves(
    curves: dict,
    *,
    dotted: dict | None = None,
    ax=None,
    xlabel: str = "distance in time",
    ylabel: str = "gradient norm",
    title: str | None = None,
    ylim=None,
):
    """Gradient (or any positive quantity) against distance in time, log scale, one line per name.

    `curves` maps a label to ``(x, y)``; `dotted` maps the same labels to a
    second ``(x, y)`` drawn dotted in the same colour (e.g. a bound or a
    prediction). Used for the vanishing-gradient figures of 01 and 02.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(7.5, 4))
    for label, (x, y) in curves.items():
        (line,) = ax.semilogy(x, y, label=label)
        if dotted and label in dotted:
            ax.semilogy(*dotted[label], ls=":", color=line.get_color())
    ax.set(xlabel=xlabel, ylabel=ylabel)
    if ylim is not None:
        ax.set_ylim(*ylim)
    if title:
        ax.set_title(title)
    ax.legend(fontsize=9)
    return ax


def state_heatmap(states, *, ax=None, title: str = "state of every unit", limit: float | None = None):
    """A state (or gate) trace ``(time, units)`` as a heatmap, units down, time across (red > 0 > blue)."""
    import numpy as np

    states = np.asarray(states)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 3))
    limit = float(np.abs(states).max()) if limit is None else limit
    ax.imshow(states.T, aspect="auto", cmap="RdBu_r", vmin=-limit, vmax=limit)
    ax.set(ylabel="unit", title=title)
    return ax


def mark_symbols(axes, sequence: str, symbol: str, *, label_axis=None, xlabel: str | None = None):
    """Dashed vertical lines at each position of `symbol` in `sequence` on every axes in `axes`;
    the characters of `sequence` as the tick labels of `label_axis` (the bottom panel)."""
    for ax in axes:
        for k, ch in enumerate(sequence):
            if ch == symbol:
                ax.axvline(k, color="gray", lw=0.8, ls="--")
    if label_axis is not None:
        label_axis.set_xticks(range(len(sequence)), list(sequence))
        label_axis.set_xlabel(xlabel or f"input (dashed lines: {symbol})")
