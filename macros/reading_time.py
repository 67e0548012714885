"""Reading time of a page, counted from its Markdown when the site is built,
so a link that promises "8 min" stays true when the page grows."""

from __future__ import annotations

import math
import re
from pathlib import Path

from verify import front_matter

WORDS_PER_MINUTE = 200  # a careful read of technical prose

# What a reader does not read word by word: front matter, code and diagrams
# (fenced blocks), macro calls (they embed code), HTML tags and link targets.
FENCED = re.compile(r"^(`{3,}|~{3,}).*?^\1\s*$", re.DOTALL | re.MULTILINE)
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
NOT_PROSE = re.compile(r"<[^>]+>|\]\([^)]*\)|\{[#:.][^}]*\}")
WORD = re.compile(r"\w+(?:[-'’]\w+)*")


class ReadingTimeError(Exception):
    """A reading_time() call that names no page; the message names both pages."""


def words(markdown: str) -> int:
    """The words of prose a reader reads on a page."""
    prose = front_matter.split(markdown)[1]
    prose = FENCED.sub("", prose)
    prose = JINJA.sub("", prose)
    prose = NOT_PROSE.sub(" ", prose)
    return len(WORD.findall(prose))


def minutes(word_count: int) -> int:
    return max(1, math.ceil(word_count / WORDS_PER_MINUTE))


def reading_time(page: str, docs_dirs: list[Path], calling_page: str) -> str:
    """The reading time of a page, e.g. "8 min": the first of docs_dirs that
    has the page wins (an untranslated page falls back to the primary
    language, and the reader is shown that one)."""
    for docs in docs_dirs:
        source = docs / page
        if source.is_file():
            return f"{minutes(words(source.read_text(encoding='utf-8')))} min"
    searched = ", ".join(f"{d.parent.name}/{d.name}/" for d in docs_dirs)
    known = sorted(p.name for p in docs_dirs[0].glob("*.md"))
    raise ReadingTimeError(
        f"{calling_page}: reading_time({page!r}): no page {page!r} in {searched}; "
        f"pages there: {', '.join(known)}")
