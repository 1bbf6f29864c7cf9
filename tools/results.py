"""Write the README's results table from what the committed notebooks printed and the shipped training logs.

    python tools/results.py                  # rewrite the table between the markers in README.md
    python tools/results.py --check          # exit 1, saying what differs, if README.md is not what it would write
    python tools/results.py --readme PATH    # the same on another copy of the README (the tests' temp copies)

Every figure in the table is read from where it is printed: the text output of
a committed notebook's code cell, found by a pattern in that text (never by
cell index: a cell moved or added does not break it), or a column of a shipped
run's log, ``data/trained/<name>.log.csv`` (`helpers.logs.read_log`). A
pattern that finds no cell, or more than one, is an error that names the
notebook and the pattern: the notebook changed, so the table must be looked at
again. Published figures the table compares with are read from where the
notebook cites them (its markdown, with the link), or from its printed output.
The only words of the table that are not read are the descriptions of the set-ups
and the course's goals (targets, not measurements).
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NOTEBOOKS, TRAINED, README = ROOT / "notebooks", ROOT / "data" / "trained", ROOT / "README.md"
BEGIN = "<!-- results:begin (written by tools/results.py from the notebooks' outputs and data/trained/*.log.csv) -->"
END = "<!-- results:end -->"


class SourceError(Exception):
    """A figure's source is not where the script looks for it."""


_notebooks: dict[str, list[tuple[str, str]]] = {}


def _cells(stem: str) -> list[tuple[str, str]]:
    """``(cell_type, text)`` of a notebook's cells: a code cell's text is its printed output, markdown its source."""
    if stem not in _notebooks:
        nb = nbformat.read(NOTEBOOKS / f"{stem}.ipynb", as_version=4)
        cells = []
        for cell in nb.cells:
            if cell.cell_type == "code":
                parts = []
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "stream":
                        parts.append(out.get("text", ""))
                    elif "text/plain" in out.get("data", {}):
                        parts.append(out["data"]["text/plain"] + "\n")
                # each output on its own lines (a progress bar's last line has no newline of its own)
                cells.append(("code", "".join(p if p.endswith("\n") else p + "\n" for p in parts)))
            elif cell.cell_type == "markdown":
                cells.append(("markdown", cell.source))
        _notebooks[stem] = cells
    return _notebooks[stem]


def _find(stem: str, pattern: str, kind: str, flags: int = 0) -> str:
    found = [text for t, text in _cells(stem) if t == kind and re.search(pattern, text, re.M | flags)]
    where = "printed output" if kind == "code" else "markdown"
    if len(found) != 1:
        raise SourceError(f"notebooks/{stem}.ipynb: {len(found)} cells' {where} match {pattern!r} (expected one)")
    return found[0]


def printed(stem: str, pattern: str) -> str:
    """The whole printed output of the one code cell of notebook `stem` whose output matches `pattern`."""
    return _find(stem, pattern, "code")


def match(stem: str, pattern: str, *, kind: str = "code", flags: int = 0) -> re.Match:
    """`pattern` searched in the one cell whose text matches it."""
    text = _find(stem, pattern, kind, flags)
    return re.search(pattern, text, re.M | flags)


def lines(text: str, pattern: str) -> list[re.Match]:
    found = list(re.finditer(pattern, text, re.M))
    if not found:
        raise SourceError(f"no line matches {pattern!r} in:\n{text}")
    return found


def log(name: str) -> dict[str, list[float]]:
    from helpers.logs import read_log

    path = TRAINED / f"{name}.log.csv"
    columns = read_log(path)
    if not columns:
        raise SourceError(f"{path.relative_to(ROOT)}: missing or empty")
    return columns


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f}"


def kilo(count: str) -> str:
    return f"{round(int(count.replace(',', '')) / 1000)}k"


# --- the rows: each returns (notebook, what was measured, value) -----------------------------------------------


