"""The checks of notebook 05_word_aesop's exercises: the loss floor of a text, the most likely next words.

Each ``check_*`` takes the learner's answer, prints one verdict line with a
hint for the usual slips, and (under nbgrader) raises when the answer is not
right: see `helpers.checks` for the harness.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..checks import attempt, each, exercise, instance, items, number, verdict


@exercise("Exercise 1 (loss_floor)")
def check_loss_floor(name: str, loss_floor: Callable) -> None:
    """Exercise 1 of 05_word_aesop: ``loss_floor(tokens, n_input)``, the lowest mean cross-entropy on the windows.

    The best model predicts, after each context, the share of each word
    that follows it in the text; its loss is the mean over the windows of
    ``-ln p(next | context)``, in nats. Checked on a small made-up text and
    on the fable for n_input 1-5; a wrong answer is compared with the usual
    slips (bits, a sum, a mean over contexts, the error rate) to name it.
    """
    from ..data import read_words

    cases = [("a b a c a b a b".split(), 1), ("a b a c a b a b".split(), 2)]
    cases += [(read_words("aesop", eos=None), n) for n in range(1, 6)]
    for tokens, n in cases:
        expected = _loss_floor(tokens, n)
        got = float(np.asarray(attempt(name, loss_floor, list(tokens), n, returns=number())).squeeze())
        if not math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-9):
            where = "the fable" if len(tokens) > 20 else repr(" ".join(tokens))
            hint = next((h for slip, h in _SLIPS.items() if math.isclose(got, _loss_floor(tokens, n, slip))), "")
            return verdict(name, False, f"For {where} with n_input = {n} expected {expected:.4f}, got {got:.4f}.{hint}")
    floor = _loss_floor(read_words("aesop", eos=None), 3)
    return verdict(name, True, f"With n_input = 3 the fable's floor is {floor:.4f} nats: no training loss goes lower.")


_SLIPS = {  # a slip -> the hint that names it
    "bits": " That is in bits: Keras' cross-entropy uses the natural log (nats).",
    "sum": " That is the total: divide by the number of windows, len(tokens) - n_input.",
    "contexts": " Divide by the number of windows, not of distinct contexts.",
    "error rate": " That is the share of windows no model gets right (1 - the ceiling), not a cross-entropy.",
}


def _loss_floor(tokens, n_input: int, slip: str | None = None) -> float:
    """The mean of ``-ln p(next | context)`` over the windows, p the text's own shares; or what a slip in `_SLIPS` gives."""
    from ..nextword import ceiling, followers

    found, windows = followers(tokens, n_input), len(tokens) - n_input
    if slip == "error rate":
        return 1 - ceiling(tokens, n_input)[0] / windows
    log = np.log2 if slip == "bits" else np.log
    total = -sum(c * log(c / sum(f.values())) for f in found.values() for c in f.values())
    return float(total if slip == "sum" else total / (len(found) if slip == "contexts" else windows))


@exercise("Exercise 2 (top_words)")
def check_top_words(name: str, top_words: Callable) -> None:
    """Exercise 2 of 05_word_aesop: ``top_words(model, vocab, prompt, k)`` -> ``[(word, probability), ...]``.

    Tried on a small untrained model (fixed seed) for two prompts: the words
    and the softmax probabilities must match, most likely first.
    """
    import keras

    from ..data import read_words
    from ..nextword import next_word_model
    from ..vocab import Vocabulary

    vocab = Vocabulary.from_tokens(read_words("aesop", eos=None))
    keras.utils.set_random_seed(7)
    model = next_word_model(len(vocab), 3, units=8, embedding=4)
    pairs = each(
        "a list of (word, probability) pairs",
        items("a pair (word, probability)", instance(str, "a word"), number(), names=("word", "probability")),
    )
    for prompt, k in (("the cat .", 3), ("up and said", 5)):
        logits = keras.ops.convert_to_numpy(model(vocab.encode(prompt.split())[None]))[0].astype(np.float64)
        p = np.exp(logits - logits.max())
        p /= p.sum()
        order = np.argsort(-p)[:k]
        expected = [(vocab.id_to_symbol[i], float(p[i])) for i in order]
        got = attempt(name, top_words, model, vocab, prompt, k, returns=pairs)
        got = [(str(w), float(np.asarray(q).squeeze())) for w, q in got]
        if len(got) != k:
            return verdict(name, False, f"Asked for k={k} words after {prompt!r}; got {len(got)}.")
        if [w for w, _ in got] != [w for w, _ in expected]:
            if sorted(w for w, _ in got) == sorted(w for w, _ in expected):
                return verdict(name, False, "The right words in the wrong order: most likely first.")
            return verdict(
                name,
                False,
                f"After {prompt!r} the top {k} words are {[w for w, _ in expected]}; got {[w for w, _ in got]}.",
            )
        if not np.allclose([q for _, q in got], [q for _, q in expected], atol=1e-4):
            raw = [float(logits[i]) for i in order]
            hint = (
                " Those are the logits: apply the softmax." if np.allclose([q for _, q in got], raw, atol=1e-4) else ""
            )
            return verdict(
                name,
                False,
                f"After {prompt!r} the probabilities are "
                f"{[round(q, 4) for _, q in expected]}; got {[round(q, 4) for _, q in got]}.{hint}",
            )
    return verdict(name, True)
