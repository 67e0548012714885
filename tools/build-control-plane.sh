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
# One go build for all commands: it links them side by side, and compiles
# what one needs while another links.
built=$(mktemp -d)
trap 'rm -rf "$built"' EXIT
packages=()
for cmd in "$@"; do packages+=("k8s.io/kubernetes/cmd/$cmd"); done
go build -trimpath -ldflags "$ldflags" -o "$built/" "${packages[@]}"
mkdir -p "$out"
for cmd in "$@"; do
  mv -f "$built/$cmd" "$out/$cmd$suffix"
  touch "$out/$cmd$suffix"
done