def nb01() -> list[tuple[str, str, str]]:
    nb = "01_rnn_basics"
    diff = match(nb, r"^Keras SimpleRNN vs NumPy .*max diff: (\S+)")[1]
    grads = printed(nb, r"^LSTM, forget bias 3 .*per step")
    at50 = {
        m[1].strip(): m[2] for m in lines(grads, r"^(SimpleRNN|LSTM|LSTM, forget bias 3)\s+x\S+ per step;.*?50: (\S+),")
    }
    clip = printed(nb, r"^no clipping\s+largest gradient norm")
    zero = re.search(r"loss of always answering 0: (\S+)", clip)[1]
    runs = {
        m[1]: (m[2], m[3])
        for m in lines(
            clip,
            r"^(no clipping|clipped at global norm 1)\s+largest gradient norm\s+(\S+);"
            r".*mean of the last 20 steps (\S+)",
        )
    }
    return [
        (
            "01",
            "hand-written loop vs `keras.layers.SimpleRNN`, same weights: largest difference",
            f"{diff} (float32 rounding)",
        ),
        (
            "01",
            "gradient of the last output w.r.t. the input 50 steps back, untrained, 32 units: "
            "SimpleRNN / LSTM / LSTM with forget bias 3",
            " / ".join(at50[k] for k in ("SimpleRNN", "LSTM", "LSTM, forget bias 3")),
        ),
        (
            "01",
            "SGD on a tanh RNN started with large recurrent weights, 300 steps: largest gradient norm, and the "
            f"mean loss of the last 20 steps (MSE; always answering 0 gives {zero}), without clipping / "
            "clipped at global norm 1",
            " / ".join(", ".join(runs[k]) for k in ("no clipping", "clipped at global norm 1")),
        ),
    ]


def nb02() -> list[tuple[str, str, str]]:
    nb = "02_lstm_from_scratch"
    text = printed(nb, r"^largest difference anywhere:")
    largest = re.search(r"^largest difference anywhere: (\S+)", text, re.M)[1]
    shapes = {m[1] for m in lines(text, r"^(\(\d+, \d+, \d+, \d+\))")}
    state = printed(nb, r"^LSTM, forget bias 0\s")
    per_step = {m[1]: m[2] for m in lines(state, r"^LSTM, forget bias (\d)\s+\S+\s+x(\S+)")}
    vanilla = re.search(r"^vanilla RNN \(notebook 01\)\s+x(\S+)", state, re.M)[1]
    return [
        (
            "02",
            "hand-built `LSTMCell` and `fast_lstm.LSTM` vs `keras.layers.LSTM`, copied weights, "
            f"{len(shapes)} shapes: largest difference in outputs, final states and gradients",
            f"{largest} (goal ≤ 1e-5)",
        ),
        (
            "02",
            "gradient along the state, untrained, 32 units, per step: LSTM with forget bias 0 / 1 / 3; vanilla RNN",
            " / ".join(f"×{per_step[b]}" for b in "013") + f"; ×{vanilla}",
        ),
    ]


def _accuracies(text: str, name: str) -> list[str]:
    m = re.search(rf"^{re.escape(name)}\s+10:\s*(\S+)%\s+20:\s*(\S+)%\s+50:\s*(\S+)%\s+100:\s*(\S+)%", text, re.M)
    if not m:
        raise SourceError(f"no line {name!r} with accuracies at 10 / 20 / 50 / 100 in:\n{text}")
    return list(m.groups())


