# The two commands the README opens with:
#   make demo   set up, ingest the bundled sample corpus (examples/corpus) into an
#               SQLite store, then serve the web page on it
#   make test   set up, then run the whole test suite with the services it needs
#               (a temporary PostgreSQL, Chromium), what .ci/run runs

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
OUT    ?= out

.PHONY: setup demo test bench eval clean

$(BIN)/letopis: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

setup: $(BIN)/letopis

demo: setup
	mkdir -p $(OUT)
	$(BIN)/letopis ingest examples/corpus --db $(OUT)/letopis.db
	$(BIN)/letopis serve --db $(OUT)/letopis.db

test: setup
	OPENBLAS_NUM_THREADS=1 scripts/test-services.sh $(BIN)/python -m pytest -q

bench: setup
	OPENBLAS_NUM_THREADS=1 $(BIN)/python bench/throughput.py

eval: setup
	$(BIN)/letopis eval ner --format factru ../shared/data/factRuEval-2016/devset
	$(BIN)/letopis eval ner --format slavicner --lang ru ../shared/data/slavicner
	$(BIN)/letopis eval entities --format slavicner --lang ru
	$(BIN)/letopis eval quotes
	$(BIN)/letopis eval times
	$(BIN)/letopis eval events

clean:
	rm -rf $(VENV) $(OUT) build *.egg-info
