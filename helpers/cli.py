"""The options the training scripts of ``benchmarks/`` share, parsed in one place.

``benchmarks/train_shakespeare.py``, ``train_ptb.py``, ``train_aesop.py`` and
``train_after_lstm.py`` all take ``--fast`` (the fast-mode recipe, a smoke
test), ``--precision`` (of the course's LSTM's products), ``--set KEY=VALUE``
(one setting of the recipe changed, repeatable) and ``--run-dir`` (where the
run is written). `training_options` parses them; a script for which an option
cannot apply says why (e.g. its model has no precision option), and the option
is then refused with that reason instead of being ignored.
"""

from __future__ import annotations

import argparse
import ast
from collections.abc import Callable

PRECISIONS = ("float32", "bfloat16")  # as helpers.fast_lstm.PRECISIONS (not imported: no TensorFlow here)


def settings(cfg: dict, assignments: list[str]) -> dict:
    """A copy of the recipe `cfg` with each ``KEY=VALUE`` of `assignments` set, the value read as the key's type.

    Raises ValueError naming the known keys (an unknown key) or the type expected (a value that is not one).
    """
    cfg = dict(cfg)
    for assignment in assignments:
        key, _, value = assignment.partition("=")
        if key not in cfg or not value:
            raise ValueError(f"--set takes KEY=VALUE with KEY one of {sorted(cfg)}; got {assignment!r}")
        old = cfg[key]
        try:
            if isinstance(old, bool):
                if value.lower() not in ("true", "false"):
                    raise ValueError
                cfg[key] = value.lower() == "true"
            elif isinstance(old, int):  # 20000, or 2e4
                number = float(value)
                if number != int(number):
                    raise ValueError
                cfg[key] = int(number)
            elif isinstance(old, float):
                cfg[key] = float(value)
            elif old is None:
                cfg[key] = (
                    ast.literal_eval(value) if value[0].isdigit() or value in ("None", "True", "False") else value
                )
            else:
                cfg[key] = type(old)(value)
        except (ValueError, SyntaxError):
            raise ValueError(f"--set {key}= takes a {type(old).__name__}; got {value!r}") from None
    return cfg


def training_options(
    description: str,
    *,
    recipe: Callable[[argparse.Namespace], dict] | None = None,
    arguments: Callable[[argparse.ArgumentParser], None] | None = None,
    no_precision: str | None = None,
    no_run_dir: str | None = None,
    no_set: str | None = None,
    default_run_dir: Callable[[argparse.Namespace], str] | None = None,
    argv: list[str] | None = None,
) -> argparse.Namespace:
    """Parse a training script's command line: the shared options, and the script's own (`arguments` adds them).

    Returns the namespace with ``fast``, ``precision`` (``"float32"`` unless
    given), ``run_dir`` (as given, else `default_run_dir` of the namespace),
    and ``recipe``: `recipe` of the namespace with the ``--set`` settings
    applied (`settings`). ``no_precision`` / ``no_run_dir`` / ``no_set``: why
    that option cannot apply to this script; given anyway, it is an error
    (exit status 2) with that reason.
    """
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    if arguments is not None:
        arguments(parser)
    parser.add_argument("--fast", action="store_true", help="the fast-mode recipe (a smoke test of the script)")
    parser.add_argument(
        "--precision",
        default=None,
        choices=PRECISIONS,
        help=no_precision
        or "of the course's LSTM's and the output layer's products (default "
        "float32; bfloat16: faster on a CPU that has it)",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=no_set or "change one setting of the recipe, e.g. --set batch_size=64 (repeatable)",
    )
    parser.add_argument("--run-dir", default=None, help=no_run_dir or "where to train (default under data/runs/)")
    args = parser.parse_args(argv)
    for option, given, reason in (
        ("--precision", args.precision is not None, no_precision),
        ("--set", bool(args.set), no_set),
        ("--run-dir", args.run_dir is not None, no_run_dir),
    ):
        if given and reason:
            parser.error(f"{option} does not apply to this script: {reason}")
    args.precision = args.precision or "float32"
    if args.run_dir is None and default_run_dir is not None:
        args.run_dir = default_run_dir(args)
    args.recipe = None
    if recipe is not None:
        try:
            args.recipe = settings(recipe(args), args.set)
        except ValueError as e:
            parser.error(str(e))
    return args