def nb03() -> list[tuple[str, str, str]]:
    nb = "03_sign_sum"
    summary = printed(nb, r"^vanilla RNN, final sum\s")
    wrong = {m[1].strip(): (m[2], m[3]) for m in lines(summary, r"^(\S.*?)\s+(\d+) of (\d+) wrong")}
    held = wrong["LSTM, final sum (the original)"][1]
    running = match(nb, r"^held out: (\d+) of \d+ wrong$")[1]
    table = printed(nb, r"^read-out from c, lengths 6 -> 50\s")
    c_curr = _accuracies(table, "read-out from c, lengths 6 -> 50")
    h_len6 = _accuracies(table, "read-out from h, length 6")
    h_curr = _accuracies(table, "read-out from h, lengths 6 -> 50")
    rnn_curr = _accuracies(summary, "vanilla RNN, lengths 6 -> 50")
    c_curr_fmt = [f"{a}%" for a in c_curr]
    c_curr_fmt[2] = f"**{c_curr_fmt[2]}**"
    return [
        (
            "03",
            f"held-out length-6 sequences wrong (of {held}), 24-unit hand-built LSTM: final sum (the article's "
            "set-up) / running sum / running sum, read-out from c, curriculum 6 → 50",
            f"{wrong['LSTM, final sum (the original)'][0]} / {running} / "
            f"**{wrong['LSTM, read-out from c, curriculum'][0]}** (goal 0)",
        ),
        (
            "03",
            "exact answers on random sequences of length 10 / 20 / 50 / 100 (500 each), read-out from c, "
            "curriculum 6 → 10 → 20 → 35 → 50",
            " / ".join(c_curr_fmt) + " (goal ≥ 99% at 50)",
        ),
        (
            "03",
            "the same, read-out from h, trained on length 6 only / read-out from h, curriculum",
            " / ".join(f"{a}%" for a in h_len6) + "; " + " / ".join(f"{a}%" for a in h_curr),
        ),
        (
            "03",
            "vanilla RNN (24 units, same budget): held-out wrong, original / curriculum; accuracy at 50 after "
            "the curriculum",
            f"{wrong['vanilla RNN, final sum'][0]} / {wrong['vanilla RNN, curriculum'][0]}; {rnn_curr[2]}%",
        ),
    ]


def nb04() -> list[tuple[str, str, str]]:
    nb = "04_char_shakespeare"
    run = log("shakespeare")
    epochs = len(run["epoch"])
    shown = [2, 5, 8, epochs - 1]
    curve = " / ".join(
        f"{run['val_nats'][i]:.3f} ({minutes(run['seconds'][i])}{' min' if k == 0 else ''})"
        for k, i in enumerate(shown)
    )
    measured = match(nb, r"^validation: (\S+) nats/char = (\S+) bits/char, perplexity (\S+) \(the log's last")
    goal = match(nb, r"^this run: (\S+) after (\S+) min; at or below 1\.45 from epoch (\d+) \((\S+) min\)")
    stretch = "reached" if min(run["val_nats"]) <= 1.40 else "not reached"
    refs = printed(nb, r"^plain Keras 2 x 512:")
    plain = re.search(r"^plain Keras 2 x 512: (.*)$", refs, re.M)[1]
    plain_times = [float(t) for t in re.findall(r"at ([\d.]+) min", plain)]
    ours = [
        (v, float(t))
        for v, t in re.findall(r"([\d.]+) at ([\d.]+) min", re.search(r"^ours, 2 x 512: (.*)$", refs, re.M)[1])
    ]
    picks = sorted({min(range(len(ours)), key=lambda i: abs(ours[i][1] - t)) for t in plain_times} | {len(ours) - 1})
    plain_short = re.sub(r" min(?=,)", "", plain)
    speed = printed(nb, r"^helpers\.fast_lstm\.LSTM\s+\d+ ms per update")
    keras_ms = re.search(r"^keras\.layers\.LSTM\s+(\d+) ms per update of (\d+) x (\d+)", speed, re.M)
    ours_ms = re.search(r"^helpers\.fast_lstm\.LSTM\s+(\d+) ms", speed, re.M)[1]
    logits = match(nb, r"^logits: ours vs Keras .*max diff: (\S+)")[1]
    classic = match(nb, r"^classic recipe after (\S+) min: (\S+) nats/char read in order")
    first = match(nb, r"^ours after its first epoch \((\S+) min\): (\S+)")
    ahead = "the classic ahead" if float(classic[2]) < float(first[2]) else "ours ahead"
    return [
        (
            "04",
            "validation loss (nats/char) of the 2 × 384 `helpers.fast_lstm.LSTM` model, stateful, batches "
            f"32 × 50, Adam + cosine over {epochs} epochs, trained by `benchmarks/train_shakespeare.py` and "
            f"shipped in `data/trained/`: from its log, after epoch {' / '.join(str(i + 1) for i in shown)} "
            "with the wall time; the loaded model measured by the notebook",
            f"{curve}; measured: **{measured[1]}** = {measured[2]} bits/char, perplexity {measured[3]} (goal ≤ 1.45 "
            f"within 45 min: **{'met' if float(goal[4]) <= 45 else 'not met'}**, from epoch {goal[3]} at {goal[4]} "
            f"min; stretch ≤ 1.40: {stretch})",
        ),
        (
            "04",
            "references in the notebook's figure, measured with `benchmarks/train_shakespeare.py` on 2-core CPUs: "
            "a plain Keras 3 model (2 × 512 `keras.layers.LSTM`, batches 64 × 100); the course's code with "
            "2 × 512 units, 10 epochs",
            f"{plain_short}; ours 2 × 512: " + ", ".join(f"{ours[i][0]} at {ours[i][1]:g}" for i in picks),
        ),
        (
            "04",
            f"time per update, batch {keras_ms[2]} × {keras_ms[3]}, 2 × 384: `keras.layers.LSTM` / "
            f"`helpers.fast_lstm.LSTM` (logits within {logits})",
            f"{keras_ms[1]} / {ours_ms} ms ({int(keras_ms[1]) / int(ours_ms):.2f}×)",
        ),
        (
            "04",
            "the classic recipe (one-hot, 25-character windows, shuffled, zero state) trained as long as our "
            "first epoch took, vs ours after it",
            f"**{classic[2]}** vs {first[2]} after {classic[1]} min ({ahead}); longer runs of it not measured",
        ),
    ]


