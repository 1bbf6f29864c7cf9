"""`Vocabulary`: the symbols of a corpus (characters or words) and their integer ids.

Ids are ordered by frequency, most frequent first, so id 0 is the commonest
symbol (on the Aesop fable: ``,`` -> 0, ``the`` -> 1, as the classic tutorial
prints it). Used by ``04_char_shakespeare`` (characters), ``05_word_aesop``
and ``06_word_ptb`` (words).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np


class UnknownSymbolError(ValueError):
    """A symbol that the vocabulary does not know, with no unknown token to map it to."""


class Vocabulary:
    """A bijection between symbols and ids ``0 .. len(vocab) - 1``.

    Build one from data with `Vocabulary.from_text` (characters) or
    `Vocabulary.from_tokens` (words); `encode` and `decode` go between
    symbols and ids. With an unknown token (``unk="<unk>"``), symbols the
    vocabulary does not know encode to its id; without one they raise
    `UnknownSymbolError`, which names the symbol and where it was.
    """

    def __init__(self, symbols: Sequence[str], unk: str | None = None, separator: str = " "):
        symbols = list(symbols)
        if len(set(symbols)) != len(symbols):
            dupes = sorted({s for s in symbols if symbols.count(s) > 1})
            raise ValueError(f"A vocabulary's symbols must be distinct; repeated: {dupes[:10]}")
        if unk is not None and unk not in symbols:
            symbols.append(unk)
        self.id_to_symbol: list[str] = symbols
        self.symbol_to_id: dict[str, int] = {s: i for i, s in enumerate(symbols)}
        self.unk = unk
        self.separator = separator  # joins decoded symbols: "" for characters, " " for words

    # -- building -------------------------------------------------------------------------
    @classmethod
    def from_tokens(
        cls,
        tokens: Iterable[str],
        *,
        max_size: int | None = None,
        unk: str | None = None,
        ties: str = "first",
        separator: str = " ",
    ) -> Vocabulary:
        """A vocabulary of the distinct tokens, most frequent first.

        `ties` orders tokens of equal count: ``"first"`` by first appearance
        (stable, what ``Counter.most_common`` does), ``"alphabetical"`` by
        the token itself (what the TensorFlow PTB tutorial's reader does).
        `max_size` keeps the commonest tokens only (the unknown token, if
        any, counts towards it).
        """
        counts = Counter(tokens)
        if ties == "first":
            order = sorted(counts, key=lambda s: -counts[s])  # sorted() is stable
        elif ties == "alphabetical":
            order = sorted(counts, key=lambda s: (-counts[s], s))
        else:
            raise ValueError(f"ties must be 'first' or 'alphabetical', got {ties!r}")
        if max_size is not None:
            keep = max_size - (unk is not None and unk not in order[:max_size])
            order = order[:keep]
        return cls(order, unk=unk, separator=separator)

    @classmethod
    def from_text(cls, text: str, **kwargs) -> Vocabulary:
        """A character vocabulary of `text`; decoding joins characters with no separator."""
        return cls.from_tokens(text, separator="", **kwargs)

    # -- using ----------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.id_to_symbol)

    def __contains__(self, symbol: str) -> bool:
        return symbol in self.symbol_to_id

    def __repr__(self) -> str:
        head = ", ".join(repr(s) for s in self.id_to_symbol[:5])
        return f"Vocabulary({len(self)} symbols: {head}{', ...' if len(self) > 5 else ''})"

    def encode(self, symbols: Iterable[str]) -> np.ndarray:
        """The ids of `symbols` (a string of characters or a list of words), shape ``(n,)``, int32."""
        ids = []
        for position, symbol in enumerate(symbols):
            i = self.symbol_to_id.get(symbol)
            if i is None:
                if self.unk is None:
                    raise UnknownSymbolError(
                        f"{symbol!r} (at position {position}) is not in the vocabulary of "
                        f"{len(self)} symbols, and it has no unknown token. "
                        f"Known symbols include: {', '.join(map(repr, self.id_to_symbol[:20]))}"
                        f"{' ...' if len(self) > 20 else ''}"
                    )
                i = self.symbol_to_id[self.unk]
            ids.append(i)
        return np.asarray(ids, dtype=np.int32)

    def decode(self, ids: Iterable[int]) -> list[str]:
        """The symbols of `ids`, as a list. `decode_text` joins them into a string."""
        out = []
        for position, i in enumerate(np.asarray(ids).reshape(-1).tolist()):
            if not 0 <= i < len(self):
                raise IndexError(f"id {i} (at position {position}) is outside 0..{len(self) - 1}")
            out.append(self.id_to_symbol[i])
        return out

    def decode_text(self, ids: Iterable[int]) -> str:
        """The symbols of `ids` joined by the vocabulary's separator ("" for characters, " " for words)."""
        return self.separator.join(self.decode(ids))
