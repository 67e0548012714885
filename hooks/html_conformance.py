"""Two fixes to Material's markup, so every page is valid HTML and accessible.

- The toggles for the drawer and search are checkboxes with
  autocomplete="off", which HTML only allows on text-like inputs.
- The search overlay has role="dialog" but no accessible name; it gets the
  search field's own label.
- Navigation section labels carry an empty tabindex="", which is no number.

The HTML validator and axe tests fail if Material's markup changes under
these replacements, so they cannot silently stop working.
"""

from __future__ import annotations

import re

_TOGGLE = re.compile(r'(<input class="md-toggle"[^>]*type="checkbox"[^>]*?) autocomplete="off"')
_SEARCH_LABEL = re.compile(r'class="md-search__input"[^>]*aria-label="([^"]+)"')
_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'


def on_post_page(output: str, page, config) -> str:
    output = _TOGGLE.sub(r"\1", output)
    output = output.replace(' tabindex=""', "")
    label = _SEARCH_LABEL.search(output)
    if label:
        output = output.replace(
            _SEARCH_DIALOG,
            _SEARCH_DIALOG[:-1] + f' aria-label="{label.group(1)}">',
        )
    return output


def on_post_template(output_content: str, template_name: str, config) -> str:
    """404.html is rendered as a static template, not as a page."""
    return on_post_page(output_content, None, config) if template_name == "404.html" else output_content
