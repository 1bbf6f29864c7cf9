"""The README's results rows of notebooks 05-08: each function returns (notebook, what was measured, value).

Each figure is read by tools/results_sources.py from where a notebook printed
it (see tools/results.py).
"""

from __future__ import annotations

import re

from results_sources import SourceError, kilo, lines, log, match, minutes, printed


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
    dynamic = {
        m[1].strip(): m[2]
        for m in lines(printed(nb, r"^test, dynamic evaluation"), r"^test, (.+?)\s+perplexity\s+([\d.]+)")
    }
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

    sets = lines(
        printed(nb, r"^weekdays\s+\d+ words"), r"^(\S+(?: words)?)\s+\d+ words .*table ([\d.]+)\s+counts ([\d.]+)$"
    )
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
            "inside the tied table: share of the 5 nearest words (cosine) of each weekday / month / number word "
            "that are in its set, the table / counts of the words just before and after (PPMI)",
            " / ".join(f"{m[2]} against {m[3]}" for m in sets),
        ),
        (
            "06",
            "**dynamic evaluation** of the tied model (notebook 04's loop, chunks of 35 words; lr 1e-4, decay 0.01 "
            "tuned on the training text's last 20,000 words by `benchmarks/dynamic_eval.py --model ptb-tied`): "
            "test perplexity read as one row, static / dynamic",
            f"{dynamic['static, read as one row in order']} / **{dynamic['dynamic evaluation, learning as it reads']}** "
            f"(a different measure from the static {dynamic['static, 20 rows (section 5)']}, labelled apart)",
        ),
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
