# Every target bootstraps the local virtual environment from nothing.
VENV    := .venv
PY      := $(VENV)/bin/python
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp

.PHONY: run test docs lint-packs bench mutate clean

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

## Benchmarks (not timed tests): figures go to docs/performance/ (see docs/performance.md).
bench: $(STAMP)
	@for script in benchmarks/bench_*.py; do $(PY) $$script || exit $$?; done

## Mutation testing of the language, the calendar and the engine (docs/mutation.md):
## `make mutate`, or some targets: `make mutate MUTATE="expr calendar"`.
MUTATE ?=
mutate: $(STAMP)
	$(PY) -m pip install --quiet 'mutmut>=3.2,<4'
	$(PY) scripts/mutate.py $(MUTATE)

clean:
	rm -rf $(VENV) build dist site mutants src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
