# The course's chores. The two that matter:
#   make lab    create .venv if needed, install, register the kernel, open JupyterLab
#   make test   create .venv if needed, run every test (unit tests + notebooks in fast mode)
#   make unit   only the unit tests (about 3 minutes): what to run while changing helpers/
#   make book   the course as a static site from the committed notebooks, offline: build/book/html/index.html
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
BOOK_STAMP := $(VENV)/.installed-book
BOOK_OUT ?= build/book
WORKERS ?= 2
KERNEL := rnn-course
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# No browser to open on a machine without a display (a server, a container, CI).
NO_BROWSER := $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY),$(filter Darwin,$(shell uname -s))),,--no-browser)
# Jupyter refuses to run as root unless told to (containers, cloud machines).
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: help install install-test lab test unit lint format notebooks bench student grade chromium book clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

# What a learner needs (the course and JupyterLab), then what the tests need on top of it.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --progress-bar off -e '.[lab]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (RNN course)"
	@touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --progress-bar off -e '.[test]'
	@touch $@

# What the book needs (Sphinx, myst-nb, the book theme, MathJax; the test extra includes it for tests/test_book.py).
$(BOOK_STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --progress-bar off -e '.[book]'
	@touch $@

install: $(STAMP)  ## create .venv and install the course with its pinned dependencies (what `make lab` needs)

install-test: $(TEST_STAMP)  ## install what the tests need as well (what `make test` needs)

lab: $(STAMP)  ## open JupyterLab on notebooks/ (prints the URL with its token)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(NO_BROWSER) $(AS_ROOT) $(LAB_ARGS)

# Both run on $(WORKERS) pytest-xdist workers; loadscope keeps a test module, a test class (each notebook's
# grading is one) and a notebook's cells on one worker.
test: $(TEST_STAMP)  ## every test: lint, helpers' unit tests, grading, the browser check, nbval on every notebook in fast mode
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	RNN_COURSE_FAST=1 $(BIN)/python -m pytest -n $(WORKERS) --dist loadscope --no-loadscope-reorder $(PYTEST_ARGS)

unit: $(TEST_STAMP)  ## only the unit tests (no notebooks, no grading, no browser, no second process of TensorFlow)
	RNN_COURSE_FAST=1 $(BIN)/python -m pytest tests -m "not integration" -n $(WORKERS) --dist loadscope --no-loadscope-reorder $(PYTEST_ARGS)

lint: $(TEST_STAMP)  ## ruff: the linter (what CI checks) and the formatter's verdict
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)  ## ruff: fix what can be fixed, format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

notebooks: $(TEST_STAMP)  ## run every notebook in full mode and save its outputs (NB=path for one)
	$(BIN)/python tools/run_notebooks.py $(or $(NB),notebooks/[0-9]*.ipynb)

book: $(BOOK_STAMP)  ## build the course as a static site from the committed notebooks (nothing run, no network): open build/book/html/index.html
	$(BIN)/python tools/build_book.py --out $(BOOK_OUT)

clean:  ## remove the virtual environment (downloaded data in data/ is kept)
	rm -rf $(VENV)

bench: $(TEST_STAMP)  ## time every notebook in fast and full mode (prints a table; saves nothing)
	$(BIN)/python benchmarks/notebook_times.py

student: $(TEST_STAMP)  ## write the student copies into student/ (nbgrader generate_assignment of each notebook)
	$(BIN)/python tools/nbgrader_course.py student

grade: $(TEST_STAMP)  ## autograde submissions in fast mode: SUBMITTED=dir of <student>/<assignment>/<notebook>.ipynb
	@test -n "$(SUBMITTED)" || { echo "usage: make grade SUBMITTED=path/to/submitted [COURSE=grading]"; exit 2; }
	$(BIN)/python tools/nbgrader_course.py grade $(SUBMITTED) $(or $(COURSE),grading)

chromium:  ## install Debian's Chromium for the browser test (tests/test_browser.py); needs root or sudo
	@command -v chromium >/dev/null && echo "chromium: $$(command -v chromium)" || { \
	  command -v apt-get >/dev/null || { echo "no apt-get here: install Chromium yourself, or set CHROMIUM=/path/to/chrome"; exit 1; }; \
	  $(SUDO) apt-get install -y chromium || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }; }