def nb05() -> list[tuple[str, str, str]]:
    nb = "05_word_aesop"
    ceiling = match(nb, r"^n_input = 3: at most (\d+) of (\d+) windows right = (\S+)%")
    results = []
    for header in (
        r"classic: raw ids, RMSProp",
        r"embedding 64, RMSProp",
        r"embedding 64, Adam",
        r"embedding 64, 2 layers, RMSProp",
    ):
        m = match(
            nb,
            rf"^{header}\n.*?=> (\d+)/(\d+) right \((\S+)%\) after (\d+) updates, (\d+) s: "
            r"the ceiling first reached after (\d+) s",
            flags=re.S,
        )
        right, limit, reached = m[1], int(m[5]), m[6]
        limit = f"{limit // 60}-minute" if limit % 60 == 0 else f"{limit}-s"
        results.append(
            f"{right}, reached at {reached} s"
            if right == ceiling[1]
            else f"{right} at the {limit} limit ({ceiling[1]} first reached at {reached} s)"
        )
    context = lines(
        printed(nb, r"^n_input = 1: \S+% \(ceiling"), r"^n_input = (\d): (\S+)% \(ceiling (\S+)%\) in (\S+) s"
    )
    three = printed(nb, r"^after 'the cat \.' the model predicts")
    runs3 = {m[1]: (m[2], m[3]) for m in lines(three, r"^\[([^\]]+)\](.*)\n\s+follows the text for (\d+) of \d+ words")}
    left = runs3["the neck of"][0].split("‖")[0].split()
    more = lines(
        printed(nb, r"^\[mice had a general\]"), r"^\[([^\]]+)\].*\n\s+follows the text for (\d+) of \d+ words"
    )
    by_context: dict[int, list[str]] = {}
    for m in more:
        by_context.setdefault(len(m[1].split()), []).append(m[2])
    return [
        (
            "05",
            f"windows right of {ceiling[2]} (ceiling {ceiling[1]} = {ceiling[3]}%) after 2 minutes at most, "
            "full-batch, 1 × 512 `helpers.fast_lstm.LSTM`: classic (raw ids, RMSProp 1e-3) / embedding 64, "
            "RMSProp / embedding, Adam / embedding, 2 layers, RMSProp",
            " / ".join(results) + f" (goal: {ceiling[1]} within 2 min)",
        ),
        (
            "05",
            "`n_input` " + " / ".join(m[1] for m in context) + ": accuracy (= its ceiling) and seconds to hold it",
            " / ".join(f"{m[2]}%" for m in context) + "; " + " / ".join(m[4] for m in context) + " s",
        ),
        (
            "05",
            "words of 32 generated from `had a general` (3 words of context) that follow the fable; from "
            "`the neck of` (the other `the cat .`); with 4 or 5 words of context, from both places",
            f"**{runs3['had a general'][1]}**; {runs3['the neck of'][1]} (leaves after `{' '.join(left)}`); "
            + "; ".join(f"{' and '.join(v)} ({n} words)" for n, v in sorted(by_context.items())),
        ),
    ]


