# jumin — set-up, demo and test entry points.
#
# Quick start on a fresh Debian machine with Python 3.11:
#   make demo   # venv + pinned dependencies + Debian packages, demo city, serve on http://127.0.0.1:8000
#   make test   # the whole suite (PYTEST_ARGS="-x -k login" to pass arguments to pytest)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# Debian's own python3.11 first: built with PGO and LTO and libpython linked in, it renders a certificate
# ~10 % faster than a plain source build (pyenv's default); see docs/performance.md, "Certificates".
PYTHON ?= $(shell test -x /usr/bin/python3.11 && echo /usr/bin/python3.11 || command -v python3.11 2>/dev/null \
	|| command -v python3 2>/dev/null)
VENV := .venv
BIN := $(VENV)/bin
VENV_STAMP := $(VENV)/.jumin-installed
DEMO_STAMP := var/demo-city.done
REFERENCE_STAMP := var/reference/mj-variants.json
AXE_STAMP := var/reference/axe/axe.min.js
S3RVER_STAMP := tools/s3rver/node_modules/.bin/s3rver
PYTEST_ARGS ?=
# The load smoke's throwaway database (dropped and rebuilt each run; its name must contain "load_smoke").
LOAD_SMOKE_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/jumin_load_smoke

# Debian packages the tests and the demo need: chromium for the browser tests (Playwright drives it; no
# browser download), a Japanese UI font so screens and screenshots render Japanese, IPAmj明朝 (the only
# certificate font: MJ IVS variants, tooling.md §1) and Pango for WeasyPrint.
APT_PACKAGES := postgresql-client poppler-utils chromium fonts-ipaexfont-gothic fonts-ipamj-mincho \
	libpango-1.0-0 libpangoft2-1.0-0

# sudo only when not root (CI and containers run as root, with no stdin).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# $(call apt_install,PACKAGES): install the packages that `dpkg -s` does not report as installed.
# `apt-get update` runs once, and only when something is missing.
define apt_install
	@missing=""; \
	for pkg in $(1); do \
		dpkg -s "$$pkg" 2>/dev/null | grep '^Status: install ok installed' >/dev/null || missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then \
		echo "system packages present: $(strip $(1))"; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
		echo "ERROR: not a Debian system (no apt-get); install these packages yourself:$$missing" >&2; exit 1; \
	else \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -q; \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

.PHONY: help venv system-packages test demo serve lock clean-demo reference-data axe s3rver load-smoke load-bench fuzz

help: ## show this help
	@echo "jumin — make targets:"
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo "variables: PYTEST_ARGS (make test), DATABASE_URL (default: SQLite file var/jumin.sqlite3)"

venv: $(VENV_STAMP) ## create .venv and install the pinned dependencies (re-run when requirements.txt or pyproject.toml change)

$(VENV_STAMP): requirements.txt pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "ERROR: python3.11 (or python3) not found on PATH" >&2; exit 1; fi
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "ERROR: jumin needs Python 3.11 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)" >&2; exit 1; }
	@# Debian's own python3 lacks ensurepip until python3-venv is installed.
	@if [ ! -x $(BIN)/python ] && ! $(PYTHON) -c 'import ensurepip' 2>/dev/null; then \
		$(MAKE) --no-print-directory system-packages APT_PACKAGES="python3-venv"; fi
	@if [ ! -x $(BIN)/python ]; then echo "creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version 2>&1))"; \
		rm -rf $(VENV); $(PYTHON) -m venv $(VENV); fi
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	$(BIN)/pip install --disable-pip-version-check -q --no-deps -e .
	@touch $@

reference-data: $(REFERENCE_STAMP) ## fetch @mandel59/mojidata (npm pack, sha256-checked) and build the 異体字 map for name search

