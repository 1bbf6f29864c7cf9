"""Notebook 06's exercise checks: each accepts the right answer, written here independently of the check, and
names the usual slips (the unigram baseline, the warm-up schedule, the tying ablation)."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from helpers import checks
from helpers.exercises import word_ptb, word_ptb_tying


def verdict(check, answer, capsys, *args) -> tuple[bool, str]:
    """Run a check; return whether it passed (as recorded in checks.results) and the one line it printed."""
    checks.results.clear()
    assert check(answer, *args) is None
    (passed,) = checks.results.values()
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1, out
    return passed, out


def todo(*args):
    raise NotImplementedError()


# -- exercise 1: the unigram baseline --------------------------------------------------------------


def unigram(train_ids, test_ids, vocab_size, add=1, total_extra=None, counted=None):
    counts = Counter(int(i) for i in (train_ids if counted is None else counted))
    total = len(train_ids if counted is None else counted) + (vocab_size * add if total_extra is None else total_extra)
    return math.exp(-sum(math.log((counts[int(w)] + add) / total) for w in test_ids) / len(test_ids))


def no_smoothing(train_ids, test_ids, vocab_size):
    """Counts without the added one, in NumPy: a word never seen in training makes the perplexity infinite."""
    with np.errstate(divide="ignore"):
        return float(np.exp(-np.log(np.bincount(train_ids, minlength=vocab_size) / len(train_ids))[test_ids].mean()))


def test_the_unigram_check_accepts_add_one_counts_written_another_way(capsys):
    assert unigram([0, 0, 1], [0, 2], 3) == pytest.approx(math.sqrt(12))  # p = 3/6 and 1/6
    assert verdict(word_ptb.check_unigram_perplexity, unigram, capsys) == (
        True,
        "✓ Exercise 1 (unigram_perplexity): correct.\n",
    )


@pytest.mark.parametrize(
    "answer, hint",
    [
        (no_smoothing, "never seen in training has probability 0"),
        (lambda tr, te, v: unigram(tr, te, v, total_extra=0), "divide by len(train_ids) + vocab_size"),
        (lambda tr, te, v: unigram(tr, te, v, counted=te), "Those counts are the test text's"),
        (lambda tr, te, v: math.log(unigram(tr, te, v)), "the perplexity is its exponential"),
        (lambda tr, te, v: 2 ** math.log(unigram(tr, te, v)), "take e to it, not 2"),
    ],
    ids=["no smoothing", "total without vocab_size", "test counts", "nats", "base 2"],
)
def test_the_unigram_check_names_the_slip(answer, hint, capsys):
    passed, out = verdict(word_ptb.check_unigram_perplexity, answer, capsys)
    assert not passed and hint in out and "expected 5.2178" in out, out


def test_the_unigram_check_says_not_done(capsys):
    passed, out = verdict(word_ptb.check_unigram_perplexity, todo, capsys)
    assert not passed and "not done yet" in out


# -- exercise 3: the warm-up ---------------------------------------------------------------------


def warmup(update, config, warmup, epoch_size, start=1, top=None, epoch_of=None, late=False):
    if update < warmup:
        return (config["learning_rate"] if top is None else top) * (update + start) / warmup
    epoch = update // epoch_size if epoch_of is None else epoch_of(update, epoch_size)
    return config["learning_rate"] * config["lr_decay"] ** max(epoch + (0 if late else 1) - config["max_epoch"], 0)


def test_the_warmup_check_accepts_the_schedule(capsys):
    passed, out = verdict(word_ptb.check_warmup_learning_rate, warmup, capsys)
    assert passed and out == "✓ Exercise 3 (warmup_learning_rate): correct.\n"


@pytest.mark.parametrize(
    "answer, hint",
    [
        (lambda u, c, w, s: warmup(u, c, w, s, start=0), "small, warmup=500, epoch_size=2323: at update 0"),
        (lambda u, c, w, s: warmup(u, c, w, s, top=1.0), "(0.5714 for tied), not to 1"),
        (lambda u, c, w, s: warmup(u, c, w, s, epoch_of=lambda u, s: u / s), "update // epoch_size"),
        (lambda u, c, w, s: warmup(u, c, w, s, late=True), "Off by one epoch"),
    ],
    ids=["ramp from 0", "ramp to 1", "fractional epoch", "late decay"],
)
def test_the_warmup_check_names_the_slip(answer, hint, capsys):
    passed, out = verdict(word_ptb.check_warmup_learning_rate, answer, capsys)
    assert not passed and hint in out, out


def test_a_wrong_schedule_with_no_known_slip_gets_no_hint(capsys):
    passed, out = verdict(word_ptb.check_warmup_learning_rate, lambda u, c, w, s: 0.3, capsys)
    assert not passed and out.rstrip().endswith("got 0.3.")


# -- exercise 4: the tying ablation --------------------------------------------------------------


def ablation_run(config, train_ids, valid_ids, updates, change_tied=None, extra=0):
    """The ablation as exercise 4 asks for it; `change_tied` alters the tied model's configuration, `extra` adds updates."""
    import helpers.config
    from helpers import models, ptb, training

    trained, perplexities = [], []
    for tied in (False, True):
        helpers.config.set_seed(42)
        model = ptb.build(dict(config, tied=tied, **(change_tied or {}) if tied else {}))
        models.reset_states(model)
        model.fit(training.language_model_batches(train_ids, model).take(updates + extra), verbose=0, shuffle=False)
        trained.append(model)
        loss = training.evaluate(model, valid_ids) / model.input_shape[1]
        perplexities.append(math.exp(loss))
    return trained[0], trained[1], perplexities


