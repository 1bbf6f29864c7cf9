"""The course's own translation task: a date written as people write it, into ISO ``YYYY-MM-DD`` (07).

Taught in ``07_seq2seq_attention``. Nothing is downloaded: `make_split` draws
dates from 1950-2049 with a seed and writes each in one of `FORMATS` ("22 April
2019", "Apr 22, 19", "monday 22/4/2019", ...), so inputs vary in length from 8
to 29 characters while every target is 10 characters. The test set's years are
ones the training set never shows (`HELD_OUT_YEARS`), so a model scores there
only by reading the digits, not by remembering dates. Two-digit years read as
1950-2049 (``19`` is 2019, ``50`` is 1950).

Characters become ids with `SOURCE` and `TARGET`, two `helpers.vocab.Vocabulary`
objects whose id 0 is the padding ``<pad>``; the target's also has ``<s>``
(what the decoder reads first) and ``</s>`` (what it writes last).
"""

from __future__ import annotations

import datetime
import string

import numpy as np

from .vocab import Vocabulary

MONTHS = [datetime.date(2000, m, 1).strftime("%B") for m in range(1, 13)]
DAYS = [datetime.date(2001, 1, d).strftime("%A") for d in range(1, 8)]  # 2001-01-01 was a Monday
FIRST, LAST = datetime.date(1950, 1, 1), datetime.date(2049, 12, 31)
HELD_OUT_YEARS = (1957, 1966, 1978, 1983, 1991, 2004, 2012, 2025, 2036, 2048)  # test years, never trained on


def _ordinal(d: int) -> str:
    return f"{d}{'th' if 10 <= d % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th')}"


# Each format writes a date the way people do; `lower`/`title`/`upper` variants come from `write`.
FORMATS = {
    "22 April 2019": lambda t: f"{t.day} {MONTHS[t.month - 1]} {t.year}",
    "April 22, 2019": lambda t: f"{MONTHS[t.month - 1]} {t.day}, {t.year}",
    "Apr 22, 19": lambda t: f"{MONTHS[t.month - 1][:3]} {t.day}, {t.year % 100:02d}",
    "22-Apr-2019": lambda t: f"{t.day:02d}-{MONTHS[t.month - 1][:3]}-{t.year}",
    "22/4/2019": lambda t: f"{t.day}/{t.month}/{t.year}",
    "22.04.19": lambda t: f"{t.day:02d}.{t.month:02d}.{t.year % 100:02d}",
    "2019/04/22": lambda t: f"{t.year}/{t.month:02d}/{t.day:02d}",
    "Monday 22/4/2019": lambda t: f"{DAYS[t.weekday()]} {t.day}/{t.month}/{t.year}",
    "Monday, April 22, 2019": lambda t: f"{DAYS[t.weekday()]}, {MONTHS[t.month - 1]} {t.day}, {t.year}",
    "the 22nd of April 2019": lambda t: f"the {_ordinal(t.day)} of {MONTHS[t.month - 1]} {t.year}",
}

SOURCE = Vocabulary(
    ["<pad>", *string.ascii_lowercase, *string.ascii_uppercase, *string.digits, " ", ",", ".", "/", "-"]
)
TARGET = Vocabulary(["<pad>", "<s>", "</s>", *string.digits, "-"])
TARGET_LENGTH = 10 + 1  # "YYYY-MM-DD" and </s>


def write(date: datetime.date, style: str, case: str = "title") -> str:
    """`date` written in format `style` (a key of `FORMATS`), in `case` ``"title"``, ``"lower"`` or ``"upper"``."""
    if style not in FORMATS:
        raise ValueError(f"unknown format {style!r}; the formats are {list(FORMATS)}")
    if case not in ("title", "lower", "upper"):
        raise ValueError(f"case must be 'title', 'lower' or 'upper', not {case!r}")
    text = FORMATS[style](date)
    return text if case == "title" else getattr(text, case)()


def random_dates(n: int, rng: np.random.Generator, years=None) -> list[tuple[str, str]]:
    """`n` pairs ``(written, iso)``: random dates (from `years` if given), random formats and cases."""
    span = (LAST - FIRST).days + 1
    pairs = []
    while len(pairs) < n:
        t = FIRST + datetime.timedelta(days=int(rng.integers(span)))
        if years is not None and t.year not in years:
            continue
        style = list(FORMATS)[rng.integers(len(FORMATS))]
        case = ("title", "lower", "upper")[rng.choice(3, p=[0.6, 0.3, 0.1])]
        pairs.append((write(t, style, case), t.isoformat()))
    return pairs


def make_split(n_train: int, n_valid: int, n_test: int, seed: int = 0) -> dict[str, list[tuple[str, str]]]:
    """``{"train", "valid", "test"}`` -> pairs ``(written, iso)``; test years are `HELD_OUT_YEARS`, the others not.

    Validation is drawn from the training years (dates the model may have
    seen written another way); test only from years never trained on.
    """
    rng = np.random.default_rng(seed)
    seen = [y for y in range(FIRST.year, LAST.year + 1) if y not in HELD_OUT_YEARS]
    return {
        "train": random_dates(n_train, rng, seen),
        "valid": random_dates(n_valid, rng, seen),
        "test": random_dates(n_test, rng, HELD_OUT_YEARS),
    }


def encode_sources(texts: list[str], length: int | None = None) -> np.ndarray:
    """Written dates as ids, (batch, length) int32, padded with 0 at the end (`length`: the longest)."""
    unknown = sorted({ch for t in texts for ch in t} - set(SOURCE.id_to_symbol))
    if unknown:
        raise ValueError(f"characters outside the task's alphabet: {unknown}")
    length = length or max(len(t) for t in texts)
    out = np.zeros((len(texts), length), np.int32)
    for row, t in enumerate(texts):
        out[row, : len(t)] = SOURCE.encode(list(t))[:length]
    return out


def encode_targets(isos: list[str]) -> np.ndarray:
    """ISO dates as target ids, (batch, 11) int32: the ten characters and ``</s>``."""
    bad = [s for s in isos if len(s) != 10 or set(s) - set("0123456789-")]
    if bad:
        raise ValueError(f"targets must be written YYYY-MM-DD; got {bad[:3]}")
    return np.array([TARGET.encode([*s, "</s>"]) for s in isos], np.int32)


def decode_targets(ids) -> list[str]:
    """Target ids back to text, stopping at ``</s>`` (and leaving out ``<s>`` and padding)."""
    out = []
    for row in np.asarray(ids):
        chars = []
        for i in row:
            symbol = TARGET.id_to_symbol[int(i)]
            if symbol == "</s>":
                break
            if symbol not in ("<pad>", "<s>"):
                chars.append(symbol)
        out.append("".join(chars))
    return out