$(REFERENCE_STAMP): jumin/search/variants.py jumin/search/management/commands/build_reference_data.py | $(VENV_STAMP)
	@# npm ships with NodeSource's nodejs; on plain Debian it needs the nodejs and npm packages.
	@if ! command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory system-packages APT_PACKAGES="nodejs npm"; fi
	$(BIN)/jumin build_reference_data --force

axe: $(AXE_STAMP) ## fetch axe-core (npm pack, sha256-checked, MPL-2.0) for the browser tests' accessibility check

$(AXE_STAMP): jumin/core/management/commands/fetch_axe.py | $(VENV_STAMP)
	@if ! command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory system-packages APT_PACKAGES="nodejs npm"; fi
	$(BIN)/jumin fetch_axe
	@touch $@

s3rver: $(S3RVER_STAMP) ## install s3rver (npm ci from tools/s3rver/package-lock.json, MIT): the S3-compatible server of the file-linkage tests

$(S3RVER_STAMP): tools/s3rver/package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
		$(MAKE) --no-print-directory system-packages APT_PACKAGES="nodejs npm"; fi
	npm ci --prefix tools/s3rver --no-audit --no-fund --ignore-scripts
	@touch $@

system-packages: ## install the Debian packages in APT_PACKAGES that are missing
	$(call apt_install,$(APT_PACKAGES))

test: venv system-packages reference-data axe s3rver ## run the whole test suite (arguments: PYTEST_ARGS=...)
	$(BIN)/pytest $(PYTEST_ARGS)

demo: venv system-packages reference-data ## build the demo city once, set up the demo logins and serve on http://127.0.0.1:8000
	@mkdir -p var
	$(BIN)/jumin migrate --noinput
	@if [ ! -f $(DEMO_STAMP) ]; then \
		if ! $(BIN)/jumin help --commands | grep -x generate >/dev/null; then \
			echo "ERROR: the 'jumin generate' command does not exist yet, so the demo city cannot be built." >&2; \
			echo "       (make demo needs: jumin generate --residents 20000 --removed 5000 --non-residents 2000 --seed 1)" >&2; \
			exit 1; \
		fi; \
		echo "building the demo city (runs once; 'make clean-demo' to start again)"; \
		$(BIN)/jumin generate --residents 20000 --removed 5000 --non-residents 2000 --seed 1; \
		touch $(DEMO_STAMP); \
	fi
	$(BIN)/jumin demo_setup
	JUMIN_DEMO=true $(BIN)/jumin serve

serve: venv ## serve the application with gunicorn on http://127.0.0.1:8000 (no demo set-up)
	$(BIN)/jumin serve

lock: ## regenerate requirements.txt from requirements.in (pip freeze in a temporary venv)
	@if [ -z "$(PYTHON)" ]; then echo "ERROR: python3.11 (or python3) not found on PATH" >&2; exit 1; fi
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	header=$$(head -n 1 requirements.txt 2>/dev/null | grep '^#' || true); \
	[ -n "$$header" ] || header="# Fully pinned lock of requirements.in (pip freeze on Python 3.11). Regenerate with: make lock"; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/pip" install --disable-pip-version-check -q -r requirements.in; \
	{ echo "$$header"; "$$tmp/venv/bin/pip" freeze --disable-pip-version-check --exclude-editable; } > "$$tmp/requirements.txt"; \
	mv "$$tmp/requirements.txt" requirements.txt; \
	echo "requirements.txt regenerated ($$(grep -vc '^#' requirements.txt) pinned packages)"

clean-demo: ## remove the demo database and its stamp (the next 'make demo' builds the city again)
	rm -f var/jumin.sqlite3* $(DEMO_STAMP)

