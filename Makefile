# The course's chores. The two that matter:
#   make lab    create .venv if needed, install, register the kernel, open JupyterLab
#   make test   create .venv if needed, run every test (unit tests + notebooks in fast mode)
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := rnn-course
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# No browser to open on a machine without a display (a server, a container, CI).
NO_BROWSER := $(if $(or $(DISPLAY),$(WAYLAND_DISPLAY),$(filter Darwin,$(shell uname -s))),,--no-browser)
# Jupyter refuses to run as root unless told to (containers, cloud machines).
AS_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: help install lab test unit notebooks bench student grade chromium clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --progress-bar off -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (RNN course)"
	@touch $@

install: $(STAMP)  ## create .venv and install the course with its pinned dependencies

lab: $(STAMP)  ## open JupyterLab on notebooks/ (prints the URL with its token)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks $(NO_BROWSER) $(AS_ROOT) $(LAB_ARGS)

test: $(STAMP)  ## every test: helpers' unit tests, then nbval on every notebook in fast mode
	RNN_COURSE_FAST=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

unit: $(STAMP)  ## only the unit tests of helpers
	$(BIN)/python -m pytest tests $(PYTEST_ARGS)

notebooks: $(STAMP)  ## run every notebook in full mode and save its outputs (NB=path for one)
	$(BIN)/python tools/run_notebooks.py $(or $(NB),notebooks/[0-9]*.ipynb)

clean:  ## remove the virtual environment (downloaded data in data/ is kept)
	rm -rf $(VENV)

bench: $(STAMP)  ## time every notebook in fast and full mode (prints a table; saves nothing)
	$(BIN)/python benchmarks/notebook_times.py

student: $(STAMP)  ## write the student copies into student/ (nbgrader generate_assignment of each notebook)
	$(BIN)/python tools/nbgrader_course.py student

grade: $(STAMP)  ## autograde submissions in fast mode: SUBMITTED=dir of <student>/<assignment>/<notebook>.ipynb
	@test -n "$(SUBMITTED)" || { echo "usage: make grade SUBMITTED=path/to/submitted [COURSE=grading]"; exit 2; }
	$(BIN)/python tools/nbgrader_course.py grade $(SUBMITTED) $(or $(COURSE),grading)

chromium:  ## install Debian's Chromium for the browser test (tests/test_browser.py); needs root or sudo
	@command -v chromium >/dev/null && echo "chromium: $$(command -v chromium)" || { \
	  command -v apt-get >/dev/null || { echo "no apt-get here: install Chromium yourself, or set CHROMIUM=/path/to/chrome"; exit 1; }; \
	  $(SUDO) apt-get install -y chromium || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }; }
