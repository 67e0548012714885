# Everything the project needs is set up by these rules, into folders of the
# project (.venv/, .tools/); a second run with nothing changed installs nothing.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
MAKEFLAGS += --no-print-directory

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
TOOLS_BIN := .tools/bin
GO_TOOLS := helm kustomize staticcheck kube-score helm-unittest actionlint sops age nats-server
TOOLS := $(addprefix $(TOOLS_BIN)/,$(GO_TOOLS) promtool prometheus shellcheck)
# The control plane the manifests are applied to (verify/cluster.py): the
# newest supported Kubernetes minor, the older one (suffix -1.36), etcd and
# kwok's simulated nodes.
KUBE_COMMANDS := kube-apiserver kube-controller-manager kube-scheduler
CONTROL_PLANE := $(addprefix $(TOOLS_BIN)/,$(KUBE_COMMANDS) kubectl \
  $(addsuffix -1.36,$(KUBE_COMMANDS)) etcd kwok) .tools/flux-crds.downloaded

export NO_MKDOCS_2_WARNING := 1
export PATH := $(CURDIR)/$(TOOLS_BIN):$(PATH)

CHROMIUM := /usr/bin/chromium

.PHONY: help setup serve build preview preview-number verify incident translations test bench lock clean postgresql

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

# What building and serving the site needs; verifying needs the rest too.
SITE_SETUP := $(VENV)/.installed node_modules/.installed $(CHROMIUM)

setup: $(SITE_SETUP) $(TOOLS) $(CONTROL_PLANE) postgresql ## Install Python packages, tools, the control plane, front-end packages, Chromium and PostgreSQL

# A writer's first `make serve` does not wait for the control plane's build:
# serving reads verification records, it does not make them.
serve: $(SITE_SETUP) ## Serve the site with live reload on http://127.0.0.1:8000
	$(VENV)/bin/mkdocs serve --dev-addr 127.0.0.1:8000 --livereload

verify: setup ## Prove every embedded snippet with the real tools
	$(PY) -m verify

# The payment outage on the real system (verify/incident), printing its
# timeline; make verify runs the same when its record does not match.
incident: setup ## Run the incident walkthrough's payment outage and print its timeline
	$(PY) -m verify.incident

translations: setup ## List which translations are up to date, outdated or missing
	$(PY) -m verify.translations

build: verify ## Strict build of both languages into site/
	$(VENV)/bin/mkdocs build --strict

# A preview of pull request PR, built as strictly as the real site, to be
# served under BASE; PREVIEW_URL is its full address (site_url).
PR ?=
BASE ?= /pr-preview/pr-$(PR)/
PREVIEW_URL ?= http://127.0.0.1:8000$(BASE)
PREVIEW_COMMIT ?= $(shell git rev-parse HEAD)
PREVIEW_DIR ?= site

preview: preview-number verify ## Strict build of PR=<number> marked as a preview (banner, noindex, no sitemap)
	PREVIEW_PR=$(PR) PREVIEW_COMMIT=$(PREVIEW_COMMIT) SITE_URL=$(PREVIEW_URL) \
	  $(VENV)/bin/mkdocs build --strict --site-dir $(PREVIEW_DIR)
	@echo "Preview of PR #$(PR) in $(PREVIEW_DIR)/, for $(PREVIEW_URL)"

preview-number:  # before anything is verified or built
	@[[ "$(PR)" =~ ^[0-9]+$$ ]] || { echo "error: make preview needs the pull request number, e.g. make preview PR=123 (got PR='$(PR)')" >&2; exit 1; }

# Three workers on two cores: much of the suite waits (on servers it
# started, on subprocesses, on a browser), and a third worker fills that
# time (warm: 5 min 37 s with two, 4 min 47 s with three).
test: setup build ## Everything: verify, strict build, links, browser, tests
	$(PY) -m pytest -n 3

bench: setup build ## Measure build, scale, verification, live reload, page weight; writes bench/results.md
	$(PY) -m bench

lock: ## Regenerate requirements.lock from the pins in pyproject.toml
	rm -rf .cache/lock-venv
	$(PYTHON) -m venv .cache/lock-venv
	.cache/lock-venv/bin/pip install --quiet pip-tools==7.6.2
	.cache/lock-venv/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe \
	  --no-emit-find-links --output-file requirements.lock pyproject.toml

clean: ## Remove everything make set up or built
	rm -rf $(VENV) .tools .cache site build test-results node_modules

