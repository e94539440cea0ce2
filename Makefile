# make build: create .venv, install xint-site into it, provision the framework
#             kernels, build content/ into _site/ and the sample book book/ into _book/.
# make test:  everything the tests need (kernels, Chromium), then `make lint`, then pytest.
# make lint:  the static checks alone: ruff, ruff format, mypy --strict (its settings are
#             [tool.mypy] in pyproject.toml) and the import layers (lint-imports).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SOURCES := $(shell find xint_site themes -type f -not -path '*/__pycache__/*') pyproject.toml

.PHONY: build test lint clean kernels browser bench axe hexo

build: $(STAMP) kernels
	$(BIN)/xint-site build content -o _site
	$(BIN)/xint-site build book -o _book

# One environment + kernelspec per framework in content/xint.yml; a no-op when ready.
# book/xint.yml declares the same frameworks, so the sample book needs nothing more.
kernels: $(STAMP)
	$(BIN)/xint-site kernels content

$(STAMP): $(SOURCES)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[test]"
	touch $@

browser:
	@command -v chromium >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }
	@command -v npm >/dev/null || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }

# axe-core (npm, pinned in tests/browser/axe/package-lock.json): tests/browser/test_axe.py
# injects it into the built pages.
axe: tests/browser/axe/node_modules/.package-lock.json

tests/browser/axe/node_modules/.package-lock.json: tests/browser/axe/package.json tests/browser/axe/package-lock.json
	npm ci --prefix tests/browser/axe --no-audit --no-fund --loglevel=error

# The real Hexo and its scaffold's plugins (npm, pinned in tests/hexo/package-lock.json):
# tests/hexo builds a Hexo blog with it and with xint-site and compares their URLs.
hexo: tests/hexo/node_modules/.package-lock.json

tests/hexo/node_modules/.package-lock.json: tests/hexo/package.json tests/hexo/package-lock.json
	npm ci --prefix tests/hexo --no-audit --no-fund --loglevel=error

lint: $(STAMP)
	$(BIN)/ruff check xint_site tests bench
	$(BIN)/ruff format --check xint_site tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# pytest-xdist: one worker more than there are cores (a quarter of the suite's time is
# spent waiting on kernels, browsers and servers), at most 6; a test file stays on one
# worker, so a module's fixtures (a cluster, a built site) are made once.
TEST_WORKERS ?= $(shell n=$$(( $$(nproc) + 1 )); [ $$n -gt 6 ] && n=6; echo $$n)

test: $(STAMP) kernels browser hexo axe lint
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile

bench: $(STAMP)
	$(BIN)/python bench/render.py

clean:
	rm -rf $(VENV) _site ._site.* _book ._book.* build dist *.egg-info .pytest_cache .ruff_cache tests/artifacts
