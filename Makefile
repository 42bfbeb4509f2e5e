# Two-command set-up: `make demo` and `make test` each create .venv if it is missing.
# `make test` (what CI runs) is the whole suite, the large tests included (--run-large);
# `make test-fast` skips them (tests/conftest.py) and runs on two pytest-xdist workers, a family's
# harness items on one worker (--dist loadgroup).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-test

.PHONY: demo test test-fast install clean formats page tools tfjs-venv node-tools

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

# make test (what CI runs): everything, the large tier included; make test-fast: the fast tier on
# two xdist workers (tests/conftest.py: --run-large). Both build the converters' environments
# (tools) the format tests use.
test: $(STAMP) tools
	$(BIN)/python -m pytest -q --run-large tests

test-fast: $(STAMP) tools
	$(BIN)/python -m pytest -q -n 2 --dist loadgroup tests

clean:
	rm -rf runs .pytest_cache

# The other formats (tfgan_zoo/formats/): model.tflite, model.onnx and tfjs/ beside every
# shipped SavedModel, each checked against it (git ignores them). The TF.js converter lives in
# its own virtualenv (pinned set: tools/tfjs/requirements.txt, tfjs_convert.py says why); TF.js
# for the checks and the page test's headless Chromium are npm packages (tools/node, npm ci).
TFJS_VENV := .venv-tfjs
TFJS_STAMP := $(TFJS_VENV)/.installed
NODE_STAMP := tools/node/node_modules/.installed

$(TFJS_STAMP): tools/tfjs/requirements.txt
	$(PY) -m venv $(TFJS_VENV)
	$(TFJS_VENV)/bin/pip install -q --upgrade pip
	$(TFJS_VENV)/bin/pip install -q -r tools/tfjs/requirements.txt
	touch $@

$(NODE_STAMP): tools/node/package.json tools/node/package-lock.json
	cd tools/node && npm ci --no-audit --no-fund
	touch $@

tfjs-venv: $(TFJS_STAMP)
node-tools: $(NODE_STAMP)
tools: tfjs-venv node-tools

formats: $(STAMP) tools
	$(BIN)/python -m tfgan_zoo.formats exports --quantize

# the zoo page: http://localhost:8000/docs/zoo/ (served from the repository root, which holds
# the exports and TF.js itself; nothing but python -m http.server)
PORT ?= 8000
page: formats
	@echo "zoo page: http://localhost:$(PORT)/docs/zoo/"
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1
