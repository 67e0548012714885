"""Go units: gofmt, go vet, staticcheck and go test -race on one package."""

from __future__ import annotations

import os
from pathlib import Path

from . import check_cluster
from .process import CheckFailed, run
from .toolchain import go, go_version, module_version, tool
from .units import Unit, go_module_root

CHECKS = ["gofmt", "go vet", "go doc", "staticcheck", "go test -race"]
# vet and staticcheck read the compiled export data of every dependency. With
# the race detector's build settings they reuse what `go test -race` compiles
# instead of compiling each dependency a second time without it (the largest
# part of a cold `make verify`); what they check is the same source.
RACE_BUILD = {"GOFLAGS": " ".join(filter(None, [os.environ.get("GOFLAGS", ""), "-race"]))}


def verify(unit: Unit) -> dict:
    module = go_module_root(unit.dir)
    package = "./" + unit.dir.relative_to(module).as_posix() if unit.dir != module else "."
    sources = sorted(unit.dir.glob("*.go"))
    if not any(p.name.endswith("_test.go") for p in sources):
        raise CheckFailed(
            f"ls {unit.path}/*_test.go",
            f"snippets/{unit.path} has no tests: every Go package a page shows needs a _test.go file",
        )
    gofmt = str(Path(go()).resolve().parent / "gofmt")
    unformatted = run([gofmt, "-l", *map(str, sources)], cwd=module).strip()
    if unformatted:
        raise CheckFailed(f"gofmt -l {unit.path}", f"not gofmt-formatted:\n{unformatted}")
    run([go(), "vet", package], cwd=module, env=RACE_BUILD)
    # A region marker right above a declaration becomes part of its doc
    # comment: readers who run `go doc` would see "--8<-- [start:x]".
    has_docs = any(not p.name.endswith("_test.go") for p in sources)  # go doc needs them
    docs = run([go(), "doc", "-all", "-u", package], cwd=module) if has_docs else ""
    leaked = [line.strip() for line in docs.splitlines() if "--8<--" in line]
    if leaked:
        raise CheckFailed(
            f"go doc -all -u {package}",
            f"snippets/{unit.path}: region markers in doc comments: {leaked}; "
            "put a blank line between a marker and the comment or declaration next to it",
        )
    staticcheck = tool("staticcheck")
    run([staticcheck, package], cwd=module, env=RACE_BUILD)
    run([go(), "test", "-race", "-count=1", package], cwd=module)
    return {
        "checks": CHECKS + check_cluster.prove_flux(unit),
        "tools": {"Go": go_version(), "staticcheck": module_version(staticcheck)},
        "outputs": {},
    }
