"""A page's YAML front matter: the one definition of where it starts and ends."""

from __future__ import annotations

import re

import yaml

BLOCK = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n", re.S)


def split(text: str) -> tuple[str, str]:
    """(the front matter block with its --- lines, the rest); '' when there is none."""
    match = BLOCK.match(text)
    return (match.group(0), text[match.end():]) if match else ("", text)


def metadata(text: str) -> dict:
    """The front matter's keys; {} when there is none or it is no mapping."""
    match = BLOCK.match(text)
    meta = yaml.safe_load(match.group(1) or "") if match else None
    return meta if isinstance(meta, dict) else {}
