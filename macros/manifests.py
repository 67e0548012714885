"""Picking objects out of rendered manifests without reformatting them."""

from __future__ import annotations

import re

import yaml

from .regions import MARKER

_SEPARATOR = re.compile(r"^---\s*$", re.M)


class ManifestError(Exception):
    pass


def select(manifests: str, kind: str | None = None, name: str | None = None) -> str:
    """The documents of the given kind and/or name, exactly as the tool wrote them."""
    # Region markers in templates survive rendering as comments; the page never shows them.
    manifests = "\n".join(line for line in manifests.splitlines() if not MARKER.search(line))
    documents = [d.strip("\n") for d in _SEPARATOR.split(manifests) if d.strip()]
    if kind is None and name is None:
        return "\n---\n".join(documents)
    chosen = []
    for document in documents:
        obj = yaml.safe_load(document) or {}
        if (kind is None or obj.get("kind") == kind) and (name is None or obj.get("metadata", {}).get("name") == name):
            chosen.append(document)
    if not chosen:
        wanted = "/".join(x for x in (kind, name) if x)
        present = ", ".join(
            f"{o.get('kind')}/{o.get('metadata', {}).get('name')}"
            for o in (yaml.safe_load(d) or {} for d in documents)
        )
        raise ManifestError(f"no object {wanted} in the output (it has: {present})")
    return "\n---\n".join(chosen)
