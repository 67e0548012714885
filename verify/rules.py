"""Site-wide rules that keep the pages honest, beyond what any one unit proves."""

from __future__ import annotations

import fnmatch
import re
from collections import defaultdict

from . import front_matter
from .extract import ILLUSTRATIVE, Page, config
from .line_length import too_long
from .paths import PRIMARY_LANGUAGE, SNIPPETS, rel
from .units import UnitError, unit_for

CONFIG_OF_LANGUAGE = {"sv": "mkdocs.yml", "en": "mkdocs.en.yml"}

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


_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_HEADING_ID = re.compile(r"\{[^}]*#([\w:.-]+)[^}]*\}\s*$")
_FENCE_LINE = re.compile(r"^[ \t]*(`{3,}|~{3,})")


def headings(text: str) -> list[tuple[int, str | None, str, int]]:
    """(level, explicit id or None, heading text, line) of every ATX heading
    outside fenced code and front matter, in order."""
    found, fence = [], None
    skipped = front_matter.split(text)[0].count("\n")
    for number, line in enumerate(text.splitlines()[skipped:], skipped + 1):
        opener = _FENCE_LINE.match(line)
        if opener:
            marker = opener.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = None
            continue
        match = None if fence else _HEADING.match(line)
        if match:
            explicit = _HEADING_ID.search(match.group(2))
            found.append((len(match.group(1)), explicit.group(1) if explicit else None, match.group(2), number))
    return found


def translations_have_the_same_headings(pages: list[Page]) -> list[str]:
    """A translation has the original's headings: same levels, same explicit
    ids, in the same order (links and the language switcher rely on the ids)."""
    by_slug = defaultdict(dict)
    for page in pages:
        by_slug[page.slug][page.language] = page
    problems = []
    for slug, versions in sorted(by_slug.items()):
        if PRIMARY_LANGUAGE not in versions:
            continue
        original = versions[PRIMARY_LANGUAGE]
        expected = headings(original.path.read_text(encoding="utf-8"))
        for language, page in sorted(versions.items()):
            if language == PRIMARY_LANGUAGE:
                continue
            actual = headings(page.path.read_text(encoding="utf-8"))
            problem = _first_heading_difference(original, expected, page, actual)
            if problem:
                problems.append(problem)
    return problems


def _first_heading_difference(original: Page, expected: list, page: Page, actual: list) -> str | None:
    for index in range(max(len(expected), len(actual))):
        want = expected[index] if index < len(expected) else None
        got = actual[index] if index < len(actual) else None
        if want and got and want[:2] == got[:2]:
            continue
        return (
            f"{page.name} does not have the heading structure of {original.name} "
            f"(same levels and ids, in order): heading {index + 1} is "
            f"{_describe_heading(page, got)} but {_describe_heading(original, want)}"
        )
    return None


def _describe_heading(page: Page, heading) -> str:
    if heading is None:
        return f"missing in {page.name}"
    level, _, text, line = heading
    return f"'{'#' * level} {text}' at {page.name}:{line}"


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


def front_matter_is_valid(pages: list[Page]) -> list[str]:
    """Front matter MkDocs would silently drop (also a build hook, hooks/front_matter.py)."""
    problems = []
    for page in pages:
        problem = front_matter.problem(page.path.read_text(encoding="utf-8"))
        if problem:
            problems.append(f"{page.name}: {problem}")
    return problems


def tags_are_allowed(pages: list[Page]) -> list[str]:
    """Every tag is in its language's `tags_allowed` list. Material's tags
    plugin enforces this too, but only inside a Material build."""
    allowed = tags_allowed()
    problems = []
    for page in pages:
        text = page.path.read_text(encoding="utf-8")
        if page.language not in allowed or front_matter.problem(text):  # invalid: reported above
            continue
        tags = front_matter.metadata(text).get("tags") or []
        for tag in tags if isinstance(tags, list) else []:
            if tag not in allowed[page.language]:
                problems.append(f"{page.name}: tag {tag!r} is not in tags_allowed of "
                                f"{CONFIG_OF_LANGUAGE[page.language]} ({', '.join(allowed[page.language])})")
    return problems


def tags_allowed() -> dict[str, list[str]]:
    """language -> the tags its config allows; a language whose config sets no list is left out."""
    found = {}
    for language, config_file in CONFIG_OF_LANGUAGE.items():
        for plugin in config(config_file).get("plugins", []):
            if isinstance(plugin, dict) and (plugin.get("tags") or {}).get("tags_allowed"):
                found[language] = list(plugin["tags"]["tags_allowed"])
    return found


def all_problems(pages: list[Page]) -> list[str]:
    return (
        front_matter_is_valid(pages)
        + tags_are_allowed(pages)
        + inline_code(pages)
        + unindented_calls(pages)
        + missing_targets(pages)
        + translations_embed_the_same(pages)
        + translations_have_the_same_headings(pages)
        + orphans(pages)
        + too_long(pages)
    )
