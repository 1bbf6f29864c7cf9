"""helpers.cli: the options the four training scripts of benchmarks/ share, and what each refuses."""

import subprocess
import sys

import pytest

from helpers import cli, fast_lstm
from helpers.data import REPO_DIR

RECIPE = dict(units=384, learning_rate=2e-3, train_chars=None, tied=False, lstm=None)


def parse(argv, **kwargs):
    return cli.training_options("a script", recipe=lambda a: RECIPE, argv=argv, **kwargs)


def test_precisions_are_the_course_lstms():
    assert cli.PRECISIONS == fast_lstm.PRECISIONS


def test_settings_read_each_value_as_its_keys_type():
    got = cli.settings(RECIPE, ["units=512", "learning_rate=4e-3", "train_chars=20000", "tied=true", "lstm=course"])
    assert got == dict(units=512, learning_rate=4e-3, train_chars=20_000, tied=True, lstm="course")
    assert RECIPE["units"] == 384  # a copy
    assert cli.settings(RECIPE, ["units=2e2"])["units"] == 200
    with pytest.raises(ValueError, match="KEY one of"):
        cli.settings(RECIPE, ["unit=3"])
    with pytest.raises(ValueError, match="takes a int"):
        cli.settings(RECIPE, ["units=many"])
    with pytest.raises(ValueError, match="takes a bool"):
        cli.settings(RECIPE, ["tied=yes"])


def test_the_shared_options():
    args = parse(["--fast", "--precision", "bfloat16", "--set", "units=8", "--run-dir", "here"])
    assert (args.fast, args.precision, args.run_dir, args.recipe["units"]) == (True, "bfloat16", "here", 8)
    args = parse([], default_run_dir=lambda a: f"runs/x{'-fast' * a.fast}")
    assert (args.fast, args.precision, args.run_dir, args.recipe) == (False, "float32", "runs/x", RECIPE)


def test_an_option_that_cannot_apply_is_refused_with_its_reason(capsys):
    with pytest.raises(SystemExit) as stop:
        parse(["--precision", "bfloat16"], no_precision="no course LSTM here")
    assert stop.value.code == 2
    assert "--precision does not apply to this script: no course LSTM here" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        parse(["--set", "unit=3"])
    assert "KEY one of" in capsys.readouterr().err


@pytest.mark.parametrize(
    "script, refused",
    [
        ("train_aesop.py", ["--precision", "bfloat16"]),
        ("train_aesop.py", ["--run-dir", "x"]),
        ("train_after_lstm.py", ["attention", "--precision", "bfloat16"]),
    ],
)
def test_the_scripts_refuse_what_does_not_apply(script, refused):
    done = subprocess.run(
        [sys.executable, str(REPO_DIR / "benchmarks" / script), *refused], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2 and "does not apply to this script" in done.stderr
