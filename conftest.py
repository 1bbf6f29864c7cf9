"""Pytest set-up shared by the unit tests and the nbval run of the notebooks.

Tests run the notebooks in fast mode unless told otherwise; the kernels that
nbval starts inherit this environment.
"""

import os

os.environ.setdefault("RNN_COURSE_FAST", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")
