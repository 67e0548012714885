"""Picking objects out of rendered manifests without reformatting them."""

from __future__ import annotations

import functools
import re

from verify.yaml_loading import safe_load

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
    identities = [_identity(document) for document in documents]
    chosen = [document for document, (doc_kind, doc_name) in zip(documents, identities)
              if (kind is None or doc_kind == kind) and (name is None or doc_name == name)]
    if not chosen:
        wanted = "/".join(x for x in (kind, name) if x)
        present = ", ".join(f"{k}/{n}" for k, n in identities)
        raise ManifestError(f"no object {wanted} in the output (it has: {present})")
    return "\n---\n".join(chosen)


@functools.lru_cache(maxsize=4096)
def _identity(document: str) -> tuple[str | None, str | None]:
    """(kind, name) of one rendered document. Pages pick several objects out
    of the same output, so each document is parsed once per build process."""
    obj = safe_load(document) or {}
    return obj.get("kind"), (obj.get("metadata") or {}).get("name")
