"""Code blocks that a keyboard can scroll before Material has mounted them.

Material mounts code blocks lazily (the `content.lazy` feature): the copy
button and the check for a block wider than the screen run only once a block
comes into view, which keeps long pages free of that work on load. Until then
a wide block offers keyboard users no way to scroll it, so every highlighted
block starts focusable; once mounted, Material keeps `tabindex` only on the
blocks that do scroll.
"""

from __future__ import annotations

# pymdownx.highlight's markup for a block; diagrams (<pre class="mermaid">) are
# replaced by Mermaid and are left alone.
_BLOCK = "<pre><span></span><code>"


def on_page_content(content: str, page, config, files) -> str:
    return content.replace(_BLOCK, '<pre><span></span><code tabindex="0">')
