"""Embedded code fits the page: no line of an embedded file or region is
wider than MAX_COLUMNS, so a block does not scroll sideways on a desktop.

80 columns, a tab counting as 4 (Material's tab width in code blocks), is
what fits the content column at 1440 px: tests/browser/test_code_fits.py
measures it. Tool output (helm template, kustomize build, Go example
output) is machine output and is not counted here.
"""

from __future__ import annotations

import re
import textwrap

from .extract import Page
from .paths import SNIPPETS

MAX_COLUMNS = 80
TAB_WIDTH = 4
# Files a tool writes, shown whole as evidence: rewrapping them by hand
# would make them something the tool did not write.
MACHINE_WRITTEN = {
    "gitops/secrets/prod/orders-database.sops.yaml":
        "written by sops: its ciphertext and MAC are single tokens",
}
_MARKER = re.compile(r"--8<--\s*\[(start|end):([A-Za-z0-9_-]+)\]")


def shown_lines(text: str, region: str | None) -> list[tuple[int, str]]:
    """(line number, text) of what a page shows: the region (dedented, as
    macros/regions.py cuts it) or the whole file, without marker lines."""
    numbered = list(enumerate(text.splitlines(), 1))
    if region:
        markers = {m.groups(): i for i, (_, line) in enumerate(numbered) if (m := _MARKER.search(line))}
        if ("start", region) not in markers or ("end", region) not in markers:
            return []  # the macro itself reports a missing region
        numbered = numbered[markers[("start", region)] + 1:markers[("end", region)]]
    kept = [(n, line) for n, line in numbered if not _MARKER.search(line)]
    dedented = textwrap.dedent("\n".join(line for _, line in kept)).split("\n")
    return [(n, line) for (n, _), line in zip(kept, dedented)]


def width(line: str) -> int:
    return len(line.expandtabs(TAB_WIDTH))


def too_long(pages: list[Page]) -> list[str]:
    problems, seen = [], set()
    for page in pages:
        for embed in page.embeds:
            if embed.macro != "snippet":
                continue
            region = dict(embed.kwargs).get("region")
            key = (embed.target, region)
            file = SNIPPETS / embed.target
            if key in seen or not file.is_file() or embed.target in MACHINE_WRITTEN:
                continue
            seen.add(key)
            for number, line in shown_lines(file.read_text(encoding="utf-8"), region):
                if width(line) > MAX_COLUMNS:
                    where = f"region '{region}'" if region else "the whole file"
                    problems.append(
                        f"snippets/{embed.target}:{number}: {width(line)} columns, more than {MAX_COLUMNS} "
                        f"(a tab counts as {TAB_WIDTH}), in {where} embedded by {page.name}:{embed.line}: "
                        "wrap the line or its comment so the block does not scroll sideways")
    return problems
