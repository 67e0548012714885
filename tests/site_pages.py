"""Finding pages of a built site by what they contain."""

from __future__ import annotations

from pathlib import Path


def all_pages(site: Path) -> list[str]:
    """Every page's URL path below the site root, e.g. 'en/resurshantering/'."""
    found = []
    for html in sorted(site.rglob("index.html")):
        relative = html.parent.relative_to(site).as_posix()
        found.append("" if relative == "." else relative + "/")
    return found


def pages_with_snippets(site: Path) -> list[str]:
    """Pages with at least one embedded snippet, most snippets first."""
    counted = []
    for path in all_pages(site):
        count = (site / path / "index.html").read_text().count('class="snippet-status')
        if count:
            counted.append((count, path))
    return [path for _, path in sorted(counted, key=lambda c: (-c[0], c[1]))]
