"""helpers.vocab.Vocabulary: order, round trips, unknown symbols, saving."""

import pytest

from helpers.data import read_words
from helpers.vocab import UnknownSymbolError, Vocabulary


@pytest.fixture(scope="module")
def aesop():
    return read_words("aesop", eos=None)


def test_aesop_order_matches_the_classic_tutorial(aesop):
    vocab = Vocabulary.from_tokens(aesop)
    assert len(vocab) == 112
    assert vocab.id_to_symbol[:5] == [",", "the", ".", "and", "to"]
    assert vocab.symbol_to_id[","] == 0 and vocab.symbol_to_id["the"] == 1


def test_ties_first_seen_versus_alphabetical():
    tokens = "b a c a b c d".split()  # a, b, c twice each; b seen first
    assert Vocabulary.from_tokens(tokens).id_to_symbol == ["b", "a", "c", "d"]
    assert Vocabulary.from_tokens(tokens, ties="alphabetical").id_to_symbol == ["a", "b", "c", "d"]


def test_word_round_trip(aesop):
    vocab = Vocabulary.from_tokens(aesop)
    ids = vocab.encode(aesop)
    assert ids.dtype.name == "int32" and ids.shape == (204,)
    assert vocab.decode(ids) == aesop
    assert vocab.decode_text(ids[:3]) == "long ago ,"


def test_character_vocabulary():
    vocab = Vocabulary.from_text("hello world")
    assert vocab.id_to_symbol[0] == "l"  # three of them
    assert vocab.decode_text(vocab.encode("low hello")) == "low hello"


def test_unknown_symbol_is_named(aesop):
    vocab = Vocabulary.from_tokens(aesop)
    with pytest.raises(UnknownSymbolError, match=r"'dog' \(at position 1\)"):
        vocab.encode(["the", "dog"])


def test_unknown_token(aesop):
    vocab = Vocabulary.from_tokens(aesop, unk="<unk>")
    assert len(vocab) == 113 and vocab.id_to_symbol[-1] == "<unk>"
    assert vocab.decode(vocab.encode(["the", "dog"])) == ["the", "<unk>"]


def test_max_size_keeps_the_commonest_and_counts_unk(aesop):
    vocab = Vocabulary.from_tokens(aesop, max_size=10, unk="<unk>")
    assert len(vocab) == 10 and vocab.id_to_symbol[:3] == [",", "the", "."]
    assert vocab.encode(["outwit"]).tolist() == [vocab.symbol_to_id["<unk>"]]


def test_decode_rejects_out_of_range_ids():
    with pytest.raises(IndexError, match="id 7"):
        Vocabulary(["a", "b"]).decode([0, 7])


def test_duplicate_symbols_are_refused():
    with pytest.raises(ValueError, match="repeated"):
        Vocabulary(["a", "b", "a"])