$(VENV)/.installed: requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found. Install Python 3.11 (e.g. apt-get install python3.11 python3.11-venv)." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --require-hashes --no-deps -r requirements.lock
	@touch $@

# One Go module per tool under tools/ pins it and all its dependencies (go.sum).
$(TOOLS_BIN)/%: tools/%/go.mod tools/%/go.sum
	@command -v go >/dev/null || { echo "error: go not found. Install Go 1.26 from the Go downloads page or your package manager." >&2; exit 1; }
	cd tools/$* && GOBIN=$(CURDIR)/$(TOOLS_BIN) go install tool
	@touch $@

# Kubernetes' commands need version ldflags (tools/build-control-plane.sh),
# which the generic rule does not pass; the script is a prerequisite because
# it holds the flags. One grouped rule per module: one build for all of them.
$(addprefix $(TOOLS_BIN)/,$(KUBE_COMMANDS) kubectl) &: tools/kubernetes/go.mod tools/kubernetes/go.sum tools/build-control-plane.sh
	tools/build-control-plane.sh kubernetes $(TOOLS_BIN) "" $(KUBE_COMMANDS) kubectl

$(addprefix $(TOOLS_BIN)/,$(addsuffix -1.36,$(KUBE_COMMANDS))) &: tools/kubernetes-1.36/go.mod tools/kubernetes-1.36/go.sum tools/build-control-plane.sh
	tools/build-control-plane.sh kubernetes-1.36 $(TOOLS_BIN) -1.36 $(KUBE_COMMANDS)

# etcd's main is the root package of server/v3: go install would name it "v3"
# and its go.mod's relative replaces refuse `go install ...@version`.
$(TOOLS_BIN)/etcd: tools/etcd/go.mod tools/etcd/go.sum
	cd tools/etcd && go build -trimpath -ldflags "-s -w" -o $(CURDIR)/$@ go.etcd.io/etcd/server/v3
	@touch $@

# Flux's CRDs are in its controllers' module zips (config/crd/bases/), checked
# against tools/flux-crds/go.sum; verify/check_cluster.py reads them from the module cache.
.tools/flux-crds.downloaded: tools/flux-crds/go.mod tools/flux-crds/go.sum
	cd tools/flux-crds && go mod download github.com/fluxcd/source-controller github.com/fluxcd/kustomize-controller
	@mkdir -p $(@D) && touch $@

# promtool has replace directives and does not `go install`; Debian's prometheus
# package ships it, and the server the incident run scrapes with (verify/incident).
# Both binaries come from the one pinned package; nothing else of it is installed.
$(TOOLS_BIN)/promtool $(TOOLS_BIN)/prometheus &: tools/prometheus.version tools/debian-binary.sh
	tools/debian-binary.sh prometheus $< usr/bin/promtool $(TOOLS_BIN)/promtool usr/bin/prometheus $(TOOLS_BIN)/prometheus

# actionlint checks the workflows' shell steps with shellcheck; a pinned one
# (Debian's package, binary only) gives the same verdict on every machine.
$(TOOLS_BIN)/shellcheck: tools/shellcheck.version tools/debian-binary.sh
	tools/debian-binary.sh shellcheck $< usr/bin/shellcheck $@

# Debian's Chromium draws the diagrams at build time (hooks/diagrams.py) and
# runs the browser tests; Playwright never downloads a browser.
$(CHROMIUM):
	@[ "$$(id -u)" = 0 ] || { echo "error: $(CHROMIUM) is missing. Install Debian's chromium package: sudo apt-get install chromium" >&2; exit 1; }
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

# The Go tests of snippets/go start their own PostgreSQL servers from
# Debian's postgresql-15 (initdb and pg_ctl; no server is left running).
# Checked on every run, as it is installed system-wide, not into .tools/.
postgresql:
	@if [ "$$(dpkg-query -W -f='$${Version}' postgresql-15 2>/dev/null)" != "$$(cat tools/postgresql.version)" ]; then \
	  [ "$$(id -u)" = 0 ] || { echo "error: the Go tests need Debian's postgresql-15=$$(cat tools/postgresql.version): sudo apt-get install postgresql-15=$$(cat tools/postgresql.version)" >&2; exit 1; }; \
	  apt-get update -qq; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15="$$(cat tools/postgresql.version)" >/dev/null; \
	fi

# Mermaid (draws the diagrams at build time), axe-core and the Nu Html Checker, pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm not found. Install Node.js 20." >&2; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@
