"""Scale: the real pages copied into a knowledge base of about 100, 400 and
1,600 pages (both languages, every copy embedding its snippets), each built
strictly in a temporary copy of the project."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from .timing import Timing, repeat, run
from .workspace import MKDOCS, ROOT, copy_project, env, tempdir, without_nav

# Marginal cost per page may grow this much from the small to the large
# step and still count as linear (run-to-run noise on a shared machine).
LINEAR_TOLERANCE = 1.3


@dataclass
class ScalePoint:
    pages: int
    build: Timing
    html_bytes: int  # all pages' HTML: what grows faster than the page count shows here

    @property
    def per_page(self) -> float:
        return self.build.median / self.pages


def generate(target: Path, copies: int) -> int:
    """The real docs plus `copies - 1` folders holding a copy of every page.
    Links between pages are relative, so each copy links within itself."""
    count = 0
    # docs/ also holds data files (glossary.yml, exercises.yml) next to the language folders.
    for language_dir in sorted(d for d in (target / "docs").iterdir() if d.is_dir()):
        pages = sorted(language_dir.glob("*.md"))
        for n in range(1, copies):
            folder = language_dir / f"kopia-{n:03d}"
            folder.mkdir()
            for page in pages:
                shutil.copyfile(page, folder / page.name)
        count += len(pages) * copies
    return count


def real_page_count() -> int:
    return sum(1 for _ in (ROOT / "docs").glob("*/*.md"))


def measure(sizes: dict[int, int]) -> list[ScalePoint]:
    """`sizes` maps a target page count to how many builds to time."""
    points = []
    for target_pages, runs in sizes.items():
        folder = tempdir(f"scale-{target_pages}")
        try:
            project = copy_project(folder / "project")
            without_nav(project)
            pages = generate(project, max(1, round(target_pages / real_page_count())))
            site = folder / "site"
            build = repeat(lambda: run([MKDOCS, "build", "--strict", "--site-dir", str(site)],
                                       cwd=project, env=env()), runs)
            html = sum(f.stat().st_size for f in site.rglob("*.html"))
            points.append(ScalePoint(pages, build, html))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return points


def marginal_costs(points: list[ScalePoint]) -> list[float]:
    """Seconds each added page costs between consecutive sizes."""
    return [(b.build.median - a.build.median) / (b.pages - a.pages) for a, b in zip(points, points[1:])]


def is_linear(points: list[ScalePoint]) -> bool:
    costs = marginal_costs(points)
    return all(later <= earlier * LINEAR_TOLERANCE for earlier, later in zip(costs, costs[1:]))
