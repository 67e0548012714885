"""Comparing two builds of the site by what a reader gets: the pages, the
links on each page, the heading ids, and what the macros rendered (each
embedded block's status line and the code it shows).

Used by the ProperDocs test and the Zensical trial (bench/zensical.py): a
builder that silently skips a hook or a plugin still exits 0, so builds are
compared by content, never by exit code."""

from __future__ import annotations

import html.parser
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

# Which builder made the page; expected to differ.
GENERATOR = re.compile(r'\s*<meta name="generator" content="[^"]*">')


@dataclass
class PageContent:
    links: list[str] = field(default_factory=list)  # internal hrefs, in order
    heading_ids: list[str] = field(default_factory=list)
    snippet_status: list[str] = field(default_factory=list)  # the verified lines, as text
    code: list[str] = field(default_factory=list)  # every code block's text


class _Reader(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.content = PageContent()
        self._capture: list[tuple[str, str, int, list[str]]] = []  # (what, tag, depth, text)
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self._depth += 1
        href = attributes.get("href")
        if tag == "a" and href and not re.match(r"^[a-z]+:", href) and not href.startswith("//"):
            self.content.links.append(href)
        if re.fullmatch(r"h[1-6]", tag) and attributes.get("id"):
            self.content.heading_ids.append(attributes["id"])
        classes = (attributes.get("class") or "").split()
        if "snippet-status" in classes:
            self._capture.append(("status", tag, self._depth, []))
        elif tag == "pre":
            self._capture.append(("code", tag, self._depth, []))
        if tag in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
            self._depth -= 1

    def handle_endtag(self, tag):
        if self._capture and self._capture[-1][1] == tag and self._capture[-1][2] == self._depth:
            what, _, _, text = self._capture.pop()
            joined = "".join(text)
            (self.content.snippet_status if what == "status" else self.content.code).append(
                " ".join(joined.split()) if what == "status" else joined)
        self._depth -= 1

    def handle_data(self, data):
        for _, _, _, text in self._capture:
            text.append(data)


def read_page(path: Path) -> PageContent:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.content


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def differences(expected: Path, actual: Path, limit_per_page: int = 3) -> list[str]:
    """What a reader would find different in `actual` compared with `expected`."""
    found = []
    ours, theirs = set(pages(expected)), set(pages(actual))
    found += [f"{page}: missing" for page in sorted(ours - theirs)]
    found += [f"{page}: extra page" for page in sorted(theirs - ours)]
    for page in sorted(ours & theirs):
        a, b = read_page(expected / page), read_page(actual / page)
        for aspect in ("links", "heading_ids", "snippet_status", "code"):
            left, right = getattr(a, aspect), getattr(b, aspect)
            if aspect == "links":  # where a link leads, however it is spelt ("..", "./..")
                left, right = ([_target(page, href) for href in hrefs] for hrefs in (left, right))
            if left != right:
                lost = [x for x in left if x not in right][:limit_per_page]
                gained = [x for x in right if x not in left][:limit_per_page]
                found.append(f"{page}: {aspect} differ ({len(left)} vs {len(right)}); "
                             f"only in the first: {_short(lost)}; only in the second: {_short(gained)}")
    return found


def _target(page: str, href: str) -> str:
    """The site path and fragment an internal link on `page` leads to."""
    path, hash_, fragment = href.partition("#")
    if not path:
        resolved = page
    elif path.startswith("/"):
        resolved = path.lstrip("/")
    else:
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    resolved = re.sub(r"(^|/)index\.html$", r"\1", resolved).strip("/").removeprefix(".")
    return resolved + hash_ + fragment


def identical_apart_from_generator(expected: Path, actual: Path) -> list[str]:
    """Files (HTML, search index, sitemap, assets) whose bytes differ, ignoring
    the generator meta tag."""
    differing = []
    for path in sorted(p for p in expected.rglob("*") if p.is_file()):
        other = actual / path.relative_to(expected)
        if not other.is_file():
            continue  # reported by differences()
        a, b = path.read_bytes(), other.read_bytes()
        if a != b and (path.suffix != ".html" or GENERATOR.sub("", a.decode()) != GENERATOR.sub("", b.decode())):
            differing.append(path.relative_to(expected).as_posix())
    return differing


def _short(items: list[str]) -> str:
    return ", ".join(repr(i[:80]) for i in items) or "nothing"
