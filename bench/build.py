"""Build speed: the real strict build of both languages against plain
Material, without macros, hooks or overrides, on two kinds of Markdown: the
pages as written (a macro call is one line of text to plain Material) and
the pages as the macros expanded them (the same code blocks, status lines
and fallback pages the reader gets). The second is the overhead of the
machinery itself; the first adds the cost of the content the macros embed."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from .timing import Timing, repeat, run
from .workspace import MKDOCS, ROOT, copy_project, env, tempdir

# Plain Material: the project's configs minus macros, hooks and overrides.
# INHERIT replaces lists and merges mappings, so these keys win.
PLAIN = """INHERIT: {parent}
docs_dir: {docs}
site_dir: {site}
theme:
  custom_dir: {empty}
hooks: []
extra_css: []
plugins:
  - search:
      lang: {language}
  - tags
"""


OVERHEAD_TARGET = 1.25  # wall time of the real build over the plain one, same expanded Markdown

# Added as the last hook of a copy of the project: writes every page's
# Markdown as the macros and the other hooks left it, per language.
DUMP_HOOK = '''import os
from pathlib import Path


def on_page_markdown(markdown, page, config, files):
    target = Path(os.environ["BENCH_EXPANDED"]) / config.theme["language"] / page.file.src_uri
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(markdown)
    return markdown
'''


@dataclass
class BuildResult:
    full: Timing
    plain: Timing  # the pages as written
    expanded: Timing  # the pages as the macros expanded them

    @property
    def overhead(self) -> float:
        return self.full.median / self.expanded.median

    @property
    def cpu_overhead(self) -> float:
        return self.full.cpu_median / self.expanded.cpu_median

    @property
    def over_written(self) -> float:
        return self.full.median / self.plain.median

    @property
    def holds(self) -> bool:
        return self.overhead <= OVERHEAD_TARGET


def full_build(site: Path) -> None:
    """What `make build` runs, into a throwaway folder."""
    shutil.rmtree(site, ignore_errors=True)
    run([MKDOCS, "build", "--strict", "--site-dir", str(site)], cwd=ROOT, env=env())


def plain_configs(folder: Path, docs: Path = ROOT / "docs") -> list[Path]:
    """Plain Material's configs for the pages in docs/<language>/."""
    folder.mkdir(parents=True, exist_ok=True)
    empty = folder / "no-overrides"
    empty.mkdir(exist_ok=True)
    configs = []
    for language, parent, site in (("sv", "mkdocs.yml", "site"), ("en", "mkdocs.en.yml", "site/en")):
        config = folder / f"plain.{language}.yml"
        config.write_text(PLAIN.format(parent=ROOT / parent, docs=docs / language,
                                       site=folder / site, empty=empty, language=language))
        configs.append(config)
    return configs


def expanded_pages(folder: Path) -> Path:
    """Every page of both languages as the real build hands it to Markdown."""
    project = copy_project(folder / "project")
    (project / "hooks" / "bench_dump.py").write_text(DUMP_HOOK)
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"^(hooks:\n(?:  - .*\n)+)", r"\1  - hooks/bench_dump.py\n",
                             config.read_text(), count=1, flags=re.M))
    pages = folder / "expanded"
    run([MKDOCS, "build", "--site-dir", str(folder / "site")], cwd=project, env=env(BENCH_EXPANDED=str(pages)))
    for language in ("sv", "en"):
        if not any((pages / language).rglob("*.md")):
            raise SystemExit(f"bench: the {language} build wrote no expanded pages into {pages}")
    return pages


def plain_build(configs: list[Path]) -> None:
    # Not strict: macro calls stay literal text, so their links and anchors dangle.
    for config in configs:
        run([MKDOCS, "build", "--clean", "--config-file", str(config)], cwd=ROOT, env=env())


def measure(runs: int) -> BuildResult:
    folder = tempdir("build")
    try:
        written = plain_configs(folder / "written")
        expanded_configs = plain_configs(folder / "plain-expanded", expanded_pages(folder / "expanding"))
        # Interleaved, so all see the same load on a shared machine.
        full, plain, expanded = Timing(), Timing(), Timing()
        for _ in range(runs):
            for timing, action in ((full, lambda: full_build(folder / "full")),
                                   (plain, lambda: plain_build(written)),
                                   (expanded, lambda: plain_build(expanded_configs))):
                one = repeat(action, 1)
                timing.runs += one.runs
                timing.cpu_runs += one.cpu_runs
                timing.load = one.load
        return BuildResult(full, plain, expanded)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