def nb06() -> list[tuple[str, str, str]]:
    nb = "06_word_ptb"
    small, tied = log("ptb-small"), log("ptb-tied")

    def at(run, i):
        return f"{run['test_perplexity'][i]:.1f} ({minutes(run['seconds'][i])} min)"

    s_measured = match(nb, r"^small: validation perplexity (\S+), test (\S+) \(the log's")
    s_final = match(
        nb,
        r"^small: test perplexity (\S+) \(validation (\S+), train (\S+)\) after (\d+) epochs, (\S+) "
        r"min; published (\S+), passed at epoch (\d+) \((\S+) min\)",
    )
    published = match(nb, r"published small run: train ([\d.]+), validation ([\d.]+), test ([\d.]+)", kind="markdown")
    passed = int(s_final[7]) - 1
    s_shown = sorted({0, passed, len(small["epoch"]) - 1})
    t_measured = match(nb, r"^tied \+ dropout: validation perplexity (\S+), test (\S+) \(the log's")
    t_goal = match(nb, r"^tied \+ dropout: test perplexity at or below (\S+) from epoch (\d+) \((\S+) min\)")
    rates = tied["learning_rate"]
    first_halving = next(i for i in range(1, len(rates)) if rates[i] < rates[i - 1])
    t_shown = sorted({first_halving - 1, first_halving, int(t_goal[2]) - 1, len(rates) - 1})
    pytorch = match(nb, r"pytorch/examples\S*' ([\d.]+) after (\d+) epochs", kind="markdown")
    trap = printed(nb, r"^summed over steps \(the tutorial\)")
    after = re.search(r"perplexity after (\d+) updates", trap)[1]
    summed = re.search(r"^summed over steps.*?:\s+(\S+)$", trap, re.M)[1]
    mean = re.search(r"^mean per word.*?:\s+(\S+)$", trap, re.M)[1]
    top1 = {
        m[1].strip(): m[2]
        for m in lines(
            printed(nb, r"top-1 accuracy on the test set"),
            r"^(small|tied \+ dropout)\s+top-1 accuracy on the test set: (\S+)",
        )
    }
    sizes = {
        m[1]: m
        for m in lines(
            printed(nb, r"^large\s+2 x \d+\s+\d+ ms per update"),
            r"^(small|medium|large)\s+2 x \d+\s+(\d+) ms per update.*?(\S+) h for (\d+) "
            r"epochs \(published test (\S+)\)",
        )
    }

    def ms(m):
        return f"{int(m[2]) / 1000:.1f} s" if int(m[2]) >= 1000 else f"{m[2]} ms"

    return [
        (
            "06",
            f"small configuration (2 × 200, {len(small['epoch'])} epochs, SGD on the summed loss), trained by "
            "`benchmarks/train_ptb.py` and shipped in `data/trained/`: test perplexity after epoch "
            f"{' / '.join(str(i + 1) for i in s_shown)} from its log, with the wall time; the loaded model "
            "measured by the notebook",
            " / ".join(at(small, i) for i in s_shown) + f"; measured: test **{s_measured[2]}**, valid {s_measured[1]}; "
            f"train {s_final[3]} (published: test {published[3]}, valid {published[2]}, train {published[1]}). "
            f"Goal ≤ {s_final[6]} (published test): reached at epoch {s_final[7]}, {s_final[8]} min",
        ),
        (
            "06",
            "tied embeddings + dropout 0.25, 2 × 200, `helpers.fast_lstm.LSTM`, pytorch/examples' set-up "
            f"(35 steps, per-word learning rate 20, clipping 0.25), {len(rates)} epochs halving the rate from the "
            f"{first_halving + 1}th (`benchmarks/train_ptb.py --config tied`, shipped): test perplexity after epoch "
            f"{' / '.join(str(i + 1) for i in t_shown)} from its log; the loaded model measured",
            " / ".join(at(tied, i) for i in t_shown) + f"; measured: test **{t_measured[2]}**, valid {t_measured[1]} "
            f"(goal ≤ {t_goal[1]}: **met**, from epoch {t_goal[2]} at {t_goal[3]} min; pytorch/examples: "
            f"{pytorch[1]} after {pytorch[2]} epochs)",
        ),
        (
            "06",
            f"the loss-scale trap: validation perplexity after {after} updates at learning rate 1.0, loss summed "
            "over the 20 steps (the tutorial's) / averaged (Keras' default)",
            f"{summed} / {mean}",
        ),
        ("06", "top-1 accuracy on the test set: small / tied", f"{top1['small']} / {top1['tied + dropout']}"),
        (
            "06",
            "time per update on this CPU (Keras' LSTM): small / medium / large; hence hours for all epochs",
            " / ".join(ms(sizes[k]) for k in ("small", "medium", "large"))
            + "; "
            + " / ".join(f"{sizes[k][3]} h" for k in ("small", "medium", "large"))
            + f" (medium and large not trained: published {sizes['medium'][5]} and {sizes['large'][5]})",
        ),
    ]


