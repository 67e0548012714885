"""Named regions in snippet files, in the pymdown-extensions section syntax.

    // --8<-- [start:name]
    ...
    // --8<-- [end:name]

Any comment syntax works: only the marker text counts. Marker lines never
reach the page. Regions may nest; a nested region can name the lines to
highlight inside an outer one, so highlights move with the code instead of
drifting like line numbers do.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

MARKER = re.compile(r"--8<--\s*\[(start|end):([A-Za-z0-9_-]+)\]")


class RegionError(Exception):
    """A region that is missing, duplicated or not closed."""


@dataclass(frozen=True)
class Region:
    name: str
    start: int  # index of the first line inside the region
    end: int  # index of the end marker line


def find_regions(lines: list[str]) -> dict[str, Region]:
    open_at: dict[str, int] = {}
    regions: dict[str, Region] = {}
    for index, line in enumerate(lines):
        match = MARKER.search(line)
        if not match:
            continue
        kind, name = match.groups()
        if kind == "start":
            if name in open_at or name in regions:
                raise RegionError(f"region '{name}' is defined twice (line {index + 1})")
            open_at[name] = index + 1
        else:
            if name not in open_at:
                raise RegionError(f"region '{name}' ends on line {index + 1} but never starts")
            regions[name] = Region(name, open_at.pop(name), index)
    if open_at:
        name, start = next(iter(open_at.items()))
        raise RegionError(f"region '{name}' starts on line {start} but is never closed")
    return regions


@dataclass(frozen=True)
class Excerpt:
    code: str
    highlight: tuple[int, ...]  # 1-based line numbers within code


def excerpt(text: str, region: str | None = None, highlight: str | None = None) -> Excerpt:
    """The code a page shows: one region (or the whole file), markers removed,
    dedented, with the lines of region ``highlight`` numbered for hl_lines."""
    lines = text.splitlines()
    regions = find_regions(lines)
    if region is None:
        start, end = 0, len(lines)
    elif region in regions:
        start, end = regions[region].start, regions[region].end
    else:
        known = ", ".join(sorted(regions)) or "none"
        raise RegionError(f"region '{region}' not found (regions in this file: {known})")
    if highlight is not None:
        inner = regions.get(highlight)
        if inner is None or not (start <= inner.start and inner.end <= end):
            raise RegionError(f"highlight region '{highlight}' is not inside region '{region or '(whole file)'}'")
    shown, marks = [], []
    for index in range(start, end):
        if MARKER.search(lines[index]):
            continue
        shown.append(lines[index])
        if highlight is not None and regions[highlight].start <= index < regions[highlight].end:
            marks.append(len(shown))
    while shown and not shown[0].strip():  # blank edges are not part of the excerpt
        shown.pop(0)
        marks = [m - 1 for m in marks]
    while shown and not shown[-1].strip():
        shown.pop()
    if not shown:
        raise RegionError(f"region '{region}' is empty")
    return Excerpt(textwrap.dedent("\n".join(shown)), tuple(m for m in marks if 1 <= m <= len(shown)))
