# Parcours Métier assistant. Every Rasa call goes through this file (paths: nlu_data/, domain/).
SHELL := /bin/bash
.DEFAULT_GOAL := help
ENV := . scripts/env.sh &&
PY := .venv/bin/python
RASA := .venv-rasa/bin/rasa
RASA_ARGS := --data nlu_data --domain domain --config config.yml
# `make demo REGION=grand-est`: the region pack (knowledge/regions/<REGION>/) every process reads.
ifdef REGION
export REGION
endif
# pytest runs the PostgreSQL/Redis suite when both variables are set (eval "$(scripts/services.sh)").
POSTGRES_NOTICE := if [ -n "$${TEST_DATABASE_URL:-}" ] && [ -n "$${TEST_REDIS_URL:-}" ]; then \
	echo "==> PostgreSQL/Redis suite: ON ($${TEST_DATABASE_URL\#\#*@}, $${TEST_REDIS_URL})"; else \
	echo "*** PostgreSQL/Redis suite SKIPPED: TEST_DATABASE_URL/TEST_REDIS_URL not set" \
	"(eval \"\$$(scripts/services.sh)\" to run it) ***"; fi

.PHONY: help setup lock faq train validate up down demo test test-unit test-rasa lint typecheck \
        bench bench-nlu bench-latency bench-load bench-dialogue bench-staff clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup: ## Create .venv (3.11) and .venv-rasa (3.10) if missing or stale
	@scripts/setup.sh

lock: setup ## Rewrite requirements-app.lock from .venv (after changing pyproject.toml)
	@{ head -n 2 requirements-app.lock; $(PY) -m pip freeze --exclude-editable | grep -v '^-e ' \
	  | sed -E 's/^([A-Za-z0-9._-]+) @ file:.*\/[A-Za-z0-9_.]+-([0-9][^-]*)-.*\.whl.*/\1==\2/'; } > requirements-app.lock.new
	@mv requirements-app.lock.new requirements-app.lock

faq: setup ## Regenerate nlu_data/ FAQ files from knowledge/faq/
	@$(PY) -m parcours faq generate

train: faq ## Train the Rasa model if config, domain or nlu_data changed
	@scripts/train.sh

validate: setup ## rasa data validate, failing on unexpected warnings
	@scripts/validate.sh

up: train ## Start Rasa and the action server in the background (var/)
	@scripts/up.sh

down: ## Stop Rasa and the action server
	@scripts/down.sh

demo: up ## Chat in the terminal (or run the Telegram bot when TELEGRAM_TOKEN is set)
	@$(ENV) $(PY) -m bot run

lint: setup ## ruff + mypy
	@$(PY) -m ruff check parcours bot actions rasa_channels devstack tests bench scripts
	@$(PY) -m ruff format --check parcours bot actions rasa_channels devstack tests bench scripts
	@$(PY) -m mypy

test: setup ## Everything: lint, FAQ sync, validate, train, Rasa test stories, pytest
	@$(MAKE) --no-print-directory lint
	@$(PY) -m parcours faq check
	@$(MAKE) --no-print-directory validate train
	@scripts/test_stories.sh
	@$(ENV) $(POSTGRES_NOTICE)
	@$(ENV) $(PY) -m pytest -q -rsx -p no:cacheprovider
	@$(ENV) $(POSTGRES_NOTICE)

test-unit: setup ## Fast tests only (no Rasa server, no browser)
	@$(ENV) $(PY) -m pytest -q -rs -m "not rasa and not telegram and not browser" -p no:cacheprovider

bench-nlu: setup ## NLU accuracy on the held-out set, tuned config vs Rasa's default (slow)
	@$(ENV) .venv-rasa/bin/python bench/nlu_accuracy.py

bench-latency: up ## Turn latency through replay
	@$(ENV) $(PY) bench/turn_latency.py

bench-load: train ## Load: 200 users through emulated Bot API → bot → Rasa → actions (≤ 3 min)
	@$(ENV) $(PY) bench/load.py $(LOAD_ARGS)

bench-dialogue: train ## Real people's questions through replay: right / clarify / honest unknown / wrong
	@$(ENV) $(PY) bench/dialogue.py $(DIALOGUE_ARGS)

bench-staff: setup ## Staff-delivery latency under group flood control: one group vs one per department
	@$(ENV) $(PY) bench/staff_delivery.py $(STAFF_ARGS)

bench: bench-nlu bench-latency bench-dialogue ## All benchmarks

clean: down ## Remove models, var/ and caches of this checkout (not the shared venv cache)
	rm -rf models var results .rasa .pytest_cache .mypy_cache .ruff_cache
