"""One site, two languages: Swedish at the root, English under /en/.

Each language is its own MkDocs build (mkdocs.yml and mkdocs.en.yml), so
each gets its own search index with its own stemmer. This hook ties the
builds together and is responsible for exactly four things:

1. the Swedish build builds the English one into ``site/en``, in a second
   process while it builds itself, so the two languages use both cores
   (``mkdocs build`` and ``mkdocs serve`` both produce the whole site);
2. the English build falls back to the Swedish page, with a notice, for any
   page that has no translation yet (never a 404, never silent), without
   its Swedish tags (tag names are per language);
3. every page links to the same page in the other language, both in the
   language switcher and as ``hreflang`` alternates;
4. ``mkdocs serve`` also watches the English sources.

Under ``mkdocs serve`` the next English build's process is started ahead of
the save that needs it (hooks/prestarted.py).
"""

from __future__ import annotations

import logging
import os
import posixpath
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root
from hooks import prestarted  # noqa: E402

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


# The other languages' builds while the primary one runs: code -> (process, its output folder).
_running: dict[str, tuple[subprocess.Popen, Path]] = {}


def on_pre_build(config):
    """Start every other language's build in its own process.

    Each writes into a folder of its own beside the site folder, because the
    primary build empties its site folder after this event; on_post_build
    moves it into place. A separate process (not a thread) because MkDocs and
    its plugins keep per-build state in module globals, and the GIL would
    serialise the two builds anyway.
    """
    if _language(config) != PRIMARY:
        return
    _stop_other_builds()
    root = Path(config.config_file_path).parent
    site_dir = Path(config.site_dir)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    for code, (_, prefix, config_file) in LANGUAGES.items():
        if code == PRIMARY:
            continue
        output = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-{code}-", dir=site_dir.parent))
        arguments = ["build", "--config-file", str(root / config_file),
                     "--site-dir", str(output)] + (["--strict"] if config.strict else [])
        # Its config inherits site_url from SITE_URL: the primary's, one folder down.
        environment = {**os.environ, "SITE_URL": posixpath.join(config.site_url or "/", prefix)}
        log.info("Building the %s site into %s", code, site_dir / prefix)
        _running[code] = (prestarted.run(_builder(), arguments, environment, root), output)


def _builder() -> str:
    """The package running this build: ProperDocs takes the place of the
    `mkdocs` module when it runs (sys.modules), and the other languages must
    be built by the same builder."""
    return sys.modules["mkdocs"].__name__.split(".")[0]


def on_post_build(config):
    """Wait for every other language and put it into its folder below this site."""
    if _language(config) != PRIMARY:
        return
    failed = []
    for code, (process, output) in list(_running.items()):
        del _running[code]
        if process.wait() != 0:
            shutil.rmtree(output, ignore_errors=True)
            failed.append(code)
            continue
        target = Path(config.site_dir) / LANGUAGES[code][1]
        shutil.rmtree(target, ignore_errors=True)
        output.chmod(0o755)  # mkdtemp makes it private; a site folder is world-readable
        output.rename(target)
    prestarted.prepare(_builder(), Path(config.config_file_path).parent)
    if failed:
        raise PluginError(f"the {', '.join(failed)} build failed: its messages are above")


def on_build_error(error):
    _stop_other_builds()


def _stop_other_builds() -> None:
    for code, (process, output) in list(_running.items()):
        del _running[code]
        process.terminate()
        process.wait()
        shutil.rmtree(output, ignore_errors=True)


def on_startup(command, dirty):
    if command == "serve":
        prestarted.enable()


def on_shutdown():
    prestarted.discard()


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
