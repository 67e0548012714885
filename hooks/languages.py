"""One site, two languages: Swedish at the root, English under /en/.

Each language is its own MkDocs build (mkdocs.yml and mkdocs.en.yml), so
each gets its own search index with its own stemmer. This hook ties the
builds together and is responsible for exactly four things:

1. the Swedish build builds the English one into ``site/en`` right after
   itself (``mkdocs build`` and ``mkdocs serve`` both produce the whole site);
2. the English build falls back to the Swedish page, with a notice, for any
   page that has no translation yet (never a 404, never silent), without
   its Swedish tags (tag names are per language);
3. every page links to the same page in the other language, both in the
   language switcher and as ``hreflang`` alternates;
4. ``mkdocs serve`` also watches the English sources.
"""

from __future__ import annotations

import logging
import posixpath
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.hooks.languages")

PRIMARY = "sv"
# code -> (switcher label, URL prefix below the site root, config file)
LANGUAGES = {
    "sv": ("Svenska", "", "mkdocs.yml"),
    "en": ("English", "en/", "mkdocs.en.yml"),
}
FALLBACK_META = "fallback_from"

FALLBACK_NOTICE = {
    "en": (
        '!!! warning "Not translated yet"\n'
        "    This page has not been translated into English yet. "
        "You are reading the Swedish original.\n\n"
    ),
}


def _language(config) -> str:
    return config.theme["language"]


def _root_url(config) -> str:
    """The site root (the Swedish site_url), whichever build is running."""
    prefix = LANGUAGES[_language(config)][1]
    site_url = config.site_url or "/"
    return site_url[: -len(prefix)] if prefix and site_url.endswith(prefix) else site_url


def on_files(files, config):
    """Add the Swedish page for every page the translation lacks.

    Runs before the nav is built, so fallback pages take their place in the
    translated navigation like any other page.
    """
    if _language(config) == PRIMARY:
        return files
    primary_docs = Path(config.config_file_path).parent / "docs" / PRIMARY
    present = {f.src_uri for f in files}
    for path in sorted(primary_docs.rglob("*.md")):
        src_uri = path.relative_to(primary_docs).as_posix()
        if src_uri not in present:
            files.append(
                File(src_uri, str(primary_docs), config.site_dir, config.use_directory_urls)
            )
    return files


def on_page_markdown(markdown, page, config, files):
    """Mark a fallback page, in the reader's language, and tag its language."""
    language = _language(config)
    if language == PRIMARY or not page.file.abs_src_path.startswith(
        str(Path(config.config_file_path).parent / "docs" / PRIMARY)
    ):
        return markdown
    page.meta[FALLBACK_META] = PRIMARY
    # Runs before the tags plugin reads page.meta (its priority is -50).
    page.meta.pop("tags", None)
    # Keep the original's own language on its content for screen readers.
    return FALLBACK_NOTICE[language] + f'<div lang="{PRIMARY}" markdown>\n\n{markdown}\n\n</div>\n'


def on_page_context(context, page, config, nav):
    """Point the language switcher and hreflang links at this very page.

    Material renders both from ``config.extra.alternate``; MkDocs renders one
    page at a time right after this event, so setting the list here makes it
    per-page. Links are absolute (from site_url): hreflang wants absolute
    URLs, and relative ones cannot cross the two builds' roots.
    """
    root = _root_url(config)
    config.extra["alternate"] = [
        {"name": name, "lang": code, "link": posixpath.join(root, prefix, page.url)}
        for code, (name, prefix, _) in LANGUAGES.items()
    ]
    return context


def on_post_build(config):
    """Build every other language into its folder below this site."""
    if _language(config) != PRIMARY:
        return
    root = Path(config.config_file_path).parent
    site_url = config.site_url or "/"
    for code, (_, prefix, config_file) in LANGUAGES.items():
        if code == PRIMARY:
            continue
        other = load_config(
            str(root / config_file),
            strict=config.strict,
            site_dir=str(Path(config.site_dir) / prefix),
            site_url=posixpath.join(site_url, prefix),
        )
        log.info("Building the %s site into %s", code, other.site_dir)
        mkdocs_build(other)


def on_serve(server, config, builder):
    """Rebuild when the other languages' pages or configs change."""
    root = Path(config.config_file_path).parent
    for code, (_, _, config_file) in LANGUAGES.items():
        if code != PRIMARY:
            server.watch(str(root / "docs" / code))
            server.watch(str(root / config_file))
    return server


def on_config(config):
    """Edit links need the repository; without REPO_URL there are none.

    Material keeps the reader's choices (dark mode, ...) under a storage scope;
    making it the site root lets both languages share them."""
    root = _root_url(config)
    config.extra["scope"] = root
    config.extra["language_roots"] = [posixpath.join(root, prefix) for _, prefix, _ in LANGUAGES.values()]
    # What pages without on_page_context (404.html) link to: the language
    # roots below site_url, so a site served under a sub-path stays inside it.
    config.extra["alternate"] = [
        {"name": name, "lang": code, "link": posixpath.join(root, prefix)}
        for code, (name, prefix, _) in LANGUAGES.items()
    ]
    if config.repo_url:
        config.edit_uri = f"edit/main/docs/{_language(config)}/"
    return config
