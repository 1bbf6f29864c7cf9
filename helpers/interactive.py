"""A small generation panel for JupyterLab: prompt, temperature, length, a button, the text below.

`generation_panel(generate)` shows the panel where ipywidgets works (JupyterLab,
Notebook 7, VS Code) and otherwise prints how to call `generate` directly, so a
notebook runs the same everywhere. `generate(prompt, length, temperature)`
is any function returning text: notebooks 04 and 05 pass their samplers.
"""

from __future__ import annotations

from collections.abc import Callable


def generation_panel(generate: Callable[[str, int, float], str], prompt: str = "", length: int = 200,
                     max_length: int = 1000, temperature: float = 0.5):
    """Display the panel and return it (or None, having printed the fallback, without ipywidgets)."""
    try:
        import ipywidgets as w
        from IPython.display import display
    except ImportError:
        print("ipywidgets is not installed, so no panel: call the generator directly, e.g.\n"
              f"    print(generate({prompt!r}, {length}, {temperature}))")
        return None
    prompt_box = w.Text(value=prompt, description="prompt", layout=w.Layout(width="60%"))
    temperature_slider = w.FloatSlider(value=temperature, min=0.0, max=1.5, step=0.05, description="temperature")
    length_slider = w.IntSlider(value=length, min=1, max=max_length, step=1, description="length")
    button = w.Button(description="Generate", button_style="primary", icon="play")
    out = w.Output(layout=w.Layout(border="1px solid #ddd", padding="4px"))

    def on_click(_):
        out.clear_output()
        with out:
            try:
                print(generate(prompt_box.value, length_slider.value, temperature_slider.value))
            except (ValueError, TypeError, KeyError) as e:  # a bad prompt: say why, keep the panel alive
                print(f"{type(e).__name__}: {e}")

    button.on_click(on_click)
    panel = w.VBox([prompt_box, w.HBox([temperature_slider, length_slider, button]), out])
    display(panel)
    return panel
