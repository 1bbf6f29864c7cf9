"""A small generation panel for JupyterLab: prompt, temperature, length, a button, the text below.

`generation_panel(generate)` builds the panel with ``ipywidgets.interactive``
in its manual mode (the function runs when the button is clicked, or Enter is
pressed in the prompt) where ipywidgets works (JupyterLab, Notebook 7, VS
Code), and otherwise prints how to call `generate` directly, so a notebook
runs the same everywhere. `generate(prompt, length, temperature)` is any
function returning text: notebooks 04 and 05 pass their samplers.
"""

from __future__ import annotations

from collections.abc import Callable


def generation_panel(
    generate: Callable[[str, int, float], str],
    prompt: str = "",
    length: int = 200,
    max_length: int = 1000,
    temperature: float = 0.5,
):
    """Display the panel and return it (or None, having printed the fallback, without ipywidgets)."""
    try:
        import ipywidgets as w
        from IPython.display import display
    except ImportError:
        print(
            "ipywidgets is not installed, so no panel: call the generator directly, e.g.\n"
            f"    print(generate({prompt!r}, {length}, {temperature}))"
        )
        return None

    def show(prompt, temperature, length):
        try:
            print(generate(prompt, length, temperature))
        except (ValueError, TypeError, KeyError) as e:  # a bad prompt: say why in one line, not a traceback
            print(f"{type(e).__name__}: {e}")

    panel = w.interactive(
        show,
        {"manual": True, "manual_name": "Generate"},
        prompt=w.Text(value=prompt, description="prompt", layout=w.Layout(width="60%")),
        temperature=w.FloatSlider(value=temperature, min=0.0, max=1.5, step=0.05, description="temperature"),
        length=w.IntSlider(value=length, min=1, max=max_length, step=1, description="length"),
    )
    display(panel)
    return panel
