"""Status lines (macros/blocks.py) as a reader meets them: the verdict and
the source link on one short line, the checks and versions behind a
disclosure ("What ran?"), and nothing of it in the search index.

The macros write a Markdown paragraph, which stays a paragraph of its own
inside tabs and admonitions; a <details> cannot live in a paragraph, so the
paragraph becomes a <div> here, after Markdown. The checks are also kept in
a span that only print shows, since a printed page cannot open a disclosure.
"""

from __future__ import annotations

import re

_LINE = re.compile(r'<p class="(snippet-status\b[^"]*)">(.*?)</p>', re.S)
_CHECKS = re.compile(r'<em class="snippet-status__checks" data-summary="([^"]*)">(.*?)</em>', re.S)


_ABBR = re.compile(r"<abbr\b[^>]*>(.*?)</abbr>", re.S)


def _disclosure(match: re.Match) -> str:
    summary, checks = match.groups()
    # The print copy repeats the checks: without its tooltips, or a term
    # would have two in one section.
    printed = _ABBR.sub(r"\1", checks)
    return (f'<details class="snippet-status__details"><summary>{summary}</summary>'
            f'<span>{checks}</span></details><span class="snippet-status__print">{printed}</span>')


def _line(match: re.Match) -> str:
    classes, inner = match.groups()
    return f'<div class="{classes}" data-search-exclude>{_CHECKS.sub(_disclosure, inner)}</div>'


def on_page_content(content: str, page, config, files) -> str:
    if "snippet-status" not in content:
        return content
    return _LINE.sub(_line, content)
