"""Progress checklists a reader can tick: every task-list checkbox gets its
item's text as its accessible name (pymdownx.tasklist wraps the box in an
otherwise empty label, which axe reports as an unlabelled form field).
overrides/assets/javascripts/checklists.js remembers the ticks."""

from __future__ import annotations

import html
import re

# The item's text runs from the control to the end of the item, its paragraph
# or a nested list, whichever comes first.
_TASK = re.compile(
    r'(<label class="task-list-control"><input type="checkbox")([^>]*>.*?</label>)(.*?)(?=</li>|</p>|<ul|<ol)',
    re.S,
)


def _named(match: re.Match) -> str:
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(3))).split())
    text = re.split(r"(?<=[.!?]) ", text, maxsplit=1)[0]  # the task; the rest explains it
    return f'{match.group(1)} aria-label="{html.escape(text, quote=True)}"{match.group(2)}{match.group(3)}'


def on_page_content(content: str, page, config, files) -> str:
    return _TASK.sub(_named, content)
