#!/usr/bin/env bash
# Builds the Kubernetes control plane pinned by tools/<module>/go.mod into OUT,
# stamped with the release's version: without the ldflags the binaries report
# v0.0.0-master and Helm reads the wrong capabilities from the API server.
#   tools/build-control-plane.sh MODULE OUT SUFFIX COMMAND...
# SUFFIX is appended to each binary's name ("" or e.g. "-1.36").
set -euo pipefail
module=$1 out=$(realpath -m "$2") suffix=$3
shift 3
command -v go >/dev/null || { echo "error: go not found. Install Go 1.26." >&2; exit 1; }
cd "tools/$module"
version=$(go list -m -f '{{.Version}}' k8s.io/kubernetes)
IFS=. read -r major minor _ <<<"${version#v}"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$version -X $pkg.gitMajor=$major"
  ldflags+=" -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
done
mkdir -p "$out"
for cmd in "$@"; do
  go build -trimpath -ldflags "$ldflags" -o "$out/$cmd$suffix" "k8s.io/kubernetes/cmd/$cmd"
  touch "$out/$cmd$suffix"
done
