# PMQA 4.0 results dashboard. `make run` and `make test` each do all the set-up they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FONT_DIR := dashboard/app/static/fonts
PORT ?= 8501

.PHONY: setup run test test-fast lint format bench sample system-deps test-deps clean

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

# Debian's packages: chromium draws the brief's charts (kaleido) and runs the browser tests, Pango
# lays out the PDF brief (WeasyPrint); the tests also render PDFs to PNG (poppler) and open every
# brief in LibreOffice to show the files are well formed.
RUN_DEBS := chromium fonts-thai-tlwg libpango-1.0-0 libpangoft2-1.0-0
TEST_DEBS := poppler-utils libreoffice-writer-nogui libreoffice-impress-nogui libreoffice-calc-nogui

system-deps:  ## what the app needs from Debian
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi garuda || ! ldconfig -p | grep -q libpangoft2; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(RUN_DEBS) >/dev/null; \
	fi

test-deps: system-deps  ## and what the tests need
	@if ! command -v pdftoppm >/dev/null || ! command -v soffice >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEST_DEBS) >/dev/null; \
	fi

run: setup system-deps  ## the dashboard on the bundled sample (or PMQA_DATA)
	$(VENV)/bin/pmqa run --port $(PORT)

# Two workers, each taking whole files: a file's tests share their fixtures (a server, a browser, a store)
PYTEST := $(PY) -m pytest -q -n 2 --dist loadfile

test: setup test-deps lint  ## lint, then every test, browser tests included
	$(PYTEST)

test-fast: setup test-deps  ## the quick loop while working: every test but those marked browser (chromium, a server, AppTest)
	$(PYTEST) -m "not browser"

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