load-smoke: venv system-packages reference-data ## a minute at 20 clerks over HTTP (gunicorn, PostgreSQL) on a small city; fails on errors, not on times
	@url="$(LOAD_SMOKE_DATABASE_URL)"; name="$${url##*/}"; server="$${url%/*}"; \
	case "$$name" in *load_smoke*) ;; *) echo "ERROR: LOAD_SMOKE_DATABASE_URL must name a throwaway database (its name containing load_smoke), not $$name" >&2; exit 1;; esac; \
	case "$$url" in postgres://*|postgresql://*) ;; *) echo "ERROR: the load smoke runs on PostgreSQL (LOAD_SMOKE_DATABASE_URL=postgres://…)" >&2; exit 1;; esac; \
	echo "load smoke: rebuilding $$name (3,000 residents + 500 removed, seed 1)"; \
	psql -q -d "$$server/postgres" -c "DROP DATABASE IF EXISTS $$name WITH (FORCE)" -c "CREATE DATABASE $$name"; \
	export DATABASE_URL="$$url"; \
	$(BIN)/jumin migrate --noinput -v 0; \
	$(BIN)/jumin generate --residents 3000 --removed 500 --seed 1 --no-progress >/dev/null; \
	$(BIN)/jumin demo_setup >/dev/null; \
	$(BIN)/python bench/load/run.py --clerks 20 --minutes 1 --think 2 --warmup-rounds 1 --people 1500 \
		--households 200 --change-households 300 --no-doc --fail-on-errors

# The API fuzz's throwaway database (dropped and rebuilt each run; its name must contain "fuzz").
FUZZ_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/jumin_fuzz
FUZZ_EXAMPLES ?= 20

fuzz: venv system-packages reference-data ## schemathesis against /api/openapi.json on a small city (PostgreSQL); fails on any 5xx or undocumented answer
	@url="$(FUZZ_DATABASE_URL)"; name="$${url##*/}"; server="$${url%/*}"; \
	case "$$name" in *fuzz*) ;; *) echo "ERROR: FUZZ_DATABASE_URL must name a throwaway database (its name containing fuzz), not $$name" >&2; exit 1;; esac; \
	echo "fuzz: rebuilding $$name (300 residents + 50 removed, seed 1)"; \
	case "$$url" in postgres://*|postgresql://*) \
		psql -q -d "$$server/postgres" -c "DROP DATABASE IF EXISTS $$name WITH (FORCE)" -c "CREATE DATABASE $$name";; \
		sqlite://*) rm -f "$${url#sqlite://}";; esac; \
	export DATABASE_URL="$$url"; \
	$(BIN)/jumin migrate --noinput -v 0; \
	$(BIN)/jumin generate --residents 300 --removed 50 --seed 1 --no-progress >/dev/null; \
	$(BIN)/python bench/fuzz/run.py --examples $(FUZZ_EXAMPLES)

# The whole issue-#8 benchmark at Sendai scale: build the city once into LOAD_BENCH_DATABASE_URL (about 12 min
# on 2 cores), then the normal, peak, spike and 30-minute soak runs; results and charts go to docs/performance.
LOAD_BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/jumin_sendai

load-bench: venv system-packages reference-data ## the Sendai-scale load benchmark (city built once; about 75 min in all)
	@url="$(LOAD_BENCH_DATABASE_URL)"; name="$${url##*/}"; server="$${url%/*}"; \
	psql -q -d "$$server/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$$name'" | grep -q 1 \
		|| psql -q -d "$$server/postgres" -c "CREATE DATABASE $$name"; \
	export DATABASE_URL="$$url"; \
	$(BIN)/jumin migrate --noinput -v 0; \
	if [ "$$(psql -d "$$url" -tAc 'SELECT COUNT(*) FROM register_resident')" = "0" ]; then \
		$(BIN)/jumin generate --residents 1065009 --removed 2903844 --seed 1; fi; \
	$(BIN)/python bench/load/run.py --clerks 410 --minutes 10; \
	$(BIN)/python bench/load/run.py --clerks 410 --minutes 10 --peak; \
	$(BIN)/python bench/load/run.py --clerks 410 --minutes 2 --spike --spike-minutes 10 --after-minutes 3; \
	$(BIN)/python bench/load/run.py --clerks 410 --soak 30

