# Executable PyTorch. Two commands are the contract: `make book` and `make test`.
# Every target sets up .venv from requirements.txt first, so a clean clone needs nothing else.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NB ?= $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# Tests run on two workers; each notebook stays on one worker (nbval needs loadscope).
WORKERS ?= 2

.PHONY: help venv lock book test test-notebooks test-tools execute estimate student nbgrader bench bench-site dispatch emulate badges compat clean

help:
	@echo "make book     set up .venv and build the site into _build/html (warnings are errors)"
	@echo "make test     set up .venv and run every test"
	@echo "make execute [NB=notebooks/01_tensors.ipynb]  re-run notebook(s) and store the outputs"
	@echo "make estimate [NB=...]  measure each chapter's estimated time and rewrite its header line"
	@echo "make student  write student versions (solutions stripped) into _build/student"
	@echo "make nbgrader write a ready nbgrader course folder into _build/nbgrader (book/instructors.md)"
	@echo "make bench    time every notebook against its budget"
	@echo "make bench-site  Lighthouse scores for the built site"
	@echo "make dispatch [NB=...]  nbval under every CPU dispatch level this host can emulate"
	@echo "make emulate  the reference environment on QEMU-emulated Intel CPUs (needs qemu-user)"
	@echo "make lock [UPGRADE='torch torchvision' | UPGRADE=:all:]  regenerate requirements.txt from requirements.in"
	@echo "make compat TORCH=2.8.0 [NB=...]  every chapter on that torch (or TORCH=latest), in a throw-away venv"

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import sys; v = sys.version_info[:3]; sys.exit(0 if (3, 11, 5) <= v else "$(VENV) has Python %d.%d.%d; the pins need 3.11.5 or newer: rm -r $(VENV), then make PYTHON=python3.12 ..." % v)'
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

# requirements.txt is generated: uv (pinned in it, so in .venv) resolves requirements.in for every
# platform, keeping the existing pins except the packages named in UPGRADE (:all: for every one).
lock: $(STAMP)
	$(PY) -m tools.environment.lock $(if $(filter :all:,$(UPGRADE)),--upgrade,$(foreach p,$(UPGRADE),--upgrade-package $(p)))

book: $(STAMP)
	$(PY) -m tools.build

student: $(STAMP)
	$(PY) -m tools.student notebooks _build/student

nbgrader: $(STAMP)
	$(PY) -m tools.nbgrader_course notebooks _build/nbgrader

execute: $(STAMP)
	$(PY) -m tools.execute $(NB)

# The header's "Estimated time" from prose words, code and exercises (book/authoring.md, section 11).
estimate: $(STAMP)
	$(PY) -m tools.estimate --write $(NB)

badges: $(STAMP)
	$(PY) -m tools.badges $(NB)

test: $(STAMP)
	# Notebook kernels start in the reference environment (tools/reference_env.py, via tests/nbval_env.py).
	$(PY) -m pytest -c tests/pytest.ini --rootdir . -n $(WORKERS) --dist loadscope tests notebooks

bench: $(STAMP)
	$(PY) -m tools.bench $(NB)

dispatch: $(STAMP)
	$(PY) -m tools.dispatch --workers $(WORKERS) $(NB)

emulate: $(STAMP)
	$(PY) -m tools.emulate

# Needs no .venv: tools/compat.py uses only the standard library and builds its own venv.
compat:
	@test -n "$(TORCH)" || { echo "usage: make compat TORCH=2.8.0 (or TORCH=latest) [NB=notebooks/05_data.ipynb]"; exit 2; }
	$(PYTHON) -m tools.compat --torch $(TORCH) $(NB)

bench-site: $(STAMP) book
	$(PY) -m tools.lighthouse _build/html

clean:
	rm -rf _build
