"""A page's YAML front matter: the one definition of where it starts and ends,
and what makes it valid (MkDocs silently drops YAML it cannot parse, which
would publish a page without its title, tags or translation record)."""

from __future__ import annotations

import re

import yaml

from .yaml_loading import safe_load

BLOCK = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)
# Also a block that closes at the very end of the file, for the validity check.
_CLOSED = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(\n|\Z)", re.S)
LIST_KEYS = ("tags", "categories")


def split(text: str) -> tuple[str, str]:
    """(the front matter block with its --- lines, the rest); '' when there is none."""
    match = BLOCK.match(text)
    return (match.group(0), text[match.end():]) if match else ("", text)


def metadata(text: str) -> dict:
    """The front matter's keys; {} when there is none or it is no mapping."""
    match = BLOCK.match(text)
    meta = safe_load(match.group(1) or "") if match else None
    return meta if isinstance(meta, dict) else {}


def problem(text: str) -> str | None:
    """What is wrong with the front matter, in words for the page's author; None if nothing."""
    block = _CLOSED.match(text)
    if text.startswith("---") and not block:
        return "front matter opens with --- but never closes"
    if not block:
        return None
    try:
        meta = yaml.safe_load(block.group(1) or "") or {}
    except yaml.YAMLError as error:
        return f"front matter is not valid YAML: {error}"
    if not isinstance(meta, dict):
        return "front matter must be key: value pairs"
    for key in LIST_KEYS:
        if key in meta and not isinstance(meta[key], list):
            return f"front matter '{key}' must be a list"
    return None
