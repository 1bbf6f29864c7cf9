"""The checks of notebook 05_word_aesop's exercises: the ceiling of a text, the most likely next words.

Each ``check_*`` takes the learner's answer, prints one verdict line with a
hint for the usual slips, and (under nbgrader) raises when the answer is not
right: see `helpers.checks` for the harness.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..checks import attempt, each, exercise, instance, items, number, verdict


@exercise("Exercise 1 (ceiling)")
def check_ceiling(name: str, my_ceiling: Callable) -> None:
    """Exercise 1 of 05_word_aesop: ``my_ceiling(tokens, n_input)`` -> ``(best, total)``.

    Checked against `helpers.nextword.ceiling` on the fable for n_input 1-5
    and on a small made-up text.
    """
    from ..data import read_words
    from ..nextword import ceiling

    cases = [("a b a c a b a b".split(), 1), ("a b a c a b a b".split(), 2)]
    cases += [(read_words("aesop", eos=None), n) for n in range(1, 6)]
    for tokens, n in cases:
        expected = ceiling(tokens, n)
        got = attempt(
            name,
            my_ceiling,
            list(tokens),
            n,
            returns=items("a pair (best, total) of integers", number(), number(), names=("best", "total")),
        )
        got = tuple(int(v) for v in got)
        where = "the fable" if len(tokens) > 20 else repr(" ".join(tokens))
        if got != expected:
            hint = ""
            if got[1] != expected[1]:
                hint = f" There are len(tokens) - n_input = {expected[1]} windows."
            elif got[0] == len({tuple(tokens[i : i + n]) for i in range(len(tokens) - n)}):
                hint = (
                    " That is the number of distinct contexts; count the occurrences of each one's commonest next word."
                )
            return verdict(name, False, f"For {where} with n_input = {n} expected {expected}, got {got}.{hint}")
    return verdict(name, True)


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