def nb07() -> list[tuple[str, str, str]]:
    nb = "07_seq2seq_attention"
    unmasked = match(nb, r"^padded, no mask vs alone .*max diff: (\S+)")[1]
    masked = match(nb, r"^padded, masked vs alone .*max diff: (\S+)")[1]
    backward = match(nb, r"^backward half vs reversed .*max diff: (\S+)")[1]
    trained = {
        m[1]: m for m in lines(printed(nb, r"^attention=False: "), r"^attention=(\w+): ([\d,]+) weights, .*: (.*)$")
    }
    trained |= {
        m[1]: m for m in lines(printed(nb, r"^attention=True: "), r"^attention=(\w+): ([\d,]+) weights, .*: (.*)$")
    }
    table = printed(nb, r"^exact sequences on the held-out years, greedy, by source length")
    buckets = lines(table, r"^\s*(\d+) to (\d+)\s+(\d+)\s+(\S+)\s+(\S+)$")
    total = re.search(r"^all\s+(\d+)\s+(\S+)\s+(\S+)$", table, re.M)
    setup = match(nb, r"^x_train \((\d+), \d+\)")[1]
    positions = printed(nb, r"^teacher-forced\s+\d")
    forced = re.search(r"^teacher-forced\s+(.*)$", positions, re.M)[1].split()
    free = re.search(r"^free-running\s+(.*)$", positions, re.M)[1].split()
    beams = printed(nb, r"^\s+width 1: exact")
    per_model = {
        name: lines(part, r"width (\d+): exact (\S+), mean log-probability of the chosen sequence (\S+),")
        for name, part in zip(("plain", "attention"), beams.split("\nattention\n"))
    }
    pct = lambda v: f"{100 * float(v):.1f}"  # noqa: E731
    epochs = len(trained["False"][3].split())

    def beam_row(rows):
        return " / ".join(pct(m[2]) for m in rows) + "% (log-probability " + " / ".join(m[3] for m in rows) + ")"

    return [
        (
            "07",
            "toy batch, LSTM: a padded row's final state against the row alone, without / with a mask; "
            "`Bidirectional`'s backward half against a forward LSTM on the reversed real steps: largest difference",
            f"{unmasked} / {masked}; {backward}",
        ),
        (
            "07",
            f"dates into ISO, {int(total[1]):,} test dates from 10 years never trained on, {int(setup):,} training "
            f"pairs, {epochs} epochs, the same batches: exact sequences, greedy, without attention "
            f"({trained['False'][2]} weights) / with Luong's dot-product attention ({trained['True'][2]}); "
            "without attention by source length " + " / ".join(f"{m[1]}–{m[2]}" for m in buckets) + " characters",
            f"{pct(total[2])}% / **{pct(total[3])}%**; " + " / ".join(pct(m[4]) for m in buckets) + "%",
        ),
        (
            "07",
            "without attention, per-character accuracy on the test dates at the year's last two digits, the "
            "month's and the day's second digit: teacher-forced / free-running (exact sequences are the same "
            "either way, by construction)",
            " / ".join(forced[i] for i in (2, 3, 6, 9)) + "; " + " / ".join(free[i] for i in (2, 3, 6, 9)),
        ),
        (
            "07",
            "beam search, widths " + " / ".join(m[1] for m in per_model["plain"]) + ": exact sequences and mean "
            "log-probability of the sequence written, without attention; with attention",
            f"{beam_row(per_model['plain'])}; {beam_row(per_model['attention'])}",
        ),
    ]


