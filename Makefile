# Two commands on a fresh machine: `make demo` and `make test`. Both set everything up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SPARK_STAMP := $(VENV)/.installed-spark
SMILE_HOME ?= $(CURDIR)/.smile
export SMILE_HOME

.PHONY: install spark java browser demo test run app dagster docs clean

install: $(STAMP)

# Reinstall only when the dependencies change: a quick no-op otherwise.
$(STAMP): pyproject.toml
	@echo "Installing Time to Smile and its dependencies into $(VENV) (under a minute from a local package mirror, a few from PyPI)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# The Spark engine (docs/scale-out.md): PySpark and dbt-spark from PyPI (about 2.5 min, 640 MB)
# and Java 17 from Debian when the machine has none. make test needs it for the Spark module.
spark: $(SPARK_STAMP) java

$(SPARK_STAMP): $(STAMP)
	@echo "Installing the Spark engine (pyspark, dbt-spark) into $(VENV): a few minutes from PyPI"
	$(BIN)/pip install --quiet -e '.[test,spark]'
	touch $(SPARK_STAMP)

java:
	@command -v java >/dev/null || [ -n "$$JAVA_HOME" ] || { \
	  echo "installing Debian's Java 17 for the Spark engine"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq openjdk-17-jre-headless; }

demo: install
	$(BIN)/smile demo

# Two workers, one per core: most of a test's time is a pipeline run, one core's worth of
# Python beside a dbt subprocess. A file's tests stay on one worker (--dist loadfile), so
# a module's fixture (its pipeline runs) is built once. `pytest` alone runs in one process.
# The slowest tests are listed at the end, so a run that nears CI's budget says where it went.
PYTEST_WORKERS ?= 2
test: install spark browser
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile --durations=15

# The app's browser test drives Debian's Chromium through Playwright (Playwright's own
# browser download does not work here: ../shared/notes/stack.md).
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
browser:
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium for the app's browser test"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }

run: install
	$(BIN)/smile run

app: install
	$(BIN)/smile app

# The Dagster UI on the same instance `smile run` records into.
dagster: install
	DAGSTER_HOME=$(SMILE_HOME)/dagster $(BIN)/dagster dev -m time_to_smile.definitions

# dbt's documentation site for the models (lineage, column descriptions, tests).
docs: install
	cd dbt_project && SMILE_HOME=$(SMILE_HOME) ../$(BIN)/dbt docs generate --profiles-dir . && \
	SMILE_HOME=$(SMILE_HOME) ../$(BIN)/dbt docs serve --profiles-dir . --port 8081

clean:
	rm -rf $(VENV) dbt_project/target dbt_project/logs .pytest_cache
