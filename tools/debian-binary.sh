#!/usr/bin/env bash
# Takes binaries out of a pinned Debian package without installing the
# package (nothing else of it lands on the machine):
#   tools/debian-binary.sh PACKAGE VERSION-FILE PATH-IN-PACKAGE DESTINATION [PATH DESTINATION ...]
set -euo pipefail
package=$1 version_file=$2
shift 2
(( $# > 0 && $# % 2 == 0 )) || { echo "usage: $0 PACKAGE VERSION-FILE PATH-IN-PACKAGE DESTINATION [PATH DESTINATION ...]" >&2; exit 2; }
version=$(cat "$version_file")

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
  || { echo "error: $package comes from Debian; apt-get and dpkg-deb are needed" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
apt-get download -qq "$package=$version" 2>/dev/null \
  || { apt-get update -qq && apt-get download -qq "$package=$version"; } \
  || { echo "error: Debian no longer serves $package=$version: put the version 'apt-cache policy $package' shows in $version_file" >&2; exit 1; }
dpkg-deb -x "$package"_*.deb root
cd - >/dev/null
while (( $# )); do
  path=$1 destination=$2
  shift 2
  mkdir -p "$(dirname "$destination")"
  cp "$work/root/$path" "$destination"
  touch "$destination"  # newer than the version file, so make sees it is done
done