def nb08() -> list[tuple[str, str, str]]:
    nb = "08_after_the_lstm"
    scan = match(nb, r"^scan vs loop, T = (\d+): outputs (\S+), gradients (\S+)")
    logs = match(nb, r"^ log vs loop, T = (\d+): outputs (\S+), gradients (\S+)")
    speed = printed(nb, r"^first length at which the scan beats the loop")
    batch = re.search(r"^([\d,]+) tokens a batch", speed, re.M)[1]
    rows = lines(speed, r"^\s+(\d+)\s+\d+\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+\S+x$")
    beats = re.search(r"scan beats the loop: (\d+)", speed)[1]
    signs = printed(nb, r"^exact answers on held-out sequences")
    table = signs.split("the same 3072")[0]
    names = ["LSTM (notebook 03)", "minGRU x 2", "minLSTM x 2", "minGRU x 2, a in (-1, 1)", "minLSTM x 2, a in (-1, 1)"]
    acc = {}
    for name in names:
        m = re.search(rf"^{re.escape(name)}\s+(\S+)%\s+(\S+)%\s+(\S+)%\s+(\S+)%", table, re.M)
        if not m:
            raise SourceError(f"notebooks/{nb}.ipynb: no row {name!r} in the sign-sum table")
        acc[name] = m.groups()
    held = re.search(r"the same (\d+) length-6 sequences", signs)[1]
    flips = [m[1] for m in lines(printed(nb, r"a_t \S+ at I"), r"a_t (\S+) at I")]
    lstm = "100% at every length" if all(a == "100.0" for a in acc[names[0]]) else " / ".join(acc[names[0]]) + "%"
    weights = {m[1]: m[2] for m in lines(printed(nb, r"^\s*mingru: [\d,]+ weights"), r"^\s*(\w+): ([\d,]+) weights")}
    curves = printed(nb, r"^validation nats/char after\s")
    times = re.search(r"^validation nats/char after\s+(.*)$", curves, re.M)[1].split()
    times = [t for t in times if t != "min"]
    curve = {
        key: re.search(rf"^{key}.*?\)\s+(\S+)\s+(\S+)\s+(\S+)$", curves, re.M).groups()
        for key in ("LSTM 2 x 384", "Transformer 4 x 128", "minGRU 4 x 128")
    }
    nanogpt = re.search(r"^nanoGPT's published shakespeare_char \(([^,]+) weights, (\S+) GPU.*?: (\S+)$", curves, re.M)
    windows = match(nb, r"^\s+LSTM 2 x 384 \(notebook 04\)\s+(\S+)")[1]
    minutes_of = {name: minutes(log(name)["seconds"][-1]) for name in ("shakespeare-attention", "shakespeare-mingru")}

    def bold_last(values):
        return " / ".join(values[:-1]) + f" / **{values[-1]}**"

    return [
        (
            "08",
            f"minGRU (16 units, {int(scan[1]):,} steps, float32) by associative scan / by log-space scan, against "
            "the loop: largest difference in outputs; in gradients",
            f"{scan[2]} / {logs[2]}; {scan[3]} / {logs[3]}",
        ),
        (
            "08",
            f"tokens per second of a training step at {batch} tokens a batch, 128 units, T = "
            + " / ".join(m[1] for m in rows)
            + ": minGRU as a loop; as an associative scan; `fast_lstm.LSTM` "
            "(no GPU measured)",
            "; ".join(" / ".join(kilo(m[k]) for m in rows) for k in (2, 3, 4))
            + f" (the scan first beats the loop at T = {beats})",
        ),
        (
            "08",
            f"sign sum, notebook 03's curriculum 6 → 50 for all, exact answers at length 6 ({held} held out) / "
            "10 / 20 / 50: 24-unit LSTM (read-out from c); minGRU × 2 and minLSTM × 2 (24 units each), "
            "transition in (0, 1); the same with the transition in (−1, 1)",
            f"{lstm}; {' / '.join(acc[names[1]])}% and {' / '.join(acc[names[2]])}%; "
            f"**{' / '.join(acc[names[3]])}%** and **{' / '.join(acc[names[4]])}%** (one first-layer unit then flips "
            f"at each `I`: a_t {' and '.join(f.replace('-', '−') for f in flips)})",
        ),
        (
            "08",
            f"Shakespeare validation nats/char after {' / '.join(times)} min on a 2-core CPU: notebook 04's LSTM "
            f"2 × 384 (state carried over the whole text); a causal Transformer 4 × 128 ({weights['attention']} "
            f"weights) and a minGRU stack 4 × 128 ({weights['mingru']}), 64-character windows, nanoGPT's CPU "
            "configuration, trained by `benchmarks/train_after_lstm.py` and shipped",
            f"{bold_last(curve['LSTM 2 x 384'])}; {' / '.join(curve['Transformer 4 x 128'])} "
            f"({minutes_of['shakespeare-attention']} min); {' / '.join(curve['minGRU 4 x 128'])} "
            f"({minutes_of['shakespeare-mingru']} min). On the same 64-character windows the LSTM scores {windows}. "
            f"nanoGPT's published GPU run ({nanogpt[1]} weights, {nanogpt[2]}): {nanogpt[3]}",
        ),
    ]


