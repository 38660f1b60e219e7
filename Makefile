# Every target bootstraps the local virtual environment from nothing.
VENV    := .venv
PY      := $(VENV)/bin/python
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp

.PHONY: run test docs lint-packs bench fuzz clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## A real check of an example project on the built-in packs (exit 1 = violations found).
run: $(STAMP)
	$(BIN)/govrules check examples/guiyang-violations.yaml --city guiyang; \
	  status=$$?; [ $$status -le 1 ] || exit $$status

## Lint, type-check, the test suite, and the built-in packs' own examples.
test: $(STAMP) docs
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/pytest
	$(BIN)/govrules lint policies
	$(BIN)/govrules test policies

## The documentation site: generated pages current, every link and anchor resolving.
docs: $(STAMP)
	$(BIN)/govrules docs --check
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

## The long fuzz run (many thousands of inputs; see docs/reliability.md). FUZZ_EXAMPLES
## scales it; the figures are printed at the end and written to .fuzz-report.json.
FUZZ_EXAMPLES ?= 400
fuzz: $(STAMP)
	GOVRULES_FUZZ=long GOVRULES_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) \
	  GOVRULES_FUZZ_REPORT=.fuzz-report.json $(BIN)/pytest tests/fuzz -q

## Benchmarks (not timed tests): figures go to docs/performance/ (see docs/performance.md).
bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do $(PY) $$script || exit $$?; done

clean:
	rm -rf $(VENV) build dist site src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
