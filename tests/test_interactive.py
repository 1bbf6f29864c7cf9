"""helpers.interactive and helpers.plots: the generation panel and the shared figures."""

import builtins

import matplotlib

matplotlib.use("Agg")

from helpers import interactive, plots  # noqa: E402


def test_panel_generates_on_click_and_reports_a_bad_prompt():
    calls = []

    def generate(prompt, length, temperature):
        calls.append((prompt, length, temperature))
        if prompt == "bad":
            raise ValueError("'bad' is not in the vocabulary")
        return prompt.upper()

    panel = interactive.generation_panel(generate, prompt="abc", length=7, temperature=0.3)
    prompt_box, temperature, length, button, out = panel.children
    assert button.description == "Generate" and calls == []  # nothing runs before the click
    button.click()
    assert calls == [("abc", 7, 0.3)]
    temperature.value, length.value = 0.8, 50
    button.click()
    assert calls[-1] == ("abc", 50, 0.8)
    prompt_box.value = "bad"  # Enter in the prompt generates too
    assert calls[-1][0] == "bad"
    button.click()  # the error is shown in the panel, not raised
    assert calls[-1][0] == "bad" and len(calls) == 4


def test_panel_falls_back_to_a_hint_without_ipywidgets(monkeypatch, capsys):
    real_import = builtins.__import__

    def no_widgets(name, *args, **kwargs):
        if name == "ipywidgets":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_widgets)
    assert interactive.generation_panel(lambda p, n, t: p, prompt="ROMEO:", length=50) is None
    assert "call the generator directly" in capsys.readouterr().out


def test_training_curves_draw_train_validation_goal_and_references():
    log = {"epoch": [0, 1], "seconds": [60.0, 120.0], "loss": [2.0, 1.5], "val_loss": [1.9, 1.6]}
    ax = plots.training_curves(log, goal=1.45, references=[([1.5], [1.8], "baseline")])
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["train", "validation", "baseline", "goal 1.45"]
    assert list(ax.get_lines()[0].get_xdata()) == [1.0, 2.0]  # minutes
    log["test_perplexity"], log["perplexity"], log["val_perplexity"] = [9.0, 8.0], [10.0, 7.0], [9.5, 8.5]
    ax = plots.training_curves(log, metric="perplexity", x="epoch", label="small")
    assert [line.get_label() for line in ax.get_lines()] == ["small train", "small validation", "small test"]
    assert list(ax.get_lines()[2].get_ydata()) == [9.0, 8.0] and list(ax.get_lines()[2].get_xdata()) == [1, 2]


def test_side_by_side_escapes_the_text():
    html = plots.side_by_side({"T=0.5": "<b>ROMEO</b> & co"})
    assert "&lt;b&gt;ROMEO&lt;/b&gt; &amp; co" in html and html.count("<td") == 1


def test_decay_curves_log_scale_with_dotted_twins_in_the_same_colour():
    x = [0, 1, 2]
    ax = plots.decay_curves(
        {"a": (x, [1, 0.1, 0.01]), "b": (x, [1, 1, 1])}, dotted={"a": (x, [1, 0.5, 0.25])}, ylim=(1e-3, 10)
    )
    lines = ax.get_lines()
    assert [line.get_label() for line in lines if not line.get_label().startswith("_")] == ["a", "b"]
    assert len(lines) == 3 and lines[1].get_linestyle() == ":" and lines[1].get_color() == lines[0].get_color()
    assert ax.get_yscale() == "log" and ax.get_ylim() == (1e-3, 10)


def test_state_heatmap_and_symbol_marks():
    import numpy as np

    states = np.arange(12.0).reshape(4, 3) - 6  # (time, units)
    ax = plots.state_heatmap(states, limit=3)
    image = ax.get_images()[0]
    assert image.get_array().shape == (3, 4) and image.get_clim() == (-3, 3)  # units down, time across
    plots.mark_symbols([ax], "+I-I", "I", label_axis=ax)
    assert [line.get_xdata()[0] for line in ax.get_lines()] == [1, 3]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["+", "I", "-", "I"]
