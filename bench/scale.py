"""Scale: the real pages copied into a knowledge base of about 100, 400,
1,600 and 5,000 pages (both languages, every copy embedding its snippets),
each built strictly in a temporary copy of the project.

The copies are shaped as a growing knowledge base is: sections of sections
(`samlingar/grupp-NN/kopia-NNN/`, GROUP_SIZE copies a group), not hundreds
of sections side by side. With `navigation.prune`, a page then carries its
own branch of the navigation plus one link per section on the way up,
instead of every page of the site."""

from __future__ import annotations

import gzip
import shutil
import statistics
from dataclasses import dataclass
from pathlib import Path

from .timing import Timing, repeat, run
from .workspace import MKDOCS, ROOT, copy_project, env, tempdir, without_nav

# Marginal cost per page may grow this much from the small to the large
# step and still count as linear (run-to-run noise on a shared machine).
LINEAR_TOLERANCE = 1.3
# Target: per-page time at the largest point within this factor of the smallest.
PER_PAGE_TARGET = 1.2
GROUP_SIZE = 10  # copies per group, groups per collection: a section lists at most this many
COLLECTION = "samlingar"


@dataclass
class ScalePoint:
    pages: int
    build: Timing
    html_bytes: int  # all pages' HTML: what grows faster than the page count shows here
    html_gzip_median: int  # one page's HTML as a reader's connection carries it (gzip -6), median page

    @property
    def per_page(self) -> float:
        return self.build.median / self.pages


def generate(target: Path, copies: int) -> int:
    """The real docs plus `copies - 1` folders holding a copy of every page,
    GROUP_SIZE to a group. Links between pages are relative, so each copy
    links within itself."""
    count = 0
    # docs/ also holds data files (glossary.yml, exercises.yml) next to the language folders.
    for language_dir in sorted(d for d in (target / "docs").iterdir() if d.is_dir()):
        pages = sorted(language_dir.glob("*.md"))
        for n in range(1, copies):
            folder = language_dir / COLLECTION / f"grupp-{n // GROUP_SIZE:02d}" / f"kopia-{n:03d}"
            folder.mkdir(parents=True)
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
            documents = [f.read_bytes() for f in site.rglob("index.html")]
            html = sum(len(d) for d in documents)
            zipped = statistics.median(len(gzip.compress(d, compresslevel=6)) for d in documents)
            points.append(ScalePoint(pages, build, html, round(zipped)))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return points


def marginal_costs(points: list[ScalePoint]) -> list[float]:
    """Seconds each added page costs between consecutive sizes."""
    return [(b.build.median - a.build.median) / (b.pages - a.pages) for a, b in zip(points, points[1:])]


def per_page_ratio(points: list[ScalePoint], pages: int) -> float:
    """Per-page time at the point closest to `pages` over that at the smallest point."""
    closest = min(points, key=lambda p: abs(p.pages - pages))
    return closest.per_page / points[0].per_page


def is_linear(points: list[ScalePoint]) -> bool:
    costs = marginal_costs(points)
    return all(later <= earlier * LINEAR_TOLERANCE for earlier, later in zip(costs, costs[1:]))
