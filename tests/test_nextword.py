"""helpers.nextword: the Aesop notebook's dictionary, windows, ceiling, training and generation."""

import pytest

from helpers import data, nextword
from helpers.config import set_seed
from helpers.vocab import Vocabulary

TOKENS = data.read_words("aesop", eos=None)
VOCAB = Vocabulary.from_tokens(TOKENS)
IDS = VOCAB.encode(TOKENS)


def test_dictionary_order_and_round_trip():
    assert (len(TOKENS), len(VOCAB)) == (204, 112)
    assert VOCAB.id_to_symbol[:6] == [",", "the", ".", "and", "to", "said"]
    assert VOCAB.symbol_to_id[","] == 0 and VOCAB.symbol_to_id["the"] == 1
    assert VOCAB.decode(IDS) == TOKENS


def test_windows_and_labels_of_the_first_positions():
    X, y = nextword.examples(IDS, 3)
    assert X.shape == (201, 3) and y.shape == (201,)
    assert [VOCAB.decode(X[i]) for i in range(3)] == [["long", "ago", ","], ["ago", ",", "the"], [",", "the", "mice"]]
    assert VOCAB.decode(y[:3]) == ["the", "mice", "had"]
    with pytest.raises(ValueError, match="at least 1"):
        nextword.examples(IDS, 0)


@pytest.mark.parametrize("n, best, total", [(1, 130, 203), (2, 185, 202), (3, 199, 201), (4, 199, 200), (5, 198, 199)])
def test_ceilings(n, best, total):
    assert nextword.ceiling(TOKENS, n) == (best, total)


def test_the_ambiguous_contexts_of_three_words():
    amb = nextword.ambiguous_contexts(TOKENS, 3)
    assert {k: set(v) for k, v in amb.items()} == {
        ("the", "cat", "."): {"some", "by"},
        ("up", "and", "said"): {"he", "that"},
    }


@pytest.fixture(scope="module")
def trained():
    set_seed(0)
    model = nextword.next_word_model(len(VOCAB), 3, units=32, embedding=16)
    X, y = nextword.examples(IDS, 3)
    log = nextword.train(model, X, y, learning_rate=1e-2, max_epochs=40, max_seconds=60)
    return model, log


def test_brief_training_lowers_the_loss(trained):
    _, log = trained
    assert len(log["epoch"]) == 40
    assert log["loss"][-1] < 0.8 * log["loss"][0]
    assert log["accuracy"][-1] > log["accuracy"][0]


def test_training_stops_at_the_target():
    set_seed(0)
    model = nextword.next_word_model(len(VOCAB), 3, units=16, embedding=8)
    X, y = nextword.examples(IDS, 3)
    log = nextword.train(model, X, y, learning_rate=1e-2, max_epochs=500, max_seconds=60, target=30, hold=5)
    assert log["reached"] is not None and len(log["epoch"]) < 500
    # stopped after 5 updates in a row at the target, the first of them at `reached`
    assert all(round(a * 201) >= 30 for a in log["accuracy"][-5:])
    assert log["reached"] <= log["seconds"][-5]


def test_training_stops_at_the_time_limit_and_shows_its_progress(capsys):
    set_seed(0)
    model = nextword.next_word_model(len(VOCAB), 3, units=8, embedding=8)
    X, y = nextword.examples(IDS, 3)
    log = nextword.train(model, X, y, max_epochs=500, max_seconds=0, progress=True)
    assert len(log["epoch"]) == 1 and log["reached"] is None  # the limit is checked after each update
    bar = capsys.readouterr().err.split("\r")[-1]
    right = round(log["accuracy"][0] * len(X))
    assert bar.startswith("1 updates [") and f"right={right}" in bar and "loss=" in bar, bar


def test_classic_model_reads_raw_ids():
    model = nextword.next_word_model(len(VOCAB), 3, units=8, embedding=None)
    assert model.get_layer("raw_ids").compute_output_shape((None, 3)) == (None, 3, 1)
    assert model.get_layer("lstm_1").get_weights()[0].shape == (1, 32)  # one number per word in


def test_generation_is_reproducible(trained):
    model, _ = trained
    greedy = nextword.continue_text(model, VOCAB, "had a general", 12)
    assert len(greedy) == 12 and greedy == nextword.continue_text(model, VOCAB, ["had", "a", "general"], 12)
    a = nextword.continue_text(model, VOCAB, "had a general", 12, temperature=1.0, seed=4)
    assert a == nextword.continue_text(model, VOCAB, "had a general", 12, temperature=1.0, seed=4)


def test_errors_name_the_word_or_the_count(trained):
    model, _ = trained
    with pytest.raises(ValueError, match=r"'dog' is not in the vocabulary of 112 words\. The words it knows: , \."):
        nextword.continue_text(model, VOCAB, "had a dog")
    with pytest.raises(ValueError, match=r"The prompt has 2 words \['had', 'a'\]; this model reads exactly 3"):
        nextword.continue_text(model, VOCAB, "had a")
    with pytest.raises(ValueError, match="temperature"):
        nextword.continue_text(model, VOCAB, "had a general", temperature=-1)


def test_follows_text_counts_the_leading_match():
    words = "council to consider what nonsense they could".split()
    assert nextword.follows_text(TOKENS, "had a general", words) == (4, 6)
    assert nextword.follows_text(TOKENS, "mouse mouse mouse", words) == (0, 0)
