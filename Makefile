# Every target bootstraps the local virtual environment from nothing.
VENV    := .venv
PY      := $(VENV)/bin/python
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp

.PHONY: run serve test test-deps load-test screenshots docs lint-packs bench fuzz mutate messages clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	# byte-compiled as an installed wheel is (an editable install is not, and with
	# PYTHONDONTWRITEBYTECODE set every start would compile the sources again)
	$(PY) -m compileall -q src > /dev/null
	touch $(STAMP)

## A real check of an example project on the built-in packs (exit 1 = violations found).
run: $(STAMP)
	$(BIN)/govrules check examples/guiyang-violations.yaml --city guiyang; \
	  status=$$?; [ $$status -le 1 ] || exit $$status

## The service on the embedded default store (SQLite in the user's data folder), port 8000.
serve: $(STAMP)
	$(BIN)/govrules serve

## System packages the service tests drive: Debian's Chromium (the web page, with CJK fonts
## for the screenshots) and PostgreSQL (the store). Installs only what is missing.
SYSTEM_PACKAGES := chromium postgresql fonts-noto-cjk
test-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	else \
	  echo "not installed:$$missing (run make test-deps as root; the tests that need them skip)"; \
	fi

## The web page's screens, taken in Chromium by its tests, into docs/screenshots/.
screenshots: $(STAMP) test-deps
	GOVRULES_SCREENSHOTS=1 $(BIN)/pytest tests/service/test_web.py -q

## The full load test of the service: 32 clients for 30 s against 127.0.0.1.
load-test: $(STAMP)
	GOVRULES_LOAD_OUT=docs/performance/service-load.json $(BIN)/pytest tests/service/test_load.py -m load -s -q

## Lint, type-check, the layers contract, the test suite (on every core: pytest-xdist), and
## the built-in packs' own examples. TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto
test: $(STAMP) test-deps docs
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/pytest -n $(TEST_WORKERS)
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

## Benchmarks (not timed tests): regenerates docs/performance.md (machine, versions, every
## ratio min / median / max). BENCH_ARGS sizes the run, e.g. BENCH_ARGS="--records 10000".
BENCH_ARGS ?=
bench: $(STAMP)
	$(PY) benchmarks/bench.py $(BENCH_ARGS)

## Mutation testing of the language, the calendar and the engine (docs/mutation.md):
## `make mutate`, or some targets: `make mutate MUTATE="expr calendar"`.
MUTATE ?=
mutate: $(STAMP)
	$(PY) -m pip install --quiet 'mutmut>=3.2,<4'
	$(PY) scripts/mutate.py $(MUTATE)

## The message catalogs (docs/translating.md): extract the marked messages from the code,
## merge them into each language's .po (new ones empty, changed ones fuzzy), compile the .mo.
## Translate in src/govrules/locale/zh/LC_MESSAGES/govrules.po, then run it again.
LOCALE := src/govrules/locale
messages: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg --no-wrap --sort-by-file \
	  --add-location=file --project=govrules --copyright-holder="govrules authors" \
	  -o $(LOCALE)/govrules.pot src/govrules
	$(BIN)/pybabel -q update -D govrules -i $(LOCALE)/govrules.pot -d $(LOCALE) \
	  --no-wrap --ignore-obsolete --ignore-pot-creation-date
	$(BIN)/pybabel compile --statistics -D govrules -d $(LOCALE)

clean:
	rm -rf $(VENV) build dist site mutants src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis
