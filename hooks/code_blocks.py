"""Code blocks that are light to load and that a keyboard can scroll before
Material has mounted them.

Material mounts code blocks lazily (the `content.lazy` feature): the copy
button and the check for a block wider than the screen run only once a block
comes into view, which keeps long pages free of that work on load. Until then
a wide block offers keyboard users no way to scroll it, so every highlighted
block starts focusable; once mounted, Material keeps `tabindex` only on the
blocks that do scroll.

Pygments wraps every token in a span, including whitespace (`w`) and plain
identifiers (`nx`), which no style colours: on the page with the most code
they were half of all elements, and the browser restyles every element each
time a script changes the page. Their text stays; only the empty wrapping goes.
"""

from __future__ import annotations

import re

# pymdownx.highlight's markup for a block; diagrams (<pre class="mermaid">) are
# replaced by hooks/diagrams.py and are left alone.
_BLOCK = "<pre><span></span><code>"
_UNSTYLED_TOKEN = re.compile(r'<span class="(?:w|nx)">([^<]*)</span>')


def on_page_content(content: str, page, config, files) -> str:
    content = content.replace(_BLOCK, '<pre><span></span><code tabindex="0">')
    return _UNSTYLED_TOKEN.sub(r"\1", content)
