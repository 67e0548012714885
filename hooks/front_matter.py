"""Front matter must be valid: MkDocs silently drops YAML it cannot parse,
which would publish a page without its title, tags or translation record.

The rule itself is verify/front_matter.py, which `make verify` also applies
to every page without a build (a builder that runs no hooks is covered
there); this hook keeps `mkdocs serve` and a build run on its own from
publishing such a page."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the repository root: verify/
from verify import front_matter  # noqa: E402


def on_page_markdown(markdown, page, config, files):
    problem = front_matter.problem(Path(page.file.abs_src_path).read_text(encoding="utf-8"))
    if problem:
        raise PluginError(f"{_where(page, config)}: {problem}")
    return markdown


def _where(page, config) -> str:
    root = Path(config.config_file_path).parent
    return Path(page.file.abs_src_path).relative_to(root).as_posix()
