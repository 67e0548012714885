"""Site-wide rules that keep the pages honest, beyond what any one unit proves."""

from __future__ import annotations

import fnmatch
from collections import defaultdict

from .extract import ILLUSTRATIVE, Page
from .paths import SNIPPETS, rel
from .units import UnitError, unit_for

# Files that no page needs to show, each with the reason it is still here.
SUPPORT_FILES = {
    "*/go.mod": "Go module definition",
    "*/go.sum": "Go module checksums (pins)",
    "*_test.go": "tests that prove the code the pages show",
    "*/testdata/*": "test fixtures",
    "*/Chart.yaml": "Helm chart metadata",
    "*/.helmignore": "Helm packaging rules",
    "*/values.schema.json": "rejects bad values in helm lint; the pages describe it",
    "helm/*/tests/*": "helm-unittest suites",
    "*.test.yaml": "promtool rule tests",
    "*/kustomization.yaml": "shown through kustomize_build output",
    "*/README.md": "how to run the folder by hand",
}


def inline_code(pages: list[Page]) -> list[str]:
    """Go or YAML written inline on a page is code no tool proves."""
    return [
        f"{page.name}:{line}: inline ```{language} block: embed it from snippets/ with "
        f"snippet(), or wrap it in {{% call {ILLUSTRATIVE}() %}} if it is only an illustration"
        for page in pages
        for line, language in page.inline_blocks
    ]


def unindented_calls(pages: list[Page]) -> list[str]:
    return [
        f"{page.name}:{line}: an indented macro call needs `| indent(4)` (or its indentation), "
        "otherwise the block's later lines fall out of the tab or admonition"
        for page in pages
        for line in page.unindented_calls
    ]


def missing_targets(pages: list[Page]) -> list[str]:
    problems = []
    for page in pages:
        for embed in page.embeds:
            try:
                unit_for(embed.target)
            except UnitError as error:
                problems.append(f"{page.name}:{embed.line}: {embed.describe()}: {error}")
    return problems


def translations_embed_the_same(pages: list[Page]) -> list[str]:
    """A page and its translation show the same snippets, in the same order."""
    by_slug = defaultdict(dict)
    for page in pages:
        by_slug[page.slug][page.language] = page
    problems = []
    for slug, versions in sorted(by_slug.items()):
        if len(versions) < 2:
            continue  # an untranslated page falls back to the original
        signatures = {lang: [e.signature for e in page.embeds] for lang, page in versions.items()}
        first, *others = signatures.items()
        for language, sigs in others:
            if sigs != first[1]:
                problems.append(
                    f"docs/{language}/{slug} embeds {_describe(versions[language])} but "
                    f"docs/{first[0]}/{slug} embeds {_describe(versions[first[0]])}"
                )
    return problems


def _describe(page: Page) -> str:
    return "[" + ", ".join(e.describe() for e in page.embeds) + "]" if page.embeds else "nothing"


def orphans(pages: list[Page]) -> list[str]:
    """Every file in snippets/ is shown by a page, rendered by one, or support."""
    shown = set()
    for page in pages:
        for embed in page.embeds:
            target = SNIPPETS / embed.target
            if embed.macro == "snippet":
                shown.add(target.resolve())
            elif embed.macro in ("helm_template", "kustomize_build"):  # rendered output shows the whole folder
                try:
                    shown.update(p.resolve() for p in unit_for(embed.target).dir.rglob("*") if p.is_file())
                except UnitError:
                    pass
    problems = []
    for path in sorted(p for p in SNIPPETS.rglob("*") if p.is_file()):
        name = path.relative_to(SNIPPETS).as_posix()
        if path.resolve() in shown or any(fnmatch.fnmatch(name, pattern) for pattern in SUPPORT_FILES):
            continue
        problems.append(
            f"{rel(path)} is an orphan: no page embeds it and it is no declared support file "
            "(embed it, delete it, or add a pattern with its reason to SUPPORT_FILES in verify/rules.py)"
        )
    return problems


def all_problems(pages: list[Page]) -> list[str]:
    return (
        inline_code(pages)
        + unindented_calls(pages)
        + missing_targets(pages)
        + translations_embed_the_same(pages)
        + orphans(pages)
    )
