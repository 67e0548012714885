"""What the macros read from the build's config, whichever builder runs them.

MkDocs hands mkdocs-macros its config object; Zensical's own macros hand a
plain dict with the same keys, relative paths, and no config file path.
Both support item access, so the macros read the config only here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BuildConfig:
    language: str
    strict: bool
    repo_url: str | None
    root: Path  # the folder of the config file: the repository
    docs_dir: Path


def of(env) -> BuildConfig:
    conf = env.conf
    config_file = conf.get("config_file_path")
    root = Path(config_file).parent if config_file else Path(conf.get("root_dir") or ".").resolve()
    return BuildConfig(
        language=conf["theme"]["language"],
        strict=bool(conf.get("strict")),
        repo_url=conf.get("repo_url") or None,
        root=root,
        docs_dir=root / conf["docs_dir"],  # already absolute under MkDocs
    )


def page_uri(env) -> str:
    """The page being rendered, relative to its docs folder ('' between pages)."""
    page = getattr(env, "page", None)
    if page is None:
        return ""
    file = getattr(page, "file", None)  # MkDocs' page has a File, Zensical's a path
    return file.src_uri if file is not None else page.path


def page_source(env) -> Path | None:
    """The page's Markdown file: under MkDocs an untranslated page's is the
    primary language's (hooks/languages.py)."""
    page = getattr(env, "page", None)
    if page is None:
        return None
    file = getattr(page, "file", None)
    return Path(file.abs_src_path) if file is not None else of(env).docs_dir / page.path
