"""Build speed: the real strict build of both languages against the same
Markdown built by plain Material, without macros, hooks or overrides."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .timing import Timing, repeat, run
from .workspace import MKDOCS, ROOT, env, tempdir

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


OVERHEAD_TARGET = 1.25  # wall time of the real build over the plain one


@dataclass
class BuildResult:
    full: Timing
    plain: Timing

    @property
    def overhead(self) -> float:
        return self.full.median / self.plain.median

    @property
    def cpu_overhead(self) -> float:
        return self.full.cpu_median / self.plain.cpu_median

    @property
    def holds(self) -> bool:
        return self.overhead <= OVERHEAD_TARGET


def full_build(site: Path) -> None:
    """What `make build` runs, into a throwaway folder."""
    shutil.rmtree(site, ignore_errors=True)
    run([MKDOCS, "build", "--strict", "--site-dir", str(site)], cwd=ROOT, env=env())


def plain_configs(folder: Path) -> list[Path]:
    empty = folder / "no-overrides"
    empty.mkdir(parents=True, exist_ok=True)
    configs = []
    for language, parent, site in (("sv", "mkdocs.yml", "site"), ("en", "mkdocs.en.yml", "site/en")):
        config = folder / f"plain.{language}.yml"
        config.write_text(PLAIN.format(parent=ROOT / parent, docs=ROOT / "docs" / language,
                                       site=folder / site, empty=empty, language=language))
        configs.append(config)
    return configs


def plain_build(configs: list[Path]) -> None:
    # Not strict: macro calls stay literal text, so their links and anchors dangle.
    for config in configs:
        run([MKDOCS, "build", "--clean", "--config-file", str(config)], cwd=ROOT, env=env())


def measure(runs: int) -> BuildResult:
    folder = tempdir("build")
    try:
        configs = plain_configs(folder)
        # Interleaved, so both see the same load on a shared machine.
        full, plain = Timing(), Timing()
        for _ in range(runs):
            for timing, action in ((full, lambda: full_build(folder / "full")), (plain, lambda: plain_build(configs))):
                one = repeat(action, 1)
                timing.runs += one.runs
                timing.cpu_runs += one.cpu_runs
                timing.load = one.load
        return BuildResult(full, plain)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
