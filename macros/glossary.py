"""The glossary: docs/glossary.yml turned into the glossary page's table and
into the abbreviation tooltips of every page, per language.

Both come from the same file when the build runs, so the page and the
tooltips cannot disagree and nothing generated is committed.
"""

from __future__ import annotations

from dataclasses import dataclass

from verify import front_matter
from verify.paths import DOCS, LANGUAGES, PRIMARY_LANGUAGE, rel
from verify.yaml_loading import safe_load

GLOSSARY = DOCS / "glossary.yml"

HEADER = {
    "sv": ("Term", "Engelska", "Betydelse", "Förklaras i"),
    "en": ("Term", "Swedish", "Meaning", "Explained in"),
}


class GlossaryError(Exception):
    """docs/glossary.yml is malformed; the message names the entry."""


@dataclass(frozen=True)
class Entry:
    term: str
    forms: tuple[str, ...]  # the words that get the tooltip
    definition: str


@dataclass(frozen=True)
class Term:
    page: str  # docs/<language>/-relative, optionally with #id
    entries: dict[str, Entry]  # language -> entry


def load() -> list[Term]:
    """Every term of docs/glossary.yml, checked for the fields both languages need."""
    if not GLOSSARY.exists():
        return []
    raw = safe_load(GLOSSARY.read_text(encoding="utf-8")) or []
    terms = []
    for number, item in enumerate(raw, 1):
        where = f"{rel(GLOSSARY)}: term {number}"
        if not isinstance(item, dict) or not isinstance(item.get("page"), str):
            raise GlossaryError(f"{where}: needs a 'page' (where the term is explained)")
        entries = {}
        for language in LANGUAGES:
            entry = item.get(language) or {}
            if not entry.get("term") or not entry.get("definition"):
                raise GlossaryError(f"{where}: '{language}' needs a 'term' and a 'definition'")
            forms = tuple(entry.get("forms") or [entry["term"]])
            entries[language] = Entry(entry["term"], forms, " ".join(entry["definition"].split()))
        terms.append(Term(item["page"], entries))
    return terms


def abbreviations(terms: list[Term], language: str) -> dict[str, str]:
    """Word -> tooltip text, for Python-Markdown's abbr extension."""
    found: dict[str, str] = {}
    for term in terms:
        entry = term.entries[language]
        for form in entry.forms:
            if form in found:
                raise GlossaryError(f"{rel(GLOSSARY)}: '{form}' ({language}) belongs to two terms")
            found[form] = entry.definition
    return found


def enable_tooltips(conf, terms: list[Term], language: str) -> None:
    """Give the abbr extension this language's glossary.

    Called from define_env, which runs in on_config: before any page is
    converted, and MkDocs makes a new Markdown instance per page from
    mdx_configs, so every page of this build gets the tooltips. abbr works on
    the parsed tree, where code blocks are already stashed and inline code is
    atomic, so code never gets a tooltip and link targets are never touched.
    """
    if "abbr" not in conf["markdown_extensions"]:
        raise GlossaryError("the glossary tooltips need the 'abbr' entry in markdown_extensions of mkdocs.yml")
    conf["mdx_configs"].setdefault("abbr", {})["glossary"] = abbreviations(terms, language)


def table(terms: list[Term], language: str) -> str:
    """The glossary page's table: term, translation, meaning, link, sorted by term."""
    other = next(code for code in LANGUAGES if code != language)
    rows = [" | ".join(HEADER[language]), " | ".join("---" for _ in HEADER[language])]
    for term in sorted(terms, key=lambda t: t.entries[language].term.casefold()):
        entry = term.entries[language]
        cells = (f"**{entry.term}**", term.entries[other].term, entry.definition, page_title(term.page, language))
        rows.append(" | ".join(_cell(c) for c in cells[:3]) + f" | [{_cell(cells[3])}]({term.page})")
    return "\n".join(f"| {row} |" for row in rows) + "\n"


def page_title(link: str, language: str) -> str:
    """The title in the front matter of the page a link points at (the
    original's, while the page is untranslated)."""
    name = link.split("#")[0]
    for folder in (language, PRIMARY_LANGUAGE):
        path = DOCS / folder / name
        if path.exists():
            return front_matter.metadata(path.read_text(encoding="utf-8")).get("title") or name
    raise GlossaryError(f"{rel(GLOSSARY)}: '{link}' is no page in docs/{language}/ or docs/{PRIMARY_LANGUAGE}/")


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
