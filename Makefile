# lossedu: `make lab` to learn, `make test` to check. Both set themselves up on a fresh machine.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.lossedu-installed
export TF_CPP_MIN_LOG_LEVEL ?= 3
export PYTHONHASHSEED ?= 0

# Jupyter refuses to run as root (containers, classroom VMs) unless told it may.
LAB_ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)

NBVAL_FLAGS := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: lab test test-checks test-browser test-jax unit notebooks portability e2e data html bench lint clean help

help:
	@echo "make lab    set up (.venv, package, data check) and open JupyterLab on notebooks/"
	@echo "make test   set up and run every test: unit, TensorFlow-oracle, notebooks (nbval)"
	@echo "make test-jax  the doctor's tests and benchmark again on Keras's JAX backend"
	@echo "make portability  rerun the notebook checks with other kernels: oneDNN on/off, AVX2, no SIMD, 1 thread"
	@echo "make e2e    run every notebook and explorer in JupyterLab in Chromium (tests/e2e)"
	@echo "make html   execute the notebooks and export a static site to build/html/ (reads offline)"
	@echo "make bench  measure import, kernels, widgets and notebooks; print a table"
	@echo "make data   find and verify Fashion-MNIST (python -m lossedu data)"

# The virtual environment is rebuilt only when pyproject.toml changes.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,jax]'
	@touch $(STAMP)

setup: $(STAMP)

data: $(STAMP)
	$(PY) -m lossedu data

lab: $(STAMP)
	@$(PY) -m lossedu data --quiet || echo "(lessons 04 and 05 need Fashion-MNIST: see data/README.md)"
	$(PY) -m jupyter lab --notebook-dir=notebooks $(LAB_ROOT_FLAG)

# Two pytest runs side by side: the browser tests (tests/e2e, both editions in JupyterLab)
# spend much of their time waiting on the lab and Chromium, so on two cores the pair takes
# little longer than the longer one.  Each run's output is printed when it ends.
test: $(STAMP)
	@$(MAKE) --no-print-directory -j2 --output-sync=target test-checks test-browser

# Unit, TensorFlow-oracle and doctor tests, and every notebook of both editions under nbval.
test-checks: $(STAMP)
	$(PY) -m pytest tests notebooks -m "not e2e" $(NBVAL_FLAGS)

test-browser: $(STAMP)
	$(PY) -m pytest tests/e2e -p no:cacheprovider

# The doctor, its benchmark and DoctorCallback again on Keras 3's JAX backend (the [jax] extra).
# JAX's compilation cache in build/ makes the second run much faster.
test-jax: $(STAMP)
	KERAS_BACKEND=jax JAX_COMPILATION_CACHE_DIR=$(CURDIR)/build/jax-cache \
	    JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS=0 $(PY) -m pytest tests/doctor

unit: $(STAMP)
	$(PY) -m pytest tests -m "not e2e"

notebooks: $(STAMP)
	$(PY) -m pytest notebooks $(NBVAL_FLAGS)

# The notebook and oracle checks again under the kernels other CPUs pick (tools/portability.py).
# VARIANTS=onednn-on (or --other) runs a subset; CI runs the oneDNN setting that is not the default here.
portability: $(STAMP)
	$(PY) tools/portability.py $(VARIANTS)

# Browser tests: JupyterLab + Debian's chromium. LOSSEDU_E2E=1 fails (not skips) without it.
# `make test` runs them too (pytest collects tests/e2e). Screenshots: build/screenshots/.
e2e: $(STAMP)
	LOSSEDU_E2E=1 $(PY) -m pytest tests/e2e

# The pages ship MathJax and the widget manager in build/html/_static/ (npm packages pinned in
# tools/site_assets/, installed there by `npm ci` on first use): the site reads offline.
# SITE_FLAGS=--no-execute exports the committed notebooks as they are (seconds, not minutes).
html: $(STAMP)
	rm -rf build/html
	$(PY) -m tools.site build/html $(SITE_FLAGS)

bench: $(STAMP)
	$(PY) benchmarks/run.py

lint: $(STAMP)
	$(PY) -m ruff check lossedu tests benchmarks notebooks

clean:
	rm -rf build .pytest_cache
