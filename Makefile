# Two-command set-up: `make demo` and `make test` each create .venv if it is missing.
# `make test` (what CI runs) is the whole suite, the large tests included (--run-large);
# `make test-fast` skips them (tests/conftest.py) and runs on two pytest-xdist workers, a family's
# harness items on one worker (--dist loadgroup).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test

.PHONY: demo test test-fast install clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python setup.py
	$(BIN)/pip install -q -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/tfgan-zoo train zoo_configs/dcgan/digits.yaml --run-dir runs/demo --overwrite --set train.epochs=15
	$(BIN)/tfgan-zoo export runs/demo --name dcgan_digits --out-dir runs/demo/exports --overwrite
	$(BIN)/tfgan-zoo sample runs/demo/exports/dcgan_digits --num 64 --seed 0 --out runs/demo/from_export.png
	@echo "demo: samples in runs/demo/samples/, export in runs/demo/exports/dcgan_digits/1, grid from the export: runs/demo/from_export.png"

test: $(STAMP)
	$(BIN)/python -m pytest -q --run-large tests

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup tests

clean:
	rm -rf runs .pytest_cache
