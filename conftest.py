"""Pytest set-up shared by the unit tests and the nbval run of the notebooks.

Tests run the notebooks in fast mode unless told otherwise; the kernels that
nbval starts inherit this environment. Under pytest-xdist (`make test` runs
``-n 2 --dist loadscope``) each worker gets its share of the cores as
TensorFlow's thread pools; loadscope keeps each test module, each test class
and each notebook's cells (one kernel, in order) on one worker, and the longest
scopes are handed out first.
A test that needs a corpus that neither the data folder, the mirror nor the
network can give is skipped, saying so, except in CI (``CI=true``), where
the mirror must be there and a missing file fails.
"""

import os

import pytest

pytest_plugins = ["pytester"]  # tests/test_data.py runs this file's hooks on a small test of its own

os.environ.setdefault("RNN_COURSE_FAST", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")

_workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if _workers > 1:  # one thread pool per worker: the workers share the cores instead of fighting over them
    _threads = str(max(1, (os.cpu_count() or 1) // _workers))
    for _name in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(_name, _threads)


def _weight(item) -> int:
    """The longest first: the integration tests (a notebook graded twice, JupyterLab in Chromium), then the notebooks."""
    return 0 if item.get_closest_marker("integration") else 1 if item.get_closest_marker("notebook") else 2


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebook)
    # Under `--dist loadscope --no-loadscope-reorder` (make test) the workers take the scopes in this order:
    # the long ones first, so that the short ones fill in at the end instead of one worker finishing alone.
    items.sort(key=_weight)


def _skip_if_no_data():
    from helpers.data import DataUnavailableError

    try:
        return (yield)
    except DataUnavailableError as e:
        if os.environ.get("CI", "").lower() in ("1", "true"):
            raise
        pytest.skip(f"a data file is not to be had (no copy in data/, no mirror, no network): {str(e).splitlines()[0]}")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    return (yield from _skip_if_no_data())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    return (yield from _skip_if_no_data())
