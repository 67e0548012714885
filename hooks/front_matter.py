"""Front matter must be valid: MkDocs silently drops YAML it cannot parse,
which would publish a page without its title, tags or translation record."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

_BLOCK = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(\n|\Z)", re.S)
LIST_KEYS = ("tags", "categories")


def on_page_markdown(markdown, page, config, files):
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    block = _BLOCK.match(source)
    if source.startswith("---") and not block:
        raise PluginError(f"{_where(page, config)}: front matter opens with --- but never closes")
    if not block:
        return markdown
    try:
        meta = yaml.safe_load(block.group(1) or "") or {}
    except yaml.YAMLError as error:
        raise PluginError(f"{_where(page, config)}: front matter is not valid YAML: {error}") from None
    if not isinstance(meta, dict):
        raise PluginError(f"{_where(page, config)}: front matter must be key: value pairs")
    for key in LIST_KEYS:
        if key in meta and not isinstance(meta[key], list):
            raise PluginError(f"{_where(page, config)}: front matter '{key}' must be a list")
    return markdown


def _where(page, config) -> str:
    root = Path(config.config_file_path).parent
    return Path(page.file.abs_src_path).relative_to(root).as_posix()
