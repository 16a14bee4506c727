# Every target creates .venv on first use; nothing needs installing beforehand
# but Python 3.11 and, without MONGODB_URI, Java 17 and Maven. `browser` (and
# so `test`) installs Debian's chromium and chromium-driver with apt-get when
# they are missing (scripts/browser-deps; as root, or through sudo).
# The default virtualenv runs Django 5.2 LTS on the machine's Python 3.11;
# `make django6` runs the same tests on Django 6.1 in .venv-django6, on a
# Python 3.12+ that scripts/find-python finds (PATH, then pyenv).
PYTHON ?= python3
DJANGO ?= django>=5.2,<5.3
VENV ?= .venv
BIN := $(VENV)/bin
DJANGO6 := django>=6.1,<6.2
VENV6 := .venv-django6
DEMO_PORT ?= 27018
DEMO_DATA ?= .cache/demo-data
DEMO_ADDR ?= 127.0.0.1:8000

.PHONY: test django6 unit integration reliability browser differential conformance explore thirdparty demo bench bench-scale venv clean

venv: $(VENV)/.installed

$(VENV)/.installed: setup.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]' '$(DJANGO)'
	touch $@

## Run the unit tests (no server), the integration tests, the reliability
## tests (concurrency, server faults, a fuzzer, injection), the admin in a
## headless browser, the differential tests against SQLite and the
## conformance gate (every app of Django's own test suite) on Django 5.2;
## then the unit, integration and browser tests and the conformance gate
## on Django 6.1.
test: unit integration reliability browser differential conformance django6

## The unit, integration and browser tests and the conformance gate on
## Django 6.1, in .venv-django6 (make django6 TARGETS="unit" for fewer).
TARGETS ?= unit integration browser conformance
django6:
	python6=$$(scripts/find-python 3.13 3.12) && \
	$(MAKE) --no-print-directory PYTHON="$$python6" DJANGO='$(DJANGO6)' VENV=$(VENV6) $(TARGETS)

unit: venv
	$(BIN)/python -m pytest tests/unit -q

integration: venv
	$(BIN)/python -m pytest tests/integration -q

reliability: venv
	$(BIN)/python -m pytest tests/reliability -q -s -m 'not explore'

## Drive the admin in headless Chromium (Debian's, which scripts/browser-deps
## installs with apt-get when it is missing).
browser: venv
	scripts/browser-deps
	$(BIN)/python -m pytest tests/browser -q

differential: venv
	$(BIN)/python -m pytest tests/differential -q -m 'not explore'

## Run the fuzzer and the differential test from new random seeds; they print
## what they find (with the command that replays it) and never fail.
explore: venv
	$(BIN)/python -m pytest tests/reliability -q -s -m explore
	$(BIN)/python -m pytest tests/differential -q -s -m explore

## Django's whole test suite on djongo, as a gate (two apps at a time;
## CONFORMANCE_ARGS="--core" for the 42 core apps, or name apps).
conformance: venv
	$(BIN)/python scripts/conformance --check $(CONFORMANCE_ARGS)

## Run popular Django apps' own test suites on SQLite and on djongo, and
## group the tests that fail only on djongo by cause (not part of `make test`;
## THIRDPARTY_ARGS="--readme" writes README's table, or name apps to run).
thirdparty: venv
	$(BIN)/python scripts/thirdparty $(THIRDPARTY_ARGS)

## Run the example project's admin on http://$(DEMO_ADDR)/admin/
## (make demo DEMO_ADDR=0.0.0.0:8080 serves it elsewhere).
demo: venv
	$(BIN)/python scripts/demo --port $(DEMO_PORT) --data $(DEMO_DATA) --addr $(DEMO_ADDR)

## Time djongo through the ORM against raw pymongo doing the same work, and
## django-mongodb-backend doing the same ORM calls (--readme writes README's tables).
bench: venv
	$(BIN)/python -m benchmarks.run $(BENCH_ARGS)

## Time ORM queries against the hand-written pymongo queries returning the
## same rows, at 10^4 and 10^5 books (benchmarks/scale.py; --readme writes README's table).
bench-scale: venv
	$(BIN)/python -m benchmarks.scale $(SCALE_ARGS)

clean:
	rm -rf $(VENV) $(VENV6) .pytest_cache
