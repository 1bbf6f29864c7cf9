"""helpers.exercises.word_aesop: the loss-floor check accepts the right answer and names the usual slips."""

import math
from collections import Counter, defaultdict

import numpy as np

from helpers import checks
from helpers.exercises import word_aesop


def verdict(check, answer, capsys) -> tuple[bool, str]:
    """Run a check; return whether it passed (as recorded in checks.results) and what it printed."""
    checks.results.clear()
    assert check(answer) is None
    (passed,) = checks.results.values()
    return passed, capsys.readouterr().out


def floor(tokens, n_input, log=math.log, per_context=False, total=False):
    """The lowest mean cross-entropy, written without helpers.nextword: a second reference for the check's own."""
    followers = defaultdict(Counter)
    for i in range(len(tokens) - n_input):
        followers[tuple(tokens[i : i + n_input])][tokens[i + n_input]] += 1
    nats = -sum(c * log(c / sum(f.values())) for f in followers.values() for c in f.values())
    return nats if total else nats / (len(followers) if per_context else len(tokens) - n_input)


def test_the_floor_of_the_fable_is_four_windows_at_half():
    # n_input = 3: two contexts, each followed once by two different words: 4 windows at p = 1/2, the rest at 1
    from helpers.data import read_words

    tokens = read_words("aesop", eos=None)
    assert math.isclose(word_aesop._loss_floor(tokens, 3), 4 * math.log(2) / 201)
    assert math.isclose(word_aesop._loss_floor(tokens, 3), floor(tokens, 3))


def test_check_loss_floor(capsys):
    passed, out = verdict(word_aesop.check_loss_floor, floor, capsys)
    assert passed and f"floor is {4 * math.log(2) / 201:.4f} nats" in out
    slips = {
        "in bits": lambda t, n: floor(t, n, log=math.log2),
        "That is the total": lambda t, n: floor(t, n, total=True),
        "not of distinct contexts": lambda t, n: floor(t, n, per_context=True),
        "1 - the ceiling": lambda t, n: 1 - sum(max(f.values()) for f in _followers(t, n).values()) / (len(t) - n),
    }
    for hint, answer in slips.items():
        passed, out = verdict(word_aesop.check_loss_floor, answer, capsys)
        assert not passed and hint in out, (hint, out)
    passed, out = verdict(word_aesop.check_loss_floor, lambda t, n: floor(t, n) * 1.01, capsys)
    assert not passed and out.rstrip().endswith("got 0.3245.")  # wrong, and no slip named that it is not
    passed, out = verdict(word_aesop.check_loss_floor, lambda t, n: np.float32(floor(t, n)), capsys)
    assert passed  # float32 rounding is not a mistake


def _followers(tokens, n_input):
    found = defaultdict(Counter)
    for i in range(len(tokens) - n_input):
        found[tuple(tokens[i : i + n_input])][tokens[i + n_input]] += 1
    return found
