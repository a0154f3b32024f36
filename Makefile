# storyline — `make demo` and `make test` work on a fresh machine with Python 3.11 and nothing else.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: demo test lint eval bench clean help

help:
	@echo "make demo   - install into .venv and analyze the bundled demo corpus into briefing/"
	@echo "make test   - install what the tests need and run the whole test suite"
	@echo "make eval   - measure every stage on ../shared/bench and write eval/results.md"
	@echo "make lint   - ruff and mypy"
	@echo "make bench  - pipeline speed, memory and re-run cost on 1,000 Reuters stories (BENCH_ARGS=...)"

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,eval,peers,ray]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/storyline analyze examples/demo --out briefing --db briefing/storyline.db

test: $(STAMP)
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } \
		|| echo "warning: chromium could not be installed; the browser tests will skip" >&2
	@bash scripts/postgres.sh install || echo "error: PostgreSQL could not be installed; the store tests will fail" >&2
	@STORYLINE_REQUIRE_POSTGRES=1 bash scripts/run-tests.sh

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy src/storyline

eval: $(STAMP)
	$(BIN)/python -m storyline.evaluate.report --bench $(SHARED)/bench --out eval/results.md

BENCH_ARGS ?= --limit 1000
bench: $(STAMP)
	nice -n 10 $(BIN)/python benchmarks/pipeline.py --data $(SHARED)/bench/corpus/reuters21578.jsonl $(BENCH_ARGS)

clean:
	rm -rf $(VENV) briefing .pytest_cache
