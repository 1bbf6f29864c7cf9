"""helpers.dates: notebook 07's translation task, made by the course."""

import datetime

import numpy as np
import pytest

from helpers import dates


def test_every_format_writes_a_date_that_reads_back_the_same_day():
    t = datetime.date(2019, 4, 22)
    written = {style: dates.write(t, style) for style in dates.FORMATS}
    assert written["22 April 2019"] == "22 April 2019"
    assert written["Apr 22, 19"] == "Apr 22, 19"
    assert written["Monday 22/4/2019"] == "Monday 22/4/2019"  # 2019-04-22 was a Monday
    assert written["the 22nd of April 2019"] == "the 22nd of April 2019"
    assert dates.write(datetime.date(2011, 3, 11), "the 22nd of April 2019", "lower") == "the 11th of march 2011"
    assert dates.write(t, "22-Apr-2019", "upper") == "22-APR-2019"


def test_the_split_is_seeded_and_its_test_years_are_never_trained_on():
    a, b = dates.make_split(300, 50, 50, seed=3), dates.make_split(300, 50, 50, seed=3)
    assert a == b
    train_years = {int(iso[:4]) for _, iso in a["train"] + a["valid"]}
    test_years = {int(iso[:4]) for _, iso in a["test"]}
    assert test_years <= set(dates.HELD_OUT_YEARS) and not train_years & set(dates.HELD_OUT_YEARS)
    assert len(a["train"]) == 300 and len({w for w, _ in a["train"]}) > 250


def test_sources_pad_with_zero_and_targets_end_with_the_end_mark():
    x = dates.encode_sources(["1/2/2003", "the 1st of May 1999"])
    assert x.shape == (2, 19) and (x[0, 8:] == 0).all() and (x[0, :8] != 0).all()
    y = dates.encode_targets(["2003-02-01"])
    assert y.shape == (1, dates.TARGET_LENGTH) and y[0, -1] == dates.TARGET.symbol_to_id["</s>"]
    assert dates.decode_targets(np.concatenate([y, y[:, :1]], 1)) == ["2003-02-01"]  # stops at </s>


def test_slips_get_errors_that_say_what_is_wrong():
    with pytest.raises(ValueError, match="alphabet"):
        dates.encode_sources(["22 April 2019!"])
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        dates.encode_targets(["2019-4-22"])
    with pytest.raises(ValueError, match="unknown format"):
        dates.write(datetime.date(2019, 4, 22), "22 Apr")
