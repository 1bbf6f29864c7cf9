"""helpers.exercises.char_shakespeare's find-the-bug check: the fix passes, each way of getting it wrong is named."""

import pytest

from helpers import batching, checks, training
from helpers.exercises import char_shakespeare as ex


def verdict(answer, capsys) -> tuple[bool, str]:
    checks.results.clear()
    assert ex.check_fit_in_order(answer) is None
    (passed,) = checks.results.values()
    return passed, capsys.readouterr().out


def setup(shuffle=False, reshape=True, batch_size=None, reset=True, **fit):
    """A fit_in_order with one thing changed from the right answer."""

    def fit_in_order(model, ids, epochs, rows, steps):
        x, y = batching.batch_producer(ids, rows, steps)
        if reshape:
            x, y = x.reshape(-1, steps), y.reshape(-1, steps)
        options = dict(
            batch_size=batch_size or rows, epochs=epochs, callbacks=[training.ResetStates()] if reset else []
        )
        if shuffle is not None:
            options["shuffle"] = shuffle
        return model.fit(x, y, **(options | fit))

    return fit_in_order


def test_the_fix_passes(capsys):
    passed, out = verdict(setup(), capsys)
    assert passed, out


@pytest.mark.parametrize(
    "slip, says",
    [
        (dict(shuffle=None), "shuffles the rows of x by default (shuffle=True)"),
        (dict(shuffle="batch"), "shuffle='batch'"),
        (dict(reshape=False), "of shape (9, 4, 5)"),
        (dict(batch_size=32), "batch_size=32"),
        (dict(reset=False), "No callback zeroes the state"),
        (dict(epochs=1), "epochs asked (2)"),
    ],
)
def test_each_slip_is_named(slip, says, capsys):
    passed, out = verdict(setup(**slip), capsys)
    assert not passed and says in out, out


def test_the_handed_out_bug_is_the_default_shuffle(capsys):
    def fit_stateful(model, ids, epochs, batch_size, steps):  # as the notebook hands it out
        x, y = batching.batch_producer(ids, batch_size, steps)
        x, y = x.reshape(-1, steps), y.reshape(-1, steps)
        return model.fit(x, y, batch_size=batch_size, epochs=epochs, callbacks=[training.ResetStates()], verbose=0)

    passed, out = verdict(fit_stateful, capsys)
    assert not passed and "Pass shuffle=False" in out, out


def since_mark_verdict(answer, capsys) -> tuple[bool, str]:
    checks.results.clear()
    assert ex.check_since_mark(answer) is None
    (passed,) = checks.results.values()
    return passed, capsys.readouterr().out


def test_since_mark_counts_from_each_punctuation_mark():
    assert ex.since_mark_reference("Ay, sir").tolist() == [1, 2, 0, 1, 2, 3, 4]
    assert ex.since_mark_reference("a.\nb").tolist() == [1, 0, 1, 2]


@pytest.mark.parametrize(
    "slip, named",
    [
        (lambda text: ex.since_mark_reference(text) + 1, "counts the mark itself as 1"),
        (lambda text: ex.since_mark_reference(text, ",.;:!?\n"), "starts again at each newline"),
        (lambda text: ex.since_mark_reference(text, ",.;:!? "), "starts again at each space"),
        (lambda text: ex.since_mark_reference(text, ",."), "expected"),
    ],
    ids=["mark-as-1", "newline", "space", "other-marks-missed"],
)
def test_since_mark_names_each_slip(slip, named, capsys):
    passed, out = since_mark_verdict(slip, capsys)
    assert not passed and named in out, out


def test_since_mark_right_answer_passes(capsys):
    passed, out = since_mark_verdict(ex.since_mark_reference, capsys)
    assert passed and "correct" in out, out
