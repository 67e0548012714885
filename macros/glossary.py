"""The glossary: docs/glossary.yml turned into the glossary page (one
section per term, so each has its own anchor and search result) and into
the abbreviation tooltips of every page, per language.

Both come from the same file when the build runs, so the page and the
tooltips cannot disagree and nothing generated is committed.

A tooltip should mean what the word means where it stands: a form never
matches inside a longer phrase listed as `not_in` ("pull request" is no
resource request), and TooltipRules keeps only the first tooltip of a term
in each section, none in headings and none on the glossary page itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

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
    not_in: tuple[str, ...] = ()  # longer phrases holding a form, which never get it


@dataclass(frozen=True)
class Term:
    page: str  # docs/<language>/-relative, optionally with #id
    entries: dict[str, Entry]  # language -> entry

    @property
    def anchor(self) -> str:
        """The term's id on the glossary page, the same in both languages."""
        return re.sub(r"[^a-z0-9]+", "-", self.entries["en"].term.casefold()).strip("-")


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
            entries[language] = Entry(entry["term"], forms, " ".join(entry["definition"].split()),
                                      tuple(entry.get("not_in") or ()))
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
    # abbr matches the longest phrase first and gives an empty title no tooltip.
    for term in terms:
        for phrase in term.entries[language].not_in:
            if found.get(phrase):
                raise GlossaryError(f"{rel(GLOSSARY)}: '{phrase}' ({language}) is both a term and not_in one")
            found[phrase] = ""
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


class TooltipRules(Treeprocessor):
    """Runs after abbr (priority 7) and before the table of contents (5):
    unwraps the tooltips a reader should not meet, namely every one in a
    heading or in a block's status line (the checks that ran, not prose),
    every repeat of a term within a section (a heading starts the next), and
    all of them on a page where `off()` is true."""

    HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}

    def __init__(self, md, off: Callable[[], bool]):
        super().__init__(md)
        self.off = off

    def run(self, root):
        off = self.off()
        unwanted, seen = [], set()
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in root.iter():
            if element.tag in self.HEADINGS:
                seen = set()
            elif element.tag == "abbr":
                title = element.get("title")
                if off or title in seen or self._not_prose(element, parents):
                    unwanted.append(element)
                else:
                    seen.add(title)
        for abbr in reversed(unwanted):
            _unwrap(abbr, parents[abbr])

    def _not_prose(self, element, parents) -> bool:
        """Inside a heading, or inside a status line (attr_list has already
        set its class by now)."""
        while element in parents:
            element = parents[element]
            if element.tag in self.HEADINGS or "snippet-status" in (element.get("class") or ""):
                return True
        return False


def _unwrap(element, parent) -> None:
    """Replace an element by its text, keeping what follows it."""
    text = (element.text or "") + (element.tail or "")
    index = list(parent).index(element)
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        before = parent[index - 1]
        before.tail = (before.tail or "") + text
    parent.remove(element)


class TooltipRulesExtension(Extension):
    def __init__(self, off: Callable[[], bool]):
        super().__init__()
        self.off = off

    def extendMarkdown(self, md):
        md.treeprocessors.register(TooltipRules(md, self.off), "glossary_tooltip_rules", 6)


def enable_tooltip_rules(conf, off: Callable[[], bool]) -> None:
    """Add TooltipRules to every page of this build; `off()` says whether the
    page being converted is the glossary page, which explains every term itself."""
    conf["markdown_extensions"].append(TooltipRulesExtension(off))


def table(terms: list[Term], language: str) -> str:
    """The glossary page: one section per term, sorted by term, each with
    its own anchor (a search result of its own), the other language's term,
    the meaning and a link to where it is explained."""
    other = next(code for code in LANGUAGES if code != language)
    other_label, explained = HEADER[language][1], HEADER[language][3]
    sections = []
    for term in sorted(terms, key=lambda t: t.entries[language].term.casefold()):
        entry = term.entries[language]
        sections.append(
            f"## {entry.term} {{#{term.anchor} .glossary-term }}\n\n"
            f"{entry.definition}\n\n"
            f"{other_label}: *{term.entries[other].term}* · "
            f"{explained}: [{page_title(term.page, language)}]({term.page})\n"
            "{ .glossary-term__meta }\n")
    return "\n".join(sections)


def page_title(link: str, language: str) -> str:
    """The title in the front matter of the page a link points at (the
    original's, while the page is untranslated)."""
    name = link.split("#")[0]
    for folder in (language, PRIMARY_LANGUAGE):
        path = DOCS / folder / name
        if path.exists():
            return front_matter.metadata(path.read_text(encoding="utf-8")).get("title") or name
    raise GlossaryError(f"{rel(GLOSSARY)}: '{link}' is no page in docs/{language}/ or docs/{PRIMARY_LANGUAGE}/")
