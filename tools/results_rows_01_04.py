"""The README's results rows of notebooks 01-04: each function returns (notebook, what was measured, value).

Each figure is read by tools/results_sources.py from where a notebook printed
it (see tools/results.py).
"""

from __future__ import annotations

import re

from results_sources import SourceError, lines, log, match, minutes, printed


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
        *nb04_inside(),
    ]


def nb04_inside() -> list[tuple[str, str, str]]:
    """04's exercise 4 (shuffled rows) and section 8 (looking inside the trained model)."""
    nb = "04_char_shakespeare"
    order = match(nb, r"validation text, in order\s+([\d.]+) nats/char\nvalidation text, rows shuffled.*?([\d.]+) nats")
    units = printed(nb, r"^position in the line\s+1\s")
    best = {
        (m[1].strip(), m[2]): m
        for m in lines(units, r"^(.+?)\s+([12])\s+(\d+)\s+(-?[\d.]+)\s+([\d.]+)\s+(\d+)\s+([\d.]+)$")
    }
    line, speaker = best[("position in the line", "1")], best[("in a speaker's name line", "2")]
    reach = printed(nb, r"^k characters back")
    head = lines(reach, r"^k characters back\s+(.*)$")[0][1].split()
    rows = {m[1]: m[2].split() for m in lines(reach, r"^(trained|untrained)\s+(.*)$")}
    far = [k for k in ("100", "200") if k in head]
    context = printed(nb, r"state zeroed every")
    zeroed = [m.groups() for m in lines(context, r"every\s+(\d+) characters: ([\d.]+)")]
    carried = lines(context, r"state carried.*?([\d.]+) nats")[0][1]
    learning_rows = lines(printed(nb, r"^after epoch 1: "), r"^after epoch (\d+): (\d+)% of")
    dynamic = printed(nb, r"dynamic evaluation, learning as it reads")
    one_row = lines(dynamic, r"static, read as one row in order\s+([\d.]+) nats")[0][1]
    learning = lines(dynamic, r"dynamic evaluation, learning as it reads\s+([\d.]+) nats")[0][1]
    batched = lines(dynamic, r"static, 32 rows \(section 4\)\s+([\d.]+) nats")[0][1]
    return [
        (
            "04",
            "the trained model reading the validation text in order / with its rows shuffled, as `model.fit` "
            "does by default (exercise 4's bug)",
            f"{order[1]} / {order[2]} nats/char",
        ),
        (
            "04",
            "looking inside: the cell-state unit that best follows the position in the line (layer 1) and "
            "being in a speaker's name line (layer 2), Pearson r, and how many of 384 units pass an absolute r of 0.5",
            f"r = {line[4]} ({line[6]} units); r = {speaker[4]} ({speaker[6]} units)",
        ),
        (
            "04",
            "samples as the model learns (300 characters from `ROMEO:`, temperature 0.5, seed 0): share of the "
            "words that are words of the training text after epochs "
            + " / ".join(m[1] for m in learning_rows)
            + " (epochs 1, 3, 6 from a second run of the recipe, `helpers.snapshots`)",
            " / ".join(f"{m[2]}%" for m in learning_rows),
        ),
        (
            "04",
            "gradient of the last character's loss w.r.t. the embedding "
            + " / ".join(far)
            + " characters back (windows from a zero state): trained / untrained",
            "; ".join(f"{rows['trained'][head.index(k)]} / {rows['untrained'][head.index(k)]}" for k in far),
        ),
        (
            "04",
            "validation loss with the state zeroed every " + " / ".join(e for e, _ in zeroed) + " characters; carried",
            " / ".join(v for _, v in zeroed) + f"; {carried} nats/char",
        ),
        (
            "04",
            "**dynamic evaluation** (Krause et al. 2018: each chunk of 50 characters scored, then one RMS-scaled "
            "gradient step on it with a decay back to the trained weights; lr 1e-4, decay 0.01 tuned on the "
            "training text's last 20,000 characters by `benchmarks/dynamic_eval.py`): validation, read as one "
            "row, static / dynamic (goal ≤ 1.38)",
            f"{one_row} / **{learning}** nats/char ({'met' if float(learning) <= 1.38 else 'not met'}; "
            f"a different measure from the static {batched}, labelled apart)",
        ),
    ]
