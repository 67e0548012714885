"""The pages a pull request changes, with their preview links, as Markdown.

    python -m verify.changed_pages --base origin/main --preview-url https://…/pr-preview/pr-123/

A page counts as changed when its own Markdown changed (in either language)
or when a file changed that can change what one of its embedded snippets
shows or how it is verified: the same files that make up the snippet's
verification unit (units.py). Each page is listed once, with its preview in
both languages: the English build serves every Swedish page too.
"""

from __future__ import annotations

import argparse
import posixpath
import re
import subprocess
import sys
from dataclasses import dataclass, field

from .extract import PageError, all_pages
from .paths import DOCS, LANGUAGES, PRIMARY_LANGUAGE, ROOT
from .units import UnitError, unit_for

LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}
# Files that shape every page: a change here is named, not spread over pages.
SITE_WIDE = ("mkdocs.yml", "mkdocs.en.yml", "hooks/", "macros/", "overrides/")
_HEADING = re.compile(r"^#\s+(.+?)(?:\s*\{[^}]*\})?\s*$", re.M)


class GitError(Exception):
    """git could not tell what changed; the message says what to do."""


@dataclass
class ChangedPage:
    slug: str  # e.g. varfor-go.md: the same file name in both languages
    languages: list[str] = field(default_factory=list)  # whose text changed
    snippet_files: list[str] = field(default_factory=list)  # changed files behind its embeds

    def describe(self) -> str:
        parts = [f"text ({', '.join(self.languages)})"] if self.languages else []
        shown = [f"`{p}`" for p in self.snippet_files[:3]]
        if len(self.snippet_files) > 3:
            shown.append(f"{len(self.snippet_files) - 3} more")
        return ", ".join(parts + (["snippets: " + ", ".join(shown)] if shown else []))


def changed_files(base: str) -> list[str]:
    """Repository-relative paths changed on this branch since it left ``base``.
    Deleted files are left out: there is no page to preview."""
    result = subprocess.run(
        ["git", "diff", "--name-only", "--diff-filter=ACMRT", f"{base}...HEAD"],
        cwd=ROOT, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise GitError(
            f"git diff against {base!r} failed: {result.stderr.strip()}\n"
            f"(fetch the base branch first, e.g. `git fetch origin main`)"
        )
    return [line for line in result.stdout.splitlines() if line]


def changed_pages(files: list[str]) -> tuple[list[ChangedPage], list[str]]:
    """(changed pages in nav order, changed files that shape every page)."""
    changed = set(files)
    found: dict[str, ChangedPage] = {}

    for path in files:
        for language in LANGUAGES:
            prefix = f"docs/{language}/"
            if path.startswith(prefix) and path.endswith(".md"):
                found.setdefault(path[len(prefix):], ChangedPage(path[len(prefix):])).languages.append(language)

    parsed = all_pages()
    unit_files: dict[str, set[str]] = {}
    for page in parsed:
        for embed in page.embeds:
            if embed.target not in unit_files:
                try:
                    unit = unit_for(embed.target)
                    unit_files[embed.target] = {p.resolve().relative_to(ROOT).as_posix() for p in unit.files}
                except UnitError:  # the build reports it, naming page and snippet
                    unit_files[embed.target] = set()
            for path in sorted(unit_files[embed.target] & changed):
                page_found = found.setdefault(page.slug, ChangedPage(page.slug))
                if path not in page_found.snippet_files:
                    page_found.snippet_files.append(path)

    order = {page.slug: n for n, page in enumerate(parsed) if page.language == PRIMARY_LANGUAGE}
    pages = sorted(found.values(), key=lambda p: (order.get(p.slug, len(order)), p.slug))
    site_wide = [p for p in files if p.startswith(SITE_WIDE)]
    return pages, site_wide


def page_url(preview_url: str, language: str, slug: str) -> str:
    """The page's address with directory URLs (MkDocs' default)."""
    stem = slug[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
    else:
        stem += "/"
    prefix = "" if language == PRIMARY_LANGUAGE else f"{language}/"
    return posixpath.join(preview_url.rstrip("/") + "/", prefix, stem)


def title(slug: str) -> str:
    """The page's first heading, from the original (or the translation if new)."""
    for language in (PRIMARY_LANGUAGE, *LANGUAGES):
        path = DOCS / language / slug
        if path.is_file():
            match = _HEADING.search(path.read_text(encoding="utf-8"))
            if match:
                return match.group(1)
    return slug


def markdown(pages: list[ChangedPage], site_wide: list[str], preview_url: str) -> str:
    lines = [f"**Preview:** {preview_url}", ""]
    if pages:
        lines += ["| Page | What changed | Preview |", "| --- | --- | --- |"]
        for page in pages:
            links = " · ".join(
                f"[{LANGUAGE_NAMES[language]}]({page_url(preview_url, language, page.slug)})" for language in LANGUAGES
            )
            lines.append(f"| {title(page.slug)} (`{page.slug}`) | {page.describe()} | {links} |")
    else:
        lines.append("No page or embedded snippet changed.")
    if site_wide:
        shown = ", ".join(f"`{p}`" for p in site_wide[:10]) + (", …" if len(site_wide) > 10 else "")
        lines += ["", f"Also changed, and may affect every page: {shown}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verify.changed_pages", description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="origin/main", help="the branch the pull request merges into")
    parser.add_argument("--preview-url", required=True, help="where the preview is served, e.g. https://…/pr-preview/pr-123/")
    args = parser.parse_args(argv)
    try:
        pages, site_wide = changed_pages(changed_files(args.base))
    except (GitError, PageError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(markdown(pages, site_wide, args.preview_url))
    return 0


if __name__ == "__main__":
    sys.exit(main())
