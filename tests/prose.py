"""The prose of a Markdown page: what a reader reads as text, without code.

Fenced code blocks, inline code, macro calls, Jinja tags, link targets,
URLs, HTML tags and heading ids are removed; the title and description of
the front matter are kept (they are shown as text). Mermaid blocks are
diagram labels: kept, but returned apart, since their quotes are syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from verify.front_matter import metadata, split

_FENCE = re.compile(r"^\s*(```+|~~~+)\s*([\w-]*)")
_NOT_PROSE = re.compile(
    r"`[^`\n]*`"            # inline code
    r"|\{\{.*?\}\}"          # macro calls
    r"|\{%.*?%\}"            # Jinja tags
    r"|\[[^\]\n]*\]\(https?://[^)]*\)"  # external links: their text is a citation
    r"|\]\([^)]*\)"          # link targets
    r"|https?://\S+"         # bare URLs
    r"|<[^>\n]+>"            # HTML tags
    r"|\{#[^}\n]*\}"         # heading ids
)
_MARKUP_LINE = re.compile(r"^\s*(===|\?\?\?\+?|!!!)\s")  # tab, details and admonition titles


@dataclass
class Prose:
    text: list[tuple[int, str]]      # (line number, prose) outside diagrams
    diagrams: list[tuple[int, str]]  # (line number, label text) inside mermaid blocks


def inline_prose(text: str) -> str:
    """One Markdown paragraph (a glossary definition, an exercise text) without its code."""
    return _NOT_PROSE.sub(" ", text)


def prose(markdown: str) -> Prose:
    front, body = split(markdown)
    meta = metadata(markdown)
    text = [(1, str(meta[key])) for key in ("title", "description") if meta.get(key)]
    diagrams = []
    offset = front.count("\n")
    fence, kind = None, ""
    for number, line in enumerate(body.split("\n"), start=offset + 1):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1).startswith(fence) and not opening.group(2):
                fence = None
            elif kind == "mermaid":
                diagrams.append((number, _NOT_PROSE.sub(" ", line)))
            continue
        if opening:
            fence, kind = opening.group(1), opening.group(2)
            continue
        if _MARKUP_LINE.match(line):
            continue
        text.append((number, _NOT_PROSE.sub(" ", line)))
    return Prose(text, diagrams)