@pytest.fixture(scope="module")
def solved():
    """One right run of the ablation on the check's stand-in set-up, and what the check measured on it."""
    word_ptb_tying.check_tying_ablation(ablation_run)
    assert checks.results["Exercise 4 (tying_ablation)"] is True
    return ablation_run(*word_ptb_tying._ablation_setup()), dict(word_ptb_tying.ablation)


def test_the_ablation_check_accepts_a_right_run_and_keeps_what_it_measured(solved):
    (untied, tied, reported), measured = solved
    assert untied.count_params() - tied.count_params() == 8 * 10_000  # the dense kernel, units x vocabulary
    assert {name: figures["parameters"] for name, figures in measured.items()} == {"untied": 171_088, "tied": 91_088}
    assert {figures["updates"] for figures in measured.values()} == {6}
    assert [measured["untied"]["perplexity"], measured["tied"]["perplexity"]] == pytest.approx(reported, rel=1e-3)


@pytest.mark.parametrize(
    "change, hint",
    [
        (lambda u, t, p: (t, u, p[::-1]), "They are swapped: return the untied model first."),
        (lambda u, t, p: (u, t, p[::-1]), "They are swapped: untied first, then tied."),
        (lambda u, t, p: (u, t, [math.log(x) for x in p]), "cross-entropies in nats per word"),
        (lambda u, t, p: (u, t, [x**5 for x in p]), "divide the summed loss by the steps"),
        (lambda u, t, p: (u, u, p), "Both are untied"),
        (lambda u, t, p: (u, t, p[:1]), "Return two perplexities"),
    ],
    ids=["models swapped", "perplexities swapped", "nats", "summed", "both untied", "one perplexity"],
)
def test_the_ablation_check_names_a_slip_in_what_was_returned(solved, change, hint, capsys):
    returned = change(*solved[0])
    passed, out = verdict(word_ptb_tying.check_tying_ablation, lambda *a: returned, capsys)
    assert not passed and hint in out, out
    assert word_ptb_tying.ablation == {}  # nothing kept from a wrong answer


@pytest.mark.parametrize(
    "options, hint",
    [
        (dict(change_tied=dict(steps=4)), "The tied model reads batches of (4, 4), config's are (4, 5)"),
        (dict(change_tied=dict(dropout=0.25)), "The models differ in more than tying"),
        (dict(change_tied=dict(max_grad_norm=1.0)), "The models differ in more than tying"),
        (dict(extra=1), "The models took 7 and 7 updates, expected 6 each"),
    ],
    ids=["other steps", "dropout", "clipping", "more updates"],
)
def test_the_ablation_check_finds_models_that_differ_in_more_than_tying(options, hint, capsys):
    passed, out = verdict(word_ptb_tying.check_tying_ablation, lambda *a: ablation_run(*a, **options), capsys)
    assert not passed and hint in out, out


def test_the_ablation_check_runs_on_what_the_notebook_gives_it(capsys):
    config, train_ids, valid_ids, _ = word_ptb_tying._ablation_setup()
    seen = []

    def records(*args):
        seen.append(args)
        raise NotImplementedError

    assert verdict(word_ptb_tying.check_tying_ablation, records, capsys, config, train_ids, valid_ids, 2)[0] is False
    (given,) = seen
    assert given[0] == config and given[0] is not config and given[3] == 2  # a copy of the config, the updates
    assert given[1] is train_ids and given[2] is valid_ids


# -- exercise 5: the counts over a wider window ------------------------------------------------------


def window_counts_loops(ids, vocab_size, window, contexts=1000, distances=None, swap=False, raw=False):
    """The answer in plain Python loops, independently of the check's NumPy reference; and its slips."""
    from helpers import word_vectors

    column = word_vectors.context_columns(ids, vocab_size, contexts)
    counts = np.zeros((vocab_size, 2 * contexts))
    for t, word in enumerate(ids):
        for d in range(1, window + 1) if distances is None else distances:
            for other, side in ((t - d, 0), (t + d, 1)):
                if 0 <= other < len(ids) and column[ids[other]] >= 0:
                    counts[word, ((1 - side) if swap else side) * contexts + column[ids[other]]] += 1
    return counts if raw else word_vectors.ppmi(counts)


def test_the_window_check_accepts_loops_and_names_each_slip(capsys):
    from helpers import word_vectors
    from helpers.exercises import word_ptb_vectors

    check = word_ptb_vectors.check_window_counts
    assert verdict(check, window_counts_loops, capsys) == (True, "✓ Exercise 5 (window_counts): correct.\n")
    ids = np.random.default_rng(0).integers(0, 40, 500)
    assert np.array_equal(window_counts_loops(ids, 40, 1, 12), word_vectors.context_counts(ids, 40, 12))
    slips = {
        "exactly `window` away": lambda i, v, w, c: window_counts_loops(i, v, w, c, distances=[w]),
        "starts at distance 0": lambda i, v, w, c: window_counts_loops(i, v, w, c, distances=range(w)),
        "the other way round": lambda i, v, w, c: window_counts_loops(i, v, w, c, swap=True),
        "raw counts": lambda i, v, w, c: window_counts_loops(i, v, w, c, raw=True),
        "should be": lambda i, v, w, c: window_counts_loops(i, v, w + 1, c),  # a window one too wide: no named slip
    }
    for hint, answer in slips.items():
        passed, out = verdict(check, answer, capsys)
        assert not passed and hint in out, out
    passed, out = verdict(check, lambda i, v, w, c: window_counts_loops(i, v, w, c)[:, :c], capsys)
    assert not passed and "shape" in out, out
