# PMQA 4.0 results dashboard. `make run` and `make test` each do all the set-up they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FONT_DIR := dashboard/app/static/fonts
PORT ?= 8501

.PHONY: setup run test lint format bench sample browser-deps clean

setup: $(VENV)/.installed $(FONT_DIR)/Sarabun-Regular.ttf  ## make the virtualenv from requirements.txt

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	# the `pmqa` command, the code staying here; compat mode is a plain path entry, free at start-up
	$(PY) -m pip install --quiet --no-deps --editable . --config-settings editable_mode=compat
	touch $@

# The app serves Sarabun from its static folder; the font comes from its PyPI package.
$(FONT_DIR)/Sarabun-Regular.ttf: $(VENV)/.installed
	mkdir -p $(FONT_DIR)
	$(PY) -c "import fontpkg_sarabun, pathlib, shutil; src = pathlib.Path(fontpkg_sarabun.__file__).parent; \
	[shutil.copy(src / 'files' / f'Sarabun-{w}.ttf', '$(FONT_DIR)') for w in ('Regular', 'Bold')]; \
	shutil.copy(src / 'LICENSE', '$(FONT_DIR)/OFL.txt')"

browser-deps:  ## Debian's chromium and a Thai font for the browser tests and image export
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi garuda; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-thai-tlwg >/dev/null; \
	fi

run: setup  ## the dashboard on the bundled sample (or PMQA_DATA)
	$(VENV)/bin/pmqa run --port $(PORT)

test: setup browser-deps lint  ## lint, then every test, browser tests included
	$(PY) -m pytest -q

lint: setup  ## ruff lint and format check
	$(VENV)/bin/ruff check dashboard tests bench
	$(VENV)/bin/ruff format --check dashboard tests bench

format: setup  ## apply ruff's fixes and format
	$(VENV)/bin/ruff check --fix dashboard tests bench
	$(VENV)/bin/ruff format dashboard tests bench

bench: setup  ## speed and memory, as ratios against a baseline in the same run
	$(PY) -m bench

sample: setup  ## regenerate the bundled synthetic sample
	$(VENV)/bin/pmqa sample --force

clean:  ## remove the virtualenv and test artifacts
	rm -rf $(VENV) tests/artifacts $(FONT_DIR)
