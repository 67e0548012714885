"""Code blocks that are light to load and that a keyboard can scroll before
Material has mounted them.

Material mounts code blocks lazily (the `content.lazy` feature): the copy
button and the check for a block wider than the screen run only once a block
comes into view, which keeps long pages free of that work on load. Until then
a wide block offers keyboard users no way to scroll it, so every highlighted
block starts focusable; once mounted, Material keeps `tabindex` only on the
blocks that do scroll.

Pygments wraps every token in a span, including whitespace (`w`) and plain
identifiers (`nx`), which no style colours, and punctuation (`p`), which
Material only greys a little: on code-heavy pages these were more than half
of all elements, and Material's start-up restyles and lays out every element
of the page (Lighthouse's blocking time grew with their number, make bench).
Their text stays; only the wrapping goes, and punctuation takes the code's
own colour, as in most editors.
"""

from __future__ import annotations

import re

# pymdownx.highlight's markup for a block; diagrams (<pre class="mermaid">) are
# replaced by hooks/diagrams.py and are left alone.
_BLOCK = "<pre><span></span><code>"
_UNWRAPPED_TOKEN = re.compile(r'<span class="(?:w|nx|p)">([^<]*)</span>')


def on_page_content(content: str, page, config, files) -> str:
    content = content.replace(_BLOCK, '<pre><span></span><code tabindex="0">')
    return _UNWRAPPED_TOKEN.sub(r"\1", content)