def versions() -> str:
    found = set()
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        found.add(match(path.stem, r"^(TensorFlow \S+, Keras \S+, NumPy \S+); (\w+) mode$").groups())
    if len(found) != 1:
        raise SourceError(f"the notebooks' first outputs name different versions or modes: {sorted(found)}")
    ((stack, mode),) = found
    return f"Every notebook's first output: {stack}; {mode} mode."


def table() -> str:
    rows = [row for part in (nb01, nb02, nb03, nb04, nb05, nb06, nb07, nb08) for row in part()]
    out = [versions(), "", "| notebook | measured | value |", "|---|---|---|"]
    out += [f"| {nb} | {what} | {value} |" for nb, what, value in rows]
    return "\n".join(out)


def rewritten(text: str, path: Path) -> str:
    if text.count(BEGIN) != 1 or text.count(END) != 1 or text.index(BEGIN) > text.index(END):
        raise SourceError(f"{path}: needs one line {BEGIN!r} and, after it, one line {END!r}")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return text[:start] + "\n" + table() + "\n" + text[end:]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the README is not what this would write")
    parser.add_argument("--readme", type=Path, default=README, help="the README to check or rewrite")
    args = parser.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    try:
        new = rewritten(text, args.readme)
    except SourceError as error:
        print(f"results: {error}", file=sys.stderr)
        return 2
    if args.check:
        if new != text:
            diff = difflib.unified_diff(
                text.splitlines(),
                new.splitlines(),
                f"{args.readme} (now)",
                f"{args.readme} (from the notebooks' outputs and the logs)",
                n=0,
                lineterm="",
            )
            print("results table out of date; run: python tools/results.py\n" + "\n".join(diff))
            return 1
        print("results table up to date")
        return 0
    if new != text:
        args.readme.write_text(new, encoding="utf-8")
        print(f"updated the results table in {args.readme}")
    else:
        print("results table already current")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
